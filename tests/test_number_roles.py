"""What a number is before it is a figure: a short financial year, a count that looks like a
year, a length of time, the end of a range of percentages, a number of workers. Short texts of
our own, with what must be stored and what must not."""
from datetime import date

from scrutiny.schemas.periods import find_periods

from test_recall import REVIEW_BELOW, extract, observations


def exported(text):
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}") for o in observations(text) if o.confidence >= REVIEW_BELOW}


def test_a_short_financial_year_after_end_of_is_that_year():
    rows = extract("At the end of 22/23 there had been 1,520 referrals to children's social care.")
    assert ("referrals_count", 1520.0, "2023-03", None, "actual") in rows


def test_two_numbers_that_are_not_consecutive_years_are_not_a_year():
    assert [p.text for p in find_periods("in 17/19 cases the plan ended", date(2024, 1, 1))] == []
    assert [p.text for p in find_periods("Year 10/11 pupils", date(2024, 1, 1))] == []


def test_a_four_digit_count_of_referrals_is_not_a_year():
    rows = extract("By the end of 2023/24 there had been 1987 referrals, a rate of 401.2 per 10,000 children.")
    assert ("referrals_count", 1987.0, "2024-03", None, "actual") in rows
    assert all(r[2] == "2024-03" for r in rows)  # nothing dated 1987


def test_a_length_of_time_is_not_a_figure():
    assert exported("The number of children in care has increased over the last 12 months.") == set()
    assert exported("Children in care numbers have risen over the last 12") == set()


def test_the_ends_of_a_range_of_percentages_are_not_figures():
    assert exported("In October 2024, 88-91% of children on a child protection plan were visited on time.") == set()


def test_a_number_of_agency_social_workers_is_not_a_caseload():
    rows = extract("In October 2024 the service used 61 agency staff, of these 40 were social workers.")
    assert "sw_caseload_average" not in {r[0] for r in rows if r[1] == 40.0}


def test_arrivals_of_unaccompanied_children_are_not_those_looked_after():
    rows = extract("In 2024, 120 unaccompanied asylum seeking children had arrived in the county.")
    assert "uasc_count" not in {r[0] for r in rows}


def test_ages_written_with_a_hanging_hyphen_are_not_figures():
    assert exported("In October 2024 we housed 16- and 17-year olds leaving care in supported lodgings.") == set()


def test_a_figure_of_a_supposition_is_not_stored():
    assert exported("If the scheme applied in October 2024, our share would be 231 unaccompanied children.") == set()


def test_a_figure_compared_with_the_same_time_last_year_is_the_current_one():
    rows = extract("In October 2024 there were 315 unaccompanied asylum seeking children in our care, more than "
                   "the same time one year ago.")
    assert ("uasc_count", 315.0, "2024-10", None, "actual") in rows
    assert exported("There were 290 UASC in the same period last year.") == set()
