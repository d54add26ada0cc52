"""The breakdown of a prose figure: the age group, team, service or worker group it is for.

An age group applies to any figure; a team, service or worker group only to caseloads and
durations, which councils report team by team. The group is read from the figure's own
clause, then from the words before that clause, then from after the figure, then from an
opening that scopes the whole sentence ("Of the 15 workers qualified for less than 2 years,
..."), then from the sentence before when it states the figure's subject for a team and no
figure of its own ("Caseloads in the assessment teams are too high. Many workers hold 28 to
33 cases"). A workforce figure with none of these takes the team whose workers the heading, or the
question the paragraph answers, names. The patterns are language data (``schemas/lang/en/breakdowns.toml``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import regex

from ..schemas.lang import data, pattern
from ..schemas.vocabulary import Indicator, load_relations
from .subjects import phrasings

if TYPE_CHECKING:
    from .prose import Figure

LANG = "breakdowns"
TEAM_UNITS = ("cases", "days")
WORKFORCE = "workforce"


@cache
def _ordered(kind: str) -> tuple[tuple[regex.Pattern, str | None], ...]:
    templates = data(LANG)["templates"]
    return tuple((pattern(LANG, key), templates.get(key)) for key in data(LANG)["order"][kind])


def _group(text: str, patterns) -> str:
    for compiled, template in patterns:
        hit = compiled.search(text)
        if hit:
            groups = [g.strip() for g in hit.groups() if g]
            return template.format(*groups) if template else " ".join(groups)
    return ""


@dataclass(frozen=True)
class Part:
    """A group counted within another indicator's count (UASC within the children in care)."""
    indicator: str  # the group's own count
    whole: str      # the count it is part of
    rest: str       # the breakdown of the whole without the group ("non-UASC")


@cache
def parts() -> tuple[Part, ...]:
    return tuple(Part(ident, entry["whole"], entry["rest"]) for ident, entry in data(LANG)["parts"].items())


def part_named(text: str) -> Part | None:
    """The part whose group ``text`` names ("Unaccompanied Asylum Seeking Children (UASC)")."""
    return next((part for part in parts() for p in phrasings()
                 if p.indicator.id == part.indicator and all(g.search(text) for g in p.groups)), None)


def without_part(fig: "Figure", earlier: list["Figure"]) -> Part | None:
    """'790 non-UASC children', 'the number in care (excluding UASC) rose to 790': the group of a
    whole that the figure's own words leave out, written right after it or in the words leading
    to it (back to the last figure of something else)."""
    s, m = fig.sentence, fig.mention
    named = pattern(LANG, "non_after").match(s[m.stop:])
    if named is None:
        own = fig.choice.indicator if fig.choice else None
        lo = max([e.mention.stop for e in earlier if e.choice is not None and e.choice.indicator is not own
                  and not e.skip] + [0])
        named = pattern(LANG, "excluding").search(s[lo:m.begin])
    return part_named(next(g for g in named.groups() if g)) if named else None


def breakdown_of(fig: "Figure", found: list["Figure"], own: tuple[int, int]) -> str:
    """The breakdown of a figure among the sentence's figures ``found``; ``own`` is its clause."""
    m, indicator = fig.mention, (fig.choice.indicator if fig.choice else None)
    part = without_part(fig, [f for f in found if f.mention.stop <= m.begin]) if indicator is not None else None
    if part is not None and part.whole == indicator.id:
        return part.rest
    previous = fig.segment.context.rsplit("\n", 1)[-1] if "\n" in fig.segment.context else ""
    spans = [(f.mention.begin, f.mention.stop) for f in found if f is not fig]
    return breakdown(fig.sentence, m.begin, m.stop, own, spans, indicator, previous) \
        or _titled_team(fig.segment.context.split("\n")[0], fig.segment.question, indicator)


def _titled_team(heading: str, question: str, indicator: Indicator | None) -> str:
    """'Child protection social workers - 2022': a heading, or the question a paragraph
    answers, naming the team whose workers every workforce figure below it counts."""
    if indicator is None or indicator.group != WORKFORCE:
        return ""
    hit = pattern(LANG, "team_workers").search(f"{heading}\n{question}")
    return hit.group(1) if hit else ""


def breakdown(sentence: str, begin: int, stop: int, own: tuple[int, int], spans: list[tuple[int, int]],
              indicator: Indicator | None, previous: str) -> str:
    """The breakdown of the figure at ``begin:stop`` of ``sentence``, whose own clause is
    ``own``; ``spans`` are the sentence's other figures, ``previous`` the sentence before."""
    lo, _ = own
    nxt = min([b for b, _ in spans if b >= stop] + [len(sentence)])
    prev = max([e for _, e in spans if e <= lo] + [0])
    right = regex.split(r"\bper\b", sentence[stop:nxt])[0]
    team_level = indicator is not None and indicator.unit in TEAM_UNITS
    patterns = _ordered("age") + _ordered("team") if team_level else _ordered("age")
    windows = [sentence[lo:begin], sentence[prev:lo], right]
    opening = pattern(LANG, "opening_scope").match(sentence)
    if opening and opening.end() <= begin:
        windows.append(opening.group(0))
    for text in windows:
        found = _group(text.strip(), patterns)
        if found:
            return found
    if team_level:
        return _carried_team(sentence, previous, indicator)
    return ""


def _carried_team(sentence: str, previous: str, indicator: Indicator) -> str:
    """The team of the sentence before, when that sentence states the figure's subject for a
    team and no figure, and this sentence does not speak of the whole service."""
    if not previous or regex.search(r"\d", previous) or pattern(LANG, "whole_scope").search(sentence):
        return ""
    if not _names_subject(previous, indicator):
        return ""
    return _group(previous, _ordered("team")[:2])


def _names_subject(text: str, indicator: Indicator) -> bool:
    """Whether ``text`` states the indicator (all groups of one of its phrasings), or the
    indicator a range end is of."""
    pair = load_relations().range_pair(indicator.id)
    wanted = {indicator.id, pair[0]} if pair else {indicator.id}
    return any(p.indicator.id in wanted and all(g.search(text) for g in p.groups) for p in phrasings())

