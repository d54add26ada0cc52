"""Prose rules, each on a short sentence written for the test (none from the seeds)."""
from datetime import date

import pytest

from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.extract.model import Document, Heading, Page, Paragraph
from scrutiny.extract.observation import Context

MEETING = date(2025, 3, 12)


def extract(text, heading="", meeting=MEETING, authority="E06000015"):
    blocks = ([Heading(heading, 1)] if heading else []) + [Paragraph(text, 1)]
    doc = Document("t.txt", "0" * 64, "text", [Page(1, blocks)])
    ctx = Context(meeting_date=meeting, authority_code=authority)
    return [(o.indicator, o.value, f"{o.period_end:%Y-%m}", o.breakdown, o.qualifier, o.area_code)
            for o in GenericParser().parse(doc, ctx)]


def test_from_to_with_financial_years_and_inherited_change():
    rows = extract("Children in care fell from 512 in 2022-23 to 498 in 2023-24, and the number of "
                   "children on a child protection plan went from 301 to 287.")
    assert ("cla_count", 512.0, "2023-03", "", "actual", None) in rows
    assert ("cla_count", 498.0, "2024-03", "", "actual", None) in rows
    assert ("cpp_count", 301.0, "2023-03", "", "actual", None) in rows
    assert ("cpp_count", 287.0, "2024-03", "", "actual", None) in rows


def test_compared_to_with_months_without_year():
    rows = extract("Referrals were lower (211 in January compared to 260 in Oct 2024).")
    assert {r[:3] for r in rows} == {("referrals_count", 211.0, "2025-01"), ("referrals_count", 260.0, "2024-10")}


def test_rate_and_bracketed_count():
    rows = extract("We rely on agency staff for 19% (31 posts) of social work posts.")
    assert {r[:2] for r in rows} == {("sw_agency_rate", 19.0), ("sw_agency_count", 31.0)}


def test_number_words_and_out_of():
    rows = extract("Six newly qualified social workers joined the service in February. In January "
                   "three out of twelve initial health assessments were completed on time.")
    assert ("nqsw_starters_count", 6.0, "2025-02", "", "actual", None) in rows
    assert ("ihas_timely_rate", 25.0, "2025-01", "", "actual", None) in rows


def test_approximation_is_valued():
    rows = extract("Agency workers make up just over 12% of the social work establishment.")
    assert [r[:2] for r in rows] == [("sw_agency_rate", 12.0)]


def test_target_and_cap():
    rows = extract("Our aim is that no worker holds more than 20 cases, and we set a target of up to 16 "
                   "cases for newly qualified social workers.", heading="Caseloads")
    assert ("sw_caseload_average", 16.0, "2025-03", "newly qualified", "target", None) in rows
    assert all(r[4] == "target" for r in rows)


def test_forecast_and_over_establishment():
    rows = extract("The model predicts a vacancy gap of 0.4% over-establishment at the end of June 2025.")
    assert rows == [("sw_vacancy_gap_rate", -0.4, "2025-06", "", "forecast", None)]


def test_complement_is_stored_but_the_remainder_is_not():
    rows = extract("Of our care leavers 61% are in education, employment or training, which means 39% are NEET. "
                   "The remaining 8% of care leavers are not in suitable accommodation.")
    assert ("care_leavers_eet_rate", 61.0) in [r[:2] for r in rows]
    assert ("care_leavers_neet_rate", 39.0) in [r[:2] for r in rows]
    assert not any(r[0] == "care_leavers_suitable_accommodation_rate" for r in rows)


def test_share_of_a_subset_is_not_the_rate():
    rows = extract("Re-referrals rose to 24% in December, although 30% of these were for a different concern.")
    assert [r[:3] for r in rows] == [("rereferral_rate", 24.0, "2024-12")]


def test_other_populations_caseloads_are_not_social_work_caseloads():
    assert extract("The virtual school's advocates saw caseloads fall from nearly 150 to around 60.") == []


def test_comparator_goes_to_england():
    rows = extract("Our re-referral rate was 21% in 2023-24, close to the national average (22%).")
    assert ("rereferral_rate", 21.0, "2024-03", "", "actual", None) in rows
    assert ("rereferral_rate", 22.0, "2024-03", "", "actual", "E92000001") in rows


def test_unclear_subject_stores_nothing():
    assert extract("We saw 42 in the last month, up from 37.") == []


def test_period_from_the_sentence_start_and_the_paragraph():
    rows = extract("At the end of January 88% of children in care had an up-to-date plan. "
                   "92% of child protection visits were on time.")
    assert ("cla_plan_uptodate_rate", 88.0, "2025-01", "", "actual", None) in rows
    assert ("cpp_visits_timely_rate", 92.0, "2025-01", "", "actual", None) in rows


def test_age_group_breakdown():
    rows = extract("In February 71% of young people aged 16 to 17 had an up to date pathway plan.")
    assert rows == [("pathway_plan_uptodate_rate", 71.0, "2025-02", "16 to 17", "actual", None)]


@pytest.mark.parametrize("text", [
    "Contact us on 01332 640000 or at Council House, Derby DE1 2FS.",
    "Section 17 payments fell by £12,000 in 2023-24.",
    "Increased by 4% since April, the rate of re-referrals is now improving.",
])
def test_not_figures(text):
    assert extract(text) == []


def test_list_items_take_their_lead_in():
    rows = extract("Caseloads are coming down\n• All NQSWs hold 14 children\n• CWD caseloads eased towards 17 children\n"
                   "• Safeguarding teams – a little higher at 21")
    assert {r[:2] + (r[3],) for r in rows} == {("sw_caseload_average", 14.0, "NQSW"),
                                               ("sw_caseload_average", 17.0, "CWD"),
                                               ("sw_caseload_average", 21.0, "Safeguarding teams")}
