"""The period a paper says its figures are for, changes over a span, and figures in a section
shared with another service: short texts of our own, with what must be stored and what not."""
from datetime import date

from scrutiny.extract.doctypes import INSPECTION
from scrutiny.extract.model import Document, Heading, Page, Paragraph
from scrutiny.extract.observation import Context
from scrutiny.extract.parsers.generic import GenericParser

from test_recall import REVIEW_BELOW, extract, observations


def exported(*texts, meeting=None):
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}") for o in observations(*texts, meeting=meeting)
            if o.confidence >= REVIEW_BELOW}


def test_a_paper_saying_its_figures_are_for_a_year_dates_a_change_over_that_year():
    rows = exported("Members received an overview of activity in early help and social care for the year 2023/24.",
                    "The number of children in care fell from 512 to 488, the lowest for five years.")
    assert ("cla_count", 512.0, "2023-03") in rows  # the start of the year is the end of the one before
    assert ("cla_count", 488.0, "2024-03") in rows


def test_a_change_since_an_unstated_time_from_a_point_keeps_only_its_later_figure():
    rows = exported("The report set out performance for children in care as at October 2023.",
                    "The number of children in care had risen from 301 to 317 since the last report.")
    assert ("cla_count", 317.0, "2023-10") in rows
    assert not any(r[1] == 301.0 for r in rows)  # when it was 301 is not said


def test_a_stated_scope_is_not_carried_into_another_section():
    blocks = [Heading("Children in care", 1),
              Paragraph("Members received an overview of activity for the year 2023/24.", 1),
              Paragraph("The number of children in care fell from 512 to 488.", 1),
              Heading("Care leavers", 1),
              Paragraph("The number of children on a child protection plan fell from 240 to 231.", 1)]
    doc = Document("t.txt", "0" * 64, "text", [Page(1, blocks)])
    values = {o.value for o in GenericParser().parse(doc, Context(authority_code="E06000015"))
              if o.confidence >= REVIEW_BELOW}
    assert {512.0, 488.0} <= values
    assert not values & {240.0, 231.0}


def test_a_change_over_a_stated_quarter_starts_at_the_quarter_before():
    rows = extract("In Quarter 3 2023/24 referrals to children's social care fell from 1,410 to 1,120.")
    assert ("referrals_count", 1410.0, "2023-09", None, "actual") in rows
    assert ("referrals_count", 1120.0, "2023-12", None, "actual") in rows


def test_a_change_from_a_point_in_time_still_waits_for_its_start():
    rows = observations("In March 2024 the number of children in care fell from 390 to 372.")
    early = [o for o in rows if o.value == 390.0]
    assert early and all(o.confidence < REVIEW_BELOW for o in early)


def test_since_last_quarter_is_the_start_of_the_change_not_an_unread_period():
    rows = exported("The update set out performance as at the end of June 2024.",
                    "The share of care leavers in suitable accommodation has risen since last quarter to 91%.")
    assert ("care_leavers_suitable_accommodation_rate", 91.0, "2024-06") in rows


def test_a_target_beside_a_named_figure_is_kept_in_a_section_shared_with_adults():
    rows = exported("Adults and children are safe", "The share of children on a repeat child protection plan "
                    "improved but stays at 19% in October 2024 against the target of 17%.")
    assert ("cpp_second_subsequent_rate", 17.0, "2024-10") in rows


def test_an_unnamed_figure_in_a_section_about_adults_is_still_not_stored():
    assert exported("Adult social care", "In October 2024 the figure was 412, up from 398.") == set()


def test_a_figure_compared_with_a_dated_earlier_one_is_of_the_papers_date():
    rows = extract("Referrals had fallen to 1,212, a reduction from 1,380 in March 2024.")
    assert ("referrals_count", 1212.0, "2024-11", None, "actual") in rows  # the meeting's month, not March
    assert ("referrals_count", 1380.0, "2024-03", None, "actual") in rows


def test_a_change_measured_against_a_named_quarter_does_not_start_before_it():
    rows = observations("Referrals to children's social care increased against Q2 2023/24, up from 654 to 878.")
    assert not any(o.value == 654.0 and f"{o.period_end:%Y-%m}" == "2023-06" for o in rows)


def test_a_report_of_data_to_the_end_of_a_month_dates_the_figures_of_an_undated_paper():
    rows = exported("Members were given an overview of the report, which provided data to the end of July, 2023.",
                    "The number of children looked after had reduced to 290.")
    assert ("cla_count", 290.0, "2023-07") in rows


def test_a_figure_in_an_inspection_reports_narrative_waits_for_review():
    text = "At 31 March 2024, 512 children were the subject of a child protection plan."
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Paragraph(text, 1)])])
    inspection = GenericParser().parse(doc, Context(meeting_date=date(2024, 6, 1), authority_code="E06000015",
                                                    doc_type=INSPECTION))
    paper = GenericParser().parse(doc, Context(meeting_date=date(2024, 6, 1), authority_code="E06000015"))
    assert [o.value for o in paper if o.confidence >= REVIEW_BELOW] == [512.0]
    assert [o.value for o in inspection] == [512.0]
    assert all(o.confidence < REVIEW_BELOW for o in inspection)
