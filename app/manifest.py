"""The ingest manifest: a CSV of what an analyst knows about files (``path,url,authority,meeting_date,title``).

Any cell may be blank. A row applies to a file whose full path or file name equals its ``path``
(a relative path with folders is taken from the current directory).
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from .schemas.authorities import load_register
from .extract.classify import Overrides

COLUMNS = ("path", "url", "authority", "meeting_date", "title")


class ManifestError(ValueError):
    """A manifest that cannot be used, naming the file and line."""


class Manifest:
    """Overrides by full path and by file name."""

    def __init__(self, rows: dict[str, Overrides]):
        self._rows = rows

    def overrides_for(self, path: Path) -> Overrides:
        """The overrides for a file: by full path, then by file name; blank if none."""
        for key in (str(path.resolve()), path.name):
            if key in self._rows:
                return self._rows[key]
        return Overrides()


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest; raises ManifestError naming the bad line."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if "path" not in (reader.fieldnames or []):
                raise ManifestError(f"{path}: no 'path' column (expected {', '.join(COLUMNS)})")
            rows = {}
            for line, row in enumerate(reader, start=2):
                key, overrides = _row(row, f"{path}:{line}")
                rows[key] = overrides
    except OSError as err:
        raise ManifestError(f"{path}: {err.strerror or err}") from err
    return Manifest(rows)


def _row(row: dict[str, str | None], where: str) -> tuple[str, Overrides]:
    """One manifest line as (path key, overrides)."""
    cell = {column: (row.get(column) or "").strip() for column in COLUMNS}
    if not cell["path"]:
        raise ManifestError(f"{where}: blank path")
    key = cell["path"]
    if Path(key).parent != Path("."):
        key = str(Path(key).resolve())
    return key, Overrides(url=cell["url"] or None, authority=_authority(cell["authority"], where),
                          meeting_date=_date(cell["meeting_date"], where), title=cell["title"] or None)


def _authority(text: str, where: str) -> str | None:
    """The GSS code of the named authority, or None when blank."""
    if not text:
        return None
    try:
        return load_register().lookup(text).code
    except LookupError as err:
        raise ManifestError(f"{where}: {err}") from err


def _date(text: str, where: str) -> date | None:
    """An ISO date, or None when blank."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise ManifestError(f"{where}: meeting_date must be YYYY-MM-DD, got {text!r}") from err
