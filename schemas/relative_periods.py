"""Periods named relative to another period: 'compared with 63% in the previous three months',
'over the year to date' in a paragraph about the second quarter.

The words are language data in ``schemas/lang/en/periods.toml`` (``[relative_to]``).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import cache

import regex

from .lang import alternation, data
from .periods import Period, find_periods, fy_of, month_end, words

ANCHORS = ("quarter", "month", "date")  # periods a "year to date" may run to: a part of a year, up to a month
RECENT_MONTHS = 6  # how long before its meeting a paper's latest reported period may end


@cache
def _relative_to() -> regex.Pattern:
    w, lang = words(), data("periods")["relative_to"]
    count = rf"\d{{1,2}}|{'|'.join(w.number_words)}"
    return regex.compile(rf"^[^;:(,.]{{0,40}}?\b(?:the\s+)?(?:(?P<year>{alternation(lang['year_earlier'])})|"
                         rf"(?:{alternation(lang['before'])})\s+(?:(?P<n>{count})[-\s]+)?(?P<unit>{alternation(list(lang['units']))}))\b",
                         regex.I)


def preceding(text: str, anchor: Period) -> Period | None:
    """The period a phrase opening ``text`` names relative to ``anchor``, the period of the figure
    it is compared with: 'in the previous three months' (the three months before ``anchor``
    begins), 'the previous quarter' of a quarter, 'the preceding period' (as long as ``anchor``),
    'the same period last year' (a year before it). A point in time stays one ('the previous month' of 'at
    the end of November' is the end of October). None when ``text`` opens with no such phrase."""
    m = _relative_to().match(text)
    if m is None:
        return None
    first, last = _month_numbers(anchor)
    if m["year"]:
        first, last = first - 12, last - 12
    else:
        n = m["n"] and (int(m["n"]) if m["n"].isdigit() else words().number_words[m["n"].lower()])
        unit = data("periods")["relative_to"]["units"][m["unit"].lower()]
        if not (n or anchor.point or unit in (0, last - first + 1)):
            return None  # 'the previous quarter' of one month: which quarter is not clear
        length = n or unit or last - first + 1
        if anchor.point:
            first = last = last - length
        else:
            first, last = first - length, first - 1
    return _months(first, last, m.group(0).strip(), anchor.point)


def span_before(anchor: Period) -> Period:
    """The span as long as ``anchor`` that ends as it begins: the quarter before a quarter."""
    first, last = _month_numbers(anchor)
    return _months(2 * first - last - 1, first - 1, f"the period before {anchor.text}", False)


def _month_numbers(period: Period) -> tuple[int, int]:
    """The first and last month of ``period``, numbered year * 12 + month - 1."""
    return period.start.year * 12 + period.start.month - 1, period.end.year * 12 + period.end.month - 1


def _months(first: int, last: int, text: str, point: bool) -> Period:
    """The months numbered ``first`` to ``last`` (year * 12 + month - 1) as a period."""
    return Period(date(first // 12, first % 12 + 1, 1), month_end(last // 12, last % 12 + 1), text,
                  point=point, kind="months")


def year_to_date(text: str, ref: date | None, earlier: str, carried: Period | None) -> list[Period]:
    """'over the year to date' in ``text``, said of the quarter or month the paragraph reports
    (the latest named before it, in ``earlier`` or ``text``, else ``carried``): from the start of
    that financial year to its end. Left out unless that period ended by ``ref``, within the
    months a paper reports its latest figures for (``RECENT_MONTHS``)."""
    if not _year_to_date_words().search(text):
        return []
    out = []
    for phrase in (p for p in find_periods(text, ref, relative=True) if p.relative and p.kind == "ytd"):
        named = [p for p in find_periods(f"{earlier}\n{text[:phrase.begin]}", ref) if _reported(p, ref)]
        anchor = named[-1] if named else carried if carried is not None and _reported(carried, ref) else None
        if anchor is not None:
            out.append(replace(phrase, start=date(fy_of(anchor.end), 4, 1), end=anchor.end, relative=False))
    return out


@cache
def _year_to_date_words() -> regex.Pattern:
    """A cheap check that a text may say 'the year to date' before the grammar is run on it."""
    return regex.compile(rf"\b(?:{words().year_to_date})\b", regex.I)


def _reported(period: Period, ref: date | None) -> bool:
    """A quarter, month or date ended by ``ref`` and at most ``RECENT_MONTHS`` before it."""
    if ref is None or period.kind not in ANCHORS:
        return False
    months = (ref.year - period.end.year) * 12 + ref.month - period.end.month
    return 0 <= months <= RECENT_MONTHS


def sentence_periods(sentence: str, paragraph: str, ref: date | None, carried: Period | None) -> list[Period]:
    """The periods a sentence of ``paragraph`` names, in order: with a quarter of a bare year
    (whoever binds it must doubt it) and 'the year to date' of the paragraph's quarter or month."""
    earlier = paragraph[:max(paragraph.find(sentence), 0)]
    found = find_periods(sentence, ref, ambiguous=True) + year_to_date(sentence, ref, earlier, carried)
    return sorted(found, key=lambda p: p.begin)
