"""A file through the stages: read → classify → parse → normalise (storing is the caller's)."""
from __future__ import annotations

from pathlib import Path

from .extract import registry
from .extract.classify import Overrides, classify
from .extract.parse import parse
from .extract.read import read
from .extract.settings import ReadSettings
from .normalise.observations import Result, normalise

__all__ = ["Overrides", "Result", "process"]


def process(path: Path, overrides: Overrides | None = None, settings: ReadSettings | None = None) -> Result:
    """Read ``path`` and extract its observations. Raises ReadError for bad input."""
    document = read(Path(path), settings)
    ctx = classify(document, overrides)
    return normalise(document, ctx, parse(document, ctx), registry.generic_names())
