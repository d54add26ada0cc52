"""Ranges in prose: "caseloads range between 6 – 19" gives the two ends of what it measures.

A range mention ("6 – 19", "between 28 to 33") is kept only in a sentence naming the subject
of a measure that has range ends (``[[range]]`` in the vocabulary's relations). It is given
that measure as a single figure would be, the words that make it a range ("range between")
aside, and then becomes its low end with its high end as its child; a range of anything
else (ages, visits, dates) is not a figure.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..schemas.lang import pattern
from ..schemas.vocabulary import load_relations, load_vocabulary
from .numbers import Mention
from .subjects import Anchor, Choice, choose, phrasings
from .trust import UNGOVERNED, units_for

if TYPE_CHECKING:
    from .prose import Figure

LANG = "ranges"
NOT_MEASURED = "a range of something that has no ends to store"


def admitted(mention: Mention, sentence: str) -> bool:
    """A single figure always; a range when the sentence names the subject of a ranged measure."""
    if mention.kind != "range":
        return True
    ranged = load_relations().ranges
    return any(p.indicator.id in ranged and p.groups[0].search(sentence) for p in phrasings())


def measured(sentence: str, context: str, anchor: Anchor, mention: Mention) -> Choice | None:
    """The measure a range is of, chosen with the range's own words masked (they would veto
    the measure, whose phrasings exclude 'range', 'minimum' and the like)."""
    lead = pattern(LANG, "range_lead").search(sentence[:mention.begin])
    if lead:
        sentence = sentence[:lead.start()] + " " * (mention.begin - lead.start()) + sentence[mention.begin:]
    ranged = load_relations().ranges
    units = {load_vocabulary()[ident].unit for ident in ranged} & units_for(mention)
    choice = choose(sentence, context, anchor, units)
    return choice if choice is not None and choice.indicator.id in ranged else None


def split_ends(found: list["Figure"]) -> None:
    """Each range figure becomes the low end of its measure, with the high end as its child."""
    for i, fig in enumerate(found):
        if fig.mention.kind != "range":
            continue
        ends = load_relations().range_ends(fig.choice.indicator.id) if fig.choice else None
        if ends is None:
            fig.choice, fig.skip = None, fig.skip or NOT_MEASURED
            continue
        if i + 1 < len(found):
            _govern_average(fig, found[i + 1])
        low, high = (replace(fig.choice, indicator=load_vocabulary()[end]) for end in ends)
        top = replace(fig.mention, value=fig.mention.high)
        fig.choice = low
        fig.children.append(replace(fig, mention=top, choice=high, children=[], doubts=[]))


def _govern_average(rng: "Figure", nxt: "Figure") -> None:
    """'caseloads range between 6 – 19, with an average of 10': the range's subject governs
    the average that follows it, of the same measure."""
    between = rng.sentence[rng.mention.stop:nxt.mention.begin]
    if nxt.choice is not None and nxt.choice.indicator == rng.choice.indicator \
            and pattern(LANG, "elaborating_average").match(between):
        nxt.doubts = [d for d in nxt.doubts if d != UNGOVERNED]
