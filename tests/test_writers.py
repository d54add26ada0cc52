"""Export formats as a registry, and the Excel workbook: typed cells, frozen header, filters, definitions."""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import BinaryIO

import pytest
from openpyxl import load_workbook

from scrutiny import writers
from scrutiny.schemas.vocabulary import load_vocabulary
from scrutiny.store.queries import EXPORT_COLUMNS
from test_cli import one_error_line
from test_queries import run, seeded_url

FILTER = ("--indicator", "sw_vacancy_gap_rate", "--indicator", "ofsted_overall_effectiveness")


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> str:
    return seeded_url(shared, tmp_path_factory.getbasetemp())


def csv_rows(db: str, *args: str) -> list[dict[str, str]]:
    result = run("export", "--db", db, *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def sheet_rows(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row)) for row in rows]


def test_every_format_is_a_registered_module_with_its_suffix():
    found = {name: (w.suffix, w.binary) for name, w in writers.available().items()}
    assert found == {"csv": (".csv", False), "json": (".json", False), "parquet": (".parquet", True),
                     "xlsx": (".xlsx", True)}
    assert writers.for_suffix(".XLSX").name == "xlsx" and writers.for_suffix(".txt") is None
    assert "available: csv, json, parquet, xlsx" in str(pytest.raises(writers.UnknownFormat, writers.get, "xml").value)


def test_a_registered_writer_is_an_export_format(db):
    @writers.register("tsv", ".tsv")
    def write(rows: writers.Rows, out: BinaryIO) -> None:
        """Tab-separated indicator and value."""
        out.write("".join(f"{r['indicator']}\t{r['value']}\n" for r in rows).encode())

    try:
        result = run("export", "--db", db, "--format", "tsv", *FILTER)
        assert result.exit_code == 0, result.output
        expected = [f"{r['indicator']}\t{r['value']}" for r in csv_rows(db, *FILTER)]
        assert result.stdout.splitlines() == expected and expected
    finally:
        writers._registry.pop("tsv")


def test_xlsx_has_the_csv_rows_typed_with_a_frozen_filtered_header_and_definitions(db, tmp_path):
    out = tmp_path / "figures.xlsx"
    result = run("export", "--db", db, "--out", str(out), *FILTER)  # the format from the suffix
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["figures", "indicators"]
    data = book["figures"]
    assert data.freeze_panes == "A2"
    assert data.auto_filter.ref == f"A1:{data.cell(1, data.max_column).column_letter}{data.max_row}"
    rows, expected = sheet_rows(data), csv_rows(db, *FILTER)
    assert len(rows) == len(expected) > 0
    assert list(rows[0]) == [c for name in EXPORT_COLUMNS for c in ((name, "value_text") if name == "value" else (name,))]
    for row, csv_row in zip(rows, expected):
        assert isinstance(row["period_end"], datetime) and row["period_end"].date().isoformat() == csv_row["period_end"]
        assert isinstance(row["page"], int) and isinstance(row["confidence"], float)
        if row["value"] is None:
            assert row["value_text"] == csv_row["value"]  # a grade
        else:
            assert isinstance(row["value"], (int, float)) and f"{row['value']:g}" == f"{float(csv_row['value']):g}"
        assert (row["document"], row["evidence"], row["parser"]) == \
            (csv_row["document"], csv_row["evidence"], csv_row["parser"])

    definitions = sheet_rows(book["indicators"])
    vocabulary = load_vocabulary()
    assert [(d["indicator"], d["unit"], d["definition"]) for d in definitions] == \
        [(i.id, i.unit, i.definition) for i in vocabulary.values()]


def test_xlsx_takes_the_same_filters_and_needs_a_file(db, tmp_path):
    out = tmp_path / "all.xlsx"
    assert run("export", "--db", db, "--format", "xlsx", "--out", str(out), "--source", "both",
               "--authority", "West Sussex").exit_code == 0
    assert len(sheet_rows(load_workbook(out, read_only=True)["figures"])) == \
        len(csv_rows(db, "--source", "both", "--authority", "West Sussex")) > 0
    assert "--out" in one_error_line(run("export", "--db", db, "--format", "xlsx"))
    assert "available: csv, json, parquet, xlsx" in one_error_line(run("export", "--db", db, "--format", "xml"))
