"""Caseload ranges and the worker groups they are for, in prose written for the test."""
from datetime import date

from scrutiny.extract.model import Document, Heading, Page, Paragraph
from scrutiny.extract.observation import Context
from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.store.load import REVIEW_BELOW


def exported(text, heading="Workforce"):
    """(indicator, value, breakdown, qualifier) of every figure that would be exported."""
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Heading(heading, 1), Paragraph(text, 1)])])
    ctx = Context(meeting_date=date(2025, 3, 12), authority_code="E06000015")
    return {(o.indicator, o.value, o.breakdown, o.qualifier)
            for o in GenericParser().parse(doc, ctx) if o.confidence >= REVIEW_BELOW}


def test_a_range_in_words_gives_both_ends_with_the_team_of_the_sentence_before():
    rows = exported("Caseloads in the duty and assessment teams remain too high. At the time of the "
                    "review, many social workers were responsible for between 26 to 31 cases.")
    assert rows == {("sw_caseload_min", 26.0, "duty and assessment teams", "actual"),
                    ("sw_caseload_max", 31.0, "duty and assessment teams", "actual")}


def test_a_range_and_average_of_a_worker_group_named_in_the_opening():
    rows = exported("Of the 12.5 FTE employees who have been qualified for less than 2 years, their "
                    "caseloads range between 5 – 17, with an average of 9.")
    assert rows == {("sw_caseload_min", 5.0, "less than 2 years", "actual"),
                    ("sw_caseload_max", 17.0, "less than 2 years", "actual"),
                    ("sw_caseload_average", 9.0, "less than 2 years", "actual")}


def test_a_dash_range_for_the_whole_service_has_no_breakdown():
    assert exported("Social workers currently hold caseloads of 12–18 children.") == {
        ("sw_caseload_min", 12.0, "", "actual"), ("sw_caseload_max", 18.0, "", "actual")}


def test_ranges_of_ages_and_visits_are_not_figures():
    rows = exported("Between 2 and 3 visits a month are made to each child in care. Social workers "
                    "support young people aged 16 to 17 with 14 to 16 hours of contact.")
    assert not any(ind.startswith("sw_caseload") for ind, *_ in rows)


def test_a_team_does_not_carry_to_a_sentence_about_the_whole_service():
    rows = exported("Caseloads in the assessment teams are higher than we would like. Across the "
                    "service, caseloads range from 9 to 24 cases.")
    assert rows == {("sw_caseload_min", 9.0, "", "actual"), ("sw_caseload_max", 24.0, "", "actual")}


def test_a_team_does_not_carry_from_a_sentence_with_a_figure_of_its_own():
    rows = exported("Caseloads in the assessment teams average 22. Social workers hold between 10 to 25 cases.")
    assert ("sw_caseload_average", 22.0, "assessment teams", "actual") in rows
    assert ("sw_caseload_min", 10.0, "", "actual") in rows


def test_a_change_is_not_a_range():
    rows = exported("Average caseloads fell from 24 in March 2024 to 19 in March 2025.")
    assert {ind for ind, *_ in rows} == {"sw_caseload_average"}


def test_aims_stated_as_commitments_plans_and_caps_are_targets():
    for text in ["A commitment has been made to establishing caseloads of 20 per worker.",
                 "We are working towards caseloads of 20 per social worker.",
                 "We want to reduce average caseloads to 20.",
                 "The plan is to reduce caseloads to 20 per worker.",
                 "Caseloads should not exceed 20.",
                 "The goal is an average caseload of 20."]:
        assert {(ind, qual) for ind, _, _, qual in exported(text)} == {("sw_caseload_average", "target")}, text


def test_a_cap_that_was_not_exceeded_is_not_a_target():
    rows = exported("In January 2025 caseloads did not exceed 20 in the assessment team.")
    assert all(qual == "actual" for *_, qual in rows)


def test_any_team_is_not_a_team():
    rows = exported("In January 2025 no social worker in any team held more than 25 cases.")
    assert all(bd == "" for _, _, bd, _ in rows)


def test_a_bracketed_range_is_of_the_average_before_it_which_it_does_not_veto():
    rows = exported("In January 2025 the average caseload was 17 (range 4-29).")
    assert rows == {("sw_caseload_average", 17.0, "", "actual"), ("sw_caseload_min", 4.0, "", "actual"),
                    ("sw_caseload_max", 29.0, "", "actual")}


def test_a_bracketed_range_of_a_measure_without_ends_is_not_a_figure():
    rows = exported("In January 2025 there were 412 children in care (range 398-430 over the year).")
    assert rows == {("cla_count", 412.0, "", "actual")}


def test_caseloads_that_vary_from_one_number_to_another_are_a_range_not_a_change():
    assert exported("In January 2025 individual caseloads vary from 3 to 28.") == {
        ("sw_caseload_min", 3.0, "", "actual"), ("sw_caseload_max", 28.0, "", "actual")}
