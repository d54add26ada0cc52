"""Command line: ingest reports, export and compare figures, inspect documents, runs and the review queue.

Every error is one line ``error: ...`` on stderr with a non-zero exit status.
"""
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from . import fastargs  # noqa: F401  (plain values converted without loading pydantic)

# Only typer loads at start: the database, rich and the readers are imported by the commands that use them,
# so that `--help` and the query commands start quickly (see bench/bench.py). No `from __future__ import
# annotations` here: typer would evaluate every parameter's annotation again on each start.
from . import writers
from .store import DEFAULT_URL
from .workers import MAX_MEMORY_MB

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from .manifest import Manifest
    from .output import Listing
    from .store.load import RunCounts


def error_message(err: BaseException) -> str:
    """The first line of an error, the driver's own message for database errors."""
    if isinstance(err, typer.TyperException):
        text = err.format_message()
    elif _is_database_error(err):
        text = f"database: {getattr(err, 'orig', None) or err}"
    else:
        text = str(err)
    lines = text.strip().splitlines()
    return lines[0] if lines else type(err).__name__


def _is_database_error(err: BaseException) -> bool:
    """Whether ``err`` is SQLAlchemy's (checked without importing it when no command has)."""
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(err, SQLAlchemyError)


def _quiet_broken_pipe() -> None:
    """The reader of standard output has gone (``scrutiny export | head``): stop quietly, as `cat` does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not complain either
    sys.exit(0)


class CleanGroup(TyperGroup):
    """A command group whose errors, usage errors included, print as one line."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # before typer's own handling, which exits 1
            _quiet_broken_pipe()
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except Exception as err:
            raise typer.TyperException(error_message(err)) from err

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        except typer.TyperException as err:
            from .output import cell  # escape codes in a file name must not reach the terminal

            typer.echo(f"error: {cell(error_message(err))}", err=True)
            sys.exit(err.exit_code)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)


app = typer.Typer(cls=CleanGroup, help=__doc__.splitlines()[0], add_completion=False,
                  pretty_exceptions_enable=False, rich_markup_mode=None)  # plain help: rich is not loaded to print it


Db = Annotated[str, typer.Option("--db", envvar="SCRUTINY_DB", help="SQLAlchemy database URL.")]


class TableFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


Fmt = Annotated[TableFormat, typer.Option("--format", help="table for the terminal; csv or json (every field) for piping.")]


def emit(item: "str | Listing") -> None:
    """Print a message, or a listing as a table fitted to the terminal, to standard output."""
    if isinstance(item, str):
        typer.echo(item)
    else:
        show_listings(TableFormat.table, item)


def show_listings(fmt: TableFormat, listings: "Listing | Sequence[Listing]",
                  records: list[dict[str, Any]] | None = None) -> None:
    """Print listings as tables fitted to the terminal, or their records (or ``records``) as CSV or JSON."""
    from .output import write

    write(listings, fmt.value, sys.stdout, records)


@app.callback(invoke_without_command=True)
def root(ctx: typer.Context) -> None:
    """Print the help when no command is given."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def open_db(url: str, write: bool = False) -> "Engine":
    """Connect to write (tables created, register and vocabulary seeded) or to read (nothing created)."""
    from .store.db import open_store

    return open_store(url, write)


class PdfEngine(str, Enum):
    fast = "fast"
    pdfplumber = "pdfplumber"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(readable=False, help="Report files, or folders searched for the file types the readers take (PDF, Word, text, HTML).")],
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
    from .output import table_text
    from .render import summary
    from .store.load import RunCounts, finish_run, start_run

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
    typer.echo(table_text(summary(counts, peak)), nl=False)
    if counts.failed:
        raise typer.Exit(1)


def _ingest_files(engine: "Engine", files: list[Path], manifest: "Manifest", run_id: int, counts: "RunCounts",
                  **options: Any) -> float:
    """Ingest under a progress display (documents, pages, figures, failures, ETA); a line per failure or warning."""
    from .ingest import run
    from .output import cell

    peak = 0.0
    with _progress(len(files)) as (say, advance):
        def report(outcome, rss: float) -> None:
            nonlocal peak
            peak = max(peak, rss)
            if outcome.status == "failed":
                say(cell(f"{outcome.path}: {outcome.reason}"))
            for warning in outcome.warnings:
                say(cell(f"{outcome.path}: warning: {warning}"))
            advance(counts)

        run(engine, files, manifest, run_id, counts=counts, report=report, **options)
    return peak


@contextmanager
def _progress(total: int) -> Iterator[tuple[Any, Any]]:
    """(say a line, advance by one document): a progress bar when standard error is a terminal,
    else plain lines, without loading rich."""
    if not sys.stderr.isatty():
        yield (lambda line: typer.echo(line, err=True)), (lambda counts: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.text import Text

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[pages]} pages  {task.fields[figures]} figures  {task.fields[failed]} failed"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True, highlight=False), transient=True) as progress:
        task = progress.add_task("documents", total=total, pages=0, figures=0, failed=0)
        yield ((lambda line: progress.console.print(Text(line), soft_wrap=True)),
               (lambda c: progress.update(task, advance=1, pages=c.pages, figures=c.figures, failed=c.failed)))


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
    fmt: Annotated[str | None, typer.Option("--format", help=f"Output format: {', '.join(writers.available())}; default from --out's suffix, else csv.")] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write; standard output if omitted or - (text formats only).")] = None,
    force: Annotated[bool, typer.Option(help="Replace the --out file if it exists (never the database itself).")] = False,
    include_review: IncludeReview = False,
    indicator: Annotated[list[str] | None, typer.Option(help="Only this indicator id; repeat for more.")] = None,
    authority: Annotated[list[str] | None, typer.Option(help="Only this area (GSS code, DfE code or name); repeat for more.")] = None,
    since: Annotated[str | None, typer.Option(help="Only periods ending on or after this YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only periods ending on or before this YYYY-MM or YYYY-MM-DD.")] = None,
    source: SourceOption = Source.reported,
) -> None:
    """Write the stored figures with their provenance (CSV, JSON, Parquet, Excel, ...), optionally filtered.

    An existing --out file is replaced only with --force, and only once the export is complete.
    """
    from .store import queries

    out_file = None if out_file == Path("-") else out_file
    writer = _writer(fmt, out_file)
    engine = open_db(db)
    rows = queries.export_rows(engine, include_review, indicators=indicator or (), authorities=authority or (),
                               since=queries.date_bound(since) if since else None,
                               until=queries.date_bound(until, end=True) if until else None, source=source.value)
    with _export_target(out_file, force, db) as target:
        _write_export(writer, rows, target)


@contextmanager
def _export_target(out_file: Path | None, force: bool, db: str) -> Iterator[Path | None]:
    """The file to write the export into (None: standard output): a temporary one that replaces
    ``out_file`` when the export is complete; refused when it would clobber a file or the database."""
    from .destination import TargetError, check_target, replacing
    from .store.db import sqlite_file

    if out_file is None:
        yield None
        return
    try:
        check_target(out_file, force, sqlite_file(db))
    except TargetError as err:
        raise typer.BadParameter(str(err), param_hint="--out") from err
    with replacing(out_file) as part:
        yield part


def _writer(fmt: str | None, out_file: Path | None) -> "writers.Writer":
    """The registered writer named by --format, else the one for --out's suffix, else CSV."""
    by_suffix = writers.for_suffix(out_file.suffix) if out_file and not fmt else None
    try:
        writer = by_suffix or writers.get(fmt or "csv")
    except writers.UnknownFormat as err:
        raise typer.BadParameter(str(err), param_hint="--format") from err
    if writer.binary and out_file is None:
        raise typer.BadParameter(f"{writer.name} is written to a file: give --out FILE", param_hint="--format")
    return writer


def _write_export(writer: "writers.Writer", rows: list[dict[str, Any]], target: Path | None) -> None:
    """The rows in the writer's format into ``target``, or to standard output when it is None."""
    from contextlib import nullcontext

    with open(target, "wb") if target else nullcontext(sys.stdout.buffer) as handle:
        writer.write(rows, handle)
        handle.flush()


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


@app.command("import-official")
def import_official(
    paths: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False,
                                                help="DfE CSV files known to schemas/official.toml.")],
    db: Db = DEFAULT_URL,
    fmt: Fmt = TableFormat.table,
) -> None:
    """Import official DfE tables beside the reported figures; an unchanged file adds nothing."""
    from .render import table
    from .store.official import import_official as import_tables

    counts = import_tables(open_db(db, write=True), paths)
    show_listings(fmt, table("Official statistics", ("file", "rows stored"), counts.items()))


@app.command()
def parsers(fmt: Fmt = TableFormat.table) -> None:
    """List the parsers: name, version, what they apply to and the package they come from."""
    from .render import table
    from .scaffold import list_parsers

    rows = [(p["name"], p["version"], p["applies_to"], p["source"]) for p in list_parsers()]
    show_listings(fmt, table("Parsers", ("name", "version", "applies to", "source"), rows))


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


from . import cli_query  # noqa: E402,F401  (registers the query commands on ``app``)


def main() -> None:
    """Console entry point."""
    app()
