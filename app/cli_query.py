"""Command line, the query commands: compare, series, inspections, show, indicators, authorities, runs,
failures, review, evaluate, crosscheck. Each prints a table fitted to the terminal, or with ``--format csv|json`` its records."""
import difflib
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .cli import (DEFAULT_URL, Breakdown, Db, Fmt, IncludeReview, Plot, Source, SourceOption, TableFormat, app,
                  emit, open_db, show_listings)


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
    fmt: Fmt = TableFormat.table,
) -> None:
    """Compare one indicator across authorities: one row each, ranked; comparator areas, targets and forecasts apart.

    An authority without a whole-authority figure shows one of its breakdowns, unranked.
    """
    from . import render
    from .store import queries

    if plot:
        from . import charts  # matplotlib loads only when a chart is asked for

        charts.check_target(plot)
        if source is Source.both:
            raise typer.BadParameter("a chart shows one source: give --source reported or official", param_hint="--plot")
    engine = open_db(db)
    region_code = _region(region) if region else None
    when = period or "latest"
    listings = []
    for src in queries.sources(source.value):
        for qualifier in queries.QUALIFIERS:
            found = queries.comparison(engine, indicator, period, latest, qualifier, source=src, breakdown=breakdown,
                                       include_review=include_review, focal=neighbours_of, region=region_code)
            if found.rows or qualifier == "actual":
                listings.append(render.ranking(f"{indicator}, {when}, {src}: {qualifier}s", found, include_review))
                listings[-1].notes += found.notes
            if found.comparators:
                listings.append(render.comparison(f"{indicator}, {when}, {src}: comparator areas ({qualifier})",
                                                  found.comparators))
            if plot and qualifier == "actual":
                charts.bar_chart(plot, indicator, f"{indicator}, {when}, {src}", found)
    show_listings(fmt, listings)
    if plot:
        typer.echo(f"wrote {plot}", err=fmt is not TableFormat.table)


@app.command()
def series(
    indicator: Annotated[str, typer.Argument(help="Indicator id (see `scrutiny indicators`).")],
    authority: Annotated[list[str], typer.Option(help="An authority (GSS code, DfE code or name); repeat for more.")],
    db: Db = DEFAULT_URL,
    breakdown: Breakdown = None,
    source: SourceOption = Source.reported,
    include_review: IncludeReview = False,
    plot: Plot = None,
    fmt: Fmt = TableFormat.table,
) -> None:
    """One indicator over time: a column per authority, periods in order; targets and forecasts apart."""
    from . import render
    from .store import queries

    if plot:
        from . import charts  # matplotlib loads only when a chart is asked for

        charts.check_target(plot)
    engine = open_db(db)
    listings, records = [], []
    for qualifier in queries.QUALIFIERS:
        found = queries.series(engine, indicator, authority, qualifier, source=source.value,
                               breakdown=breakdown or "", include_review=include_review)
        if found.lines or qualifier == "actual":
            listings.append(render.series(f"{indicator}: {qualifier}s", found))
            records += render.series_records(found)
        if plot and qualifier == "actual":
            charts.line_chart(plot, f"{indicator}: actuals", found)
    show_listings(fmt, listings, records)
    if plot:
        typer.echo(f"wrote {plot}", err=fmt is not TableFormat.table)


@app.command()
def inspections(
    authority: Annotated[str, typer.Argument(help="Authority (GSS code, DfE code or name).")],
    db: Db = DEFAULT_URL,
    fmt: Fmt = TableFormat.table,
) -> None:
    """An authority's Ofsted inspections and visits in date order, with their judgements and documents."""
    from .render import inspections as listing
    from .store.inspections import history

    rows = [event.row() for event in history(open_db(db), authority)]
    title = f"Inspections of {rows[0]['authority_name']}" if rows else f"No inspection of {authority} stored"
    show_listings(fmt, listing(title, rows))


@app.command()
def show(
    document: Annotated[str, typer.Argument(help="File name, stem, path or SHA-256 prefix.")],
    db: Db = DEFAULT_URL,
    fmt: Fmt = TableFormat.table,
) -> None:
    """A document's metadata and its figures with page and evidence (csv and json: the figures)."""
    from . import render
    from .store import queries

    doc = queries.show(open_db(db), document)
    figures = render.figures("Figures", sorted(doc.observations, key=lambda o: (o.page or 0, o.id)), doc.name)
    show_listings(fmt, [render.document(doc), figures])


@app.command()
def indicators(fmt: Fmt = TableFormat.table) -> None:
    """The indicator vocabulary."""
    from .render import table
    from .schemas.vocabulary import load_vocabulary

    rows = ((i.id, i.label, i.unit, i.group) for i in load_vocabulary().values())
    show_listings(fmt, table("Indicators", ("id", "label", "unit", "group"), rows))


@app.command()
def authorities(
    region: Annotated[str | None, typer.Option(help="Region name or E12 code.")] = None,
    fmt: Fmt = TableFormat.table,
) -> None:
    """The register of authorities, optionally for one region."""
    from .render import table
    from .schemas.authorities import load_register

    register = load_register()
    areas = register.authorities()
    if region:
        wanted = _region(region)
        areas = [a for a in areas if a.region_code == wanted]
    rows = ((a.code, a.dfe_code, a.name, a.type, a.region_name) for a in areas)
    show_listings(fmt, table("Authorities", ("code", "dfe", "name", "type", "region"), rows))


def _region(text: str) -> str:
    """The E12 code of a region given by name or code; BadParameter listing close names otherwise."""
    from .schemas.authorities import load_register

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
def runs(db: Db = DEFAULT_URL, fmt: Fmt = TableFormat.table) -> None:
    """Ingest runs with their counts, newest first."""
    from . import render
    from .store import queries

    show_listings(fmt, render.runs(queries.runs(open_db(db))))


@app.command()
def failures(
    run: Annotated[int | None, typer.Argument(help="Run id; the latest run if omitted.")] = None,
    db: Db = DEFAULT_URL,
    fmt: Fmt = TableFormat.table,
) -> None:
    """Files that failed in a run, with reasons."""
    from . import render
    from .store import queries

    run_id, events = queries.failures(open_db(db), run)
    if run_id:
        show_listings(fmt, render.failures(run_id, events))
    elif fmt is TableFormat.table:
        emit("no ingest runs yet")
    else:
        show_listings(fmt, [], [])


class Verdict(str, Enum):
    accept = "accept"
    reject = "reject"


@app.command()
def review(
    verdict: Annotated[Verdict | None, typer.Argument(help="accept or reject; omit to list the queue.")] = None,
    observation: Annotated[int | None, typer.Argument(help="Observation id to decide.")] = None,
    db: Db = DEFAULT_URL,
    fmt: Fmt = TableFormat.table,
) -> None:
    """List figures that need review, or `review accept ID` / `review reject ID`; decisions outlive re-ingest."""
    from . import render
    from .store import queries
    from .store.load import record_decision

    engine = open_db(db, write=verdict is not None)
    if verdict is None:
        show_listings(fmt, render.review(queries.review_queue(engine)))
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
    fmt: Fmt = TableFormat.table,
) -> None:
    """Score the stored figures against a gold CSV: precision, recall, F1, misses and false positives
    (csv and json: the misses and false positives, each with its outcome)."""
    from . import evaluate as scoring
    from . import render
    from .store import queries

    engine, gold_rows = open_db(db), scoring.read_csv(gold)
    score = scoring.evaluate(gold_rows, queries.export_rows(engine), docs_suffix)
    bands = scoring.calibration(gold_rows, queries.export_rows(engine, True), docs_suffix)
    calibration = render.table("Calibration: precision per confidence band (needs-review figures included)",
                               ("confidence", "right", "figures", "precision"),
                               [(f"{b.low:.1f}-{b.high:.1f}", b.right, b.total, round(b.precision, 3))
                                for b in bands if b.total], data=False)
    classes = render.table("False positives by failure class", ("class", "figures"),
                           scoring.failure_counts(score, gold_rows).items(), data=False)
    misses = render.gold_rows(f"Misses ({len(score.misses)})", score.misses, "miss")
    wrong = render.gold_rows(f"False positives ({len(score.false_positives)})", score.false_positives,
                             "false positive")
    show_listings(fmt, [render.score(score), calibration, classes, misses, wrong])


# ---------------------------------------- official statistics: store/official.py, crosscheck.py

@app.command()
def crosscheck(
    db: Db = DEFAULT_URL,
    authority: Annotated[str | None, typer.Option(help="Authority name or code.")] = None,
    indicator: Annotated[str | None, typer.Option(help="Indicator id; its local variants are included.")] = None,
    fmt: Fmt = TableFormat.table,
) -> None:
    """Reported figures beside the official DfE figures, with a verdict; neither value is changed."""
    from .crosscheck import CHECK_COLUMNS, check_rows, crosscheck as check_figures
    from .render import checks

    show_listings(fmt, checks(CHECK_COLUMNS, check_rows(check_figures(open_db(db), authority, indicator))))
