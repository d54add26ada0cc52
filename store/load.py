"""Write to the store: documents with their figures, failures, rejected figures, runs and review decisions.

A document is identified by its content hash: storing it again replaces its figures, and an
analyst's review decisions (keyed by hash and fact) are applied again on the way in.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from ..extract.observation import REVIEW_BELOW, Observation as Figure
from ..schemas.areas import neighbours_base
from . import models as m
from .db import retry_locked, session
from .inspections import event_columns

if TYPE_CHECKING:
    from ..normalise.observations import Result

DECISIONS = {"accept": "accepted", "reject": "rejected"}


@dataclass
class RunCounts:
    """What one ingest run did."""
    seen: int = 0
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    pages: int = 0
    figures: int = 0
    duplicates: int = 0  # files whose content another file of the run already had; not counted as seen


def observation_key(fig: Figure) -> str:
    """A stable text key for a fact within its document (area blank for the reporting authority)."""
    value = f"{fig.value:.4f}" if isinstance(fig.value, float) else str(fig.value).strip().lower()
    period = fig.period_end.isoformat() if fig.period_end else ""
    return "|".join([fig.area_code or "", fig.indicator, period, value,
                     fig.breakdown.strip().lower(), fig.qualifier])


def already_stored(engine: Engine, sha256: str, versions: dict[str, str] | None = None) -> bool:
    """Whether a file with this content was stored successfully before, by the parser
    versions in ``versions`` (name → version): a parser's new version re-parses the
    documents it produced figures for."""
    with session(engine) as s:
        used = s.scalar(select(m.Document.parsers).where(m.Document.sha256 == sha256, m.Document.status == "ok"))
    if used is None:
        return False
    recorded = dict(item.split("@", 1) for item in used.split())
    # a local label ("0.1.0+ocr": figures read by OCR) is the same parser version
    return versions is None or all(versions.get(name) == version.partition("+")[0]
                                   for name, version in recorded.items())


def parsers_used(result: Result) -> str:
    """The parsers (with versions) whose figures a result holds, as stored on its document."""
    return " ".join(sorted({f"{o.parser}@{o.parser_version}" for o in result.observations if o.parser}))


def start_run(engine: Engine, paths: list[str]) -> int:
    """Record the start of an ingest run (waiting out another writer's lock); returns its id."""
    return retry_locked(lambda: _start_run(engine, paths))


def _start_run(engine: Engine, paths: list[str]) -> int:
    with session(engine) as s:
        run = m.IngestRun(paths="\n".join(paths))
        s.add(run)
        s.flush()
        return run.id


def finish_run(engine: Engine, run_id: int, counts: RunCounts, interrupted_by: str | None = None) -> None:
    """Record a run's end and its counts (waiting out another writer's lock); ``interrupted_by``
    (a signal's name) marks it interrupted."""
    retry_locked(lambda: _finish_run(engine, run_id, counts, interrupted_by))


def _finish_run(engine: Engine, run_id: int, counts: RunCounts, interrupted_by: str | None) -> None:
    with session(engine) as s:
        run = s.get_one(m.IngestRun, run_id)
        for name, value in asdict(counts).items():
            if name in m.IngestRun.__table__.columns:
                setattr(run, name, value)
        run.finished_at = m.utcnow()
        if interrupted_by:
            _event(s, run_id, "", "interrupted", f"interrupted by {interrupted_by}",
                   f"{counts.seen} documents done: {counts.stored} stored, {counts.skipped} skipped, "
                   f"{counts.failed} failed")


def store_result(engine: Engine, result: Result, run_id: int | None, url: str | None = None) -> int:
    """Store one document and its figures in one transaction, replacing any earlier copy.

    Returns the number of figures stored. A figure for an area outside the register is
    logged as rejected; a statistical-neighbour group ``SN-<code>`` is added on demand.
    """
    doc, ctx = result.document, result.context
    with session(engine) as s:
        s.execute(delete(m.Document).where(m.Document.sha256 == doc.sha256))
        decisions = _decisions(s, doc.sha256)
        known = set(s.scalars(select(m.Authority.code)))
        row = m.Document(
            sha256=doc.sha256, path=str(doc.path), name=Path(doc.path).name, url=url,
            title=ctx.title or doc.title, committee=ctx.committee, meeting_date=ctx.meeting_date,
            pages=doc.page_count, kind=doc.kind, status="ok", run_id=run_id, parsers=parsers_used(result),
            authority_code=ctx.authority_code if ctx.authority_code in known else None, **event_columns(ctx))
        s.add(row)
        stored = 0
        for fig in result.observations:
            key = observation_key(fig)
            area = fig.area_code or ctx.authority_code
            if decisions.get(key) == "rejected":
                continue
            if area is not None and not _ensure_area(s, area, known):
                _event(s, run_id, doc.path, "rejected", f"unknown area {area}", _describe(fig))
                continue
            row.observations.append(_observation(fig, area, key, decisions.get(key)))
            stored += 1
        return stored


def store_failure(engine: Engine, path: str, sha256: str | None, reason: str,
                  run_id: int | None, detail: str = "") -> None:
    """Record a file that could not be processed; a later ingest of it tries again.

    A document stored before keeps its figures: only a successful parse replaces them, so a
    failed re-parse (a time-out, ``--force``, a parser's new version) is noted beside them.
    """
    with session(engine) as s:
        if sha256:
            row = s.scalar(select(m.Document).where(m.Document.sha256 == sha256))
            if row is None:
                s.add(m.Document(sha256=sha256, path=str(path), name=Path(path).name, status="failed",
                                 error=reason, run_id=run_id))
            elif row.status == "ok":
                row.error = f"re-parse failed, earlier figures kept: {reason}"
            else:
                row.path, row.name, row.error, row.run_id = str(path), Path(path).name, reason, run_id
        _event(s, run_id, path, "error", reason, detail)


def store_warnings(engine: Engine, run_id: int | None, path: str, warnings: list[str]) -> None:
    """Log what was odd about a stored document's content (read by content, not by its name)."""
    if warnings:
        with session(engine) as s:
            for warning in warnings:
                _event(s, run_id, path, "warning", warning)


def store_rejections(engine: Engine, run_id: int | None, path: str, rejected: list[tuple[Figure, str]]) -> None:
    """Log the figures the pipeline rejected, each with its reason."""
    with session(engine) as s:
        for fig, reason in rejected:
            _event(s, run_id, path, "rejected", reason, _describe(fig))


def record_decision(engine: Engine, observation_id: int, verdict: str) -> m.ReviewDecision:
    """Accept or reject a figure (``verdict`` 'accept' or 'reject'); the decision outlives re-ingest.

    Raises LookupError when there is no such figure.
    """
    decision = DECISIONS[verdict]
    with session(engine) as s:
        obs = s.get(m.Observation, observation_id)
        if obs is None:
            raise LookupError(f"no observation with id {observation_id}")
        sha = obs.document.sha256
        row = s.scalar(select(m.ReviewDecision).where(m.ReviewDecision.document_sha256 == sha,
                                                      m.ReviewDecision.observation_key == obs.key))
        if row is None:
            row = m.ReviewDecision(document_sha256=sha, observation_key=obs.key)
            s.add(row)
        row.decision, row.decided_at = decision, m.utcnow()
        if decision == "accepted":
            obs.status = "ok"
        else:
            s.delete(obs)
        return row


def _decisions(s: Session, sha256: str) -> dict[str, str]:
    """Review decisions for a document: observation key -> accepted/rejected."""
    rows = s.execute(select(m.ReviewDecision.observation_key, m.ReviewDecision.decision)
                     .where(m.ReviewDecision.document_sha256 == sha256))
    return {key: decision for key, decision in rows}


def _ensure_area(s: Session, code: str, known: set[str]) -> bool:
    """Whether ``code`` is a stored area, adding a statistical-neighbour group of a known authority."""
    if code in known:
        return True
    base = neighbours_base(code)
    if base is None or base not in known:
        return False
    name = s.get_one(m.Authority, base).name
    s.add(m.Authority(code=code, name=f"{name} statistical neighbours", kind="group"))
    s.flush()
    known.add(code)
    return True


def _observation(fig: Figure, area: str | None, key: str, decision: str | None) -> m.Observation:
    """The row for one figure; unattributed or low-confidence figures need review unless accepted."""
    doubtful = area is None or fig.confidence < REVIEW_BELOW
    notes = list(fig.notes)
    if area is None:
        notes.append("the paper's authority is not known")
    elif doubtful and not notes:
        notes.append(f"confidence {fig.confidence:.2f} is below {REVIEW_BELOW}")
    box = fig.bbox
    return m.Observation(
        area_code=area, indicator_id=fig.indicator, period_start=fig.period_start,
        period_end=fig.period_end,
        value=None if isinstance(fig.value, str) else float(fig.value),
        value_text=fig.value if isinstance(fig.value, str) else None,
        unit=fig.unit, breakdown=fig.breakdown, qualifier=fig.qualifier,
        status="needs_review" if doubtful and decision != "accepted" else "ok",
        page=fig.page, x0=box and box.x0, top=box and box.top, x1=box and box.x1,
        bottom=box and box.bottom, evidence=fig.evidence, parser=fig.parser,
        parser_version=fig.parser_version, confidence=fig.confidence, key=key, notes="; ".join(notes))


def _event(s: Session, run_id: int | None, path: str, level: str, reason: str, detail: str = "") -> None:
    s.add(m.RunEvent(run_id=run_id, path=str(path), level=level, reason=reason, detail=detail))


def _describe(fig: Figure) -> str:
    """A figure in one line, for the run log."""
    return f"{fig.indicator} = {fig.value} {fig.unit} (page {fig.page}): {fig.evidence[:200]}"
