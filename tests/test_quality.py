"""Content checks: what is read by content, what is not a report, and blocks cut for the sentence splitter."""
from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from scrutiny.extract.errors import ReadError
from scrutiny.extract.model import Document, Page, Paragraph
from scrutiny.extract.quality import (MAX_BLOCK_CHARS, MAX_INFLATED, checked, inflation_guard, pieces,
                                      raw_pdf_syntax, utf16_text)
from scrutiny.extract.read import read

PROSE = "The average caseload of social workers was 18.4 in March 2019, down from 19.2 a year before. "


def document(path: str, kind: str, *texts: str) -> Document:
    return Document(path=path, sha256="0" * 64, kind=kind, pages=[Page(1, [Paragraph(t, 1) for t in texts])])


def test_a_long_block_is_cut_at_sentence_ends_and_keeps_every_word():
    text = PROSE * 400
    cut = pieces(text, MAX_BLOCK_CHARS)
    assert len(cut) > 1 and all(len(piece) <= MAX_BLOCK_CHARS for piece in cut)
    assert all(piece.endswith(".") for piece in cut)
    assert " ".join(cut).split() == text.split()
    assert pieces("x" * 25_000, MAX_BLOCK_CHARS) == ["x" * 10_000, "x" * 10_000, "x" * 5_000]


def test_checked_cuts_long_paragraphs_and_keeps_short_ones():
    doc, warnings = checked(document("/p/report.txt", "text", "Heading", PROSE * 300))
    assert warnings == []
    texts = [block.text for block in doc.pages[0].blocks]
    assert texts[0] == "Heading" and len(texts) > 2 and max(map(len, texts)) <= MAX_BLOCK_CHARS


def test_raw_pdf_operators_are_not_text():
    raw = " ".join(f"BT /F2 12 Tf 1 0 0 1 {340.99 + i} 700 Tm (18.{i}) Tj ET" for i in range(5))
    assert raw_pdf_syntax(raw)
    assert not raw_pdf_syntax(PROSE * 5)
    with pytest.raises(ReadError, match="not a report"):
        checked(document("/p/x.pdf", "pdf", raw))
    doc, warnings = checked(Document("/p/x.pdf", "0" * 64, "pdf", [Page(1, [Paragraph(raw, 1)]),
                                                                  Page(2, [Paragraph(PROSE, 2)])]))
    assert warnings == ["1 page(s) of raw PDF syntax, not text, left out"]
    assert doc.pages[0].blocks == [] and doc.page_count == 2


def test_a_cookie_or_error_page_is_not_a_report_but_a_report_mentioning_cookies_is():
    with pytest.raises(ReadError, match="not a report"):
        checked(document("/p/r.html", "html", "Tell us whether you accept cookies",
                         "We use cookies to collect information", "Page not found"))
    doc, _ = checked(document("/p/r.html", "html", "Page not found was the commonest complaint. " + PROSE * 3))
    assert doc.pages[0].blocks


def test_no_words_is_no_text():
    with pytest.raises(ReadError, match="no text"):
        checked(document("/p/d.pdf", "pdf", "1 2 3 4 5 . , ;"))


def test_content_disagreeing_with_the_name_is_one_warning():
    _, warnings = checked(document("/p/page.pdf", "html", PROSE))
    assert warnings == ["HTML page named .pdf: read by its content"]
    assert checked(document("/p/page.htm", "html", PROSE))[1] == []


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", "\ufeff"), ("utf-16-be", "\ufeff"), ("utf-16-le", ""),
                                           ("utf-16-be", ""), ("utf-32", "")])
def test_utf16_text_is_read(tmp_path: Path, encoding: str, bom: str):
    path = tmp_path / "wide.txt"
    path.write_bytes((bom + "Caseloads – 18.4 in March 2019.\n\n" + PROSE).encode(encoding))
    doc = read(path)
    assert doc.kind == "text" and doc.text().startswith("Caseloads – 18.4 in March 2019.")


def test_bytes_that_are_not_utf16_are_left_alone():
    assert utf16_text(PROSE.encode("utf-8")) is None
    assert utf16_text(bytes(range(256)) * 4) is None


def test_a_stream_inflating_past_the_limit_is_too_large_before_any_reader_sees_it():
    limit = 4 << 20
    bomb = b"<< /Filter /FlateDecode /Length 1 >>\nstream\n" + zlib.compress(b" " * (limit + 1024), 1)
    with pytest.raises(ReadError, match="too large"):
        inflation_guard(b"%PDF-1.4\n" + bomb + b"\nendstream", "bomb.pdf", limit)
    fine = b"<< /Filter /FlateDecode >>\nstream\n" + zlib.compress(PROSE.encode() * 1000) + b"\nendstream"
    inflation_guard(b"%PDF-1.4\n" + fine, "fine.pdf", limit)
    inflation_guard(b"%PDF-1.4\n<< /Filter /FlateDecode >>\nstream\nnot zlib at all\nendstream", "odd.pdf", limit)
    assert MAX_INFLATED > 64 << 20  # room for any real stream
