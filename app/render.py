"""The listings query commands print (see output.py): records with all their fields for CSV and JSON,
and the columns an 80-column terminal can hold, values with their units and periods as YYYY-MM."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from .output import Column, Listing, cell

if TYPE_CHECKING:
    from .store import models as m
    from .store.load import RunCounts
    from .store.queries import Comparison, CompareRow, Series

UNITS = {"percent": "{}%", "cases": "{} cases", "days": "{} days", "fte": "{} FTE", "gbp": "£{}",
         "rate_per_10k": "{} /10k"}  # how a value is shown beside its unit; others show the bare value


def amount(value: Any, unit: str | None) -> str:
    """A value with its unit, e.g. '14.9%', '18 cases'; text (a grade) as it is."""
    if value is None or value == "" or isinstance(value, str):
        return cell(value)
    return UNITS.get(unit or "", "{}").format(cell(value))


def month(day: date | None) -> str:
    """A date as YYYY-MM."""
    return day.strftime("%Y-%m") if day else ""


def span(start: date | None, end: date | None) -> str:
    """A period as YYYY-MM for a point in time or one month, else 'YYYY-MM/YYYY-MM'."""
    if start is None or month(start) == month(end) or end is None:
        return month(end)
    return f"{month(start)}/{month(end)}"


def _key(header: str) -> str:
    return re.sub(r"\W+", "_", header.strip().casefold()).strip("_") or "item"


def table(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], data: bool = True) -> Listing:
    """A listing of plain rows: text with spaces wraps at spaces, everything else stays whole."""
    keys = [_key(h) for h in headers]
    records = [dict(zip(keys, row)) for row in rows]
    columns = [Column(k, h, "words" if any(" " in cell(r[k]) for r in records) else "fixed")
               for k, h in zip(keys, headers)]
    return Listing(title, columns, records, data=data)


# ------------------------------------------------------------------ compare, series

VALUE = Column("value", "value", shown=lambda r: amount(r["value"], r["unit"]))
PERIOD = Column("period_end", "period", shown=lambda r: month(r["period_end"]))
DOCUMENT = Column("document", "doc", "name")
PAGE = Column("page", "p.")
STATUS = Column("status", drop=4, folds=True, shown=lambda r: "" if r["status"] == "ok" else r["status"])


def comparison(title: str, rows: Sequence[CompareRow], *, focal: bool = False, status: bool = False) -> Listing:
    """Areas' figures for one indicator, ranked when ``rows`` are authorities with a rank."""
    ranked = any(r.rank is not None for r in rows) or any(r.area_kind == "authority" for r in rows)
    columns = [*([Column("rank", "#")] if ranked else []), Column("area_name", "authority", "words"),
               *([Column("role")] if focal else []), Column("area_code", "code"), VALUE, PERIOD,
               Column("breakdown", "breakdown", "words"), DOCUMENT, PAGE,
               *([STATUS] if status else []), Column("qualifier", drop=1)]
    return Listing(title, columns, [asdict(r) for r in rows])


def ranking(title: str, found: Comparison, include_review: bool) -> Listing:
    """A comparison's authorities with rank, and the neighbours' mean and median when asked."""
    out = comparison(title, found.rows, focal=bool(found.focal), status=include_review)
    if found.focal:
        summary = (f"neighbours' mean {found.mean:.4g}, median {found.median:.4g} ({found.counted} ranked)"
                   if found.counted else "no neighbour has a ranked figure")
        missing = f"; no figure stored for {', '.join(found.missing)}" if found.missing else ""
        out.notes.append(summary + missing)
    return out


def series(title: str, found: Series) -> Listing:
    """One row per period, a column per line; the records one per figure, with its line."""
    labels = list(found.lines)
    keys = [f"line{i}" for i in range(len(labels))]
    values = {(label, r.period_start, r.period_end): r for label, rows in found.lines.items() for r in rows}
    rows = []
    for start, end in found.periods():
        row: dict[str, Any] = {"period": span(start, end)}
        for key, label in zip(keys, labels):
            figure = values.get((label, start, end))
            row[key] = amount(figure.value, figure.unit) if figure else ""
        rows.append(row)
    columns = [Column("period"), *(Column(k, label, "words") for k, label in zip(keys, labels))]
    documents = dict.fromkeys(r.document for rs in found.lines.values() for r in rs)
    notes = [f"from {', '.join(documents)}"] if documents else []
    return Listing(title, columns, rows, notes, data=False)


def series_records(found: Series) -> list[dict[str, Any]]:
    """A series as one record per figure: its line's label, then the figure's fields."""
    return [{"line": label, **asdict(r)} for label, rows in found.lines.items() for r in rows]


# ------------------------------------------------------------------ documents, figures, review

def document(doc: m.Document) -> Listing:
    """A document's metadata as field/value pairs."""
    fields = [("name", doc.name), ("path", doc.path), ("sha256", doc.sha256), ("status", doc.status),
              ("error", doc.error), ("authority", doc.authority.name if doc.authority else doc.authority_code),
              ("title", doc.title), ("committee", doc.committee), ("meeting date", doc.meeting_date),
              ("url", doc.url), ("kind", doc.kind), ("pages", doc.pages), ("figures", len(doc.observations)),
              ("ingested", doc.ingested_at), ("run", doc.run_id)]
    records = [{"field": k, "value": v} for k, v in fields if v not in (None, "")]
    return Listing("Document", [Column("field"), Column("value", kind="prose")], records, data=False)


def figure_record(obs: m.Observation, document: str | None = None) -> dict[str, Any]:
    """An observation's fields for CSV and JSON, its document by name (``document``, else its own)."""
    from .store.queries import value_of

    return {"id": obs.id, "document": document or obs.document.name, "page": obs.page, "area_code": obs.area_code,
            "indicator": obs.indicator_id, "period_start": obs.period_start, "period_end": obs.period_end,
            "value": value_of(obs), "unit": obs.unit, "breakdown": obs.breakdown, "qualifier": obs.qualifier,
            "status": obs.status, "confidence": obs.confidence, "source": obs.source, "evidence": obs.evidence}


PERIOD_SPAN = Column("period_end", "period", shown=lambda r: span(r["period_start"], r["period_end"]))


def figures(title: str, observations: Iterable[m.Observation], document: str) -> Listing:
    """A document's figures with page and area (a note when they share one), each one's evidence under it."""
    records = [figure_record(o, document) for o in observations]
    areas = {r["area_code"] for r in records}
    columns = [Column("id"), PAGE, *([Column("area_code", "area", drop=2, folds=True)] if len(areas) > 1 else []),
               Column("indicator"), PERIOD_SPAN, VALUE, Column("qualifier"),
               Column("breakdown", kind="words", drop=3, folds=True), STATUS, Column("confidence", "conf.", drop=5)]
    notes = [f"every figure is for area {cell(areas.pop())}"] if len(areas) == 1 else []
    return Listing(title, columns, records, notes, fold="evidence")


def review(observations: Iterable[m.Observation]) -> Listing:
    """The review queue: each figure with its document and page, its evidence under it."""
    columns = [Column("id"), DOCUMENT, PAGE, Column("indicator"), PERIOD_SPAN, VALUE,
               Column("breakdown", kind="words", drop=2, folds=True), Column("confidence", "conf.", drop=1),
               Column("reason", "why", kind="prose", drop=9, folds=True)]
    records = [{**figure_record(o), "reason": o.notes} for o in observations]
    return Listing("Needs review", columns, records, fold="evidence")


# ------------------------------------------------------------------ runs, failures, scores

def summary(counts: RunCounts, peak_rss_mb: float | None = None) -> Listing:
    """An ingest run's counts (and the largest worker's peak memory, when measured)."""
    rows = [("documents seen", counts.seen), ("stored", counts.stored), ("skipped (unchanged)", counts.skipped),
            ("failed", counts.failed), ("pages", counts.pages), ("figures", counts.figures)]
    if counts.duplicates:
        rows.insert(1, ("duplicate files (same content)", counts.duplicates))
    if peak_rss_mb is not None:
        rows.append(("peak worker RSS (MB)", round(peak_rss_mb)))
    return Listing("Ingest", [Column("item", " "), Column("count")],
                   [{"item": k, "count": v} for k, v in rows])


def runs(items: Iterable[m.IngestRun]) -> Listing:
    """Ingest runs with their counts, newest first."""
    names = ("id", "started_at", "finished_at", "status", "seen", "stored", "skipped", "failed", "pages", "figures",
             "paths")
    records = [{name: getattr(r, name) for name in names} for r in items]
    columns = [Column("id", "run"), Column("started_at", "started"), Column("finished_at", "finished", drop=2),
               Column("status", kind="words"), *(Column(n) for n in names[4:-1]), Column("paths", kind="prose", drop=1)]
    return Listing("Ingest runs", columns, records)


def failures(run_id: int, events: Iterable[m.RunEvent]) -> Listing:
    """Failed files of one run and why."""
    records = [{"run": run_id, "path": e.path, "level": e.level, "reason": e.reason} for e in events]
    return Listing(f"Failures in run {run_id}", [Column("path", "file", "prose"), Column("reason", kind="prose")],
                   records)


def score(result: Any) -> Listing:
    """Precision, recall and F1 of an evaluation."""
    names = ("precision", "recall", "f1", "matched", "gold", "extracted")
    return Listing("Score", [Column(n) for n in names], [{n: getattr(result, n) for n in names}], data=False)


GOLD_COLUMNS = (Column("document", "doc", "name"), Column("indicator"),
                Column("period_end", "period", shown=lambda r: (r.get("period_end") or "")[:7]),
                Column("value"), Column("breakdown", kind="words"), Column("qualifier", drop=1),
                Column("page", "p.", drop=2))


def gold_rows(title: str, rows: list[dict], outcome: str) -> Listing:
    """Rows of a gold or export CSV (misses, false positives), each tagged with ``outcome``."""
    return Listing(title, (Column("outcome", drop=9), *GOLD_COLUMNS), [{"outcome": outcome, **row} for row in rows])


def short_period(text: str) -> str:
    """'2017-04-01 to 2018-03-31' as '2017-04/2018-03', '2018-03-31' as '2018-03'."""
    return "/".join(part.strip()[:7] for part in text.split(" to "))


def checks(names: Sequence[str], rows: Iterable[Sequence[str]]) -> Listing:
    """Reported figures beside official ones: crosscheck.py's rows, their fields named by ``names``."""
    columns = [Column("authority", kind="words"), Column("indicator"),
               Column("period", shown=lambda r: short_period(r["period"])),
               Column("reported", shown=lambda r: amount(float(r["reported"]), r["unit"])),
               Column("official", shown=lambda r: amount(float(r["official"]), r["unit"])),
               Column("official_period", "official period", drop=1, shown=lambda r: short_period(r["official_period"])),
               Column("verdict", kind="words"), DOCUMENT, PAGE,
               Column("official_indicator", "official indicator", drop=2)]
    return Listing("Reported beside official", columns, [dict(zip(names, row)) for row in rows])


def inspections(title: str, rows: list[dict[str, Any]]) -> Listing:
    """An authority's inspections and visits (store/inspections.py's rows): dates, type, document; the
    judgements as columns where they fit, else under each row."""
    from .store.inspections import JUDGEMENTS

    columns = [Column("start"), Column("end", drop=1),
               Column("doc_type", "type", "words", shown=lambda r: r["doc_type"].removeprefix("ofsted-").replace("-", " ")
                      + (f" ({r['framework']})" if r["framework"] else "")),
               DOCUMENT, *(Column(name, name.replace("_", " "), drop=2, folds=True) for name in JUDGEMENTS.values()),
               Column("theme", "theme or note", "prose", drop=3, folds=True, shown=lambda r: r["theme"] or r["note"])]
    return Listing(title, columns, rows)
