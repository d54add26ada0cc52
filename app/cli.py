"""Command line: ingest reports, export and compare figures, inspect documents, runs and the review queue.

Every error is one line ``error: ...`` on stderr with a non-zero exit status.
"""
from __future__ import annotations

import csv
import difflib
import json
import os
import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from typer.core import TyperGroup

from . import evaluate as scoring
from . import render
from .extract.read import suffixes
from .schemas.authorities import load_register
from .schemas.vocabulary import load_vocabulary
from .store import queries
from .store.db import DEFAULT_URL, open_store
from .store.load import RunCounts, finish_run, record_decision, start_run
from .workers import MAX_MEMORY_MB

if TYPE_CHECKING:
    from .manifest import Manifest


def error_message(err: BaseException) -> str:
    """The first line of an error, the driver's own message for database errors."""
    if isinstance(err, typer.TyperException):
        text = err.format_message()
    elif isinstance(err, SQLAlchemyError):
        text = f"database: {getattr(err, 'orig', None) or err}"
    else:
        text = str(err)
    lines = text.strip().splitlines()
    return lines[0] if lines else type(err).__name__


class CleanGroup(TyperGroup):
    """A command group whose errors, usage errors included, print as one line."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as err:
            raise typer.TyperException(error_message(err)) from err

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except typer.TyperException as err:
            typer.echo(f"error: {error_message(err)}", err=True)
            sys.exit(err.exit_code)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)


app = typer.Typer(cls=CleanGroup, help=__doc__.splitlines()[0], add_completion=False,
                  pretty_exceptions_enable=False)


Db = Annotated[str, typer.Option("--db", envvar="SCRUTINY_DB", help="SQLAlchemy database URL.")]


def emit(renderable: Any) -> None:
    """Print to standard output (a console per call, so COLUMNS and redirection are honoured)."""
    Console(highlight=False).print(renderable)


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context) -> None:
    """Print the help when no command is given."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def open_db(url: str, write: bool = False) -> Engine:
    """Connect to write (tables created, register and vocabulary seeded) or to read (nothing created)."""
    return open_store(url, write)


class PdfEngine(str, Enum):
    fast = "fast"
    pdfplumber = "pdfplumber"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(readable=False, help=f"Report files, or folders searched for {' '.join(suffixes())}.")],
    db: Db = DEFAULT_URL,
    manifest: Annotated[Path | None, typer.Option(help="CSV of path,url,authority,meeting_date,title.")] = None,
    force: Annotated[bool, typer.Option(help="Process files again even when already stored.")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (default: the machine's cores).")] = os.cpu_count() or 1,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds one document may take before it is reported as failed.")] = 300,
    max_memory: Annotated[int, typer.Option(min=256, help="Megabytes of memory one worker may use; a document needing more fails as too large.")] = MAX_MEMORY_MB,
    pdf_engine: Annotated[PdfEngine, typer.Option("--engine", help="PDF engine: fast (pdfium text, pdfplumber where tables are ruled) or pdfplumber for everything.")] = PdfEngine.fast,
) -> None:
    """Extract and store the figures of report files; unchanged files are skipped. Exit 1 if any file
    failed; SIGTERM or Ctrl-C stops the batch, keeping what was stored (exit 128 + the signal)."""
    # imported here so that the other commands start without loading the readers
    from .extract.settings import ReadSettings
    from .ingest import Interrupted, discover, stopping_on_signals
    from .manifest import Manifest, load_manifest

    rows = load_manifest(manifest) if manifest else Manifest({})
    store_engine = open_db(db, write=True)
    run_id = start_run(store_engine, [str(p) for p in paths])
    counts, peak, stopped = RunCounts(), None, None
    try:
        with stopping_on_signals() as stop:
            peak = _ingest_files(store_engine, discover(paths), rows, run_id, counts, stop=stop,
                                 force=force, workers=workers, timeout=timeout, max_memory_mb=max_memory,
                                 settings=ReadSettings(engine=pdf_engine.value))
    except Interrupted as err:
        stopped = err
    finally:
        finish_run(store_engine, run_id, counts, interrupted_by=str(stopped) if stopped else None)
    if stopped:
        typer.echo(stopped.line(run_id, counts), err=True)
        raise typer.Exit(128 + stopped.signum)
    emit(render.summary(counts, peak))
    if counts.failed:
        raise typer.Exit(1)


def _ingest_files(engine: Engine, files: list[Path], manifest: Manifest, run_id: int, counts: RunCounts,
                  **options: Any) -> float:
    """Ingest under a progress display (documents, pages, figures, failures, ETA); a line per failure or warning."""
    from .ingest import run

    peak = 0.0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[pages]} pages  {task.fields[figures]} figures  {task.fields[failed]} failed"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True, highlight=False), transient=True) as progress:
        task = progress.add_task("documents", total=len(files), pages=0, figures=0, failed=0)

        def report(outcome, rss: float) -> None:
            nonlocal peak
            peak = max(peak, rss)
            failed = [outcome.reason] if outcome.status == "failed" else []
            for line in failed + [f"warning: {warning}" for warning in outcome.warnings]:
                progress.console.print(render.cell(f"{outcome.path}: {line}"), soft_wrap=True)
            progress.update(task, advance=1, pages=counts.pages, figures=counts.figures, failed=counts.failed)

        run(engine, files, manifest, run_id, counts=counts, report=report, **options)
    return peak


class Format(str, Enum):
    csv = "csv"
    json = "json"
    parquet = "parquet"


class Source(str, Enum):
    reported = "reported"
    official = "official"
    both = "both"


SourceOption = Annotated[Source, typer.Option(help="Figures read from reports, official DfE statistics, or both.")]
IncludeReview = Annotated[bool, typer.Option(help="Include figures that still need review.")]
Plot = Annotated[Path | None, typer.Option(help="Also draw a chart into this .png or .svg file.")]
Breakdown = Annotated[str | None, typer.Option(
    help="Only breakdowns (team, service, age group) containing this text; whole-authority figures otherwise.")]


@app.command()
def export(
    db: Db = DEFAULT_URL,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.csv,
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write; standard output if omitted (not for parquet).")] = None,
    include_review: IncludeReview = False,
    indicator: Annotated[list[str] | None, typer.Option(help="Only this indicator id; repeat for more.")] = None,
    authority: Annotated[list[str] | None, typer.Option(help="Only this area (GSS code, DfE code or name); repeat for more.")] = None,
    since: Annotated[str | None, typer.Option(help="Only periods ending on or after this YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only periods ending on or before this YYYY-MM or YYYY-MM-DD.")] = None,
    source: SourceOption = Source.reported,
) -> None:
    """Write the stored figures with their provenance as CSV, JSON or Parquet, optionally filtered."""
    if fmt is Format.parquet and out_file is None:
        raise typer.BadParameter("parquet is written to a file: give --out FILE", param_hint="--format")
    rows = queries.export_rows(open_db(db), include_review, indicators=indicator or (), authorities=authority or (),
                               since=queries.date_bound(since) if since else None,
                               until=queries.date_bound(until, end=True) if until else None, source=source.value)
    if fmt is Format.parquet:
        _write_parquet(rows, out_file)
        return
    with open(out_file, "w", newline="", encoding="utf-8") if out_file else nullcontext(sys.stdout) as handle:
        if fmt is Format.json:
            json.dump(rows, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        else:
            writer = csv.DictWriter(handle, fieldnames=queries.EXPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)


def _write_parquet(rows: list[dict[str, Any]], target: Path) -> None:
    """The export as a typed Parquet file: dates as dates, ``value`` numeric and grades in ``value_text``."""
    from datetime import date

    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"period_start": pa.date32(), "period_end": pa.date32(), "value": pa.float64(), "page": pa.int64(),
             "confidence": pa.float64()}
    columns = {name: [row[name] for row in rows] for name in queries.EXPORT_COLUMNS}
    columns["value_text"] = [value if isinstance(value, str) else None for value in columns["value"]]
    columns["value"] = [None if isinstance(value, str) else value for value in columns["value"]]
    for name in ("period_start", "period_end"):
        columns[name] = [date.fromisoformat(day) if day else None for day in columns[name]]
    schema = pa.schema([(name, types.get(name, pa.string())) for name in columns])
    pq.write_table(pa.table(columns, schema=schema), target)


@app.command()
def compare(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `scrutiny indicators`).")],
    db: Db = DEFAULT_URL,
    period: Annotated[str | None, typer.Option(help="Month the period ends, YYYY-MM.")] = None,
    latest: Annotated[bool, typer.Option(help="Each authority's latest figure (the default).")] = False,
    neighbours_of: Annotated[str | None, typer.Option(
        help="Only this authority (GSS code, DfE code or name) and its statistical neighbours, with their mean and median.")] = None,
    region: Annotated[str | None, typer.Option(help="Only the authorities of this region (name or E12 code).")] = None,
    breakdown: Breakdown = None,
    source: SourceOption = Source.reported,
    include_review: IncludeReview = False,
    plot: Plot = None,
) -> None:
    """Compare one indicator across authorities: one row each, ranked; comparator areas, targets and forecasts apart.

    An authority without a whole-authority figure shows one of its breakdowns, unranked.
    """
    if plot:
        from . import charts  # matplotlib loads only when a chart is asked for

        charts.check_target(plot)
        if source is Source.both:
            raise typer.BadParameter("a chart shows one source: give --source reported or official", param_hint="--plot")
    engine = open_db(db)
    region_code = _region(region) if region else None
    when = period or "latest"
    for src in queries.sources(source.value):
        for qualifier in queries.QUALIFIERS:
            found = queries.comparison(engine, indicator, period, latest, qualifier, source=src, breakdown=breakdown,
                                       include_review=include_review, focal=neighbours_of, region=region_code)
            if found.rows or qualifier == "actual":
                emit(_ranking(f"{indicator}, {when}, {src}: {qualifier}s", found, include_review))
            for note in found.notes:
                emit(note)
            if found.comparators:
                emit(render.comparison(f"{indicator}, {when}, {src}: comparator areas ({qualifier})", found.comparators))
            if plot and qualifier == "actual":
                charts.bar_chart(plot, indicator, f"{indicator}, {when}, {src}", found)
    if plot:
        emit(f"wrote {plot}")


def _ranking(title: str, found: queries.Comparison, include_review: bool) -> render.Table:
    """A comparison's authorities with rank (and role, status when asked), the focal one in bold."""
    role, status = (["role"] if found.focal else []), (["status"] if include_review else [])
    out = render.table(title, ["rank", "authority", *role, "code", "value", "unit", "period end", "qualifier",
                               "breakdown", "document", "page", *status], (
        [r.rank, r.area_name, *([r.role] if role else []), r.area_code, r.value, r.unit, r.period_end, r.qualifier,
         r.breakdown, r.document, r.page, *([r.status] if status else [])] for r in found.rows))
    for row, shown in zip(found.rows, out.rows):
        shown.style = "bold" if row.role == "focal" else None
    out.caption_justify, out.min_width = "left", len(title)
    if found.focal:
        summary = (f"neighbours' mean {found.mean:.4g}, median {found.median:.4g} ({found.counted} ranked)"
                   if found.counted else "no neighbour has a ranked figure")
        missing = f"; no figure stored for {', '.join(found.missing)}" if found.missing else ""
        out.caption = summary + missing
    return out


@app.command()
def series(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `scrutiny indicators`).")],
    authority: Annotated[list[str], typer.Option(help="An authority (GSS code, DfE code or name); repeat for more.")],
    db: Db = DEFAULT_URL,
    breakdown: Breakdown = None,
    source: SourceOption = Source.reported,
    include_review: IncludeReview = False,
    plot: Plot = None,
) -> None:
    """One indicator over time: a column per authority, periods in order; targets and forecasts apart."""
    if plot:
        from . import charts  # matplotlib loads only when a chart is asked for

        charts.check_target(plot)
    engine = open_db(db)
    for qualifier in queries.QUALIFIERS:
        found = queries.series(engine, indicator, authority, qualifier, source=source.value,
                               breakdown=breakdown or "", include_review=include_review)
        if found.lines or qualifier == "actual":
            out = render.table(f"{indicator}: {qualifier}s", ["period", *found.lines], found.table())
            documents = dict.fromkeys(row.document for rows in found.lines.values() for row in rows)
            out.caption = f"from {', '.join(documents)}" if documents else out.caption
            out.caption_justify, out.min_width = "left", max(len(out.title), len(out.caption))
            emit(out)
        if plot and qualifier == "actual":
            charts.line_chart(plot, f"{indicator}: actuals", found)
            emit(f"wrote {plot}")


class HistoryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def inspections(
    authority: Annotated[str, typer.Argument(help="Authority (GSS code, DfE code or name).")],
    db: Db = DEFAULT_URL,
    fmt: Annotated[HistoryFormat, typer.Option("--format", help="Output format.")] = HistoryFormat.table,
) -> None:
    """An authority's Ofsted inspections and visits in date order, with their judgements and documents."""
    from .store.inspections import COLUMNS, JUDGEMENTS, history

    rows = [event.row() for event in history(open_db(db), authority)]
    if fmt is HistoryFormat.json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt is HistoryFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    else:
        title = f"Inspections of {rows[0]['authority_name']}" if rows else f"No inspection of {authority} stored"
        emit(render.table(title, ("dates", "type", "judgements", "theme or note", "document"), (
            [" to ".join(dict.fromkeys(filter(None, (r["start"], r["end"])))),
             r["doc_type"].removeprefix("ofsted-").replace("-", " ") + (f" ({r['framework']})" if r["framework"] else ""),
             "\n".join(f"{column.replace('_', ' ')}: {r[column]}" for column in JUDGEMENTS.values() if r[column]),
             r["theme"] or r["note"], r["document"]] for r in rows)))


@app.command()
def serve(
    db: Db = DEFAULT_URL,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
) -> None:
    """Browse the SQLite database in Datasette: indicator definitions, column notes and canned research queries."""
    from .serve import database_file, serve as run_datasette

    path = database_file(open_db(db))
    emit(f"serving {path} at http://{host}:{port}/ (Ctrl-C stops)")
    run_datasette(path, host, port)


@app.command()
def show(
    document: Annotated[str, typer.Argument(help="File name, stem, path or SHA-256 prefix.")],
    db: Db = DEFAULT_URL,
) -> None:
    """A document's metadata and its figures with page and evidence."""
    doc = queries.show(open_db(db), document)
    emit(render.document(doc))
    emit(render.figures("Figures", sorted(doc.observations, key=lambda o: (o.page or 0, o.id))))


@app.command()
def indicators() -> None:
    """The indicator vocabulary."""
    rows = ((i.id, i.label, i.unit, i.group) for i in load_vocabulary().values())
    emit(render.table("Indicators", ("id", "label", "unit", "group"), rows))


@app.command()
def authorities(
    region: Annotated[str | None, typer.Option(help="Region name or E12 code.")] = None,
) -> None:
    """The register of authorities, optionally for one region."""
    register = load_register()
    areas = register.authorities()
    if region:
        wanted = _region(region)
        areas = [a for a in areas if a.region_code == wanted]
    rows = ((a.code, a.dfe_code, a.name, a.type, a.region_name) for a in areas)
    emit(render.table("Authorities", ("code", "dfe", "name", "type", "region"), rows))


def _region(text: str) -> str:
    """The E12 code of a region given by name or code; BadParameter listing close names otherwise."""
    regions = {r.name.casefold(): r.code for r in load_register().regions()}
    codes = set(regions.values())
    if text.upper() in codes:
        return text.upper()
    if text.casefold() in regions:
        return regions[text.casefold()]
    close = difflib.get_close_matches(text.casefold(), regions, n=3, cutoff=0.5)
    raise typer.BadParameter(f"unknown region {text!r}; " + (f"did you mean {', '.join(close)}?" if close
                             else f"regions: {', '.join(sorted(regions))}"), param_hint="--region")


@app.command()
def runs(db: Db = DEFAULT_URL) -> None:
    """Ingest runs with their counts, newest first."""
    emit(render.runs(queries.runs(open_db(db))))


@app.command()
def failures(
    run: Annotated[int | None, typer.Argument(help="Run id; the latest run if omitted.")] = None,
    db: Db = DEFAULT_URL,
) -> None:
    """Files that failed in a run, with reasons."""
    run_id, events = queries.failures(open_db(db), run)
    emit(render.failures(run_id, events) if run_id else "no ingest runs yet")


class Verdict(str, Enum):
    accept = "accept"
    reject = "reject"


@app.command()
def review(
    verdict: Annotated[Verdict | None, typer.Argument(help="accept or reject; omit to list the queue.")] = None,
    observation: Annotated[int | None, typer.Argument(help="Observation id to decide.")] = None,
    db: Db = DEFAULT_URL,
) -> None:
    """List figures that need review, or `review accept ID` / `review reject ID`; decisions outlive re-ingest."""
    engine = open_db(db, write=verdict is not None)
    if verdict is None:
        emit(render.review(queries.review_queue(engine)))
        return
    if observation is None:
        raise typer.BadParameter(f"give the observation id to {verdict.value}", param_hint="ID")
    decision = record_decision(engine, observation, verdict.value)
    emit(f"observation {observation} {decision.decision}")


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold CSV (document, indicator, period_end, value, ...).")],
    db: Db = DEFAULT_URL,
    docs_suffix: Annotated[str | None, typer.Option(help="Score only documents with this suffix, e.g. .pdf.")] = None,
) -> None:
    """Score the stored figures against a gold CSV: precision, recall, F1, misses and false positives."""
    engine, gold_rows = open_db(db), scoring.read_csv(gold)
    score = scoring.evaluate(gold_rows, queries.export_rows(engine), docs_suffix)
    emit(render.table("Score", ("precision", "recall", "f1", "matched", "gold", "extracted"),
                      [(score.precision, score.recall, score.f1, score.matched, score.gold, score.extracted)]))
    bands = scoring.calibration(gold_rows, queries.export_rows(engine, True), docs_suffix)
    emit(render.table("Calibration: precision per confidence band (needs-review figures included)",
                      ("confidence", "right", "figures", "precision"),
                      [(f"{b.low:.1f}-{b.high:.1f}", b.right, b.total, round(b.precision, 3)) for b in bands if b.total]))
    emit(render.table("False positives by failure class", ("class", "figures"),
                      scoring.failure_counts(score, gold_rows).items()))
    columns = ("document", "indicator", "period_end", "value", "breakdown", "qualifier")
    emit(render.gold_rows(f"Misses ({len(score.misses)})", score.misses, columns))
    emit(render.gold_rows(f"False positives ({len(score.false_positives)})", score.false_positives,
                          (*columns, "page")))


# ---------------------------------------- official statistics: store/official.py, crosscheck.py

class CheckFormat(str, Enum):
    table = "table"
    csv = "csv"


@app.command("import-official")
def import_official(
    paths: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False,
                                                help="DfE CSV files known to schemas/official.toml.")],
    db: Db = DEFAULT_URL,
) -> None:
    """Import official DfE tables beside the reported figures; an unchanged file adds nothing."""
    from .store.official import import_official as import_tables

    counts = import_tables(open_db(db, write=True), paths)
    emit(render.table("Official statistics", ("file", "rows stored"), counts.items()))


@app.command()
def crosscheck(
    db: Db = DEFAULT_URL,
    authority: Annotated[str | None, typer.Option(help="Authority name or code.")] = None,
    indicator: Annotated[str | None, typer.Option(help="Indicator id; its local variants are included.")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.table,
) -> None:
    """Reported figures beside the official DfE figures, with a verdict; neither value is changed."""
    from .crosscheck import checks_csv, checks_table, crosscheck as check_figures

    checks = check_figures(open_db(db), authority, indicator)
    if fmt is CheckFormat.csv:
        typer.echo(checks_csv(checks), nl=False)
    else:
        emit(checks_table(checks))


@app.command()
def parsers() -> None:
    """List the parsers: name, version, what they apply to and the package they come from."""
    from .scaffold import list_parsers

    rows = [(p["name"], p["version"], p["applies_to"], p["source"]) for p in list_parsers()]
    emit(render.table("Parsers", ("name", "version", "applies to", "source"), rows))


@app.command("new-parser")
def new_parser(
    name: Annotated[str, typer.Argument(help="Module and registry name, e.g. walsall_scorecard.")],
    authority: Annotated[str | None, typer.Option(help="The council it is for: GSS code, DfE code or name.")] = None,
    doc_type: Annotated[str | None, typer.Option(help="The document type it is for, e.g. ofsted-inspection.")] = None,
    root: Annotated[Path, typer.Option(help="The checkout to write into.")] = Path("."),
) -> None:
    """Scaffold a council or document-type parser: its module, a failing test and a fixture folder."""
    from .scaffold import new_parser as scaffold

    for path in scaffold(name, authority=authority, doc_type=doc_type, root=root):
        emit(f"wrote {path}")


def main() -> None:
    """Console entry point."""
    app()
