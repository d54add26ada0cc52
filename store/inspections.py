"""Each authority's inspection history: its stored Ofsted inspections and visits in date order.

A document's type, and for an inspection or visit its framework, dates, theme and note,
are stored on its row in ``documents`` (``event_columns``); the judgements are its
``ofsted_*`` figures. A visit or joint inspection letter gives no grade; a report of a
framework before 2013 stores none (its note says why); a graded inspection that gives
no overall effectiveness grade says so rather than have one inferred.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from . import models as m
from .db import session

if TYPE_CHECKING:
    from ..extract.observation import Context

INSPECTION = "ofsted-inspection"
GRADED_FRAMEWORKS = ("ilacs", "sif")
OVERALL = "ofsted_overall_effectiveness"
# judgement indicator -> column of the history
JUDGEMENTS: dict[str, str] = {
    OVERALL: "overall", "ofsted_leadership": "leadership", "ofsted_help_and_protection": "help_and_protection",
    "ofsted_children_in_care": "children_in_care", "ofsted_care_leavers": "care_leavers",
    "ofsted_adoption": "adoption",
}
COLUMNS = ("authority_code", "authority_name", "start", "end", "doc_type", "framework", "theme",
           *JUDGEMENTS.values(), "note", "document")
NO_OVERALL = "no overall effectiveness grade given"
NO_GRADE = "no graded judgement: a visit, joint or area SEND inspection"


@dataclass
class Event:
    """One inspection or visit of an authority, with the judgements stored from it."""
    authority_code: str
    authority_name: str
    start: date | None
    end: date | None
    doc_type: str
    framework: str | None
    theme: str | None
    note: str | None
    document: str
    judgements: dict[str, str] = field(default_factory=dict)

    @property
    def graded(self) -> bool:
        return self.doc_type == INSPECTION and self.framework in GRADED_FRAMEWORKS

    def row(self) -> dict[str, Any]:
        """The event as a flat row with ``COLUMNS``: dates ISO, judgements a column each."""
        return {"authority_code": self.authority_code, "authority_name": self.authority_name,
                "start": self.start.isoformat() if self.start else "", "end": self.end.isoformat() if self.end else "",
                "doc_type": self.doc_type, "framework": self.framework or "", "theme": self.theme or "",
                **{column: self.judgements.get(indicator, "") for indicator, column in JUDGEMENTS.items()},
                "note": self.note or "", "document": self.document}


def event_columns(ctx: Context) -> dict[str, Any]:
    """The ``documents`` columns for a document's type and, for an inspection or visit, its event."""
    kind = ctx.doc_kind
    if kind is None:
        return {"doc_type": ctx.doc_type}
    return {"doc_type": kind.doc_type, "event_framework": kind.framework, "event_start": kind.first_day,
            "event_end": kind.last_day, "event_theme": kind.theme, "event_note": kind.note}


def history(engine: Engine, authority: str) -> list[Event]:
    """Every stored inspection and visit of ``authority`` (GSS code, DfE code or name), oldest first."""
    from .queries import area_codes

    [code] = area_codes([authority])
    query = (select(m.Document)
             .where(m.Document.status == "ok", m.Document.authority_code == code, m.Document.doc_type.like("ofsted-%"))
             .options(selectinload(m.Document.observations), selectinload(m.Document.authority)))
    with session(engine) as s:
        events = [_event(doc) for doc in s.scalars(query)]
    return sorted(events, key=lambda e: (e.end or e.start or date.min, e.start or date.min, e.document))


def latest_without(engine: Engine, indicator: str, codes: list[str] | None = None) -> list[str]:
    """A line for each authority (of ``codes``, else all) whose latest graded inspection gives no
    ``indicator`` judgement, such as a 2026 report without an overall effectiveness grade."""
    if indicator not in JUDGEMENTS:
        return []
    query = (select(m.Document)
             .where(m.Document.status == "ok", m.Document.doc_type == INSPECTION,
                    m.Document.event_framework.in_(GRADED_FRAMEWORKS), m.Document.authority_code.is_not(None))
             .options(selectinload(m.Document.observations), selectinload(m.Document.authority)))
    if codes is not None:
        query = query.where(m.Document.authority_code.in_(codes))
    with session(engine) as s:
        latest: dict[str, Event] = {}
        for event in sorted((_event(doc) for doc in s.scalars(query)), key=lambda e: e.end or e.start or date.min):
            latest[event.authority_code] = event
    label = indicator.removeprefix("ofsted_").replace("_", " ")
    return [f"{e.authority_name}: the latest inspection ({_span(e)}, {e.document}) gives no {label} judgement"
            for e in sorted(latest.values(), key=lambda e: e.authority_name) if indicator not in e.judgements]


def _event(doc: m.Document) -> Event:
    judgements = {obs.indicator_id: obs.value_text for obs in doc.observations
                  if obs.indicator_id in JUDGEMENTS and obs.status == "ok" and obs.value_text}
    event = Event(doc.authority_code or "", doc.authority.name if doc.authority else "", doc.event_start, doc.event_end,
                  doc.doc_type or "", doc.event_framework, doc.event_theme, doc.event_note, doc.name, judgements)
    if event.note is None and event.graded and judgements and OVERALL not in judgements:
        event.note = NO_OVERALL
    elif event.note is None and event.doc_type != INSPECTION:
        event.note = NO_GRADE
    return event


def _span(event: Event) -> str:
    if event.start and event.end and event.start != event.end:
        return f"{event.start.isoformat()} to {event.end.isoformat()}"
    day = event.end or event.start
    return day.isoformat() if day else "undated"
