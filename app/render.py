"""Rich tables for the command line. Cells are plain text: brackets in evidence are not markup."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from .store import models as m
from .store.load import RunCounts
from .store.queries import CompareRow, value_of


def printable(text: str) -> str:
    """``text`` with control characters (terminal escape codes among them) written as escapes, not sent raw."""
    return "".join(ch if ch.isprintable() or ch in " \t\n" else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


def cell(value: Any) -> Text:
    """A value as plain text: blank for None, ISO for dates, up to 4 decimals for floats."""
    if value is None:
        return Text("")
    if isinstance(value, datetime):
        return Text(value.strftime("%Y-%m-%d %H:%M:%S"))
    if isinstance(value, date):
        return Text(value.isoformat())
    if isinstance(value, float):
        return Text(f"{value:.4f}".rstrip("0").rstrip("."))
    return Text(printable(str(value)))


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A table with the given header and rows."""
    out = Table(title=title, title_justify="left")
    for column in columns:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*(cell(value) for value in row))
    if not out.rows:
        out.caption = "none"
    return out


def summary(counts: RunCounts, peak_rss_mb: float | None = None) -> Table:
    """An ingest run's counts (and the largest worker's peak memory, when measured)."""
    rows = [("documents seen", counts.seen), ("stored", counts.stored), ("skipped (unchanged)", counts.skipped),
            ("failed", counts.failed), ("pages", counts.pages), ("figures", counts.figures)]
    if counts.duplicates:
        rows.insert(1, ("duplicate files (same content)", counts.duplicates))
    if peak_rss_mb is not None:
        rows.append(("peak worker RSS (MB)", round(peak_rss_mb)))
    return table("Ingest", ("", "count"), rows)


def comparison(title: str, rows: list[CompareRow]) -> Table:
    """One row per area for an indicator."""
    return table(title, ("authority", "code", "value", "unit", "period", "qualifier", "breakdown",
                         "document", "page"),
                 ((r.area_name, r.area_code, r.value, r.unit, r.period_end, r.qualifier, r.breakdown,
                   r.document, r.page) for r in rows))


def document(doc: m.Document) -> Table:
    """A document's metadata as field/value pairs."""
    fields = [("name", doc.name), ("path", doc.path), ("sha256", doc.sha256), ("status", doc.status),
              ("error", doc.error), ("authority", doc.authority.name if doc.authority else doc.authority_code),
              ("title", doc.title), ("committee", doc.committee), ("meeting date", doc.meeting_date),
              ("url", doc.url), ("kind", doc.kind), ("pages", doc.pages), ("figures", len(doc.observations)),
              ("ingested", doc.ingested_at), ("run", doc.run_id)]
    return table("Document", ("field", "value"), [(k, v) for k, v in fields if v not in (None, "")])


def figures(title: str, observations: Iterable[m.Observation]) -> Table:
    """Figures with their provenance."""
    return table(title, ("id", "area", "indicator", "period", "value", "unit", "breakdown", "qualifier",
                         "status", "page", "evidence"),
                 ((o.id, o.area_code, o.indicator_id, o.period_end, value_of(o), o.unit, o.breakdown,
                   o.qualifier, o.status, o.page, o.evidence) for o in observations))


def review(observations: Iterable[m.Observation]) -> Table:
    """The review queue."""
    return table("Needs review", ("id", "document", "indicator", "value", "period", "page", "evidence"),
                 ((o.id, o.document.name, o.indicator_id, value_of(o), o.period_end, o.page, o.evidence)
                  for o in observations))


def runs(items: Iterable[m.IngestRun]) -> Table:
    """Ingest runs with their counts."""
    return table("Ingest runs", ("run", "started", "finished", "status", "seen", "stored", "skipped", "failed",
                                 "pages", "figures"),
                 ((r.id, r.started_at, r.finished_at, r.status, r.seen, r.stored, r.skipped, r.failed, r.pages,
                   r.figures) for r in items))


def failures(run_id: int, events: Iterable[m.RunEvent]) -> Table:
    """Failed files of one run and why."""
    return table(f"Failures in run {run_id}", ("file", "reason"), ((e.path, e.reason) for e in events))


def gold_rows(title: str, rows: list[dict], columns: Sequence[str]) -> Table:
    """Rows of a gold or export CSV, showing only ``columns``."""
    return table(title, columns, ([row.get(c, "") for c in columns] for row in rows))
