"""Sibling indicators: the same children counted, as a rate per 10,000 or restated in brackets."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..schemas.vocabulary import load_relations, load_vocabulary
from .numbers import Mention
from .subjects import Choice

if TYPE_CHECKING:
    from .prose import Figure


def _sibling(choice: Choice, indicator_id: str) -> Choice:
    return Choice(load_vocabulary()[indicator_id], choice.cost, choice.in_context, choice.governs)


def as_rate(choice: Choice | None, fig: Figure) -> Choice | None:
    """'peaked at 64.3 (630 children)': a fractional figure of a count, restated by a whole
    count in brackets, is the rate per 10,000 children of that count."""
    if choice is None or choice.indicator.unit != "count" or fig.mention.value == int(fig.mention.value):
        return choice
    rate = load_relations().rate_per_10k(choice.indicator.id)
    counted = [c for c in fig.children if c.mention.kind in ("count", "word") and c.mention.value == int(c.mention.value)]
    return _sibling(choice, rate) if rate and counted else choice


def restated(parent: Choice | None, mention: Mention) -> Choice | None:
    """'26% (56 posts)': the bracketed count of the parent's rate (sw_agency_rate → sw_agency_count)."""
    if parent is None or mention.is_percent:
        return None
    kind = "fte" if mention.unit_word.lower() == "fte" else "count"
    sibling = load_relations().restating(parent.indicator.id, kind) or (
        load_relations().count_of_rate(parent.indicator.id) if kind == "count" else None)
    return _sibling(parent, sibling) if sibling else None


def in_units(topic: Choice | None, units: set[str]) -> Choice | None:
    """The paragraph's subject as the figure's unit has it: a count's rate per 10,000 for a rate."""
    if topic is None or topic.indicator.unit in units:
        return topic
    relations = load_relations()
    sibling = relations.rate_per_10k(topic.indicator.id) or relations.count_of_rate(topic.indicator.id)
    if sibling and load_vocabulary()[sibling].unit in units:
        return Choice(load_vocabulary()[sibling], topic.cost, True)
    return None
