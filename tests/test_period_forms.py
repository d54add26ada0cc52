"""How council papers write periods (issue 14): each form must resolve to its span, and the
look-alikes (days, ages, section and indicator numbers) must not."""
from datetime import date

import pytest

from scrutiny.schemas.periods import find_periods, period_spans

PAPER = date(2024, 11, 14)  # the reference date: the paper's meeting


def only(text: str, ref: date | None = PAPER):
    (period,) = find_periods(text, ref)
    return period


@pytest.mark.parametrize("text, start, end", [
    ("the caseload reached 21.5 in Sep 23 before falling", date(2023, 9, 1), date(2023, 9, 30)),
    ("fell to 402 in Mar 24.", date(2024, 3, 1), date(2024, 3, 31)),
    ("in May 21 there were 380 children", date(2021, 5, 1), date(2021, 5, 31)),
    ("over Feb 20 to Jan 21 the rate", date(2020, 2, 1), date(2021, 1, 31)),
])
def test_a_short_month_takes_a_two_digit_year(text, start, end):
    period = only(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text, month", [
    ("the panel met on Nov 12 to review plans", "2024-11"),    # a day of a month in US order
    ("the audit closed Feb 12th as planned", "2024-02"),       # a day with its ordinal
    ("the Oct 12, 2023 return", "2023-10"),                    # a day, with its own four-digit year
    ("in Apr 12% of children", "2024-04"),                     # a percentage, not a year
    ("visits ran Jun 10-14 this summer", "2024-06"),           # a range of days
])
def test_two_digits_that_are_not_a_year(text, month):
    assert find_periods(text, PAPER)[0].month() == month


def test_a_day_before_the_month_stays_a_day():
    assert only("on 19 March there were 402").kind == "date"
    assert only("19 Mar 21 data").month() == "2021-03"


@pytest.mark.parametrize("text, start, end", [
    ("Quarter 3, 2022/23 performance", date(2022, 10, 1), date(2022, 12, 31)),
    ("the report for Quarter 4 for 2019-20 shows", date(2020, 1, 1), date(2020, 3, 31)),
    ("the third quarter of 2021-2022", date(2021, 10, 1), date(2021, 12, 31)),
    ("in quarter 1. Since then", date(2024, 4, 1), date(2024, 6, 30)),
    ("during the fourth quarter the rate", date(2024, 1, 1), date(2024, 3, 31)),  # latest ended by the paper
    ("Q2-Q4 2020/21 combined", date(2020, 7, 1), date(2021, 3, 31)),
    ("Quarters 1 to 2 of 2022/23", date(2022, 4, 1), date(2022, 9, 30)),
    ("across Qtrs 1-2 the rate", date(2024, 4, 1), date(2024, 9, 30)),
])
def test_quarters(text, start, end):
    period = only(text)
    assert (period.start, period.end, period.kind) == (start, end, "quarter")


def test_quarters_joined_by_and_are_each_their_own():
    assert find_periods("Quarters 2 and 3", PAPER) == []
    assert [p.month() for p in find_periods("Q1, Q3 and Q4 2022/23", PAPER)] == ["2022-06", "2022-12", "2023-03"]


def test_a_quarter_of_an_unnamed_year_is_not_placed():
    assert [p for p in find_periods("in the second quarter of this year", PAPER) if not p.relative] == []


def test_a_bare_quarter_needs_a_reference_date():
    assert find_periods("At the end of Quarter 3", None) == []
    assert only("At the end of Quarter 3").point


@pytest.mark.parametrize("text, start, end, kind", [
    ("attendance in the autumn term 2022 was", date(2022, 9, 1), date(2022, 12, 31), "term"),
    ("during the Spring Term 2023", date(2023, 1, 1), date(2023, 3, 31), "term"),
    ("by the end of the summer term in 2021", date(2021, 4, 1), date(2021, 7, 31), "term"),
    ("the 2021 summer term", date(2021, 4, 1), date(2021, 7, 31), "term"),
    ("in the spring term of 2022/23", date(2023, 1, 1), date(2023, 3, 31), "term"),
    ("in the autumn term 2022-23", date(2022, 9, 1), date(2022, 12, 31), "term"),
    ("in the summer term absence rose", date(2024, 4, 1), date(2024, 7, 31), "term"),   # latest begun
    ("in the autumn term absence rose", date(2024, 9, 1), date(2024, 12, 31), "term"),
    ("for the 2022/23 academic year", date(2022, 9, 1), date(2023, 8, 31), "academic"),
    ("in the school year 2021-22", date(2021, 9, 1), date(2022, 8, 31), "academic"),
    ("in calendar year 2022", date(2022, 1, 1), date(2022, 12, 31), "calendar"),
    ("the 2021 calendar year", date(2021, 1, 1), date(2021, 12, 31), "calendar"),
])
def test_school_and_calendar_years(text, start, end, kind):
    period = only(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize("text, start, end, kind", [
    ("the year to date 2023/24 figure", date(2023, 4, 1), date(2024, 3, 31), "fy"),  # that year is over
    ("YTD 2024/25 there were", date(2024, 4, 1), date(2024, 11, 30), "ytd"),          # under way at the paper
    ("year to date for 2024-25", date(2024, 4, 1), date(2024, 11, 30), "ytd"),
    ("in the 12 months to Jun 24", date(2023, 7, 1), date(2024, 6, 30), "months"),
    ("the 2022/23 out-turn", date(2022, 4, 1), date(2023, 3, 31), "fy"),
    ("as at 30/06/23 there were", date(2023, 6, 1), date(2023, 6, 30), "date"),
    ("on March 31st 2023 there were", date(2023, 3, 1), date(2023, 3, 31), "date"),
    ("by the end of quarter 1", date(2024, 4, 1), date(2024, 6, 30), "quarter"),
])
def test_cumulative_and_dated_forms(text, start, end, kind):
    period = only(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize("text", ["over the last 12 months", "in the last year", "year to date",
                                  "rolling twelve months", "since last quarter", "the previous month"])
def test_relative_spans_are_never_actual(text):
    assert find_periods(text, PAPER) == []
    assert all(p.relative for p in find_periods(text, PAPER, relative=True))


@pytest.mark.parametrize("text, month", [
    ("compared with the previous March 2023", "2023-03"),
    ("up from 40 last March", "2024-03"),       # on or before the paper
    ("at the end of March", "2024-03"),
    ("by the end of December", "2023-12"),      # December 2024 is after the paper
    ("compared with last November", "2023-11"), # the paper's own month is this November
    ("the review due next March", "2025-03"),
    ("by next November", "2025-11"),
])
def test_a_month_after_a_relative_word(text, month):
    assert only(text).month() == month


@pytest.mark.parametrize("text", [
    "Year 10/11 pupils", "under section 17 of the Act", "during COVID-19", "KPI 6 rose", "NI 62",
    "see paragraph 3.12", "call 01234 567890", "aged 16 to 17", "Q2.1 of the survey",
    "Regulation 44 visits", "Appendix 2 to this report",
])
def test_look_alikes_are_no_period(text):
    assert [p for p in find_periods(text, PAPER, relative=True) if p.kind != "year"] == []


def test_a_two_digit_year_is_not_read_as_a_figure():
    text = "the rate peaked at 64.1 in Nov 21"
    assert any(text[a:b] == "Nov 21" for a, b in period_spans(text))
