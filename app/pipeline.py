"""From a file path to a read Document, its Context and its Observations (no storage)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .extract import registry
from .extract.model import Document
from .extract.observation import Context, Observation
from .extract.read import read
from .extract.settings import ReadSettings
from .schemas.authorities import load_register
from .extract.frontmatter import front_matter
from .schemas.vocabulary import load_vocabulary

FRONT_TEXT = 6000  # characters of the opening pages searched for the authority


@dataclass
class Overrides:
    """What an analyst already knows about a file (a manifest row); blanks are None."""
    url: str | None = None
    authority: str | None = None
    meeting_date: date | None = None
    title: str | None = None


@dataclass
class Result:
    document: Document
    context: Context
    observations: list[Observation]
    rejected: list[tuple[Observation, str]] = field(default_factory=list)


def process(path: Path, overrides: Overrides | None = None, settings: ReadSettings | None = None) -> Result:
    """Read ``path`` and extract its figures. Raises ReadError for bad input."""
    document = read(Path(path), settings)
    ctx = context_for(document, overrides or Overrides())
    found: list[Observation] = []
    for parser in registry.applicable(document, ctx):
        for obs in parser.parse(document, ctx):
            obs.parser, obs.parser_version = parser.name, parser.version
            found.append(obs)
    kept, rejected = validate(supersede(found), ctx)
    return Result(document, ctx, dedupe(kept), rejected)


def context_for(document: Document, overrides: Overrides) -> Context:
    """Front matter and authority, with the analyst's overrides taking precedence."""
    front = front_matter(document)
    authority = overrides.authority or parser_authority(document)
    if authority is None:
        on = overrides.meeting_date or front.meeting_date  # names shared across a reorganisation go by date
        found = load_register().detect(document.text()[:FRONT_TEXT], on) or load_register().detect(document.text(), on)
        authority = found.code if found else None
    return Context(
        meeting_date=overrides.meeting_date or front.meeting_date,
        authority_code=authority,
        committee=front.committee,
        title=overrides.title or front.title or document.title,
    )


def parser_authority(document: Document) -> str | None:
    """The authority a specific parser reads from the document itself (an Ofsted report's
    title), which is surer than names found anywhere in its text."""
    for parser in registry.applicable(document, Context()):
        code = parser.authority(document) if hasattr(parser, "authority") else None
        if code:
            return code
    return None


def supersede(found: list[Observation]) -> list[Observation]:
    """A specific parser's indicators replace the generic parser's for the same indicator."""
    generic = {name for name, cls in registry.available().items() if cls.applies_to.generic}
    specific = {o.indicator for o in found if o.parser not in generic}
    return [o for o in found if o.parser not in generic or o.indicator not in specific]


def validate(found: list[Observation], ctx: Context) -> tuple[list[Observation], list[tuple[Observation, str]]]:
    """Split figures into plausible ones and rejected ones with a reason."""
    vocabulary = load_vocabulary()
    inverted = _inverted_ranges(found)
    kept, rejected = [], []
    for obs in found:
        reason = vocabulary[obs.indicator].plausible(obs.value)
        if reason is None and id(obs) in inverted:
            reason = "a minimum above its maximum"
        if reason is None and obs.qualifier == "actual" and ctx.meeting_date and obs.period_start \
                and obs.period_start > ctx.meeting_date:
            reason = "an actual for a period after the meeting date"
        if reason is None:
            kept.append(obs)
        else:
            rejected.append((obs, reason))
    return kept, rejected


def _inverted_ranges(found: list[Observation]) -> set[int]:
    """Ids of ``_min``/``_max`` figures whose pair (same area, period, breakdown) has min > max."""
    pairs: dict[tuple, dict[str, Observation]] = {}
    for obs in found:
        if obs.indicator.endswith(("_min", "_max")):
            key = (obs.indicator[:-4], obs.area_code, obs.period_end, obs.breakdown, obs.qualifier)
            pairs.setdefault(key, {})[obs.indicator[-3:]] = obs
    return {id(o) for pair in pairs.values() if len(pair) == 2 and pair["min"].value > pair["max"].value
            for o in pair.values()}


def dedupe(found: list[Observation]) -> list[Observation]:
    """One fact, one row: the same figure stated twice keeps its most confident statement."""
    best: dict[tuple, Observation] = {}
    for obs in found:
        key = obs.key()
        if key not in best or obs.confidence > best[key].confidence:
            best[key] = obs
    return list(best.values())
