"""Changes: two figures of a sentence joined as one change ('from 431 to 405', '17,
compared to 23 in March'), and the period each end of a change takes."""
from __future__ import annotations

from typing import TYPE_CHECKING

import regex

from ..schemas.lang import pattern
from ..schemas.periods import Period
from ..schemas.relative_periods import span_before
from . import trust

if TYPE_CHECKING:
    from .prose import Figure

UNDATED_EARLIER = "the earlier figure of a change has no period"


def _p(key: str) -> regex.Pattern:
    return pattern("prose", key)


def change_pairs(found: list[Figure]) -> dict[int, int]:
    """Index pairs (a -> b) joined as a change: 'from A in P1 to B in P2', 'A compared to B'."""
    pairs: dict[int, int] = {}
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if i - 1 in pairs or a.mention.is_percent != b.mention.is_percent:
            continue
        between = a.sentence[a.mention.stop:b.mention.begin]
        reversed_change = regex.search(r"\bto\s+$", a.sentence[:a.mention.begin]) and _p("reversed_change").match(between)
        if _p("change_between").match(between) or reversed_change:
            pairs[i] = i + 1
    return pairs


def inherit_pair_periods(found: list[Figure], pairs: dict[int, int], periods: list[Period], since: set[int],
                          carried: Period | None) -> None:
    """'from 1,037 in 2017-18 to 821 in 2018-19, ... from 379 to 330': the later pair
    takes the earlier pair's periods; 'since September to the end of November, from 55% to
    58%': the later figure takes the period after the change's start; 'in Q2 it fell from
    1,300 to 895': a change over a span runs from the span before it. The earlier figure of
    an undated change is dropped, unless the paper says what period its figures are for."""
    dated = [(found[a].period, found[b].period) for a, b in pairs.items() if found[a].period and found[b].period]
    for a, b in pairs.items():
        fa, fb = found[a], found[b]
        if fa.period is not None and fb.period is None and _p("comparison_pair").match(
                fa.sentence[fa.mention.stop:fb.mention.begin]):
            trust.compared_earlier(fa, fb)  # '71% in Q2, compared with 63% in the previous quarter'
        elif fa.period_source == "left" and fb.period is None and id(fa.period) in since:
            ends = [p for p in periods if fa.period.stop <= p.begin and p.stop <= fa.mention.begin and id(p) not in since]
            if ends:
                fb.period, fb.period_source = ends[-1], "pair"
        elif fa.period_source == "left" and fb.period is None:  # 'in Q2 it fell from 1,300 to 895'
            fb.period, fb.period_source = fa.period, "pair"
            if _is_span(fa.period) and not _p("compared_period_before").search(fa.sentence[:fa.period.begin]):
                fa.period = span_before(fa.period)
            else:
                fa.doubts.append("the earlier figure of a change: its period is before the one stated")
        if fa.period is None and fb.period is None and dated:
            fa.period, fb.period = dated[0]
            fa.period_source = fb.period_source = "pair"
        elif fa.period is None and regex.search(r"\bto\s+$", fa.sentence[:fa.mention.begin]) \
                and _p("reversed_change").match(fa.sentence[fa.mention.stop:fb.mention.begin]):
            fa.doubts.append(trust.UNDATED_CHANGE)  # 'fell to 831 from 855 in May'
        elif fa.period is None and _p("comparison_pair").match(fa.sentence[fa.mention.stop:fb.mention.begin]):
            if fb.period is None:  # '474 over the last 12 months, a reduction from 580': only the first is current
                fb.skip = fb.skip or UNDATED_EARLIER
            else:  # '17, compared to 23 in March 2022': the first figure is the current one
                fa.period_source = "current"
            continue
        elif fa.period is None and fb.period is None and carried is not None and carried is fa.segment.scope:
            _change_in_scope(fa, fb, carried)
        elif fa.period is None:
            fa.skip = fa.skip or UNDATED_EARLIER
            if fb.period is None:
                fb.doubts.append(trust.UNDATED_CHANGE)


def _is_span(period: Period) -> bool:
    """A stretch of time longer than a month (a quarter, a year), not a point in it."""
    return not period.point and (period.end - period.start).days > 40


def _change_in_scope(fa: Figure, fb: Figure, scope: Period) -> None:
    """'(activity for 2021/22) ... declined from 431 to 405': a change with no period of its own
    in a paper that says what period its figures are for ends at that period; over a span it
    starts at the span before, and from a point in time its start is not known."""
    fb.period, fb.period_source = scope, "pair"
    if _is_span(scope):
        fa.period, fa.period_source = span_before(scope), "pair"
    else:
        fa.skip = fa.skip or UNDATED_EARLIER
