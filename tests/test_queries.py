"""Research queries on the seed papers and the DfE workforce table: compare, series, export filters and the views."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import statistics
import uuid
from datetime import date
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from scrutiny.cli import app
from scrutiny.schemas.authorities import load_register
from scrutiny.store.db import connect, init
from scrutiny.store.official import neighbours_of
from scrutiny.store.queries import EXPORT_COLUMNS, comparison, export_rows, series
from test_cli import one_error_line

runner = CliRunner(env={"COLUMNS": "250"})
WEST_SUSSEX, PLYMOUTH, ENGLAND, SOUTH_EAST = "E10000032", "E06000026", "E92000001", "E12000008"
WS_PAPER = "004_ab3d313a01f42dff.txt"
CSWW = "csww_indicators_2017_to_2025.csv"


def run(*args: str):
    return runner.invoke(app, list(args))


@cache
def seeded_url(shared: Path, basetemp: Path) -> str:
    """A SQLite URL holding the five seed papers (text versions), the DfE workforce table and the
    neighbour groupings: built once per test run (in pytest's ``basetemp``), only read afterwards."""
    folder = basetemp / "seeded"
    folder.mkdir()
    url = f"sqlite:///{folder / 'seeded.sqlite'}"
    seeds = sorted((shared / "corpus" / "seeds").glob("*.txt"))
    dfe = shared / "data" / "dfe"
    for args in (["ingest", "--workers", "1", *map(str, seeds)],
                 ["import-official", str(dfe / CSWW), str(dfe / "New_Statistical_Neighbour_Groupings_April_2021.csv")]):
        result = run(*args, "--db", url)
        assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> str:
    return seeded_url(shared, tmp_path_factory.getbasetemp())


def sections(stdout: str) -> dict[str, str]:
    """Each printed table's lines (header, rule, rows, notes) by its title, the line above the header."""
    found: dict[str, str] = {}
    title = None
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if i + 2 < len(lines) and lines[i + 2].startswith("─"):
            title = line.strip()
            found[title] = ""
        elif title:
            found[title] += line + "\n"
    return found


def records(*args: str) -> list[dict]:
    """A command's records, from its JSON output."""
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_compare_ranks_whole_authority_actuals_and_keeps_targets_apart(db):
    result = run("compare", "sw_caseload_average", "--latest", "--db", db)
    assert result.exit_code == 0, result.output
    assert list(sections(result.stdout)) == ["sw_caseload_average, latest, reported: actuals",
                                             "sw_caseload_average, latest, reported: targets"]
    found = records("compare", "sw_caseload_average", "--latest", "--db", db)
    plymouth, walsall = [r for r in found if r["qualifier"] == "actual"]
    assert (plymouth["rank"], plymouth["area_name"], plymouth["value"], plymouth["period_end"], plymouth["breakdown"],
            plymouth["document"]) == (1, "Plymouth", 18, "2024-09-30", "", "002_5b351067a8cd401d.txt")
    assert isinstance(plymouth["page"], int)
    # Walsall gives caseloads for worker groups only: shown with its breakdown, not ranked against whole authorities
    assert (walsall["area_name"], walsall["rank"]) == ("Walsall", None) and walsall["breakdown"] in {"ASYE", "LAC", "SFS"}
    # Hillingdon's paper states no date: its target is dated by the latest period the paper
    # reports on (an estimate the development pages show to be right for such figures)
    targets = [r for r in found if r["qualifier"] == "target"]
    assert [(r["area_name"], r["status"]) for r in targets] == [("Hillingdon", "ok"), ("West Sussex", "ok")]


def test_compare_neighbours_of_marks_the_focal_authority(db):
    engine = connect(db)
    names = [load_register().get(code).name for code in neighbours_of(engine, WEST_SUSSEX)]
    for focal in (WEST_SUSSEX, "938", "west sussex"):
        result = run("compare", "sw_agency_rate", "--neighbours-of", focal, "--db", db)
        assert result.exit_code == 0, result.output
        section = sections(result.stdout)["sw_agency_rate, latest, reported: actuals"]
        [row] = records("compare", "sw_agency_rate", "--neighbours-of", focal, "--db", db)
        assert (row["area_name"], row["role"], row["rank"], row["value"]) == ("West Sussex", "focal", 1, 15)
        assert "no neighbour has a ranked figure" in section
        assert all(name in " ".join(section.split()) for name in names)


def test_neighbours_mean_and_median_come_from_the_stored_figures(db):
    engine = connect(db)
    found = comparison(engine, "sw_agency_rate", "2019-09", source="official", focal="West Sussex")
    neighbours = neighbours_of(engine, WEST_SUSSEX)
    assert [r.area_code for r in found.rows if r.role == "focal"] == [WEST_SUSSEX]
    assert {r.area_code for r in found.rows if r.role == "neighbour"} == set(neighbours)
    values = [r.value for r in found.rows]
    assert values == sorted(values, reverse=True) and [r.rank for r in found.rows][0] == 1
    stored = export_rows(engine, indicators=["sw_agency_rate"], authorities=neighbours, since=date(2019, 9, 1),
                         until=date(2019, 9, 30), source="official")
    assert len(stored) == found.counted == len(neighbours)
    assert found.mean == pytest.approx(statistics.mean(r["value"] for r in stored))
    assert found.median == pytest.approx(statistics.median(r["value"] for r in stored))
    assert {r.area_code for r in found.comparators} == {ENGLAND, SOUTH_EAST}

    result = run("compare", "sw_agency_rate", "--neighbours-of", "West Sussex", "--source", "official",
                 "--period", "2019-09", "--db", db)
    assert f"neighbours' mean {found.mean:.4g}, median {found.median:.4g} ({len(neighbours)} ranked)" in result.stdout
    assert "sw_agency_rate, 2019-09, official: comparator areas (actual)" in sections(result.stdout)
    found = records("compare", "sw_agency_rate", "--neighbours-of", "West Sussex", "--source", "official",
                    "--period", "2019-09", "--db", db)
    assert {r["area_name"] for r in found if r["area_kind"] != "authority"} == {"England", "South East"}


def test_compare_within_a_region(db):
    engine = connect(db)
    found = comparison(engine, "sw_agency_rate", source="official", region=SOUTH_EAST)
    south_east = {a.code for a in load_register().authorities() if a.region_code == SOUTH_EAST}
    assert {r.area_code for r in found.rows} <= south_east and len(found.rows) >= len(south_east) - 1
    assert {r.area_code for r in found.comparators} == {ENGLAND, SOUTH_EAST}
    result = run("compare", "sw_agency_rate", "--source", "official", "--region", "south east", "--db", db)
    assert result.exit_code == 0 and "Brighton and Hove" in result.stdout and "Plymouth" not in result.stdout
    assert "south east" in one_error_line(run("compare", "sw_agency_rate", "--region", "Sout East", "--db", db))
    assert "not both" in one_error_line(run("compare", "sw_agency_rate", "--region", "South East",
                                            "--neighbours-of", "West Sussex", "--db", db))


def test_breakdown_text_selects_and_ranks_breakdowns(db):
    [row] = records("compare", "sw_caseload_average", "--period", "2024-09", "--breakdown", "initial RESPONSE",
                    "--db", db)
    assert (row["area_name"], row["value"], row["breakdown"], row["rank"]) == \
        ("Plymouth", 14.8, "Initial Response Service", 1)
    found = series(connect(db), "sw_caseload_average", ["Plymouth"], breakdown="service")
    assert "Plymouth: Initial Response Service" in found.lines and "Plymouth" not in found.lines
    assert all("Service" in label for label in found.lines)


def test_series_shows_the_months_in_order_and_the_forecast_apart(db):
    result = run("series", "sw_vacancy_gap_rate", "--authority", "West Sussex", "--db", db)
    assert result.exit_code == 0, result.output
    tables = sections(result.stdout)
    assert [line.split() for line in tables["sw_vacancy_gap_rate: actuals"].splitlines()[2:8]] == [
        ["2019-02", "18.5%"], ["2019-05", "14.9%"], ["2019-06", "8.8%"], ["2019-07", "6.9%"], ["2019-08", "5.2%"],
        ["2019-09", "1.8%"]]
    assert WS_PAPER in tables["sw_vacancy_gap_rate: actuals"]
    assert "2020-02  -0.1%" in tables["sw_vacancy_gap_rate: forecasts"]
    found = records("series", "sw_vacancy_gap_rate", "--authority", "West Sussex", "--db", db)
    assert [(r["line"], r["period_end"], r["value"], r["qualifier"]) for r in found][-2:] == \
        [("West Sussex", "2019-09-30", 1.8, "actual"), ("West Sussex", "2020-02-29", -0.1, "forecast")]


def test_series_has_a_column_per_authority_and_source(db):
    found = series(connect(db), "sw_agency_rate", ["west sussex", "879"], source="both")
    assert list(found.lines) == ["West Sussex (reported)", "West Sussex (official)", "Plymouth (reported)",
                                 "Plymouth (official)"]
    table = found.table()
    ends = [span[1] for span in found.periods()]
    assert ends == sorted(ends) and len(table) == len(ends)
    assert ["2019-09", 15, None, None, None] in table  # West Sussex's own paper, September 2019
    assert ["2019-09-30", None, 13.3, None, 2.5] in table  # the DfE census at 30 September 2019


@pytest.mark.parametrize("args, name", [
    (("compare", "sw_agency_rate", "--neighbours-of", "West Susex"), "West Sussex (E10000032)"),
    (("series", "sw_agency_rate", "--authority", "Plymuth"), "Plymouth (E06000026)"),
    (("export", "--authority", "Wolverhamton"), "Wolverhampton (E08000031)"),
])
def test_an_unknown_authority_is_one_line_naming_close_matches(db, args, name):
    line = one_error_line(run(*args, "--db", db))
    assert "no area matches" in line and name in line


def test_export_filters_by_indicator_authority_period_and_source(db):
    def export(*args: str) -> list[dict[str, str]]:
        result = run("export", "--db", db, *args)
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout)))

    reported = export()
    assert reported and {r["source"] for r in reported} == {"reported"}
    assert len(export("--source", "both")) > len(reported) + 10000
    official = export("--source", "official", "--indicator", "sw_agency_rate", "--authority", "West Sussex",
                      "--since", "2019-01", "--until", "2020-12")
    assert sorted((r["period_end"], r["value"], r["document"]) for r in official) == \
        [("2019-09-30", "13.3", CSWW), ("2020-09-30", "15.9", CSWW)]
    gap = export("--indicator", "sw_vacancy_gap_rate", "--since", "2019-06-30", "--until", "2019-08")
    assert [r["period_end"] for r in gap] == ["2019-06-30", "2019-07-31", "2019-08-31"]
    assert "YYYY-MM" in one_error_line(run("export", "--db", db, "--since", "March"))
    assert "sw_vacancy_gap_rate" in one_error_line(run("export", "--db", db, "--indicator", "sw_vacancy_gap"))


def test_export_parquet_keeps_the_columns_with_types(db, tmp_path):
    out = tmp_path / "figures.parquet"
    args = ("export", "--db", db, "--indicator", "sw_vacancy_gap_rate", "--indicator", "ofsted_overall_effectiveness")
    result = run(*args, "--format", "parquet", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.column_names == [*EXPORT_COLUMNS, "value_text"]
    types = {name: str(table.schema.field(name).type) for name in ("period_end", "value", "page")}
    assert types == {"period_end": "date32[day]", "value": "double", "page": "int64"}
    parquet = table.to_pylist()
    csv_rows = list(csv.DictReader(io.StringIO(run(*args).stdout)))
    assert len(parquet) == len(csv_rows) == 8
    for pq_row, csv_row in zip(parquet, csv_rows):
        assert pq_row["period_end"].isoformat() == csv_row["period_end"]
        assert (pq_row["value_text"] or str(pq_row["value"]).removesuffix(".0")) == csv_row["value"]
        assert (pq_row["document"], pq_row["evidence"], pq_row["page"]) == \
            (csv_row["document"], csv_row["evidence"], int(csv_row["page"]))
    grade = next(r for r in parquet if r["indicator"] == "ofsted_overall_effectiveness")
    assert (grade["value"], grade["value_text"]) == (None, "good")
    assert "--out" in one_error_line(run("export", "--db", db, "--format", "parquet"))


def test_figures_needing_review_only_on_request(db, tmp_path):
    copy = tmp_path / "review.sqlite"
    with sqlite3.connect(db.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
        target.execute("UPDATE observations SET status = 'needs_review' WHERE indicator_id = 'sw_caseload_average'"
                       " AND area_code = ? AND breakdown = '' AND period_end = '2024-09-30'", (PLYMOUTH,))
    url = f"sqlite:///{copy}"
    args = ("compare", "sw_caseload_average", "--db", url)
    [row] = [r for r in records(*args) if r["area_name"] == "Plymouth" and r["qualifier"] == "actual"]
    assert (row["value"], row["period_end"], row["status"]) == (18.4, "2024-07-31", "ok")
    assert "status" not in run(*args).stdout.splitlines()[1]
    [row] = [r for r in records(*args, "--include-review") if r["area_name"] == "Plymouth" and r["qualifier"] == "actual"]
    assert (row["value"], row["period_end"], row["status"]) == (18, "2024-09-30", "needs_review")
    assert "needs_review" in run(*args, "--include-review").stdout
    waiting = len(export_rows(connect(db), include_review=True)) - len(export_rows(connect(db)))
    assert len(export_rows(connect(url), include_review=True)) - len(export_rows(connect(url))) == waiting + 1


def test_views_give_the_latest_figures_and_their_provenance(db):
    engine = connect(db)
    with engine.connect() as conn:
        [latest] = conn.execute(text(
            "SELECT id, value, period_end, document FROM latest_observations WHERE indicator = 'sw_caseload_average'"
            " AND area_code = :area AND breakdown = '' AND qualifier = 'actual' AND source = 'reported'"),
            {"area": PLYMOUTH}).all()
        assert (latest.value, str(latest.period_end), latest.document) == \
            (18.0, "2024-09-30", "002_5b351067a8cd401d.txt")
        figure = conn.execute(text("SELECT * FROM observation_provenance WHERE id = :id"), {"id": latest.id}).one()
        assert (figure.area_name, figure.indicator_label, figure.unit, figure.meeting_date is not None) == \
            ("Plymouth", "Average caseload", "cases", True)
        assert "18" in figure.evidence and figure.page >= 1
        counts = conn.execute(text("SELECT (SELECT count(*) FROM observation_provenance),"
                                   " (SELECT count(*) FROM observations)")).one()
        assert counts[0] == counts[1]


def test_init_recreates_a_dropped_view(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'views.sqlite'}")
    init(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP VIEW latest_observations"))
    init(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM latest_observations")).scalar() == 0


PG_URL = os.environ.get("SCRUTINY_TEST_PG_URL")


@pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set SCRUTINY_TEST_PG_URL (.ci/run starts one)")
def test_views_on_postgresql(shared):
    name = f"scrutiny_views_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        result = run("ingest", "--db", url, "--workers", "1", str(shared / "corpus" / "seeds" / WS_PAPER))
        assert result.exit_code == 0, result.output
        engine = connect(url)
        with engine.connect() as conn:
            latest = conn.execute(text(
                "SELECT qualifier, period_end, value FROM latest_observations"
                " WHERE indicator = 'sw_vacancy_gap_rate' ORDER BY qualifier")).all()
            assert [(q, end.isoformat(), v) for q, end, v in latest] == \
                [("actual", "2019-09-30", 1.8), ("forecast", "2020-02-29", -0.1)]
            assert conn.execute(text("SELECT document FROM observation_provenance LIMIT 1")).scalar() == WS_PAPER
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()
