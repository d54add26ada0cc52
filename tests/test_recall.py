"""How real council papers state figures that were missed or misread: one short sentence of our
own per form, with what must be stored and what must not."""
from datetime import date

from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.extract.model import Document, Page, Paragraph
from scrutiny.extract.observation import Context
from scrutiny.extract.observation import REVIEW_BELOW, Observation
from scrutiny.normalise.observations import validate

MEETING = date(2024, 11, 20)


def observations(*texts, meeting=MEETING, authority="E06000015"):
    """The generic parser's observations of a text file holding one paragraph per text."""
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Paragraph(t, 1) for t in texts])])
    return GenericParser().parse(doc, Context(meeting_date=meeting, authority_code=authority))


def extract(text, meeting=MEETING, authority="E06000015"):
    return [(o.indicator, o.value, f"{o.period_end:%Y-%m}", o.area_code, o.qualifier)
            for o in observations(text, meeting=meeting, authority=authority)]


def indicators(rows, value):
    return {r[0] for r in rows if r[1] == value}


def test_not_in_employment_education_or_training_is_neet_in_any_word_order():
    rows = extract("In October, 31% of care leavers were not in employment, education or training.")
    assert indicators(rows, 31.0) == {"care_leavers_neet_rate"}


def test_education_training_and_employment_in_any_order_is_eet():
    rows = extract("In October, 58% of care leavers were in training, education and employment.")
    assert indicators(rows, 58.0) == {"care_leavers_eet_rate"}


def test_a_figure_on_a_condition_is_not_stored():
    rows = extract("In October 58% of care leavers were in education, employment or training "
                   "(rising to 66% if those unable to work were left out).")
    assert indicators(rows, 58.0) == {"care_leavers_eet_rate"}
    assert indicators(rows, 66.0) == set()


def test_a_fractional_count_restated_by_whole_children_is_the_rate():
    rows = extract("The number of children looked after reached 58.2 (402 children) in October 2024.")
    assert ("cla_rate_per_10k", 58.2, "2024-10", None, "actual") in rows
    assert ("cla_count", 402.0, "2024-10", None, "actual") in rows


def test_a_rate_of_a_bare_number_takes_the_paragraph_subject_as_a_rate():
    rows = extract("In October 2024 there were 402 children looked after. This is above the "
                   "March 2024 published rate of 55.0, but below the England 2024 rate of 70.0.")
    assert ("cla_rate_per_10k", 55.0, "2024-03", None, "actual") in rows
    assert indicators(rows, 70.0) == {"cla_rate_per_10k"}
    assert {r[3] for r in rows if r[1] == 70.0} == {"E92000001"}
    assert "cla_count" not in indicators(rows, 55.0) | indicators(rows, 70.0)


def test_a_cue_after_a_figure_does_not_cross_and():
    rows = extract("Nationally 22.1% of child protection plans in October 2024 were repeat plans, "
                   "regionally it was 19.5% and statistical neighbours are at 23.0%.")
    areas = {r[1]: r[3] for r in rows}
    assert areas[22.1] == "E92000001"
    assert areas[19.5] not in (None, "SN-E06000015")
    assert areas[23.0] == "SN-E06000015"


def test_since_a_year_is_the_start_of_a_change_not_the_figures_period():
    rows = extract("Looked after children nationally have increased by 9% since 2016 to 80,990.")
    assert ("cla_count", 80990.0, "2016-03") not in {r[:3] for r in rows}
    assert all(r[2] != "2016-03" for r in rows if r[1] == 80990.0)


def test_an_england_count_is_plausible_for_england_only():
    count = Observation("cla_count", 80990.0, "count", date(2024, 3, 1), date(2024, 3, 31), "e", 1)
    england = Observation("cla_count", 80990.0, "count", date(2024, 3, 1), date(2024, 3, 31), "e", 1,
                          area_code="E92000001")
    kept, refused = validate([count, england], Context(meeting_date=MEETING))
    assert kept == [england] and [o for o, _ in refused] == [count]


def test_a_grade_of_a_safeguarding_board_is_not_the_councils():
    rows = extract("Children's services were judged 'Good' by Ofsted in October 2024 and the "
                   "Safeguarding Children Board had been rated 'Outstanding'.")
    assert {r[1] for r in rows if r[0] == "ofsted_overall_effectiveness"} == {"good"}


def test_the_first_figure_compared_with_a_dated_one_is_the_current_one():
    rows = extract("In October 2024 caseloads were an average of 17, compared to 23 in March 2024.")
    assert ("sw_caseload_average", 17.0, "2024-10") in {r[:3] for r in rows}
    assert ("sw_caseload_average", 23.0, "2024-03") in {r[:3] for r in rows}


def test_these_numbers_continue_the_paragraph_subject():
    rows = extract("In September 2024, 402 children were looked after by the council. "
                   "In October 2024 these numbers had increased further to 410.")
    assert ("cla_count", 410.0, "2024-10") in {r[:3] for r in rows}


def test_children_seen_on_time_are_visits():
    rows = extract("In October 2024, 91% of children who were looked after were seen on time.")
    assert indicators(rows, 91.0) == {"cla_visits_timely_rate"}


def test_a_middle_dot_starts_a_list_item():
    rows = extract("The director explained that: · referrals fell in October 2024 · 91% of "
                   "children in care were visited on time in October 2024")
    assert indicators(rows, 91.0) == {"cla_visits_timely_rate"}


def test_a_named_rate_leading_to_a_bare_number_is_a_rate_per_10000():
    rows = extract("Referral rates had fallen in October 2024 to 402, and re-referral rates were 18%.")
    assert indicators(rows, 402.0) == {"referrals_rate_per_10k"}
    assert "referrals_count" not in {r[0] for r in rows}


def test_assessment_performance_is_assessment_timeliness():
    rows = extract("Assessment performance improved to 88% in October 2024.")
    assert indicators(rows, 88.0) == {"assessments_timely_rate"}
    assert extract("Assessment performance improved in October 2024 after 12 new starters.") == []


def test_a_later_clause_subject_belongs_to_its_own_figure():
    rows = extract("In October 2024, 97% of care leavers had a pathway plan, with 90% of them in "
                   "suitable accommodation.")
    assert "care_leavers_suitable_accommodation_rate" not in indicators(rows, 97.0)


def test_down_from_continues_the_subject_of_the_figure_before_it():
    rows = extract("Average social worker caseloads were 16.8 in October 2024, down from 18.2 in July 2024.")
    assert ("sw_caseload_average", 18.2, "2024-07") in {r[:3] for r in rows}


def test_district_councils_are_partners_not_part_of_the_area():
    rows = extract("At the end of October 2024, 36% of care leavers were not in education, employment "
                   "or training, and a scheme with district councils will start in April.")
    assert indicators(rows, 36.0) == {"care_leavers_neet_rate"}


def test_a_paragraph_cut_mid_sentence_is_read_with_its_continuation():
    paragraphs = [Paragraph("In October 2024 the council made a commitment to caseloads of ,", 1),
                  Paragraph("18 per worker. Recruitment continues.", 1),
                  Paragraph("Agency use is reviewed monthly by the board of", 1),
                  Paragraph("Directors and 12 posts remain open.", 1)]
    doc = Document("t.pdf", "0" * 64, "pdf", [Page(1, paragraphs)])
    rows = [(o.indicator, o.value, o.qualifier, o.evidence)
            for o in GenericParser().parse(doc, Context(meeting_date=MEETING, authority_code="E06000015"))]
    assert [r[:3] for r in rows] == [("sw_caseload_average", 18.0, "target")]
    assert "caseloads of 18 per worker" in rows[0][3]


def test_a_paragraph_cut_before_its_period_is_read_with_it():
    found = observations("The number of children in care rose from 540 at the end of March 2024 to 566 at the end of",
                               "October 2024. Placements are reviewed monthly.",
                               "Agency use is reviewed by the panel of", "2.4 Directors meet quarterly.")
    assert {(o.indicator, o.value, f"{o.period_end:%Y-%m}") for o in found} == {
        ("cla_count", 540.0, "2024-03"), ("cla_count", 566.0, "2024-10")}


def confidences(text):
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Paragraph(text, 1)])])
    return {o.value: o.confidence for o in GenericParser().parse(doc, Context(authority_code="E06000015"))}


def test_a_month_without_its_year_in_an_undated_paper_is_exported_when_the_paper_reports_that_year():
    found = confidences("Average caseloads were 18.7 in August 2024. Assessment timeliness improved to "
                        "91% in December. Supervision remains steady at 85%.")
    assert found[91.0] >= 0.6  # December of the latest year the paper reports
    assert found[85.0] < 0.6   # no period at all: it waits for review


def test_a_month_without_its_year_waits_when_the_paper_only_compares_with_a_date():
    found = confidences("Assessment timeliness has improved since November 2021 and reached 91% in December.")
    assert found[91.0] < 0.6


def test_the_size_of_a_change_does_not_cut_its_figures_from_their_subject():
    rows = extract("The number of looked after children has increased by 8.5% over five years from "
                   "600 children at 31 March 2019 to 651 at 31 March 2024.")
    assert ("cla_count", 600.0, "2019-03") in {r[:3] for r in rows}
    assert ("cla_count", 651.0, "2024-03") in {r[:3] for r in rows}


def test_figures_listed_by_year_share_their_subject():
    rows = extract("The rate of repeat CPPs remained high over 2022/23 (24%) and 2023/24 (24.9%).")
    assert {r[:3] for r in rows} >= {("cpp_second_subsequent_rate", 24.0, "2023-03"),
                                     ("cpp_second_subsequent_rate", 24.9, "2024-03")}


def test_a_region_named_with_its_average_owns_the_figure():
    rows = extract("In October 2024 the children in need rate per 10,000 children was 301.2, lower than "
                   "the London average (344.0).", authority="E09000012")
    assert {r[3] for r in rows if r[1] == 344.0} == {"E12000007"}


def test_a_figure_between_two_months_of_one_span_is_for_the_span():
    text = "In November 2024 we reported that the front door received 7,412 contacts between April and October 2024."
    assert ("contacts_count", 7412.0, "2024-10") in {r[:3] for r in extract(text)}
    assert confidences(text)[7412.0] >= 0.6


def test_a_cap_ending_its_sentence_is_a_target():
    rows = extract("In October 2024 we agreed that caseloads should be no more than 18.")
    assert ("sw_caseload_average", 18.0, "2024-10", None, "target") in rows


def test_an_answer_takes_the_period_its_question_asks_about():
    found = observations("2. How many social workers held cases as at 30 June 2023?",
                               "The average caseload was 17 cases per social worker.")
    assert [(o.indicator, o.value, f"{o.period_end:%Y-%m}") for o in found] == [("sw_caseload_average", 17.0, "2023-06")]
    found = observations("The panel met to discuss staffing as at 30 June 2023.",
                               "The average caseload was 17 cases per social worker.")
    assert {f"{o.period_end:%Y-%m}" for o in found} == {"2024-11"}  # not a question: the meeting's month


def test_a_title_naming_a_team_of_workers_is_the_breakdown_of_workforce_figures():
    found = observations("Assessment social workers in 2023",
                               "What is the average caseload (as at 30 June 2023).",
                               "An average caseload of 19.")
    assert [(o.indicator, o.value, o.breakdown) for o in found] == [("sw_caseload_average", 19.0, "Assessment")]
    found = observations("Children's services in 2023", "An average caseload of 19 in June 2023.")
    assert [o.breakdown for o in found] == [""]


def test_an_interim_care_order_is_not_agency_staff():
    rows = extract("In October 2024, 21% of children in care were on an interim care order.")
    assert "sw_agency_rate" not in indicators(rows, 21.0)
    rows = extract("In October 2024, 21% of social workers were interim staff.")
    assert indicators(rows, 21.0) == {"sw_agency_rate"}


def test_a_full_complement_of_social_workers_is_the_establishment():
    rows = extract("In October 2024, 95 FTE would make up a full complement of social workers.")
    assert indicators(rows, 95.0) == {"sw_establishment_fte"}


def test_a_month_after_a_count_dates_it_and_is_not_what_it_counts():
    rows = extract("In October 2024 there were 480 children on child protection plans. "
                   "This is an increase from 455 the previous March 2024.")
    assert ("cpp_count", 455.0, "2024-03", None, "actual") in rows


def test_a_figure_then_a_reduction_from_another_stores_only_the_first_when_undated():
    rows = extract("Referrals had fallen to 412 per 10,000 over the last 12 months, a reduction from 455 per 10,000.")
    assert indicators(rows, 412.0) == {"referrals_rate_per_10k"}
    assert indicators(rows, 455.0) == set()



def test_a_count_of_part_of_the_group_is_not_the_group():
    rows = extract("In October 2024 there were 5 children in care under 16 in unregulated placements.")
    assert indicators(rows, 5.0) == set()
    rows = extract("In October 2024 there were 12 children in care in residential homes.")
    assert indicators(rows, 12.0) == set()
    rows = extract("In October 2024 there were 402 children in care, 12 of them in residential homes.")
    assert indicators(rows, 402.0) == {"cla_count"}


def test_a_target_takes_the_deadline_ending_its_clause():
    rows = extract("The service is aiming for 70 per cent of care leavers to be in education, "
                   "employment or training by March 2026.")
    assert ("care_leavers_eet_rate", 70.0, "2026-03", None, "target") in rows


def test_after_a_total_an_unnamed_part_of_it_is_not_stored_as_the_whole():
    rows = extract("At the end of October 2024 there were 420 children in care in total, "
                   "15 unaccompanied asylum seeking children and 390 local children in care.")
    assert indicators(rows, 420.0) == {"cla_count"}
    assert indicators(rows, 15.0) == {"uasc_count"}
    assert indicators(rows, 390.0) == set()  # 15 and 390 do not make 420: a part, but not the rest


def test_a_rate_after_a_part_takes_the_subject_of_the_whole():
    rows = extract("At 31 March 2024, 700 children were looked after by the council (including 60 "
                   "unaccompanied asylum seeking children), at a rate of 52.1 per 10,000 children.")
    assert indicators(rows, 52.1) == {"cla_rate_per_10k"}


def test_what_some_of_the_children_counted_do_is_a_part_of_them():
    rows = extract("In October 2024 only 23 children looked after accessed the advocacy service.")
    assert indicators(rows, 23.0) == set()
    rows = extract("In October 2024, 17 (7%) children in care were living more than 20 miles away.")
    assert indicators(rows, 17.0) == set()
    rows = extract("In October 2024, 412 children were looked after by the council.")
    assert indicators(rows, 412.0) == {"cla_count"}


def test_the_age_of_a_young_person_is_not_a_figure():
    rows = extract("In October 2024 we kept in touch with care leavers after the age of 21.")
    assert indicators(rows, 21.0) == set()


def test_a_count_named_by_what_they_are_is_not_a_part_for_what_follows():
    rows = extract("Of the 601 children in care in October 2024, 38 are unaccompanied asylum-seeking "
                   "children placed with us through the national transfer scheme.")
    assert indicators(rows, 38.0) == {"uasc_count"}


def test_both_ends_of_a_change_in_rates_per_10000_are_rates():
    rows = extract("In October 2024 the rate of children looked after had risen from 72 to 82 per 10,000 children.")
    assert indicators(rows, 72.0) | indicators(rows, 82.0) <= {"cla_rate_per_10k"}
    assert indicators(rows, 82.0) == {"cla_rate_per_10k"}


def test_health_assessments_on_time_are_not_social_care_assessments():
    rows = extract("In October 2024, 100% of initial and review health assessments were completed on time.")
    assert "assessments_timely_rate" not in indicators(rows, 100.0)


def test_the_children_a_service_worked_with_are_a_part_of_those_in_care():
    rows = extract("In October 2024 the advocacy service worked with 14 looked after children.")
    assert indicators(rows, 14.0) == set()


def test_a_number_of_children_in_brackets_is_not_a_caseload():
    rows = extract("In October 2024 social workers knew well the small number (14) of children who attend "
                   "alternative provision.")
    assert "sw_caseload_average" not in indicators(rows, 14.0)


def test_keeping_in_contact_is_not_a_contact_to_childrens_services():
    rows = extract("In October 2024, 85 care leavers stayed in contact with their personal adviser.")
    assert "contacts_count" not in indicators(rows, 85.0)
    rows = extract("In October 2024 the front door received 1,200 contacts.")
    assert indicators(rows, 1200.0) == {"contacts_count"}


def test_a_change_since_an_earlier_report_starts_at_that_report():
    rows = extract("Since the previous report in September to the end of October 2024, the rate of children "
                   "in long-term stable placements increased from 55% to 58%.")
    assert ("cla_placement_stability_long_term_rate", 55.0, "2024-09") in {r[:3] for r in rows}
    assert ("cla_placement_stability_long_term_rate", 58.0, "2024-10") in {r[:3] for r in rows}


def exported(text, meeting=MEETING, authority="E06000015"):
    """(indicator, value, period month) of the figures confident enough to be exported."""
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}")
            for o in observations(text, meeting=meeting, authority=authority) if o.confidence >= REVIEW_BELOW}


def test_a_figure_compared_with_the_preceding_months_is_for_the_months_before_the_current_one():
    rows = exported("Of 40 case files audited between June and August, 58% were judged good or better, "
                    "compared with 52% in the preceding three months.")
    assert {("audits_good_or_better_rate", 58.0, "2024-08"), ("audits_good_or_better_rate", 52.0, "2024-05")} <= rows


def test_the_current_figure_of_a_comparison_keeps_the_month_written_before_it():
    rows = exported("In October, 82% of supervisions were held on time, compared with 76% in the previous month.")
    assert {("supervision_timely_rate", 82.0, "2024-10"), ("supervision_timely_rate", 76.0, "2024-09")} <= rows


def test_a_share_of_the_establishment_after_a_count_of_posts_shares_its_subject():
    rows = exported("In October, agency social workers covered 14 posts, 6.1% of the establishment.")
    assert {("sw_agency_count", 14.0, "2024-10"), ("sw_agency_rate", 6.1, "2024-10")} <= rows


def test_a_cap_lowered_for_a_group_of_workers_is_a_target_needing_no_period():
    text = "Our caseload standard is no more than 18 children per worker, reduced to 12 for newly qualified workers."
    rows = extract(text)
    assert {r[1:] for r in rows if r[0] == "sw_caseload_average"} >= {(12.0, "2024-11", None, "target")}
    assert ("sw_caseload_average", 12.0, "2024-11") in exported(text)


def test_a_target_set_beside_a_rate_per_10000_shares_its_subject():
    rows = exported("In October the number of children in need stood at 301.5 per 10,000, below our target of 320 per 10,000.")
    assert {("cin_rate_per_10k", 301.5, "2024-10"), ("cin_rate_per_10k", 320.0, "2024-10")} <= rows


def test_an_acronym_the_sentence_defines_names_its_subject():
    rows = exported("Child Protection Review (CPR) meetings were affected by staff absence in the summer and "
                    "autumn, leaving fewer CPR meetings on time, with the October figure showing 91%.")
    assert ("cpp_reviews_timely_rate", 91.0, "2024-10") in rows


def test_a_with_phrase_takes_the_subject_of_its_sentence():
    text = ("Re-referral rates had fallen in most councils of the region by the end of October this year, "
            "with Leeds (21.4%) now just below the England average.")
    assert ("rereferral_rate", 21.4, "2024-10") in exported(text, authority="E08000035")
