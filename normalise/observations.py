"""The normalise stage: a document's raw figures become its observations.

Three steps, in order, each keeping or refusing every figure with a reason:

1. **Supersede.** A specific parser (one whose ``AppliesTo`` names authorities, document
   types or titles) knows its documents better than the generic parsers: for every
   indicator a specific parser yields, the generic parsers' figures of that indicator in
   the same document are refused. Their other indicators stay.
2. **Validate.** A value outside the indicator's plausible range, a range whose minimum
   exceeds its maximum, and an actual for a period after the meeting are refused.
3. **One fact, one row.** A figure stated twice in one paper is kept once, in its most
   confident statement; a count stated once with its breakdown ('790 non-UASC') and again
   without it (a chart caption's '790') is that part again, not the whole.
4. **Conflicts.** Two different values, each confident enough to export, for one indicator,
   period, area and breakdown: at least one is misread (a part taken for the whole, a period
   lost), so all but the single most confident wait for review with that reason (all of them
   when none is more confident than the rest).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..extract.model import Document
from ..extract.observation import REVIEW_BELOW, Context, Observation
from ..schemas.vocabulary import load_relations, load_vocabulary
from ..schemas.areas import ENGLAND, is_region

Refused = tuple[Observation, str]
CONFLICT = "the paper gives another value for the same indicator, period and area"
CONFLICT_COST = 0.35  # as much as any doubt: enough to send the figure to review


@dataclass
class Result:
    """A document with its context, the observations to store, the figures refused and the reading's warnings."""
    document: Document
    context: Context
    observations: list[Observation]
    rejected: list[Refused] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # doubts about the reading, one line each


def normalise(document: Document, ctx: Context, found: list[Observation], generic: set[str]) -> Result:
    """Supersede, validate and de-duplicate ``found``; ``generic`` names the generic parsers."""
    kept, superseded = supersede(found, generic)
    valid, invalid = validate(kept, ctx)
    unique, repeated = dedupe(valid)
    doubt_conflicts(unique)
    return Result(document, ctx, unique, superseded + invalid + repeated)


def supersede(found: list[Observation], generic: set[str]) -> tuple[list[Observation], list[Refused]]:
    """Rule 1: a specific parser's indicators replace the generic parsers' figures of them."""
    specific = {o.indicator: o.parser for o in found if o.parser not in generic}
    kept, refused = [], []
    for obs in found:
        if obs.parser in generic and obs.indicator in specific:
            refused.append((obs, f"superseded by the {specific[obs.indicator]} parser"))
        else:
            kept.append(obs)
    return kept, refused


def validate(found: list[Observation], ctx: Context) -> tuple[list[Observation], list[Refused]]:
    """Rule 2: split figures into plausible ones and refused ones with their reason."""
    vocabulary = load_vocabulary()
    inverted = _inverted_ranges(found)
    kept, refused = [], []
    for obs in found:
        aggregate = obs.area_code is not None and (obs.area_code == ENGLAND or is_region(obs.area_code))
        reason = vocabulary[obs.indicator].plausible(obs.value, aggregate)
        if reason is None and id(obs) in inverted:
            reason = "a minimum above its maximum"
        if reason is None and obs.qualifier == "actual" and ctx.meeting_date and obs.period_start \
                and obs.period_start > ctx.meeting_date:
            reason = "an actual for a period after the meeting date"
        if reason is None:
            kept.append(obs)
        else:
            refused.append((obs, reason))
    return kept, refused


def _inverted_ranges(found: list[Observation]) -> set[int]:
    """Ids of range ends whose pair (same area, period, breakdown, qualifier) has min > max."""
    relations = load_relations()
    pairs: dict[tuple, dict[int, Observation]] = {}
    for obs in found:
        end = relations.range_pair(obs.indicator)
        if end is not None:
            key = (end[0], obs.area_code, obs.period_end, obs.breakdown, obs.qualifier)
            pairs.setdefault(key, {})[end[1]] = obs
    return {id(o) for pair in pairs.values() if len(pair) == 2 and pair[0].value > pair[1].value
            for o in pair.values()}


def dedupe(found: list[Observation]) -> tuple[list[Observation], list[Refused]]:
    """Rule 3: one fact, one row; a repeated statement of a fact keeps the most confident."""
    found, restated = _parts_restated(found)
    best: dict[tuple, Observation] = {}
    for obs in found:
        key = obs.key()
        if key not in best or obs.confidence > best[key].confidence:
            best[key] = obs
    kept = {id(o) for o in best.values()}
    return list(best.values()), [(o, "the same fact stated again in the document") for o in found if id(o) not in kept] \
        + [(o, "a part stated again without its breakdown") for o in restated]


def _parts_restated(found: list[Observation]) -> tuple[list[Observation], list[Observation]]:
    """(the rest, counts stated without a breakdown that the paper states with one: the same
    indicator, period, owner, qualifier and value). Only counts: a rate or an average may
    equal another by chance."""
    def fact(o: Observation) -> tuple:
        return o.indicator, o.period_end, o.area_code, o.qualifier, o.value
    parts = {fact(o) for o in found if o.breakdown and o.unit == "count"}
    restated = [o for o in found if not o.breakdown and o.unit == "count" and fact(o) in parts]
    ids = {id(o) for o in restated}
    return [o for o in found if id(o) not in ids], restated


def doubt_conflicts(found: list[Observation]) -> None:
    """Rule 4: figures that contradict one another lose confidence and say why, but for one
    stated more surely than all the others."""
    groups: dict[tuple, list[Observation]] = {}
    for obs in found:
        if isinstance(obs.value, float) and obs.confidence >= REVIEW_BELOW:
            key = (obs.indicator, obs.period_end, obs.area_code, obs.breakdown.lower(), obs.qualifier)
            groups.setdefault(key, []).append(obs)
    for same in groups.values():
        low, high = min(o.value for o in same), max(o.value for o in same)
        if high - low > max(0.5, abs(high) * 0.005):  # '104.7' and '105' are one figure, rounded
            best = max(o.confidence for o in same)
            sure = [o for o in same if o.confidence == best]
            for obs in same:
                if len(sure) == 1 and obs is sure[0]:
                    continue  # the one stated more surely (its period written, not inferred) stands
                obs.notes.append(CONFLICT)
                obs.confidence = round(max(obs.confidence - CONFLICT_COST, 0.05), 2)
