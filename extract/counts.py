"""What a count counts: the noun it names, a part of its group, a part of a total before it.

"8 front line trainees" counts trainees, not the indicator's subject; "5 children in care under
16" and "23 children looked after accessed advocacy" count a part of the group; after "416 in
total", a figure of the same indicator with no breakdown is an unnamed part. The patterns are
language data (``schemas/lang/en/prose.toml``).
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import regex

from ..schemas.lang import pattern
from . import trust
from .subjects import phrasings

if TYPE_CHECKING:
    from .prose import Figure

_pattern = partial(pattern, "prose")


COUNTED = regex.compile(r"^\s+((?:(?!(?:in|of|at|on|to|for|from|with|by|during|over|across|between|since|per|within|after|before|until|than|as|following|due|because|compared|against|despite|including|excluding|were|was|are|is|have|has|had|will|would|who|which|that|and|or|but)\b)[A-Za-z0-9][\w'’-]*\s*){1,4})")
GENERIC_NOUNS = regex.compile(r"^(?:(?:more|new|additional|other|further|the|all)\s+)*(?:children|child|young people|families|family|cases|case|people|individuals|posts?)\b", regex.I)


def noun_fits(fig: "Figure") -> bool:
    """'8 front line trainees': a count names what it counts; that must be the indicator's subject."""
    m = fig.mention
    if m.kind not in ("count", "word") or fig.choice.indicator.unit != "count":
        return True
    counted = COUNTED.match(fig.sentence[m.stop:])
    if counted is None or _pattern("period_after").match(counted.group(1)):
        return True  # '601 the previous March': a period, not what is counted
    noun = trust.without_area_names(counted.group(1))  # "670 Leeds children"
    if GENERIC_NOUNS.match(noun):
        return True
    noun = fig.sentence[m.stop:m.stop + counted.end() + 15]  # "157 looked after children"
    return any(p.indicator is fig.choice.indicator and p.groups[0].search(noun) for p in phrasings())


def counts_part(fig: "Figure") -> bool:
    """'5 children in care under 16', '17 children looked after were living out of area', 'the
    advocate worked with 14 looked after children': a count of part of a group counted at a
    date (children in care, in need, on a plan)."""
    if fig.choice is None or fig.choice.indicator.unit != "count":
        return False
    before, after = fig.sentence[:fig.mention.begin], fig.sentence[fig.mention.stop:]
    return bool(_pattern("part_of_group_after").match(after)) or (
        "at 31 March" in fig.choice.indicator.source
        and bool(_pattern("activity_after").match(after) or _pattern("served_before").search(before[-40:])))


def part_of_total(fig: "Figure", earlier: list["Figure"]) -> None:
    """'416 children in care in total, 13 UASC and 403 others': after a total, a figure of
    the same indicator with no breakdown of its own is an unnamed part of it."""
    if fig.choice is None or fig.breakdown or fig.skip:
        return
    s = fig.sentence
    for e in earlier:
        if e.choice is not None and e.choice.indicator is fig.choice.indicator and not e.breakdown and (
                _pattern("total_before").search(s[:e.mention.begin]) or _pattern("total_after").match(s[e.mention.stop:])):
            fig.skip = "a part of the total stated before it"
            return
