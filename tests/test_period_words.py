"""Period forms read in words: 'June in 2019', 'quarter three', a bare year's quarter, and
'over the year to date' read against the quarter a paragraph reports."""
from datetime import date

import pytest

from scrutiny.schemas.periods import find_periods, parse_period
from scrutiny.schemas.relative_periods import year_to_date

PAPER = date(2024, 11, 14)


def spans(text: str, **options):
    return [(p.start, p.end, p.kind) for p in find_periods(text, PAPER, **options) if p.kind != "year"]


def test_a_capitalised_month_in_a_year_is_that_month():
    assert spans("the review carried out in June in 2019") == [(date(2019, 6, 1), date(2019, 6, 30), "month")]


@pytest.mark.parametrize("text", ["services may in 2019 change", "In June in 2019/20 we"])
def test_no_month_in_a_year_where_none_is_meant(text):
    assert all(p.end.year != 2019 or p.kind != "month" for p in find_periods(text, PAPER))


@pytest.mark.parametrize("text, start, end", [
    ("in quarter three 2023/24", date(2023, 10, 1), date(2023, 12, 31)),
    ("by the end of Quarter Two", date(2024, 7, 1), date(2024, 9, 30)),  # the latest ended by the paper
    ("Quarter one for 2024-25", date(2024, 4, 1), date(2024, 6, 30)),
])
def test_a_quarter_numbered_in_words(text, start, end):
    assert spans(text) == [(start, end, "quarter")]


@pytest.mark.parametrize("text", ["a quarter one year on", "cut by a quarter two years later", "one quarter of them"])
def test_a_fraction_is_no_quarter(text):
    assert spans(text) == []


def test_a_quarter_of_a_bare_year_is_returned_only_on_request():
    assert spans("at quarter four of 2023 the rate rose") == []
    assert spans("at quarter four of 2023 the rate rose", ambiguous=True) == [(date(2023, 10, 1), date(2023, 12, 31), "qcal")]
    assert parse_period("Q4 2023", PAPER) is None  # a table's column is never placed on a guess


def test_year_to_date_runs_to_the_latest_quarter_named_before_it():
    (ytd,) = year_to_date("over the year to date it was 19%", PAPER, "In Quarter 2 2024/25 demand fell.", None)
    assert (ytd.start, ytd.end, ytd.relative) == (date(2024, 4, 1), date(2024, 9, 30), False)


@pytest.mark.parametrize("earlier", ["In 2023/24 demand fell.", "In Quarter 2 2022/23 demand fell.", ""])
def test_year_to_date_needs_a_recent_quarter_or_month(earlier):
    assert year_to_date("over the year to date it was 19%", PAPER, earlier, None) == []

