"""Period expressions in council prose, resolved to date spans.

Financial years ("2018-2019", "2018/19", "2018-19") run 1 April to 31 March. A month
without a year takes the year that puts it on or before the reference date (the
meeting date). Quarters given with their span ("Quarter 3 (April to December 2016)")
cover that span, as does a quarter of a financial year ("Q3 2024/25" is October to
December 2024); "July and August" covers both months.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import regex

MONTHS = {name: i for i, name in enumerate(calendar.month_name) if name}
MONTH_ALIASES = {**{k.lower(): v for k, v in MONTHS.items()},
                 **{k[:3].lower(): v for k, v in MONTHS.items()}, "sept": 9}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_YEAR = r"(?:19|20)\d\d"
_YEAR2 = r"'\d\d"

PERIOD_RE = regex.compile(rf"""
  (?P<qfy>\b(?:Quarter|Q)\s?(?P<q>[1-4])\s+(?:of\s+)?(?P<qy1>{_YEAR})\s?[-/–]\s?(?P<qy2>(?:19|20)?\d\d)\b)
| (?P<fy>\b(?P<fy1>{_YEAR})\s?[-/–]\s?(?P<fy2>(?:19|20)?\d\d)\b(?![-/]\d))
| (?P<span>\b(?P<m1>{_MONTH})(?:\s+(?P<y1>{_YEAR}))?\s+(?:to|and|-|–)\s+(?P<m2>{_MONTH})(?:\s+(?P<y2>{_YEAR}|{_YEAR2}))?\b)
| (?P<month>\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}|{_YEAR2}))?\b)
| (?P<year>\b(?<![£$\d.,])(?P<yy>{_YEAR})\b(?![-/.,]?\d)(?!\s*(?:FTE|cases|children|posts)))
""", regex.X)



@dataclass(frozen=True)
class Period:
    start: date
    end: date
    text: str
    begin: int = 0   # character offsets in the text it was found in
    stop: int = 0
    point: bool = False  # a point in time ("end of September") rather than a span

    def month(self) -> str:
        return f"{self.end:%Y-%m}"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return 2000 + int(text[1:]) if text.startswith("'") else int(text)


def _resolve_month(month: int, year: int | None, ref: date | None) -> int | None:
    if year is not None:
        return year
    if ref is None:
        return None
    return ref.year if month <= ref.month else ref.year - 1


def _month_num(text: str) -> int:
    return MONTH_ALIASES[text.rstrip(".").lower()]


def _financial_year(m) -> tuple[date, date] | None:
    y1 = int(m["fy1"])
    y2 = m["fy2"]
    y2 = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)
    if y2 != y1 + 1:
        return None
    return date(y1, 4, 1), date(y2, 3, 31)


def find_periods(text: str, ref: date | None) -> list[Period]:
    """Every period expression in ``text`` that can be resolved against ``ref``."""
    found: list[Period] = []
    for m in PERIOD_RE.finditer(text):
        if m["m"] and not m["m"][0].isupper():
            continue  # "may" the verb, "march" the verb
        span = _resolve(m, ref)
        if span is None:
            continue
        start, end = span
        point = bool(regex.search(r"(?:end of|as at|at)\s+(?:the\s+)?$", text[max(0, m.start() - 20):m.start()], regex.I))
        found.append(Period(start, end, m.group(0), m.start(), m.end(), point))
    return found


def _quarter(m) -> tuple[date, date]:
    """Quarter N of a financial year: Q1 is April to June, Q4 January to March."""
    first = 3 * int(m["q"]) + 1  # month number counted from January of the first year
    year = int(m["qy1"]) + (first - 1) // 12
    start = (first - 1) % 12 + 1
    return date(year, start, 1), month_end(year, start + 2)


def _resolve(m, ref: date | None) -> tuple[date, date] | None:
    if m["qfy"]:
        return _quarter(m)
    if m["fy"]:
        return _financial_year(m)
    if m["span"]:
        m1, m2 = _month_num(m["m1"]), _month_num(m["m2"])
        y2 = _year(m["y2"]) or _resolve_month(m2, None, ref)
        if y2 is None:
            return None
        y1 = _year(m["y1"]) or (y2 if m1 <= m2 else y2 - 1)
        return date(y1, m1, 1), month_end(y2, m2)
    if m["month"]:
        month = _month_num(m["m"])
        year = _resolve_month(month, _year(m["y"]), ref)
        if year is None:
            return None
        return date(year, month, 1), month_end(year, month)
    year = int(m["yy"])
    return date(year, 1, 1), date(year, 12, 31)
