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


def test_a_change_in_a_budget_is_not_the_budget():
    assert exported("In October 2024 the children's social care budget was forecast to be £2.1m in excess of the "
                    "approved cash limit.") == set()
    assert exported("The virement of £1.2m within the children's social care budget in October 2024 was approved.") == set()


def test_neet_young_people_of_an_age_band_are_not_care_leavers():
    assert exported("In October 2024 the percentage of 16-18 year olds not in education, employment or training "
                    "was 3.1%.") == set()


def test_an_average_number_is_not_a_total():
    assert exported("The average number of contacts during 2023-24 is 1,130 a month.") == set()
    assert exported("The average number of contacts during 2023-24 is 1,130.") == set()


def test_a_number_straight_after_a_bracket_ending_a_line_is_a_note_number():
    assert exported("Children looked after: key indicators to end of October 2024 (provisional) 1") == set()


def test_an_age_and_above_is_not_a_figure():
    assert exported("In October 2024, 44% of the children in our care were 16 and above.") == set()


def test_children_taken_in_a_recent_period_are_not_the_unaccompanied_children_in_care():
    assert exported("In October 2024 the council had taken 2 unaccompanied asylum seeking children under the scheme.") == set()


def test_a_statistical_neighbour_rate_with_its_acronym_is_the_neighbours():
    rows = extract("In October 2024 our rate of 80 per 10,000 children in care is above the statistical neighbour (SN) rate of 64.")
    assert ("cla_rate_per_10k", 64.0, "2024-10", "SN-E06000015", "actual") in rows


def test_a_us_style_date_without_a_comma_is_a_date():
    rows = extract("From April 1 2023 to 31 March 2024 there were 1,580 referrals received.")
    assert ("referrals_count", 1580.0, "2024-03", None, "actual") in rows


def test_a_figure_in_a_question_waits_for_review():
    assert exported("Care leavers: why is suitable accommodation only 81% in October 2024?") == set()


def test_a_comparator_cue_after_one_figure_does_not_own_the_next():
    rows = extract("In 2023-24, 2.1% of plans ended after two years or more. This compares to 3.8% nationally "
                   "and 4.8% amongst our comparator authorities.")
    assert ("cpp_two_years_plus_rate", 3.8, "2024-03", "E92000001", "actual") in rows
    assert ("cpp_two_years_plus_rate", 4.8, "2024-03", "SN-E06000015", "actual") in rows


def test_as_at_a_date_at_the_end_of_its_clause_dates_the_figure():
    rows = extract("314 children in the borough had a child protection plan as at 31st March 2024, a rate of 53.4 "
                   "per 10,000 children.")
    assert ("cpp_count", 314.0, "2024-03", None, "actual") in rows


def test_a_count_after_of_these_naming_nothing_of_its_own_is_a_part_of_the_group_before():
    rows = extract("In 2023-24, 413 children ceased to be the subject of a child protection plan, of these just 7 "
                   "children had been on a plan for more than two years.")
    assert not any(r[1] == 7.0 for r in rows if r[0] == "cpp_count")


def test_a_count_after_of_which_naming_its_own_subject_is_kept():
    rows = extract("In 2023-24 there were 11,147 contacts, of which 2,317 became referrals to children's social care.")
    assert ("referrals_count", 2317.0, "2024-03", None, "actual") in rows


def test_a_period_set_off_by_commas_does_not_cut_the_figure_from_its_predicate():
    rows = extract("6.5 per cent of children in care, as at October 2024, had three or more placements within "
                   "the previous 12 months.")
    assert ("cla_placement_stability_short_term_rate", 6.5, "2024-10", None, "actual") in rows
    assert "cla_visits_timely_rate" not in {r[0] for r in rows}
