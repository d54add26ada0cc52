"""Read from the store: the export, comparisons across authorities, documents, runs and the review queue."""
from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Select, desc, func, or_, select
from sqlalchemy.orm import selectinload

from . import models as m
from .db import session

EXPORT_COLUMNS = ("document", "authority_code", "authority_name", "indicator", "period_start",
                  "period_end", "value", "unit", "breakdown", "qualifier", "page", "evidence",
                  "parser", "parser_version", "confidence", "status")
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


def value_of(obs: m.Observation) -> float | int | str | None:
    """The figure as reported: grade text, a whole number as int, else the float."""
    if obs.value is None:
        return obs.value_text
    return int(obs.value) if obs.value.is_integer() else obs.value


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _figures() -> Select[Any]:
    """Observations of successfully stored documents, with their document and area loaded."""
    return (select(m.Observation).join(m.Observation.document)
            .where(m.Document.status == "ok")
            .options(selectinload(m.Observation.document), selectinload(m.Observation.area)))


def export_rows(engine: Engine, include_review: bool = False) -> list[dict[str, Any]]:
    """Every stored figure as a flat row with ``EXPORT_COLUMNS``; needs-review figures only on request."""
    query = _figures().order_by(m.Document.name, m.Observation.page, m.Observation.id)
    if not include_review:
        query = query.where(m.Observation.status == "ok")
    with session(engine) as s:
        return [_export_row(obs) for obs in s.scalars(query)]


def _export_row(obs: m.Observation) -> dict[str, Any]:
    return {
        "document": obs.document.name, "authority_code": obs.area_code or "",
        "authority_name": obs.area.name if obs.area else "", "indicator": obs.indicator_id,
        "period_start": _iso(obs.period_start), "period_end": _iso(obs.period_end),
        "value": value_of(obs), "unit": obs.unit, "breakdown": obs.breakdown,
        "qualifier": obs.qualifier, "page": obs.page, "evidence": obs.evidence,
        "parser": obs.parser, "parser_version": obs.parser_version,
        "confidence": obs.confidence, "status": obs.status,
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


def compare(engine: Engine, indicator: str, period: str | None = None, latest: bool = False,
            qualifier: str = "actual") -> list[CompareRow]:
    """One row per area for ``indicator``: the figure ending in ``period`` ('YYYY-MM'), else the latest.

    Only reported figures with ``qualifier`` (actuals by default; ask again for targets) and status
    ok. Whole-authority figures are preferred to breakdowns, then later periods and meetings.
    """
    if period and latest:
        raise ValueError("give a period or ask for the latest, not both")
    check_indicator(engine, indicator)
    query = _figures().where(m.Observation.indicator_id == indicator, m.Observation.status == "ok",
                             m.Observation.qualifier == qualifier, m.Observation.source == "reported",
                             m.Observation.area_code.is_not(None))
    if period:
        first, last = month_bounds(period)
        query = query.where(m.Observation.period_end.between(first, last))
    with session(engine) as s:
        best: dict[str, m.Observation] = {}
        for obs in sorted(s.scalars(query), key=_preference):
            best.setdefault(obs.area_code, obs)
        rows = [_compare_row(obs) for obs in best.values()]
    return sorted(rows, key=lambda r: (r.area_kind != "authority", r.area_name))


def _preference(obs: m.Observation) -> tuple:
    """Sort key: whole authority first, then latest period, latest meeting, most confident."""
    return (obs.breakdown != "", -(obs.period_end or date.min).toordinal(),
            -(obs.document.meeting_date or date.min).toordinal(), -obs.confidence, obs.id)


def _compare_row(obs: m.Observation) -> CompareRow:
    area = obs.area
    return CompareRow(
        area_code=obs.area_code or "", area_name=area.name if area else "", area_kind=area.kind if area else "",
        value=value_of(obs), unit=obs.unit, period_start=obs.period_start, period_end=obs.period_end,
        qualifier=obs.qualifier, breakdown=obs.breakdown, document=obs.document.name, page=obs.page)


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
