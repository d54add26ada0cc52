"""A file through the stages: read → classify → parse → normalise (storing is the caller's)."""
from __future__ import annotations

from pathlib import Path

from .extract import registry
from .extract.classify import Overrides, classify
from .extract.parse import parse
from .extract.quality import checked
from .extract.read import read
from .extract.settings import ReadSettings
from .normalise.observations import Result, normalise

__all__ = ["Overrides", "Result", "process"]


def process(path: Path, overrides: Overrides | None = None, settings: ReadSettings | None = None) -> Result:
    """Read ``path`` and extract its observations. Raises ReadError for bad input, a file
    that is not a report included; ``Result.warnings`` says what was doubtful in the reading."""
    document, warnings = checked(read(Path(path), settings))
    ctx = classify(document, overrides)
    result = normalise(document, ctx, parse(document, ctx), registry.generic_names())
    result.warnings = warnings
    return result
