"""What a parser yields: one figure with its meaning and provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .model import BBox

if TYPE_CHECKING:
    from .doctypes import DocKind

REVIEW_BELOW = 0.6  # figures less confident than this wait for an analyst


@dataclass
class Observation:
    """One figure about one area, indicator and period, traceable to its page and text.

    ``area_code`` is None for the reporting authority; a comparator figure (England,
    a region, a statistical-neighbour group ``SN-<code>``) names its own area.
    ``value`` is a float, or a text for grades.
    """
    indicator: str
    value: float | str
    unit: str
    period_start: date | None
    period_end: date | None
    evidence: str
    page: int | None
    bbox: BBox | None = None
    breakdown: str = ""
    qualifier: str = "actual"
    area_code: str | None = None
    confidence: float = 0.9
    parser: str = ""
    parser_version: str = ""
    notes: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        """Identity of the fact stated, used to keep one row per fact in a document."""
        value = round(self.value, 4) if isinstance(self.value, float) else str(self.value).lower()
        return (self.area_code, self.indicator, self.period_end, value,
                self.breakdown.lower(), self.qualifier)


@dataclass
class Context:
    """What is known about a document before its figures are parsed."""
    meeting_date: date | None = None
    authority_code: str | None = None
    committee: str | None = None
    title: str | None = None
    doc_type: str | None = None
    doc_kind: DocKind | None = None  # the type with an inspection's or visit's dates and theme
