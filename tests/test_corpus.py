"""The bundled sample corpus: papers in text and PDF form, and its expected observations."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pdfplumber
import pytest

from scrutiny.schemas.vocabulary import load_vocabulary

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PAPERS = sorted(CORPUS.glob("*.txt"))
COLUMNS = ["document", "authority_code", "indicator", "period_end", "value", "unit",
           "breakdown", "qualifier", "tolerance_months", "evidence"]
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
WORD_NUMBERS = {"eleven": 11.0, "fourteen": 14.0, "forty-two": 42.0}


def expected_rows() -> list[dict]:
    with open(CORPUS / "expected.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def numbers_in(text: str) -> set[float]:
    """Every figure a reader can see in ``text``: digits, '£x million' and a few number words."""
    found = {float(n.replace(",", "")) for n in NUMBER.findall(text)}
    found |= {float(m) * 1_000_000 for m in re.findall(r"£(\d+(?:\.\d+)?) million", text)}
    found |= {value for word, value in WORD_NUMBERS.items() if word in text.lower()}
    return found


def pdf_pages(pdf: Path) -> list[tuple[str, list]]:
    """Each page's text and tables."""
    with pdfplumber.open(pdf) as doc:
        return [(page.extract_text() or "", page.extract_tables()) for page in doc.pages]


def test_corpus_has_three_papers() -> None:
    assert len(PAPERS) == 3


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.stem)
def test_paper_has_a_pdf_with_text_layer_footers_and_ruled_tables(paper: Path) -> None:
    pdf = paper.with_suffix(".pdf")
    assert pdf.exists(), f"{pdf.name} missing: run corpus/build_pdfs.py"
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    for number, (text, _) in enumerate(pages, start=1):
        assert text.strip(), f"page {number} has no text layer"
        assert text.rstrip().endswith(f"Page {number} of {len(pages)}")
    cells = {cell for _, tables in pages for table in tables for row in table for cell in row}
    assert any(re.fullmatch(r"\d+-\d+", cell or "") for cell in cells), "no ruled caseload table"


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.stem)
def test_pdf_carries_the_same_figures_as_the_text(paper: Path) -> None:
    pages = pdf_pages(paper.with_suffix(".pdf"))
    footers = {float(n) for n in range(1, len(pages) + 1)}
    in_pdf = numbers_in(" ".join(text for text, _ in pages)) - footers
    in_text = numbers_in(paper.read_text(encoding="utf-8")) - footers
    assert in_pdf == in_text, f"rebuild the PDF: {sorted(in_pdf ^ in_text)}"


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.stem)
def test_paper_front_matter(paper: Path) -> None:
    text = paper.read_text(encoding="utf-8")
    assert re.search(r"^Date of meeting: \d{1,2} [A-Z][a-z]+ 20\d\d$", text, re.M)
    assert re.search(r"^Report title: \S", text, re.M)
    assert re.search(r"^Contact e-mail: [\w.]+@[\w.]+\.(?:gov|org)\.uk$", text, re.M)


def test_expected_csv_has_the_gold_columns() -> None:
    with open(CORPUS / "expected.csv", newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == COLUMNS


def test_expected_rows_name_corpus_papers_and_cover_each() -> None:
    documents = {row["document"] for row in expected_rows()}
    assert documents == {paper.stem for paper in PAPERS}


def test_expected_rows_use_known_indicators_units_and_plausible_values() -> None:
    vocabulary = load_vocabulary()
    for row in expected_rows():
        label = f"{row['document']} {row['indicator']} {row['period_end']}"
        indicator = vocabulary.get(row["indicator"])
        assert indicator is not None, f"{label}: unknown indicator"
        assert row["unit"] == indicator.unit, label
        assert indicator.plausible(float(row["value"])) is None, label


def test_expected_rows_follow_the_conventions() -> None:
    for row in expected_rows():
        label = f"{row['document']} {row['indicator']} {row['period_end']}"
        assert re.fullmatch(r"E(?:06|08|09|10)\d{6}|E92000001", row["authority_code"]), label
        assert re.fullmatch(r"20\d\d-(?:0[1-9]|1[0-2])", row["period_end"]), label
        assert row["qualifier"] in ("actual", "target", "forecast"), label
        assert row["tolerance_months"].isdigit(), label
        assert row["breakdown"] == row["breakdown"].strip(), label


def test_expected_values_appear_in_their_papers() -> None:
    figures = {paper.stem: numbers_in(paper.read_text(encoding="utf-8")) for paper in PAPERS}
    for row in expected_rows():
        assert float(row["value"]) in figures[row["document"]], f"{row['document']}: {row['value']}"


def test_expected_rows_are_unique_observations() -> None:
    keys = [(r["document"], r["authority_code"], r["indicator"], r["period_end"], r["breakdown"],
             r["qualifier"]) for r in expected_rows()]
    assert len(keys) == len(set(keys))


def test_every_authority_reports_an_average_caseload() -> None:
    codes = {row["authority_code"] for row in expected_rows()
             if row["indicator"] == "sw_caseload_average" and row["qualifier"] == "actual"
             and not row["breakdown"]}
    assert codes == {"E06000015", "E08000024", "E10000016", "E92000001"}
