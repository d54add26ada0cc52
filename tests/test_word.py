"""The Word reader on .docx files the tests write with python-docx and on the seeds' Word
versions: headings, list numbers, tables, sections, markup, and damaged files in a batch."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scrutiny.extract.errors import ReadError
from scrutiny.extract.frontmatter import front_matter
from scrutiny.extract.model import Heading, Position, Table
from scrutiny.extract.read import read
from scrutiny.extract.readers.html import is_value
from scrutiny.ingest import discover
from test_readers import PLYMOUTH, SEEDS, plain, tables

SCRUTINY = Path(sys.executable).with_name("scrutiny")


# -- Word ------------------------------------------------------------------------------

def make_word(path, build):
    """A real .docx written by python-docx; ``build`` fills the document."""
    import docx
    document = docx.Document()
    build(document)
    document.save(path)
    return path


def _paper(document) -> None:
    document.add_heading("Children's Services Scrutiny Panel", level=1)
    document.add_paragraph("Date of meeting: 14 November 2024")
    document.add_heading("Caseloads", level=2)
    document.add_paragraph("Average caseloads fell to 18.4 in March 2024, and the")
    document.add_paragraph("vacancy rate to 12%.")
    document.add_paragraph("The panel is recommended to:")
    document.add_paragraph("note the report", style="List Number")
    document.add_paragraph("endorse the plan", style="List Number")
    document.add_paragraph("agency staff cover 26% of posts", style="List Bullet")
    document.add_paragraph().add_run("Performance summary").bold = True
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Team", "March 2023", "March 2024")):
        cell.paragraphs[0].add_run(text).bold = True
    for row, texts in zip(table.rows[1:], (("Permanence", "16.5", "15.2"), ("Assessment", "21.0", ""))):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    table.rows[1].cells[0].add_paragraph("(FTE)")
    table.rows[2].cells[1].merge(table.rows[2].cells[2])
    document.add_section()
    document.add_paragraph("Contact: Jo Smith\nTelephone: 01752 000000")


@pytest.fixture
def word_paper(tmp_path):
    return read(make_word(tmp_path / "paper.docx", _paper))


def test_word_headings_paragraphs_and_list_items(word_paper):
    assert word_paper.kind == "docx"
    blocks = [b for b in word_paper.blocks() if not isinstance(b, Table)]
    assert [(type(b).__name__, getattr(b, "level", None), b.text) for b in blocks] == [
        ("Heading", 1, "Children's Services Scrutiny Panel"),
        ("Paragraph", None, "Date of meeting: 14 November 2024"),
        ("Heading", 2, "Caseloads"),
        ("Paragraph", None, "Average caseloads fell to 18.4 in March 2024, and the vacancy rate to 12%."),
        ("Paragraph", None, "The panel is recommended to:"),
        ("Paragraph", None, "1. note the report"),  # Word's own numbers, each item apart
        ("Paragraph", None, "2. endorse the plan"),
        ("Paragraph", None, "agency staff cover 26% of posts"),
        ("Heading", 4, "Performance summary"),  # a short line all in bold
        ("Paragraph", None, "Contact: Jo Smith"),  # a line break before a field splits it
        ("Paragraph", None, "Telephone: 01752 000000"),
    ]


def test_word_table_cells_header_and_merged_cell(word_paper):
    [table] = tables(word_paper)
    assert table.rows == [["Team", "March 2023", "March 2024"], ["Permanence\n(FTE)", "16.5", "15.2"],
                          ["Assessment", "21.0", ""]]
    assert table.header_rows == 1


def test_word_positions_are_section_and_paragraph(word_paper):
    first, second = word_paper.pages
    assert (first.page_number, second.page_number) == (1, 2)
    assert [b.position for b in first.blocks[:3]] == [Position(1, 1), Position(1, 2), Position(1, 3)]
    [table] = tables(word_paper)
    assert table.page_number == 1 and table.position.section == 1
    assert all(b.position.section == 2 and b.page_number == 2 for b in second.blocks)
    assert second.blocks[0].position == Position(2, 1)


@pytest.mark.parametrize("stem", SEEDS)
def test_word_seed_has_the_text_seed_shapes(seed_document, stem):
    """Word versions of the seeds read into the same headings and tables as their text versions."""
    def shapes(document):
        heads = [(b.level, plain(b.text)) for b in document.blocks() if isinstance(b, Heading)]
        grids = [(len(t.rows), len(t.rows[0]), t.header_rows, [[c for c in r if is_value(c)] for r in t.rows])
                 for t in tables(document)]
        return heads, grids
    assert shapes(seed_document(stem, ".docx")) == shapes(seed_document(stem, ".txt"))


@pytest.mark.parametrize("stem", SEEDS)
def test_word_seed_front_matter_matches_text(seed_document, stem):
    word, text = (front_matter(seed_document(stem, s)) for s in (".docx", ".txt"))
    assert word.meeting_date == text.meeting_date
    assert [plain(x or "") for x in (word.committee, word.title)] == [plain(x or "") for x in (text.committee, text.title)]


def _zip(path, members: dict[str, str]):
    import zipfile
    with zipfile.ZipFile(path, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return path


@pytest.fixture
def bad_word(shared, tmp_path) -> dict:
    """Damaged and mistaken Word files, each with the reason it cannot be read."""
    seed = (shared / "corpus" / "seeds" / f"{PLYMOUTH}.docx").read_bytes()
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(seed[: len(seed) // 2])
    sheet = {"[Content_Types].xml": "<Types><Override ContentType='spreadsheetml.sheet.main+xml'/></Types>",
             "xl/workbook.xml": "<workbook/>"}
    broken = {"[Content_Types].xml": "<Types><Override ContentType="
                                     "'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/></Types>",
              "word/document.xml": "<w:document"}
    text = tmp_path / "notes.docx"
    text.write_text("Minutes of the meeting\n", encoding="utf-8")
    return {truncated: "corrupt Word document",
            _zip(tmp_path / "sheet.docx", sheet): "not a Word document",
            _zip(tmp_path / "broken.docx", broken): "corrupt Word document",
            _zip(tmp_path / "archive.zip", sheet): "unsupported file type",
            text: "not a Word document",
            make_word(tmp_path / "blank.docx", lambda d: d.add_paragraph("")): "empty file"}


def test_bad_word_files_raise_read_error_with_reason(bad_word):
    for path, reason in bad_word.items():
        with pytest.raises(ReadError) as caught:
            read(path)
        assert caught.value.reason == reason, f"{path.name}: {caught.value}"
        assert path.name in str(caught.value)


def test_word_file_with_another_name_reads_by_content(tmp_path):
    path = make_word(tmp_path / "report.pdf", lambda d: d.add_paragraph("Caseloads fell to 18.4."))
    assert read(path).kind == "docx"


def test_batch_reports_each_bad_word_file_in_one_line_and_goes_on(shared, bad_word, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in [*bad_word, shared / "corpus" / "seeds" / f"{PLYMOUTH}.docx"]:
        path.rename(folder / path.name) if path.parent == tmp_path else (folder / path.name).write_bytes(path.read_bytes())
    found = discover([folder])
    assert {p.suffix for p in found} == {".docx"}, "a .zip is not a report file"
    done = subprocess.run([str(SCRUTINY), "ingest", "--db", f"sqlite:///{tmp_path / 'b.sqlite'}", "--workers", "1",
                           str(folder)], capture_output=True, text=True)
    assert done.returncode == 1
    output = done.stdout + done.stderr
    for path, reason in bad_word.items():
        if path.suffix == ".docx":
            [line] = [line for line in output.splitlines() if path.name in line]
            assert reason in line
    assert re.search(r"^stored\s+1$", output, re.MULTILINE)


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbered_lists(document) -> None:
    """Two numbered lists on one abstract list, the second restarting at 1; a second level "1.1"."""
    from docx.oxml import parse_xml
    lvl = ('<w:lvl w:ilvl="{0}"><w:start w:val="1"/><w:numFmt w:val="{1}"/><w:lvlText w:val="{2}"/></w:lvl>')
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="7">{lvl.format(0, "decimal", "%1.")}'
                               f'{lvl.format(1, "decimal", "%1.%2")}{lvl.format(2, "lowerLetter", "(%3)")}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="70"><w:abstractNumId w:val="7"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="71"><w:abstractNumId w:val="7"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    for num, level, text in ((70, 0, "Purpose"), (70, 1, "This report updates the panel."),
                             (70, 1, "Caseloads fell to 18.4."), (70, 2, "in permanence teams"),
                             (70, 0, "Background"), (71, 0, "Notes the report")):
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>'))


def test_word_list_numbers_levels_and_restart(tmp_path):
    document = read(make_word(tmp_path / "lists.docx", _numbered_lists))
    assert [b.text for b in document.blocks()] == [
        "1. Purpose", "1.1 This report updates the panel.", "1.2 Caseloads fell to 18.4.",
        "(a) in permanence teams", "2. Background", "1. Notes the report"]


def _marked_up(document) -> None:
    """Tracked changes, hidden text, a content control and an outline-level heading."""
    from docx.oxml import parse_xml
    body = document.element.body
    document.add_paragraph("Caseloads fell to ").add_run("19.0").font.hidden = True
    last = document.paragraphs[-1]._p
    last.append(parse_xml(f'<w:ins {W_NS}><w:r><w:t>18.4</w:t></w:r></w:ins>'))
    last.append(parse_xml(f'<w:del {W_NS}><w:r><w:delText>17.9</w:delText></w:r></w:del>'))
    last.append(parse_xml(f'<w:hyperlink {W_NS}><w:r><w:t> per worker.</w:t></w:r></w:hyperlink>'))
    body.insert(0, parse_xml(f'<w:sdt {W_NS}><w:sdtContent><w:p><w:r><w:t>14 November 2024</w:t></w:r></w:p>'
                             '</w:sdtContent></w:sdt>'))
    heading = document.add_paragraph("Workforce")
    heading._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="1"/>'))


def test_word_tracked_changes_hidden_text_controls_and_outline_levels(tmp_path):
    document = read(make_word(tmp_path / "marked.docx", _marked_up))
    blocks = list(document.blocks())
    assert [(type(b).__name__, b.text) for b in blocks] == [
        ("Paragraph", "14 November 2024"), ("Paragraph", "Caseloads fell to 18.4 per worker."),
        ("Heading", "Workforce")]
    assert blocks[2].level == 2


def _with_contents(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    document.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Contents", style="TOC Heading")
    document.add_paragraph("Children in care\t12", style="TOC 1")
    document.add_heading("Children in care", level=1)
    document.add_paragraph("There were 412 children in care in March 2024.")


def test_word_table_of_contents_is_not_read(tmp_path):
    document = read(make_word(tmp_path / "contents.docx", _with_contents))
    texts = [b.text for b in document.blocks()]
    assert "Children in care 12" not in texts
    assert texts[-2:] == ["Children in care", "There were 412 children in care in March 2024."]
    assert document.pages[0].blocks[-1].position.paragraph == 4, "skipped entries still count"
