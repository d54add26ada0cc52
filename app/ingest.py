"""Ingest files: hash, skip unchanged, extract in worker processes, store one document per transaction.

Extraction runs in ``workers`` processes (in this process when there is one); the
main process alone writes to the database, each document in its own transaction, so
a batch stopped at any point leaves no document half-stored and a re-run finishes
the rest. A bad file becomes a failure with a reason; the batch goes on.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import resource
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import forkserver
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from .extract.errors import ReadError
from .extract.read import suffixes
from .extract.settings import ReadSettings
from .manifest import Manifest
from .pipeline import Overrides, Result
from .store.load import RunCounts, already_stored, store_failure, store_rejections, store_result

CHUNK = 1 << 20
TASKS_PER_WORKER = 200  # a worker is replaced after this many documents, so memory cannot creep


@dataclass
class Outcome:
    """What happened to one file: stored, skipped (unchanged) or failed with a reason."""
    path: Path
    status: str
    reason: str = ""
    pages: int = 0
    figures: int = 0


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
    """The hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def reason_of(err: BaseException) -> str:
    """A short reason: the reader's fixed vocabulary, else the error itself."""
    if isinstance(err, ReadError):
        return f"{err.reason} ({err.detail})" if err.detail else err.reason
    if isinstance(err, FileNotFoundError):
        return "file not found"
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
    except Exception as err:  # one bad file must not stop the batch
        return Extracted(job, None, reason_of(err), repr(err), _peak_rss_mb())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    any parsing, a missing one fails."""
    from .extract.registry import available

    versions = {name: cls.version for name, cls in available().items()}
    for path in files:
        try:
            sha = sha256_file(path)
        except OSError as err:
            yield Outcome(path, "failed", reason_of(err))
            continue
        if not force and already_stored(engine, sha, versions):
            yield Outcome(path, "skipped")
        else:
            yield Job(path, sha, manifest.overrides_for(path))


def extracted(jobs: list[Job], settings: ReadSettings, workers: int, timeout: float) -> Iterator[Extracted]:
    """Each job's extraction as it finishes, from ``workers`` processes."""
    if workers <= 1:
        for job in jobs:
            yield extract(job, settings, timeout)
        return
    with ProcessPoolExecutor(workers, mp_context=_warm_context(), max_tasks_per_child=TASKS_PER_WORKER) as pool:
        pending: set[Future] = set()
        queue = iter(jobs)
        try:
            for job in queue:  # keep a couple of jobs per worker in flight, not the whole batch
                pending.add(pool.submit(extract, job, settings, timeout))
                if len(pending) >= 2 * workers:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def store(engine: Engine, item: Extracted, run_id: int) -> Outcome:
    """Store one extraction (one transaction) or record its failure."""
    job = item.job
    if item.result is None:
        store_failure(engine, str(job.path), job.sha256, item.reason, run_id, detail=item.detail)
        return Outcome(job.path, "failed", item.reason)
    try:
        figures = store_result(engine, item.result, run_id, url=job.overrides.url)
    except IntegrityError:  # another ingest stored the same content a moment ago
        return Outcome(job.path, "skipped")
    store_rejections(engine, run_id, str(job.path), item.result.rejected)
    return Outcome(job.path, "stored", pages=item.result.document.page_count, figures=figures)


def run(engine: Engine, files: list[Path], manifest: Manifest, run_id: int, *, counts: RunCounts,
        force: bool = False, workers: int = 1, timeout: float = 300, settings: ReadSettings | None = None,
        report: Callable[[Outcome, float], None] = lambda outcome, rss: None) -> RunCounts:
    """Ingest ``files`` into ``counts`` (kept up to date, so an interrupted run still reports what it did);
    ``report`` hears of each outcome (and the worker's peak RSS) as it lands."""
    settings = settings or ReadSettings()
    jobs: list[Job] = []
    for item in plan(engine, files, manifest, force):
        if isinstance(item, Job):
            jobs.append(item)
        else:
            if item.status == "failed":
                store_failure(engine, str(item.path), None, item.reason, run_id)
            tally(counts, item)
            report(item, _peak_rss_mb())
    jobs.sort(key=lambda job: -_size(job.path))  # big files first: no long tail on one worker
    for item in extracted(jobs, settings, workers, timeout):
        outcome = store(engine, item, run_id)
        tally(counts, outcome)
        report(outcome, item.peak_rss_mb)
    return counts


def tally(counts: RunCounts, outcome: Outcome) -> None:
    """Add one file's outcome to the run's counts."""
    counts.seen += 1
    setattr(counts, outcome.status, getattr(counts, outcome.status) + 1)
    counts.pages += outcome.pages
    counts.figures += outcome.figures
