"""A figure whose clause names its subject only by referring back: 'the measure', a target set
beside the figure before it. Short texts of our own, with what must be stored and what not."""
from test_recall import REVIEW_BELOW, extract, observations


def test_the_measure_refers_back_to_the_subject_opening_the_sentence():
    rows = extract("The share of care leavers who are in education, employment or training has held steady "
                   "since the summer, and the measure is still rated amber at 58.1% in October 2024.")
    assert ("care_leavers_eet_rate", 58.1, "2024-10", None, "actual") in rows


def test_the_measure_of_something_else_is_not_a_reference_back():
    rows = observations("Care leavers in education, employment or training were discussed, and the measure of "
                        "school attendance was 91.2% in October 2024.")
    assert all(o.confidence < REVIEW_BELOW for o in rows)


def test_a_target_set_beside_a_figure_shares_its_subject():
    rows = extract("The share of care leavers who are in education, employment or training has held steady, "
                   "and the measure is still red at 52.1% in October 2024 against a target of 65%.")
    assert ("care_leavers_eet_rate", 65.0, "2024-10", None, "target") in rows


def test_a_figure_after_an_unrelated_clause_does_not_take_the_figure_before_as_subject():
    rows = observations("In October 2024, 61% of care leavers were in education, employment or training, "
                        "against 300 visitors to the libraries.")
    assert all(o.confidence < REVIEW_BELOW for o in rows if o.value == 300.0)


def test_a_figure_compared_back_in_time_from_englands_is_englands():
    rows = extract("There are now 83,630 children in care in England in October 2024, up from 81,770 in 2023 "
                   "and far more than in 2010 when 64,400 children were looked after.")
    assert ("cla_count", 64400.0, "2010-03", "E92000001", "actual") in rows


def test_our_figure_compared_with_englands_stays_ours():
    rows = extract("The England rate in October 2024 was 70 per 10,000, higher than in March when our rate was 58 per 10,000.")
    assert not any(r[1] == 58.0 and r[3] == "E92000001" for r in rows)


def test_a_grade_given_earlier_this_year_is_this_years():
    rows = observations("The committee heard that earlier this year the council's children's services "
                        "were rated 'Good' by Ofsted.")
    assert [(o.value, f"{o.period_end:%Y-%m}") for o in rows if o.confidence >= REVIEW_BELOW] == [("good", "2024-11")]
