"""Scanned PDF pages read by OCR: the same figures as the text-layer page, marked ``+ocr`` and less sure.

One page of a real scan (../shared/corpus/scanned, image-only, 200 dpi) against the same page
of the printed seed PDF: its ruled table is rebuilt from the image's ruling lines and
tesseract's word boxes. Without tesseract, the file fails with one line saying how to enable OCR.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from scrutiny.extract import ocr
from scrutiny.extract.classify import classify
from scrutiny.extract.read import read
from scrutiny.store.db import connect
from scrutiny.store.queries import runs
from test_queries import run

SCRUTINY = Path(sys.executable).with_name("scrutiny")
PAPER = "002_5b351067a8cd401d"
PAGE = 6  # its page with a ruled table of figures (periods by column, teams by row)
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="tesseract is not installed "
                                     "(apt-get install tesseract-ocr tesseract-ocr-eng; .ci/run does)")


def one_page(source: Path, number: int, target: Path) -> Path:
    """A PDF of page ``number`` of ``source``, as it is (text layer or image)."""
    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(str(source)), [number - 1])
    out.save(str(target))
    return target


@pytest.fixture(scope="module")
def pages(shared, tmp_path_factory) -> dict[str, Path]:
    """The page from the printed seed PDF and from its scan, each under the paper's own name."""
    found = {}
    for kind in ("seeds", "scanned"):
        folder = tmp_path_factory.mktemp(kind)
        found[kind] = one_page(shared / "corpus" / kind / f"{PAPER}.pdf", PAGE, folder / f"{PAPER}.pdf")
    return found


@pytest.fixture(scope="module")
def manifest(shared, tmp_path_factory) -> Path:
    """What the whole paper says of itself (authority, meeting date), as an analyst's manifest for the page."""
    ctx = classify(read(shared / "corpus" / "seeds" / f"{PAPER}.pdf"), None)
    path = tmp_path_factory.mktemp("manifest") / "manifest.csv"
    path.write_text(f"path,url,authority,meeting_date,title\n{PAPER}.pdf,,{ctx.authority_code},{ctx.meeting_date},\n")
    return path


def exported(url: str) -> list[dict[str, str]]:
    result = run("export", "--db", url)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def ingest(url: str, path: Path, manifest: Path) -> None:
    result = run("ingest", "--workers", "1", "--db", url, "--manifest", str(manifest), str(path))
    assert result.exit_code == 0, result.output


def fact(row: dict[str, str]) -> tuple:
    return tuple(row[k] for k in ("authority_code", "indicator", "period_end", "value", "breakdown", "qualifier"))


@needs_tesseract
def test_a_scanned_page_gives_the_figures_of_its_text_layer_marked_ocr(pages, manifest, tmp_path):
    text_url, scan_url = f"sqlite:///{tmp_path / 'text.sqlite'}", f"sqlite:///{tmp_path / 'scan.sqlite'}"
    ingest(text_url, pages["seeds"], manifest)
    ingest(scan_url, pages["scanned"], manifest)
    printed, scanned = exported(text_url), exported(scan_url)
    tabled = [r for r in printed if "|" in r["evidence"]]  # figures read from table rows
    assert len(tabled) >= 10
    assert sorted(map(fact, scanned)) == sorted(map(fact, printed))
    by_fact = {fact(r): r for r in printed}
    for row in scanned:
        twin = by_fact[fact(row)]
        assert row["parser_version"] == f"{twin['parser_version']}+ocr"
        assert float(row["confidence"]) < float(twin["confidence"])
        assert row["evidence"] == twin["evidence"] and row["page"] == twin["page"]
        assert all(abs(a - b) < 3 for a, b in zip(map(float, row["bbox"].split()), map(float, twin["bbox"].split())))

    ingest(scan_url, pages["scanned"], manifest)  # unchanged: skipped, not read by OCR again
    assert runs(connect(scan_url))[0].skipped == 1


def picture_pdf(target: Path, side: float) -> Path:
    """An A4 page holding only a grey square picture ``side`` points wide."""
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    bitmap = pdfium.PdfBitmap.new_native(64, 64, pdfium.raw.FPDFBitmap_Gray)
    bitmap.fill_rect((128, 128, 128, 255), 0, 0, 64, 64)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(side, side))
    page.insert_obj(image)
    page.gen_content()
    pdf.save(str(target))
    return target


def test_only_a_page_that_is_a_picture_is_taken_for_a_scan(pages, tmp_path):
    scan = pdfium.PdfDocument(str(pages["scanned"]))
    assert ocr.is_scan(scan[0])
    for side, expected in ((590, True), (150, False)):  # a full-page picture, and a chart-sized one
        assert ocr.is_scan(pdfium.PdfDocument(str(picture_pdf(tmp_path / f"{side}.pdf", side)))[0]) is expected


def test_without_tesseract_the_failure_says_how_to_enable_ocr(pages, tmp_path):
    bare = tmp_path / "bin"  # a PATH without tesseract
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare)}
    assert shutil.which("tesseract", path=env["PATH"]) is None
    result = subprocess.run([str(SCRUTINY), "ingest", "--workers", "1", "--db", f"sqlite:///{tmp_path / 'e.sqlite'}",
                             str(pages["scanned"])], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    [line] = [l for l in result.stderr.splitlines() if str(pages["scanned"].name) in l]
    assert "no text layer" in line and "apt-get install tesseract-ocr" in line
