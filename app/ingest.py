"""Ingest files: hash, skip unchanged, extract in worker processes, store one document per transaction.

Extraction runs in ``workers`` disposable processes (see ``workers.py``; in this process when
``workers`` is 0); the main process alone writes to the database, each document in its own
transaction, so a batch stopped at any point leaves no document half-stored and a re-run
finishes the rest. A bad file, or one whose worker died, becomes a failure with a reason; the
batch goes on. SIGTERM or SIGINT stops the batch between documents: ``Interrupted`` is raised
once every child process is stopped.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import forkserver
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from .extract.errors import ReadError
from .extract.read import suffixes
from .extract.settings import ReadSettings
from .manifest import Manifest
from .pipeline import Overrides, Result
from .store.db import retry_locked
from .store.load import (RunCounts, already_stored, store_failure, store_rejections, store_result,
                         store_warnings)
from .workers import MAX_MEMORY_MB, Limits, Pool

CHUNK = 1 << 20
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@dataclass
class Outcome:
    """What happened to one file: stored, skipped (unchanged), a duplicate of another file in the
    batch, or failed with a reason; with any warnings about its content."""
    path: Path
    status: str
    reason: str = ""
    pages: int = 0
    figures: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Job:
    path: Path
    sha256: str
    overrides: Overrides


@dataclass
class Extracted:
    """A worker's answer: the result (its pages released) or the reason it failed, and its peak RSS."""
    job: Job
    result: Result | None
    reason: str
    detail: str
    peak_rss_mb: float
    out_of_memory: bool = False


class Interrupted(Exception):
    """The batch was stopped by a signal; what was done is stored."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    def line(self, run_id: int, counts: RunCounts) -> str:
        """What was done, in one line."""
        return (f"interrupted by {self}: run {run_id} stopped after {counts.seen} documents ({counts.stored} stored, "
                f"{counts.skipped} skipped, {counts.failed} failed); run again to finish")


@dataclass
class Stop:
    """Set by SIGTERM or SIGINT: no new document starts, and the run ends with ``Interrupted``."""
    signum: int | None = None

    def requested(self) -> bool:
        return self.signum is not None

    def check(self) -> None:
        if self.signum is not None:
            raise Interrupted(self.signum)


@contextmanager
def stopping_on_signals() -> Iterator[Stop]:
    """A Stop that SIGTERM and SIGINT set (a second one interrupts at once), for the block's duration."""
    stop = Stop()

    def handler(signum: int, _frame) -> None:
        if stop.signum is not None:
            raise Interrupted(signum)
        stop.signum = signum

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def discover(paths: list[Path]) -> list[Path]:
    """The files named, and the report files under the folders named, sorted, each once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def sha256_file(path: Path) -> str:
    """The hex SHA-256 of a regular file's bytes; ReadError for a pipe, device or folder, which
    are never read (a pipe would wait for a writer for ever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError(str(path), "not a regular file")
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def reason_of(err: BaseException) -> str:
    """A short reason: the reader's fixed vocabulary, else the error itself."""
    if isinstance(err, ReadError):
        return f"{err.reason} ({err.detail})" if err.detail else err.reason
    if isinstance(err, FileNotFoundError):
        return "file not found"
    if isinstance(err, MemoryError):
        return "too large: ran out of memory under the worker's memory cap"
    if isinstance(err, TimeoutError):
        return str(err)
    if isinstance(err, OSError):
        return err.strerror or str(err)
    return f"{type(err).__name__}: {err}"


def _alarm(_signum, _frame) -> None:
    raise TimeoutError("took longer than the time limit")


def extract(job: Job, settings: ReadSettings, timeout: float) -> Extracted:
    """Run the pipeline on one file under a time limit (in a worker or in this process)."""
    from .pipeline import process  # the readers and spaCy load where the work is done

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = process(job.path, job.overrides, settings)
        result.document = result.document.released()
        return Extracted(job, result, "", "", _peak_rss_mb())
    except MemoryError as err:
        return Extracted(job, None, reason_of(err), "", _peak_rss_mb(), out_of_memory=True)
    except Exception as err:  # one bad file must not stop the batch
        return Extracted(job, None, reason_of(err), repr(err), _peak_rss_mb())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def lost(job: Job, reason: str) -> Extracted:
    """A job whose worker died or overran, as a failure naming why."""
    return Extracted(job, None, reason, "", 0.0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # vanished since it was hashed: its extraction reports that
        return 0


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_context() -> multiprocessing.context.BaseContext:
    """A forkserver that has imported the readers, parsers and spaCy once, for every worker."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scrutiny.pipeline", "scrutiny.extract.warm"])
    forkserver.ensure_running()
    return context


def plan(engine: Engine, files: list[Path], manifest: Manifest, force: bool) -> Iterator[Job | Outcome]:
    """Hash each file; an unchanged one (same content, same parser versions) is skipped before
    any parsing, a second file with content already in the batch is a duplicate, and a missing,
    unreadable or special file (a pipe, a device) fails."""
    from .extract.registry import versions as parser_versions

    versions = parser_versions()
    first: dict[str, Path] = {}
    for path in files:
        try:
            sha = sha256_file(path)
        except (OSError, ReadError) as err:
            yield Outcome(path, "failed", reason_of(err))
            continue
        if sha in first:
            yield Outcome(path, "duplicate", f"same content as {first[sha]}")
            continue
        first[sha] = path
        if not force and already_stored(engine, sha, versions):
            yield Outcome(path, "skipped")
        else:
            yield Job(path, sha, manifest.overrides_for(path))


def extracted(jobs: list[Job], settings: ReadSettings, workers: int, limits: Limits, stop: Stop) -> Iterator[Extracted]:
    """Each job's extraction as it finishes, from ``workers`` processes (0: this one); none starts once
    ``stop`` is requested, and every worker is stopped on the way out."""
    if workers < 1 or not jobs:  # no forkserver (and its warm readers) for nothing to do
        for job in jobs:
            if stop.requested():
                return
            yield extract(job, settings, limits.timeout)
        return
    pool = Pool(_warm_context(), workers, partial(extract, settings=settings, timeout=limits.timeout), lost, limits)
    try:
        yield from pool.map(jobs, stop.requested)
    finally:
        pool.close()


def store(engine: Engine, item: Extracted, run_id: int) -> Outcome:
    """Store one extraction (one transaction) or record its failure, with its warnings."""
    job = item.job
    if item.result is None:
        store_failure(engine, str(job.path), job.sha256, item.reason, run_id, detail=item.detail)
        return Outcome(job.path, "failed", item.reason)
    try:
        figures = store_result(engine, item.result, run_id, url=job.overrides.url)
    except IntegrityError:  # another ingest stored the same content a moment ago
        return Outcome(job.path, "skipped")
    store_rejections(engine, run_id, str(job.path), item.result.rejected)
    store_warnings(engine, run_id, str(job.path), item.result.warnings)
    return Outcome(job.path, "stored", pages=item.result.document.page_count, figures=figures,
                   warnings=item.result.warnings)


def run(engine: Engine, files: list[Path], manifest: Manifest, run_id: int, *, counts: RunCounts,
        force: bool = False, workers: int = 0, timeout: float = 300, max_memory_mb: int = MAX_MEMORY_MB,
        settings: ReadSettings | None = None, stop: Stop | None = None,
        report: Callable[[Outcome, float], None] = lambda outcome, rss: None) -> RunCounts:
    """Ingest ``files`` into ``counts`` (kept up to date, so an interrupted run still reports what it did);
    ``report`` hears of each outcome (and the worker's peak RSS) as it lands. Raises Interrupted
    when ``stop`` was requested, after the documents finished by then are stored."""
    settings, stop = settings or ReadSettings(), stop or Stop()
    jobs: list[Job] = []
    for item in plan(engine, files, manifest, force):
        stop.check()
        if isinstance(item, Job):
            jobs.append(item)
            continue
        if item.status == "failed":
            retry_locked(lambda: store_failure(engine, str(item.path), None, item.reason, run_id))
        tally(counts, item)
        report(item, _peak_rss_mb())
    jobs.sort(key=lambda job: -_size(job.path))  # big files first: no long tail on one worker
    for done in extracted(jobs, settings, workers, Limits(timeout, max_memory_mb), stop):
        outcome = retry_locked(lambda: store(engine, done, run_id))
        tally(counts, outcome)
        report(outcome, done.peak_rss_mb)
    stop.check()
    return counts


def tally(counts: RunCounts, outcome: Outcome) -> None:
    """Add one file's outcome to the run's counts; a duplicate file is not another document."""
    if outcome.status == "duplicate":
        counts.duplicates += 1
        return
    counts.seen += 1
    setattr(counts, outcome.status, getattr(counts, outcome.status) + 1)
    counts.pages += outcome.pages
    counts.figures += outcome.figures
