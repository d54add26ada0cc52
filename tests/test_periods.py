"""Period expressions resolved against a meeting date."""
from datetime import date

import pytest

from scrutiny.schemas.periods import Period, find_periods, parse_date, parse_period
from scrutiny.schemas.relative_periods import preceding

MEETING = date(2024, 11, 14)


@pytest.mark.parametrize("text, start, end", [
    ("in 2018-2019", date(2018, 4, 1), date(2019, 3, 31)),
    ("for 2018/19", date(2018, 4, 1), date(2019, 3, 31)),
    ("in 2018-19", date(2018, 4, 1), date(2019, 3, 31)),
    ("during September", date(2024, 9, 1), date(2024, 9, 30)),
    ("in Jan 2024", date(2024, 1, 1), date(2024, 1, 31)),
    ("263 in Sept", date(2024, 9, 1), date(2024, 9, 30)),
    ("in December", date(2023, 12, 1), date(2023, 12, 31)),  # after the meeting month: last year
    ("Quarter 3 (April to December 2016)", date(2016, 4, 1), date(2016, 12, 31)),
    ("the July and August audit cycle", date(2024, 7, 1), date(2024, 8, 31)),
    ("since 1st April '24", date(2024, 4, 1), date(2024, 4, 30)),
    ("in Quarter 3 2024/25", date(2024, 10, 1), date(2024, 12, 31)),
    ("Q4 2023-24", date(2024, 1, 1), date(2024, 3, 31)),
])
def test_period_resolved(text, start, end):
    (period,) = find_periods(text, MEETING)
    assert (period.start, period.end) == (start, end)


def test_end_of_month_is_a_point():
    (period,) = find_periods("at the end of September 90%", MEETING)
    assert period.point and period.month() == "2024-09"


@pytest.mark.parametrize("text", ["you may go", "a 2018-2020 plan", "budget of £2018", "we march on"])
def test_not_a_period(text):
    assert find_periods(text, MEETING) == []


def test_month_without_year_or_meeting_is_unresolved():
    assert find_periods("in September", None) == []


@pytest.mark.parametrize("text, start, end, kind", [
    ("performance in Q3 24/25 improved", date(2024, 10, 1), date(2024, 12, 31), "quarter"),
    ("the 2023/24 outturn was", date(2023, 4, 1), date(2024, 3, 31), "fy"),
    ("for FY 23/24 the", date(2023, 4, 1), date(2024, 3, 31), "fy"),
    ("2024-25 Q1 shows", date(2024, 4, 1), date(2024, 6, 30), "quarter"),
    ("over the 12 months to Dec 24", date(2024, 1, 1), date(2024, 12, 31), "months"),
    ("in the six months ending 30 September 2024", date(2024, 4, 1), date(2024, 9, 30), "months"),
    ("for the year ending March 2024", date(2023, 4, 1), date(2024, 3, 31), "months"),
    ("at the end of quarter 2", date(2024, 7, 1), date(2024, 9, 30), "quarter"),  # latest quarter 2 ended
    ("as at 31/10/24 there were", date(2024, 10, 1), date(2024, 10, 31), "date"),
    ("as at 31.03.2024", date(2024, 3, 1), date(2024, 3, 31), "date"),
    ("September 2024 YTD", date(2024, 4, 1), date(2024, 9, 30), "ytd"),
    ("between Jun 23 to May 24 the", date(2023, 6, 1), date(2024, 5, 31), "span"),
    ("from Apr-Sep 2024", date(2024, 4, 1), date(2024, 9, 30), "span"),
])
def test_council_period_forms(text, start, end, kind):
    (period,) = find_periods(text, MEETING)
    assert (period.start, period.end, period.kind) == (start, end, kind)


def test_month_year_headers_are_not_the_meetings_year():
    found = find_periods("Dec-23 Mar-24 Jun-24", MEETING)
    assert [p.month() for p in found] == ["2023-12", "2024-03", "2024-06"]


@pytest.mark.parametrize("text", ["the rolling 12 months", "year to date", "compared with last year",
                                  "in the last 12 months", "the previous quarter"])
def test_relative_periods_are_only_returned_on_request(text):
    assert find_periods(text, MEETING) == []
    (period,) = find_periods(text, MEETING, relative=True)
    assert period.relative and period.end <= date(2024, 11, 30)


@pytest.mark.parametrize("text", ["re-referred within 12 months", "Q1 2024 (calendar)", "16 to 17 year olds",
                                  "a score of 5/10", "section 17 of the Children Act"])
def test_numbers_that_are_no_period(text):
    assert [p for p in find_periods(text, MEETING) if p.kind != "year"] == []


@pytest.mark.parametrize("cell, month", [("Dec-23", "2023-12"), ("Mar 24", "2024-03"), ("23/24", "2024-03"),
                                         ("Q3 24/25", "2024-12"), ("2022-23", "2023-03"), ("**Jun-24**", "2024-06")])
def test_table_cells(cell, month):
    assert parse_period(cell, MEETING).month() == month


@pytest.mark.parametrize("cell", ["Total", "England", "Dec-23 Mar-24", "CIN 1", "24/25 budget book", "Year 10/11"])
def test_cells_that_are_not_one_period(cell):
    assert parse_period(cell, MEETING) is None


def test_one_date_grammar():
    assert parse_date("Thursday, 14 November 2024") == date(2024, 11, 14)
    assert parse_date("the meeting on 3rd of March 2020") == date(2020, 3, 3)
    assert parse_date("as at 31/12/24") == date(2024, 12, 31)
    assert parse_date("November 14, 2024") == date(2024, 11, 14)
    assert parse_date("31 February 2024") is None and parse_date("in March 2024") is None


def test_a_bare_year_is_the_reporting_year_to_march():
    (period,) = find_periods("this reduced to 385 in 2019", MEETING)
    assert (period.start, period.end) == (date(2018, 4, 1), date(2019, 3, 31))


def test_the_time_of_this_meeting_is_the_meeting_month():
    (period,) = find_periods("as at the time of this meeting, the total was 799", MEETING)
    assert period.point and period.month() == "2024-11" and not period.relative


def test_a_period_of_months_from_a_span_is_one_expression():
    (period,) = find_periods("During the 12-month period from Jun 23 to May 24, it peaked", MEETING)
    assert period.text.startswith("the 12-month period") and period.month() == "2024-05"


@pytest.mark.parametrize("phrase, point, months", [
    (" in the previous three months.", False, ("2024-06", "2024-08")),
    (" over the preceding period", False, ("2024-06", "2024-08")),
    (" in the previous quarter", False, ("2024-06", "2024-08")),
    (" for the same period last year", False, ("2023-09", "2023-11")),
    (" at the end of the previous month", True, ("2024-10", "2024-10")),
])
def test_a_period_named_relative_to_the_period_compared_with(phrase, point, months):
    anchor = Period(date(2024, 11, 1) if point else date(2024, 9, 1), date(2024, 11, 30), "", point=point)
    found = preceding(phrase, anchor)
    assert (f"{found.start:%Y-%m}", found.month()) == months and found.point == point


@pytest.mark.parametrize("phrase", [" for the region", " last year", " in the previous quarter"])
def test_no_period_relative_to_one_month_unless_its_length_is_clear(phrase):
    assert preceding(phrase, Period(date(2024, 11, 1), date(2024, 11, 30), "")) is None


@pytest.mark.parametrize("text, months", [
    ("Between April and June 85% of visits were on time.", ("2024-04", "2024-06")),
    ("Between Sept and Nov 23 we saw more contacts.", ("2023-09", "2023-11")),
])
def test_a_percentage_after_a_span_of_months_is_not_its_year(text, months):
    (period,) = find_periods(text, MEETING)
    assert (f"{period.start:%Y-%m}", period.month()) == months
