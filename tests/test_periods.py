"""Period expressions resolved against a meeting date."""
from datetime import date

import pytest

from scrutiny.schemas.periods import find_periods

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
