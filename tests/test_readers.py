"""The readers: seed papers as PDF, text and Word, HTML pages, the reader registry, and every
kind of bad input (Word files the tests make are in test_word.py)."""
from __future__ import annotations

import re

import pytest

from conftest import make_pdf, text_stream
from scrutiny.extract import read as read_module
from scrutiny.extract.errors import ReadError
from scrutiny.extract.model import BBox, Document, Heading, Page, Paragraph, Table
from scrutiny.extract.read import read, reader
from scrutiny.extract.readers.pdf import Line, _breaks, join_lines
from scrutiny.extract.settings import ReadSettings

SEEDS = ["000_878a8a15beb185f7", "001_6189d4c3eea649f8", "002_5b351067a8cd401d",
         "003_077c65c1b7a2f02c", "004_ab3d313a01f42dff"]
PLYMOUTH = "002_5b351067a8cd401d"
WEST_SUSSEX = "004_ab3d313a01f42dff"


def tables(document) -> list[Table]:
    return [b for b in document.blocks() if isinstance(b, Table)]


def plain(text: str) -> str:
    return text.replace("’", "'")


# -- seeds -----------------------------------------------------------------------

KINDS = {".pdf": "pdf", ".txt": "text", ".docx": "docx"}


@pytest.mark.parametrize("suffix", list(KINDS))
@pytest.mark.parametrize("stem", SEEDS)
def test_seed_reads_into_pages_of_blocks(seed_document, stem, suffix):
    document = seed_document(stem, suffix)
    assert document.kind == KINDS[suffix]
    assert len(document.sha256) == 64
    assert all(page.blocks for page in document.pages), "a page came out empty"
    blocks = list(document.blocks())
    assert {type(b) for b in blocks} >= {Paragraph}
    for page in document.pages:
        assert all(b.page_number == page.page_number for b in page.blocks)
    if suffix == ".pdf":
        assert document.page_count > 1
        assert all(b.bbox is not None for b in blocks)
    if suffix == ".docx":  # no pages: a position in the section instead of a box
        places = [(b.position.section, b.position.paragraph) for b in blocks]
        assert places == sorted(set(places)) and all(b.bbox is None for b in blocks)


@pytest.mark.parametrize("suffix", list(KINDS))
def test_plymouth_caseload_table(seed_document, suffix):
    document = seed_document(PLYMOUTH, suffix)
    [table] = [t for t in tables(document) if ["ALL CYPFS", "18.4", "1-91", "18", "1-87"] in t.rows]
    assert table.header_rows == 1
    assert table.rows[0][0] == "Service Area"
    labels = [plain(row[0]) for row in table.rows]
    assert "Children's Social Work Service" in labels  # a wrapped cell, joined with a space
    assert "Safeguarding Service (Independent Chairs)" in labels
    if suffix == ".pdf":
        assert table.page_number == 6
        assert table.bbox is not None and table.bbox.top > 400


def test_pdf_drops_page_footers(seed_document):
    document = seed_document(PLYMOUTH, ".pdf")
    assert document.page_count == 10
    assert not re.search(r"Page \d+ of \d+", document.text())
    assert not any(b.text.strip().isdigit() for b in document.blocks() if not isinstance(b, Table))


def test_pdf_headings_and_paragraphs(seed_document):
    document = seed_document(PLYMOUTH, ".pdf")
    first = document.pages[0].blocks
    assert isinstance(first[0], Heading) and first[0].text == "Children, Young People and Families Scrutiny Panel"
    headings = [b.text for b in document.blocks() if isinstance(b, Heading)]
    assert "Purpose of Report" in headings
    # a heading wrapped over two lines is one heading
    assert "Implications for the Medium Term Financial Plan and Resource Implications:" in headings
    paragraphs = [b.text for b in document.blocks() if isinstance(b, Paragraph)]
    # a superscript ordinal stays in its sentence; a paragraph's lines are joined with spaces
    assert any("a permanent LADO on 5th November and the LADO Annual Report" in p for p in paragraphs)
    assert not any(p in ("th", "st") for p in paragraphs)


@pytest.mark.parametrize("suffix", list(KINDS))
def test_vacancy_gap_series_is_a_table(seed_document, suffix):
    document = seed_document(WEST_SUSSEX, suffix)
    [series] = [t for t in tables(document) if t.rows and t.rows[0] == ["February 2019", "18.5%"]]
    assert len(series.rows) == 6
    assert series.rows[-1] == ["September 2019", "1.8%"]
    assert series.header_rows == 0


def test_txt_numbered_paragraphs_and_markdown_headings(seed_document):
    document = seed_document(WEST_SUSSEX, ".txt")
    headings = {b.text: b.level for b in document.blocks() if isinstance(b, Heading)}
    assert headings["Children and Young People's Services Select Committee"] == 2
    assert headings["Children First Improvement – Update Report"] == 3
    paragraphs = [b.text for b in document.blocks() if isinstance(b, Paragraph)]
    assert any(p.startswith("2.2 The service comprises approximately 507 FTE") for p in paragraphs)


@pytest.mark.parametrize("suffix", list(KINDS))
def test_numbered_list_items_are_separate_paragraphs(seed_document, suffix):
    paragraphs = [b.text for b in seed_document("003_077c65c1b7a2f02c", suffix).blocks()
                  if isinstance(b, Paragraph)]
    for item in ("1. Workforce development", "3. Defining new ways of working within the CSWTs",
                 "2. Endorses the Service Improvement plan."):
        assert item in paragraphs


def test_hard_wrapped_line_starting_with_a_figure_stays_in_its_paragraph(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("1. Caseloads across the service fell to\n18 cases per worker.\n2. Next item.\n",
                    encoding="utf-8")
    assert [b.text for b in read(path).blocks()] == [
        "1. Caseloads across the service fell to 18 cases per worker.", "2. Next item."]


def test_txt_keeps_mailto_address_and_joins_broken_sentence(seed_document):
    document = seed_document("001_6189d4c3eea649f8", ".txt")
    text = document.text()
    assert "debbie.carter@walsall.gov.uk" in text
    assert "[" not in text and "**" not in text
    assert any("Walsall is a Corporate Parent" in b.text for b in document.blocks() if isinstance(b, Paragraph))


# -- bad inputs --------------------------------------------------------------------

def test_bad_inputs_raise_read_error_with_reason(bad_inputs):
    for path, reason in bad_inputs.expected().items():
        with pytest.raises(ReadError) as caught:
            read(path)
        assert caught.value.reason == reason, f"{path.name}: {caught.value}"


def test_encrypted_pdf_really_is_locked(bad_inputs):
    import pdfplumber
    with pytest.raises(Exception):
        with pdfplumber.open(bad_inputs.encrypted) as pdf:
            pdf.pages[0].extract_text()
    with pdfplumber.open(bad_inputs.encrypted, password="secret") as pdf:
        assert pdf.pages[0].extract_text() == "Encrypted caseload 18.4"


def test_pdf_with_empty_user_password_reads(bad_inputs):
    document = read(bad_inputs.empty_password)
    assert document.text() == "Encrypted caseload 18.4"


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="file not found"):
        read(tmp_path / "absent.pdf")


def test_binary_junk_is_unreadable(tmp_path):
    junk = tmp_path / "junk.dat"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReadError) as caught:
        read(junk)
    assert caught.value.reason == "unreadable encoding"


def test_office_file_is_unsupported(tmp_path):
    legacy = tmp_path / "paper.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(ReadError) as caught:
        read(legacy)
    assert caught.value.reason == "unsupported file type"


# -- text and HTML -------------------------------------------------------------------

def test_cp1252_text_is_decoded(tmp_path):
    path = tmp_path / "paper.txt"
    path.write_bytes("Children’s services budget – £49.6 million\n".encode("cp1252"))
    document = read(path)
    assert document.text() == "Children’s services budget – £49.6 million"


def test_text_form_feed_starts_a_page(tmp_path):
    path = tmp_path / "paper.md"
    path.write_text("# One\n\nFirst page.\n\f# Two\n\nSecond page.\n", encoding="utf-8")
    document = read(path)
    assert [p.page_number for p in document.pages] == [1, 2]
    assert [b.text for b in document.pages[1].blocks] == ["Two", "Second page."]


def test_text_tables_pipe_html_and_tabs(tmp_path):
    path = tmp_path / "tables.md"
    path.write_text(
        "| Team | Caseload |\n|---|---|\n| Permanence | 16.5 |\n\n"
        "<table><tr><th>Area</th><th>Range</th></tr>\n<tr><td>Children's Social Work<br>Service</td>"
        "<td>2-27</td></tr></table>\n\n"
        "Key\tValue\nReport title\tQuarterly update\n", encoding="utf-8")
    pipe, html_table, tabs = tables(read(path))
    assert pipe.rows == [["Team", "Caseload"], ["Permanence", "16.5"]] and pipe.header_rows == 1
    assert html_table.rows[1] == ["Children's Social Work Service", "2-27"] and html_table.header_rows == 1
    assert tabs.rows == [["Key", "Value"], ["Report title", "Quarterly update"]]


def test_html_page_drops_script_style_and_nav(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Scrutiny paper</title><style>p {color: red}</style></head>"
        "<body><nav><a href='/'>Home</a></nav><script>alert(1)</script>"
        "<h1>Children &amp; Families Panel</h1><p>Caseloads fell to <b>18</b>.</p>"
        "<ul><li>First point</li><li>Contact <a href='mailto:jo@plymouth.gov.uk'>Jo</a></li></ul>"
        "<table><tr><td><b>Month</b></td><td><b>Rate</b></td></tr><tr><td>May 2019</td><td>14.9%</td></tr></table>"
        "</body></html>", encoding="utf-8")
    document = read(path)
    assert document.kind == "html" and document.title == "Scrutiny paper"
    text = document.text()
    assert "alert" not in text and "color" not in text and "Home" not in text
    blocks = list(document.blocks())
    assert isinstance(blocks[0], Heading) and blocks[0].text == "Children & Families Panel"
    assert [b.text for b in blocks[1:4]] == ["Caseloads fell to 18.", "First point", "Contact Jo (jo@plymouth.gov.uk)"]
    assert blocks[4].rows == [["Month", "Rate"], ["May 2019", "14.9%"]]


def test_html_saved_with_pdf_name_reads_as_html(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("<!doctype html><html><body><h1>Report not found</h1></body></html>", encoding="utf-8")
    assert read(path).kind == "html"


# -- PDF layout on generated files ------------------------------------------------------

def test_pdf_unruled_series_heading_and_running_footer(tmp_path):
    footer = [(280, 810, "Page {} of 2"), (72, 30, "Children's Services Scrutiny Panel")]
    pages = []
    for number in (1, 2):
        running = text_stream([(x, y, t.format(number)) for x, y, t in footer], size=9)
        body = [(72, 100, "The vacancy gap fell from February, as follows:"),
                (72, 130, "February 2019"), (300, 130, "18.5%"),
                (72, 145, "May 2019"), (300, 145, "14.9%"),
                (72, 175, "The rate keeps falling.")]
        pages.append(text_stream([(72, 70, f"Section {number}")], bold=True, size=14)
                     + b"\n" + text_stream(body) + b"\n" + running)
    path = tmp_path / "series.pdf"
    path.write_bytes(make_pdf(pages))
    document = read(path)
    assert "Page 1 of 2" not in document.text() and "Scrutiny Panel" not in document.text()
    first = document.pages[0].blocks
    assert isinstance(first[0], Heading) and first[0].text == "Section 1"
    assert isinstance(first[1], Paragraph) and first[1].text.startswith("The vacancy gap")
    assert isinstance(first[2], Table) and first[2].rows == [["February 2019", "18.5%"], ["May 2019", "14.9%"]]
    assert isinstance(first[3], Paragraph) and first[3].text == "The rate keeps falling."


def test_pdf_hyphen_at_line_end_is_kept(tmp_path):
    body = [(72, 100, "The inter-"), (72, 113, "vention worked for 18-"), (72, 126, "21 year olds - mostly.")]
    path = tmp_path / "hyphens.pdf"
    path.write_bytes(make_pdf([text_stream(body)]))
    assert read(path).text() == "The inter-vention worked for 18-21 year olds - mostly."


def test_pdf_line_without_descenders_stays_in_its_paragraph(tmp_path):
    """Lines 13.5 points apart at 10 points: a line ending 'at the end of' has no glyph below the
    baseline, yet it belongs with the next; only the wider gap starts a paragraph."""
    body = [(72, 100, "The number of children rose from 603 at the end of"),
            (72, 113.5, "March 2024 to 622 at the end of"), (72, 127, "November 2024, as the table shows."),
            (72, 150, "A new paragraph starts here.")]
    path = tmp_path / "wrapped.pdf"
    path.write_bytes(make_pdf([text_stream(body, size=10)]))
    assert [b.text for b in read(path).blocks()] == [
        "The number of children rose from 603 at the end of March 2024 to 622 at the end of November 2024,"
        " as the table shows.", "A new paragraph starts here."]


def test_pdf_symbol_font_bullet_starts_an_item():
    """A Symbol or Wingdings bullet (a private-use glyph) opens an item however close the lines are."""
    def line(text: str, top: float) -> Line:
        return Line(text, [text], BBox(72, top, 400, top + 11.5), 12.0, False)
    lead, item, wrapped = line("Of this number:", 100), line("\uf02d 115 live outside the area", 114), \
        line("and nearby", 128)
    measure = (72.0, 500.0)
    assert _breaks(lead, item, ReadSettings(), measure)
    assert not _breaks(item, wrapped, ReadSettings(), measure)


def test_soft_hyphen_at_line_end_is_removed():
    assert join_lines(["the soft\xad", "ware and a dash -", "then more"]) == "the software and a dash - then more"


# -- settings ------------------------------------------------------------------------

def test_settings_resolve_and_validate():
    assert ReadSettings.resolve(None) == ReadSettings()
    assert ReadSettings.resolve({"engine": "fast"}).engine == "fast"
    with pytest.raises(ValueError, match="valid: engine"):
        ReadSettings.resolve({"engin": "fast"})
    with pytest.raises(ValueError, match="engine"):
        ReadSettings(engine="tesseract")
    with pytest.raises(ValueError, match="margin"):
        ReadSettings(margin=0.7)


# -- the registry -------------------------------------------------------------------------

def test_a_new_format_is_one_registered_reader(tmp_path, monkeypatch):
    monkeypatch.setattr(read_module, "_registry", dict(read_module._registry))

    @reader("minutes", "minutes file", (".min",), sniff=lambda content: content.data.startswith(b"MINUTES"))
    def read_minutes(content, settings):
        return Document(str(content.path), content.sha256, "text", [Page(1, [Paragraph(content.text[8:], 1)])])

    path = tmp_path / "meeting.min"
    path.write_bytes(b"MINUTES Caseloads fell to 18.4.")
    assert read(path).text() == "Caseloads fell to 18.4."
    assert ".min" in read_module.suffixes()
    assert [r.kind for r in read_module.available()][-1] == "text", "plain text stays the fallback"
