"""What a count counts: the noun it names, a part of its group, a part of a total before it.

"8 front line trainees" counts trainees, not the indicator's subject; "5 children in care under
16" and "23 children looked after accessed advocacy" count a part of the group; after "416 in
total", a figure of the same indicator with no breakdown is a part: the rest of the whole
("non-UASC") when it and the counts of one group of the whole add up to the total, else an
unnamed part. "Increased by 11% (712-790) between March 2014 and March 2018" gives the change's
two levels, one at each end of the span; "9% (355) were cases of children in care" counts what
its clause names; "98% of care leavers ..., with 92% of them ..." is of the named group; "...,
of these just 7 had been on a plan for two years" is a part of the group named before. The
patterns are language data (``schemas/lang/en/prose.toml``).
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import regex

from ..schemas.lang import pattern
from ..schemas.periods import Period, parse_period
from . import breakdowns, trust
from .changes import UNDATED_EARLIER
from .numbers import Mention
from .subjects import Choice, phrasings

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
    if GENERIC_NOUNS.match(noun) or _rest_named(fig):
        return True
    noun = fig.sentence[m.stop:m.stop + counted.end() + 15]  # "157 looked after children"
    return any(p.indicator is fig.choice.indicator and p.groups[0].search(noun) for p in phrasings())


def _rest_named(fig: "Figure") -> bool:
    """'500 non-UASC children': the whole the indicator counts, without one of its groups."""
    part = breakdowns.without_part(fig, [])
    return part is not None and part.whole == fig.choice.indicator.id


def counts_part(fig: "Figure") -> bool:
    """'5 children in care under 16', '17 children looked after were living out of area', 'the
    advocate worked with 14 looked after children': a count of part of a group counted at a
    date (children in care, in need, on a plan)."""
    if fig.choice is None or fig.choice.indicator.unit != "count":
        return False
    before, after = fig.sentence[:fig.mention.begin], fig.sentence[fig.mention.stop:]
    return bool(_pattern("part_of_group_after").match(after)) or _part_of_group_before(fig) or (
        "at 31 March" in fig.choice.indicator.source
        and bool(_pattern("activity_after").match(after) or _pattern("served_before").search(before[-40:])))


def _part_of_group_before(fig: "Figure") -> bool:
    """'413 children ceased to be on a plan, of these just 7 had been on one for two years': a
    count after 'of these' whose own words do not name its indicator's subject is a part of the
    group named before it ('of which 2,317 became referrals' names its own)."""
    s, m = fig.sentence, fig.mention
    if not _pattern("subset_lead_before").search(s[max(0, m.begin - 30):m.begin]):
        return False
    own = trust.clause_breaks(s, m.stop, len(s))
    words = s[m.begin:own[0] if own else len(s)]
    return not any(p.groups[0].search(words) for p in phrasings() if p.indicator is fig.choice.indicator)


def part_of_total(fig: "Figure", found: list["Figure"]) -> None:
    """After a total in the sentence ('416 children in care in total', 'a total of 861 children
    looked after, comprising ...'), a figure of the same indicator with no breakdown of its own is
    a part of it: the rest of the whole when it and the sentence's counts of one group of that
    whole add up to the total ('13 UASC and 403 others'), else an unnamed part, not stored. A
    figure with no subject of its own named as the whole without a group ('790 non-UASC') is that
    rest of the total."""
    if fig.skip:
        return
    i = _index(found, fig)
    total = next((e for e in reversed(found[:i]) if _is_total(e)), None)
    if total is None:
        return
    whole = total.choice.indicator
    if fig.choice is None:
        part = breakdowns.without_part(fig, found[:i])
        if part is not None and part.whole == whole.id and fig.mention.kind in ("count", "word"):
            fig.choice, fig.breakdown = total.choice, part.rest
    elif fig.choice.indicator is whole and not fig.breakdown:
        rest = _rest_adding_up(fig, total, found[_index(found, total) + 1:])
        if rest:
            fig.breakdown = rest
        else:
            fig.skip = "a part of the total stated before it"


def _index(found: list["Figure"], fig: "Figure") -> int:
    return next(j for j, f in enumerate(found) if f is fig)


def _is_total(fig: "Figure") -> bool:
    s = fig.sentence
    return fig.choice is not None and not fig.breakdown and not fig.skip and (
        bool(_pattern("total_before").search(s[:fig.mention.begin])) or bool(_pattern("total_after").match(s[fig.mention.stop:])))


def _rest_adding_up(fig: "Figure", total: "Figure", after: list["Figure"]) -> str:
    """The breakdown of ``fig`` when it and the counts of one group of the total's indicator among
    the figures ``after`` the total add up to the total; else ''."""
    whole = total.choice.indicator.id
    groups = {p.indicator: p for p in breakdowns.parts() if p.whole == whole}
    named = [f for f in after if f is not fig and f.choice is not None and f.choice.indicator.id in groups and not f.skip]
    if len({f.choice.indicator.id for f in named}) != 1:
        return ""
    return groups[named[0].choice.indicator.id].rest if fig.mention.value + sum(f.mention.value for f in named) == total.mention.value else ""


SPAN_JOIN = regex.compile(r"\s+(?:and|to|until|[-–])\s+")
LEVEL_PAIR = regex.compile(r"([\d][\d,]*(?:\.\d+)?)(\s*(?:[-–]|to)\s*)([\d][\d,]*(?:\.\d+)?)")


def change_ends(sentence: str, mentions: list[Mention], periods: list[Period]) -> list[Mention]:
    """'has increased by 11% (712-790) between March 2014 and March 2018': a bracketed range
    after the size of a change, followed by a span with two ends, is the change's two levels,
    one at each end of the span; it becomes two counts (``date_change_ends`` dates them)."""
    out = []
    for m in mentions:
        pair = LEVEL_PAIR.fullmatch(m.text) if m.kind == "range" else None
        if pair is None or not _pattern("change_levels_before").search(sentence[:m.begin]) \
                or _span_after(sentence, m.stop, periods) is None:
            out.append(m)
            continue
        out += [Mention(float(pair[1].replace(",", "")), "count", m.begin, m.begin + pair.end(1), pair[1]),
                Mention(float(pair[3].replace(",", "")), "count", m.begin + pair.start(3), m.stop, pair[3])]
    return out


def opens_levels(fig: "Figure") -> bool:
    """'by 11% (712-790)': the first of a change's two levels, not a restatement of its size."""
    s, m = fig.sentence, fig.mention
    return m.kind == "count" and bool(LEVEL_PAIR.match(s, m.begin)) and bool(_pattern("change_levels_before").search(s[:m.begin]))


def date_change_ends(found: list["Figure"], periods: list[Period]) -> None:
    """The two levels ``change_ends`` made take the two ends of the span after them, and the
    subject of the first."""
    s = found[0].sentence if found else ""
    for a, b in zip(found, found[1:]):
        joined = LEVEL_PAIR.fullmatch(s[a.mention.begin:b.mention.stop])
        ends = _span_after(s, b.mention.stop, periods) if joined and a.mention.kind == b.mention.kind == "count" else None
        if ends is not None and _pattern("change_levels_before").search(s[:a.mention.begin]):
            (a.period, b.period), a.period_source = ends, "right"
            b.period_source = "right"
            for end in (a, b):  # dated now: what the change's undated periods said no longer holds
                end.skip = "" if end.skip == UNDATED_EARLIER else end.skip
                end.doubts = [d for d in end.doubts if d != trust.UNDATED_CHANGE]
            if a.choice is not None and a.choice.governs:  # the levels of one change share its subject
                b.choice, b.doubts = a.choice, [d for d in b.doubts if d != trust.UNGOVERNED]


def _span_after(sentence: str, stop: int, periods: list[Period]) -> tuple[Period, Period] | None:
    """The two ends of the span that closes the bracket ending at ``stop`` ('...) between March
    2014 and March 2018'), when each end is a period of its own."""
    for p in periods:
        if p.begin >= stop and p.kind == "span" and regex.fullmatch(r"\s*\)\s*(?:between\s+|from\s+)?", sentence[stop:p.begin]):
            ends = [parse_period(x, None) for x in SPAN_JOIN.split(regex.sub(r"^(?:between|from)\s+", "", p.text))]
            return (ends[0], ends[1]) if len(ends) == 2 and all(ends) else None
    return None


SHARE_UNDATED = "a count of a share, read from its clause, with no period of its own"


def count_of_share(child: "Figure") -> Choice | None:
    """'9% (355) were cases involving children in care': a count bracketed after a share with
    no subject of its own counts what its clause says the items are, when that clause names one
    indicator's subject and nothing more (generic words before it, the council after it)."""
    said = _pattern("share_count_after").match(child.sentence[child.mention.stop:])
    if said is None:
        return None
    subject = said["subject"]
    fits = {p.indicator for p in phrasings() if p.indicator.unit == "count" and _names_only(p.groups, subject)
            and not any(regex.search(x, subject, regex.I) for x in p.indicator.exclude)}
    return Choice(fits.pop(), 0.0, False) if len(fits) == 1 else None


def _names_only(groups, subject: str) -> bool:
    """Whether every group is in ``subject`` with only generic words before them and the council after."""
    if not all(g.search(subject) for g in groups):
        return False
    hits = [m for g in groups for m in g.finditer(subject)]
    lo, hi = min(m.start() for m in hits), max(m.end() for m in hits)
    return bool(_pattern("share_subject_lead").match(subject[:lo]) and _pattern("share_subject_rest").match(subject[hi:]))


def doubt_undated_share(child: "Figure", parent: "Figure") -> None:
    """A count ``count_of_share`` gave a subject waits for review when no period is stated for it."""
    if parent.choice is None and child.choice is not None and child.period is None:
        child.doubts.append(SHARE_UNDATED)


def share_of_named_group(fig: "Figure", found: list["Figure"]) -> None:
    """'98% of care leavers had a plan, with 92% of them in suitable accommodation': 'of them'
    after a share of a named group, joined to it by 'with' or 'and', is of that group, not a
    subset; the figure stands when its indicator's subject is that group and its own words."""
    s, m = fig.sentence, fig.mention
    them = _pattern("of_them_after").match(s[m.stop:]) if fig.skip == trust.SUBSET and m.is_percent else None
    if them is None or fig.choice is None:
        return
    earlier = [e for e in found if e.mention.stop <= m.begin]
    if not earlier or not earlier[-1].mention.is_percent:
        return
    group = _pattern("group_share_after").match(s[earlier[-1].mention.stop:])
    if group is None or not _pattern("share_joined_before").match(s[group.end():m.begin]):
        return
    said = f"{group['group']} {them['rest']}"
    if any(p.indicator is fig.choice.indicator and all(g.search(said) for g in p.groups) and p.groups[0].search(group["group"])
           for p in phrasings()):
        fig.skip = ""
