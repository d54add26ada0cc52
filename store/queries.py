"""Read from the store: the export, comparisons and series across authorities, documents, runs and the review queue."""
from __future__ import annotations

import calendar
import difflib
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, Select, desc, func, or_, select
from sqlalchemy.orm import selectinload

from ..schemas.areas import ENGLAND, QUALIFIERS, neighbour_group
from ..schemas.authorities import load_register
from . import models as m
from .db import session
from .inspections import INSPECTION, latest_without
from .official import neighbours_of

EXPORT_COLUMNS = ("document", "authority_code", "authority_name", "indicator", "period_start",
                  "period_end", "value", "unit", "breakdown", "qualifier", "page", "evidence",
                  "bbox", "parser", "parser_version", "confidence", "status", "source")
SOURCES = {"reported": ("reported",), "official": ("official",), "both": ("reported", "official")}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class CompareRow:
    """One area's figure for an indicator."""
    area_code: str
    area_name: str
    area_kind: str
    value: float | str | None
    unit: str
    period_start: date | None
    period_end: date | None
    qualifier: str
    breakdown: str
    document: str
    page: int | None
    source: str = "reported"
    status: str = "ok"
    rank: int | None = None  # 1 = highest, set by ``comparison`` for whole-authority numbers
    role: str = ""  # focal / neighbour, set by ``comparison``


@dataclass
class Comparison:
    """An indicator across authorities: ranked rows first, then unranked (breakdowns, grades); comparators apart.

    With a focal authority, ``mean`` and ``median`` summarise its neighbours' ranked values
    (``counted`` of them) and ``missing`` names the members of the group with no figure.
    """
    rows: list[CompareRow]
    comparators: list[CompareRow]
    focal: str | None = None
    mean: float | None = None
    median: float | None = None
    counted: int = 0
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a latest inspection without this judgement


@dataclass
class Series:
    """Values over time: one line per authority (and breakdown, and source when both are asked for)."""
    indicator: str
    lines: dict[str, list[CompareRow]]

    def periods(self) -> list[tuple[date | None, date | None]]:
        """Every (start, end) of any line, by end then start."""
        spans = {(r.period_start, r.period_end) for rows in self.lines.values() for r in rows}
        return sorted(spans, key=lambda span: (span[1] or date.min, span[0] or date.min))

    def table(self) -> list[list[Any]]:
        """One row per period: its label, then each line's value (None where it has none)."""
        at = {(label, r.period_start, r.period_end): r.value for label, rows in self.lines.items() for r in rows}
        return [[period_label(*span), *(at.get((label, *span)) for label in self.lines)] for span in self.periods()]


def period_label(start: date | None, end: date | None) -> str:
    """'2024-07' for a calendar month, the date for a point in time, else 'start to end'."""
    if end is None:
        return ""
    if start is None or start == end:
        return end.isoformat()
    if start == end.replace(day=1) and end == month_bounds(end.strftime("%Y-%m"))[1]:
        return end.strftime("%Y-%m")
    return f"{start.isoformat()} to {end.isoformat()}"


def value_of(obs: m.Observation) -> float | int | str | None:
    """The figure as reported: grade text, a whole number as int, else the float."""
    if obs.value is None:
        return obs.value_text
    return int(obs.value) if obs.value.is_integer() else obs.value


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _bbox(obs: m.Observation) -> str:
    """Where the evidence is on its page, "x0 top x1 bottom" in PDF points; blank without geometry."""
    box = (obs.x0, obs.top, obs.x1, obs.bottom)
    return "" if None in box else " ".join(f"{v:.1f}" for v in box)


def _figures() -> Select[Any]:
    """Observations of successfully stored documents, with their document and area loaded."""
    return (select(m.Observation).join(m.Observation.document)
            .where(m.Document.status == "ok")
            .options(selectinload(m.Observation.document), selectinload(m.Observation.area)))


def sources(source: str) -> tuple[str, ...]:
    """The stored sources meant by 'reported', 'official' or 'both'; ValueError otherwise."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    return SOURCES[source]


def area_codes(names: Iterable[str]) -> list[str]:
    """The register's codes for areas named by GSS code, DfE code or name; LookupError with close matches."""
    register = load_register()
    return list(dict.fromkeys(register.lookup(name).code for name in names))


def export_rows(engine: Engine, include_review: bool = False, *, indicators: Iterable[str] = (),
                authorities: Iterable[str] = (), since: date | None = None, until: date | None = None,
                source: str = "reported") -> list[dict[str, Any]]:
    """Stored figures as flat rows with ``EXPORT_COLUMNS``: needs-review figures only on request.

    Optionally only some indicators, some areas (named as ``area_codes`` takes them), periods
    ending from ``since`` to ``until``, and reported (default), official or both sources.
    """
    query = (_figures().where(m.Observation.source.in_(sources(source)))
             .order_by(m.Document.name, m.Observation.page, m.Observation.id))
    if not include_review:
        query = query.where(m.Observation.status == "ok")
    if indicators := list(indicators):
        for indicator in indicators:
            check_indicator(engine, indicator)
        query = query.where(m.Observation.indicator_id.in_(indicators))
    if authorities := list(authorities):
        query = query.where(m.Observation.area_code.in_(area_codes(authorities)))
    if since:
        query = query.where(m.Observation.period_end >= since)
    if until:
        query = query.where(m.Observation.period_end <= until)
    with session(engine) as s:
        return [_export_row(obs) for obs in s.scalars(query)]


def _export_row(obs: m.Observation) -> dict[str, Any]:
    return {
        "document": obs.document.name, "authority_code": obs.area_code or "",
        "authority_name": obs.area.name if obs.area else "", "indicator": obs.indicator_id,
        "period_start": _iso(obs.period_start), "period_end": _iso(obs.period_end),
        "value": value_of(obs), "unit": obs.unit, "breakdown": obs.breakdown,
        "qualifier": obs.qualifier, "page": obs.page, "evidence": obs.evidence, "bbox": _bbox(obs),
        "parser": obs.parser, "parser_version": obs.parser_version,
        "confidence": obs.confidence, "status": obs.status, "source": obs.source,
    }


def check_indicator(engine: Engine, indicator: str) -> None:
    """Raise LookupError, naming close ids, unless ``indicator`` is in the vocabulary."""
    with session(engine) as s:
        ids = list(s.scalars(select(m.Indicator.id)))
    if indicator not in ids:
        close = difflib.get_close_matches(indicator, ids, n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `scrutiny indicators`"
        raise LookupError(f"unknown indicator {indicator!r}{hint}")


def month_bounds(period: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month; ValueError otherwise."""
    found = _MONTH.match(period.strip())
    if not found:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    year, month = int(found[1]), int(found[2])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def date_bound(text: str, end: bool = False) -> date:
    """A 'YYYY-MM-DD' date, or a 'YYYY-MM' month's first day (its last with ``end``); ValueError otherwise."""
    if _MONTH.match(text.strip()):
        return month_bounds(text)[end]
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"date must be YYYY-MM or YYYY-MM-DD, got {text!r}") from None


def _selected(engine: Engine, indicator: str, qualifier: str, source: str, breakdown: str | None,
              include_review: bool) -> Select[Any]:
    """Figures of an indicator with a qualifier from the given sources, of a known area.

    ``breakdown`` None takes every breakdown; text takes those containing it (any case; "" for
    whole-authority figures only).
    """
    check_indicator(engine, indicator)
    query = _figures().where(m.Observation.indicator_id == indicator, m.Observation.qualifier == qualifier,
                             m.Observation.source.in_(sources(source)), m.Observation.area_code.is_not(None))
    if not include_review:
        query = query.where(m.Observation.status == "ok")
    if breakdown == "":
        query = query.where(m.Observation.breakdown == "")
    elif breakdown is not None:
        query = query.where(func.lower(m.Observation.breakdown).contains(breakdown.lower(), autoescape=True))
    return query


def compare(engine: Engine, indicator: str, period: str | None = None, latest: bool = False,
            qualifier: str = "actual", *, source: str = "reported", breakdown: str | None = None,
            areas: Iterable[str] | None = None, include_review: bool = False) -> list[CompareRow]:
    """One row per area (and source) for ``indicator``: the figure ending in ``period`` ('YYYY-MM'), else the latest.

    Figures with ``qualifier`` (actuals by default; ask again for targets), status ok unless
    ``include_review``, optionally only of ``areas`` (codes). Without ``breakdown`` whole-authority
    figures are preferred to breakdowns; with it, only breakdowns containing that text count.
    Then later periods, later meetings and higher confidence win.
    """
    if period and latest:
        raise ValueError("give a period or ask for the latest, not both")
    query = _selected(engine, indicator, qualifier, source, breakdown, include_review)
    if areas is not None:
        query = query.where(m.Observation.area_code.in_(list(areas)))
    if period:
        first, last = month_bounds(period)
        query = query.where(m.Observation.period_end.between(first, last))
    with session(engine) as s:
        best: dict[tuple[str, str], m.Observation] = {}
        for obs in sorted(s.scalars(query), key=_preference):
            best.setdefault((obs.area_code, obs.source), obs)
        rows = [_compare_row(obs) for obs in best.values()]
    return sorted(rows, key=lambda r: (r.area_kind != "authority", r.area_name, r.source))


def comparison(engine: Engine, indicator: str, period: str | None = None, latest: bool = False,
               qualifier: str = "actual", *, source: str = "reported", breakdown: str | None = None,
               include_review: bool = False, focal: str | None = None, region: str | None = None) -> Comparison:
    """``compare`` as a researcher reads it: authorities ranked, comparator areas apart.

    Only whole-authority numbers are ranked, unless ``breakdown`` selects the figures. With
    ``focal`` (any name ``area_codes`` takes) only it and its statistical neighbours are shown,
    beside England, its region and its neighbour group ``SN-<code>``; with ``region`` (an E12
    code) its authorities beside England and the region.
    """
    if focal and region:
        raise ValueError("compare with an authority's neighbours or within a region, not both")
    members: list[str] | None = None
    comparators: set[str] | None = None
    if focal:
        [focal] = area_codes([focal])
        members = [focal, *neighbours_of(engine, focal)]
        comparators = {ENGLAND, neighbour_group(focal), *filter(None, [load_register().get(focal).region_code])}
    elif region:
        with session(engine) as s:
            members = list(s.scalars(select(m.Authority.code).where(
                m.Authority.region_code == region, m.Authority.kind == "authority")))
        comparators = {ENGLAND, region}
    areas = None if members is None else [*members, *comparators]
    rows = compare(engine, indicator, period, latest, qualifier, source=source, breakdown=breakdown,
                   areas=areas, include_review=include_review)
    found = Comparison([r for r in rows if r.area_kind == "authority"],
                       [r for r in rows if r.area_kind != "authority"], focal)
    ranked = sorted((r for r in found.rows if isinstance(r.value, (int, float))
                     and (breakdown is not None or not r.breakdown)), key=lambda r: -r.value)
    for row in found.rows:
        row.role = "focal" if row.area_code == focal else "neighbour" if focal else ""
    for row in ranked:
        row.rank = 1 + sum(other.value > row.value for other in ranked)
    found.rows = ranked + [r for r in found.rows if r.rank is None]
    if not period and qualifier == "actual" and source == "reported":
        found.notes = latest_without(engine, indicator, members)
    values = [float(r.value) for r in ranked if r.role == "neighbour"]
    if values:
        found.mean, found.median, found.counted = statistics.mean(values), statistics.median(values), len(values)
    if members is not None:
        shown = {r.area_code for r in found.rows}
        register = load_register()
        found.missing = [area.name if (area := register.get(code)) else code for code in members if code not in shown]
    return found


def series(engine: Engine, indicator: str, authorities: Iterable[str], qualifier: str = "actual", *,
           source: str = "reported", breakdown: str | None = "", include_review: bool = False) -> Series:
    """``indicator`` over time for the named authorities (as ``area_codes`` takes them), periods in order.

    Whole-authority figures by default; ``breakdown`` text takes breakdowns containing it, a line each.
    Where several figures share an area, breakdown, source and period, the latest meeting's wins.
    """
    codes = area_codes(authorities)
    query = _selected(engine, indicator, qualifier, source, breakdown, include_review)
    with session(engine) as s:
        best: dict[tuple, m.Observation] = {}
        for obs in sorted(s.scalars(query.where(m.Observation.area_code.in_(codes))), key=_preference):
            best.setdefault((obs.area_code, obs.breakdown, obs.source, obs.period_start, obs.period_end), obs)
        rows = [_compare_row(obs) for obs in best.values()]
    lines: dict[str, list[CompareRow]] = {}
    for row in sorted(rows, key=lambda r: (codes.index(r.area_code), r.breakdown, sources(source).index(r.source),
                                           r.period_end or date.min, r.period_start or date.min)):
        label = row.area_name + (f": {row.breakdown}" if row.breakdown else "")
        lines.setdefault(label + (f" ({row.source})" if source == "both" else ""), []).append(row)
    return Series(indicator, lines)


def _preference(obs: m.Observation) -> tuple:
    """Sort key: whole authority first, a grade from an inspection report before one quoted
    elsewhere, then latest period, latest meeting, most confident."""
    quoted = obs.unit == "grade" and obs.document.doc_type != INSPECTION
    return (obs.breakdown != "", quoted, -(obs.period_end or date.min).toordinal(),
            -(obs.document.meeting_date or date.min).toordinal(), -obs.confidence, obs.id)


def _compare_row(obs: m.Observation) -> CompareRow:
    area = obs.area
    return CompareRow(
        area_code=obs.area_code or "", area_name=area.name if area else "", area_kind=area.kind if area else "",
        value=value_of(obs), unit=obs.unit, period_start=obs.period_start, period_end=obs.period_end,
        qualifier=obs.qualifier, breakdown=obs.breakdown, document=obs.document.name, page=obs.page,
        source=obs.source, status=obs.status)


def show(engine: Engine, wanted: str) -> m.Document:
    """A document by file name, path, stem or hash (prefix of 6+ characters), with its figures.

    Raises LookupError when none or several match.
    """
    conditions = [m.Document.name == wanted, m.Document.path == wanted, m.Document.name.startswith(wanted + ".", autoescape=True)]
    if len(wanted) >= 6:
        conditions.append(m.Document.sha256.startswith(wanted.lower(), autoescape=True))
    query = (select(m.Document).where(or_(*conditions))
             .options(selectinload(m.Document.observations).selectinload(m.Observation.area),
                      selectinload(m.Document.authority)))
    with session(engine) as s:
        found = list(s.scalars(query))
    if not found:
        raise LookupError(f"no stored document matches {wanted!r}")
    if len(found) > 1:
        raise LookupError(f"{wanted!r} matches several documents: {', '.join(d.name for d in found)}")
    return found[0]


def runs(engine: Engine) -> list[m.IngestRun]:
    """Ingest runs, newest first."""
    with session(engine) as s:
        return list(s.scalars(select(m.IngestRun).order_by(desc(m.IngestRun.id))))


def failures(engine: Engine, run_id: int | None = None) -> tuple[int | None, list[m.RunEvent]]:
    """The files that failed in a run (the latest by default): (run id, error events)."""
    with session(engine) as s:
        if run_id is None:
            run_id = s.scalar(select(m.IngestRun.id).order_by(desc(m.IngestRun.id)).limit(1))
        elif s.get(m.IngestRun, run_id) is None:
            raise LookupError(f"no ingest run {run_id}")
        events = s.scalars(select(m.RunEvent).where(m.RunEvent.run_id == run_id, m.RunEvent.level == "error")
                           .order_by(m.RunEvent.id))
        return run_id, list(events)


def review_queue(engine: Engine) -> list[m.Observation]:
    """Figures waiting for an analyst's decision, by document and page."""
    query = (_figures().where(m.Observation.status == "needs_review")
             .order_by(m.Document.name, m.Observation.page, m.Observation.id))
    with session(engine) as s:
        return list(s.scalars(query))


def count_observations(engine: Engine) -> int:
    """How many figures are stored."""
    with session(engine) as s:
        return s.scalar(select(func.count(m.Observation.id))) or 0
