"""Ingest files one at a time: hash, skip unchanged, process, store; a bad file never stops the batch."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from .extract.errors import ReadError
from .manifest import Manifest
from .pipeline import process
from .store.load import RunCounts, already_stored, store_failure, store_rejections, store_result

SUFFIXES = (".pdf", ".txt", ".md", ".html", ".htm")
CHUNK = 1 << 20


@dataclass
class Outcome:
    """What happened to one file: stored, skipped (unchanged) or failed with a reason."""
    path: Path
    status: str
    reason: str = ""
    pages: int = 0
    figures: int = 0


def discover(paths: list[Path]) -> list[Path]:
    """The files named, and the report files under the folders named, sorted, each once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_file(engine: Engine, path: Path, manifest: Manifest, run_id: int, force: bool = False) -> Outcome:
    """Store one file's figures unless its content is already stored; failures are recorded, not raised."""
    sha = None
    try:
        sha = sha256_file(path)
        if not force and already_stored(engine, sha):
            return Outcome(path, "skipped")
        overrides = manifest.overrides_for(path)
        result = process(path, overrides)
        figures = store_result(engine, result, run_id, url=overrides.url)
        store_rejections(engine, run_id, str(path), result.rejected)
        return Outcome(path, "stored", pages=result.document.page_count, figures=figures)
    except Exception as err:  # one bad file must not stop the batch
        reason = _reason(err)
        store_failure(engine, str(path), sha, reason, run_id, detail=repr(err))
        return Outcome(path, "failed", reason=reason)


def _reason(err: Exception) -> str:
    """A short reason: the reader's fixed vocabulary, else the error itself."""
    if isinstance(err, ReadError):
        return f"{err.reason} ({err.detail})" if err.detail else err.reason
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return f"{type(err).__name__}: {err}"


def tally(counts: RunCounts, outcome: Outcome) -> None:
    """Add one file's outcome to the run's counts."""
    counts.seen += 1
    setattr(counts, outcome.status, getattr(counts, outcome.status) + 1)
    counts.pages += outcome.pages
    counts.figures += outcome.figures
