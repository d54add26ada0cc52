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

import regex

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
    words = regex.search(r"\d", mention.text).start()  # "range between 6 – 19": the words before the numbers
    sentence = sentence[:mention.begin] + " " * words + sentence[mention.begin + words:]
    ranged = load_relations().ranges
    units = {load_vocabulary()[ident].unit for ident in ranged} & units_for(mention)
    choice = choose(sentence, context, anchor, units)
    return choice if choice is not None and choice.indicator.id in ranged else None


def split_ends(found: list["Figure"]) -> None:
    """Each range figure becomes the low end of its measure, with the high end as its child."""
    for i, fig in enumerate(found):
        if fig.mention.kind == "range" and _split(fig):
            _govern_neighbours(fig, found[i - 1] if i else None, found[i + 1] if i + 1 < len(found) else None)


def _split(rng: "Figure") -> bool:
    """Make ``rng`` its measure's low end, with the high end as its child; a range of a
    measure without ends is no figure. Whether it was split."""
    ends = load_relations().range_ends(rng.choice.indicator.id) if rng.choice else None
    if ends is None:
        rng.choice, rng.skip = None, rng.skip or NOT_MEASURED
        return False
    low, high = (replace(rng.choice, indicator=load_vocabulary()[end]) for end in ends)
    rng.children.append(replace(rng, mention=replace(rng.mention, value=rng.mention.high), choice=high,
                                children=[], doubts=[]))  # it takes the range's doubts with its period
    rng.choice = low
    return True


def _govern_neighbours(rng: "Figure", before: "Figure | None", after: "Figure | None") -> None:
    """An average and the range of the same workers govern each other: 'caseloads range between
    6 – 19, with an average of 10', 'an average caseload of 18 (range 6-30)'."""
    measured = load_relations().range_pair(rng.choice.indicator.id)[0]
    s = rng.sentence
    if before is not None and before.choice is not None and before.choice.indicator.id == measured \
            and pattern(LANG, "bracketed_range").match(s[before.mention.stop:rng.mention.begin]):
        rng.doubts = [d for d in rng.doubts if d != UNGOVERNED]
    if after is not None and after.choice is not None and after.choice.indicator.id == measured \
            and pattern(LANG, "elaborating_average").match(s[rng.mention.stop:after.mention.begin]):
        after.doubts = [d for d in after.doubts if d != UNGOVERNED]
