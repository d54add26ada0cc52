"""From a file path to a read Document, its Context and its Observations (no storage)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .extract.model import Document
from .extract.observation import Context, Observation


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


def process(path: Path, overrides: Overrides | None = None) -> Result:
    """Read ``path`` and extract its figures. Raises ReadError for bad input."""
    raise NotImplementedError
