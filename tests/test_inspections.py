"""An authority's inspection history on a real SQLite file: the shared Rotherham reports and its
focused-visit letter ingested, listed in date order with their judgements; a page that is no report
a named failure; the latest inspection without an overall grade; the document type reaching parsers."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Iterable

import pytest
from typer.testing import CliRunner

from scrutiny.cli import app
from scrutiny.extract import registry
from scrutiny.extract.model import Document
from scrutiny.extract.observation import Context, Observation
from scrutiny.pipeline import process
from scrutiny.schemas.authorities import load_register
from test_ofsted import NO_OVERALL_2026

runner = CliRunner(env={"COLUMNS": "250"})
AUTHORITY = "Rotherham"


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def gold_reports(shared: Path) -> dict[str, dict[str, str]]:
    """The authority's graded reports in the gold: file name -> {indicator: grade}, with its period."""
    code = load_register().lookup(AUTHORITY).code
    found: dict[str, dict[str, str]] = {}
    with open(shared / "gold" / "ofsted.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["authority_code"] == code:
                found.setdefault(f"{row['document']}.pdf", {"period": row["period_end"]})[row["indicator"]] = row["value"]
    return found


@pytest.fixture(scope="module")
def files(shared: Path, gold_reports: dict[str, dict[str, str]]) -> dict[str, list[Path]]:
    """The authority's report files (graded, and the rest under its name) and its focused-visit letters."""
    slug = next(iter(gold_reports)).rsplit("-", 3)[0]
    reports = sorted((shared / "corpus" / "ofsted").glob(f"{slug}-*.pdf"))
    letters = sorted((shared / "corpus" / "focused_visits").glob(f"*_{slug.replace('-', '_')}_childrens_services_*.pdf"))
    assert set(gold_reports) < {p.name for p in reports} and letters
    return {"reports": reports, "letters": letters}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, files: dict[str, list[Path]]) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('history') / 'h.sqlite'}"
    result = run("ingest", "--db", url, "--workers", "1", *map(str, files["reports"] + files["letters"]))
    assert result.exit_code == 1  # the page that is no report fails; the rest are stored
    return url


def test_history_lists_the_inspections_and_the_visit_in_date_order(db: str, files: dict[str, list[Path]],
                                                                    gold_reports: dict[str, dict[str, str]]) -> None:
    result = run("inspections", AUTHORITY, "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert [e["end"] for e in events] == sorted(e["end"] for e in events)
    inspections = [e for e in events if e["doc_type"] == "ofsted-inspection"]
    assert {e["document"] for e in inspections} == set(gold_reports)
    for event in inspections:
        expected = gold_reports[event["document"]]
        assert event["end"][:7] == expected["period"]
        assert {f"ofsted_{k}" if k != "overall" else "ofsted_overall_effectiveness": v
                for k, v in event.items() if v and k in ("overall", "leadership", "help_and_protection",
                                                          "children_in_care", "care_leavers", "adoption")} == \
            {k: v for k, v in expected.items() if k != "period"}
    visits = [e for e in events if e["doc_type"] == "ofsted-focused-visit"]
    assert [e["document"] for e in visits] == [p.name for p in files["letters"]]
    for visit in visits:
        assert visit["start"] <= visit["end"] and visit["theme"] and visit["note"]
        assert not any(visit[k] for k in ("overall", "leadership", "help_and_protection", "children_in_care"))


def test_a_page_that_is_no_report_is_a_named_failure_not_an_event(db: str, files: dict[str, list[Path]],
                                                                   gold_reports: dict[str, dict[str, str]]) -> None:
    failed = [p for p in files["reports"] if p.name not in gold_reports and not p.read_bytes().startswith(b"%PDF")]
    assert failed
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        errors = dict(conn.execute("select path, reason from run_events where level = 'error'"))
        stored = {name for (name,) in conn.execute("select name from documents where status = 'ok'")}
    assert {Path(path).name: reason.split(" (")[0] for path, reason in errors.items()} == \
        {p.name: "not a report" for p in failed}
    assert not {p.name for p in failed} & stored
    events = json.loads(run("inspections", AUTHORITY, "--db", db, "--format", "json").stdout)
    assert not {p.name for p in failed} & {e["document"] for e in events}


def test_history_as_csv_and_table(db: str, gold_reports: dict[str, dict[str, str]]) -> None:
    rows = list(csv.DictReader(io.StringIO(run("inspections", AUTHORITY, "--db", db, "--format", "csv").stdout)))
    assert {r["document"] for r in rows} >= set(gold_reports)
    table = run("inspections", AUTHORITY, "--db", db)
    assert table.exit_code == 0 and "focused visit" in table.stdout and "inspection (ilacs)" in table.stdout


def test_the_canned_query_shows_the_same_timeline(db: str) -> None:
    queries = json.loads(resources.files("scrutiny.schemas").joinpath("datasette.json").read_text(encoding="utf-8"))
    sql = queries["database"]["queries"]["inspection_history"]["sql"]
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        documents = [row[-1] for row in conn.execute(sql, {"authority": AUTHORITY})]
    events = json.loads(run("inspections", AUTHORITY, "--db", db, "--format", "json").stdout)
    assert documents == [e["document"] for e in events]


def test_compare_latest_says_when_the_latest_inspection_gives_no_overall_grade(shared: Path, tmp_path: Path) -> None:
    """An older report's overall grade is shown, and the newer report that gives none is named."""
    newer = tmp_path / "barnet-2026.txt"
    newer.write_text(NO_OVERALL_2026, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    older = shared / "corpus" / "ofsted" / "barnet-01-july-2019.pdf"
    assert run("ingest", "--db", url, "--workers", "1", str(older), str(newer)).exit_code == 0
    result = run("compare", "ofsted_overall_effectiveness", "--latest", "--db", url)
    assert result.exit_code == 0, result.output
    assert "barnet-01-july-2019.pdf" in result.stdout
    assert "latest inspection" in result.stdout and "barnet-2026.txt" in result.stdout
    history = json.loads(run("inspections", "Barnet", "--db", url, "--format", "json").stdout)
    assert [e["overall"] for e in history] == ["good", ""] and history[-1]["note"]


@pytest.fixture
def visit_parser() -> Iterable[str]:
    """A parser for one document type, registered as ``scrutiny new-parser --doc-type`` would write it."""
    @registry.register("test_visits", "0.1.0", registry.AppliesTo(doc_types=("ofsted-focused-visit",)))
    class VisitParser(registry.Parser):
        def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
            yield Observation("sw_caseload_average", 1.0, "cases", None, ctx.doc_kind.last_day, "test", 1)

    yield "test_visits"
    registry._registry.pop("test_visits")


def test_a_parser_for_a_document_type_runs_on_it(visit_parser: str, files: dict[str, list[Path]],
                                                 shared: Path) -> None:
    letter = process(files["letters"][0])
    assert letter.context.doc_type == "ofsted-focused-visit"
    assert letter.context.meeting_date == letter.context.doc_kind.last_day  # figures as at the visit
    assert [o.parser for o in letter.observations if o.evidence == "test"] == [visit_parser]
    seed = process(sorted((shared / "corpus" / "seeds").glob("*.txt"))[0])
    assert seed.context.doc_type == "committee-report"
    assert visit_parser not in {o.parser for o in seed.observations}
