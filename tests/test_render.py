"""Terminal tables fitted to the width, and the same records as CSV and JSON; the seed papers at 80 columns."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from scrutiny.cli import app
from scrutiny.output import Column, Listing, table_text, write

CODE = re.compile(r"\bE\d{8}\b")
SPLIT = re.compile(r"\bE\d{1,7}$|\b\d{4}-(\d\d?)?$")  # a code or a date cut at a line's end
NAME = "a_rather_long_document_name_from_a_committee_agenda.pdf"


def listing(rows: int = 3) -> Listing:
    records = [{"area_code": f"E0600{i:04d}", "area_name": "Kingston upon Thames", "value": 18.25 + i,
                "period_end": date(2024, 9, 30), "document": f"{i}_{NAME}", "page": i, "note": "optional extra"}
               for i in range(rows)]
    columns = [Column("area_name", "authority", "words"), Column("area_code", "code"), Column("value"),
               Column("period_end", "period end"), Column("document", "doc", "name"), Column("page", "p."),
               Column("note", drop=1)]
    return Listing("Test listing", columns, records, notes=["a note under the table"])


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("room", [60, 80, 100, 250])
def test_no_line_is_wider_than_the_terminal_and_codes_and_dates_stay_whole(room):
    text = table_text(listing(), room)
    assert widest(text) <= room
    for code in ("E06000000", "E06000001", "E06000002"):
        assert code in text
    assert text.count("2024-09-30") == 3
    assert "18.25" in text and "20.25" in text


def test_long_names_become_footnotes_only_when_the_width_runs_out():
    narrow, wide = table_text(listing(), 80), table_text(listing(), 250)
    assert "[1]" in narrow and f"[1] 0_{NAME}" in narrow
    assert "[1]" not in wide and f"0_{NAME}" in wide


def test_optional_columns_show_while_they_fit():
    assert "optional extra" in table_text(listing(), 80)
    narrow = table_text(listing(), 60)
    assert "optional extra" not in narrow and widest(narrow) <= 60 and "E06000002" in narrow


def test_a_dropped_column_that_folds_goes_under_its_row_and_text_wraps_at_spaces():
    records = [{"id": 1, "indicator": "sw_caseload_average", "breakdown": "newly qualified social workers",
                "evidence": "Targets will vary between different staff cohorts " * 4}]
    columns = [Column("id"), Column("indicator"), Column("breakdown", kind="words", drop=1, folds=True)]
    text = table_text(Listing("Figures", columns, records, fold="evidence"), 30)
    assert widest(text) <= 30
    lines = text.splitlines()
    assert lines[3].split() == ["1", "sw_caseload_average"]
    assert all(line.startswith("    ") for line in lines[4:])
    under = " ".join(" ".join(lines[4:]).split())
    assert under.startswith("breakdown: newly qualified social workers Targets will vary")
    wide = table_text(Listing("Figures", columns, records, fold="evidence"), 120)
    assert "sw_caseload_average  newly qualified social workers" in wide


def test_an_empty_listing_says_none_and_escape_codes_do_not_reach_the_terminal():
    assert "none" in table_text(Listing("Empty", [Column("id")], []), 80)
    text = table_text(Listing("Files", [Column("path", kind="prose")], [{"path": "bad\x1b[31mname.pdf"}]), 80)
    assert "\x1b" not in text and "bad\\x1b[31mname.pdf" in text
    lines = table_text(Listing("Cells", [Column("a"), Column("b")], [{"a": "two\nlines", "b": 1}]), 80).splitlines()
    assert lines[3].split() == ["two", "lines", "1"]


def test_csv_and_json_write_every_field_with_iso_dates():
    out = io.StringIO()
    write(listing(2), "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 2 and rows[0]["period_end"] == "2024-09-30" and rows[0]["note"] == "optional extra"
    assert rows[1]["document"] == f"1_{NAME}"
    out = io.StringIO()
    write(listing(2), "json", out)
    data = json.loads(out.getvalue())
    assert data[1]["value"] == 19.25 and data[1]["period_end"] == "2024-09-30" and data[1]["page"] == 1


# ---------------------------------------------------------------- the seed papers at 80 columns

@pytest.fixture(scope="module")
def seeds_db(shared, tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('render') / 'seeds.sqlite'}"
    result = CliRunner().invoke(app, ["ingest", "--db", url, "--workers", "1",
                                      *map(str, sorted((shared / "corpus" / "seeds").glob("*.pdf")))])
    assert result.exit_code == 0, result.output
    return url


QUERIES = [
    ("compare", "sw_caseload_average", "--latest"),
    ("series", "sw_vacancy_gap_rate", "--authority", "West Sussex"),
    ("series", "sw_agency_fte", "--authority", "West Sussex", "--authority", "Plymouth"),
    ("show", "004_ab3d313a01f42dff.pdf"),
    ("show", "002_5b351067a8cd401d.pdf"),
    ("runs",),
    ("review",),
]


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_the_seed_queries_fit_80_columns_with_codes_and_dates_whole(seeds_db, args):
    shown = CliRunner(env={"COLUMNS": "80"}).invoke(app, [*args, "--db", seeds_db])
    assert shown.exit_code == 0, shown.output
    assert widest(shown.stdout) <= 80
    found = CliRunner().invoke(app, [*args, "--db", seeds_db, "--format", "json"])
    records = json.loads(found.stdout)
    assert records or args[0] in ("runs", "review") or pytest.fail(f"{args}: no records")
    for record in records:
        if record.get("period_end"):
            assert record["period_end"][:7] in shown.stdout
        if args[0] == "series":
            assert record["line"] in shown.stdout
    if args[0] in ("compare", "show"):
        assert set(CODE.findall(shown.stdout)) == {r["area_code"] for r in records if r.get("area_code")}
    assert not [line for line in shown.stdout.splitlines() if SPLIT.search(line)]
