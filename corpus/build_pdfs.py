"""Print each corpus paper (*.txt) as an A4 PDF beside it. MAINTAINER-ONLY TOOL.

scrutiny does not depend on reportlab: the generated PDFs are committed. After editing a paper,
rebuild them from a throwaway environment, never the project's:

    python3 -m venv /tmp/rl && /tmp/rl/bin/pip install reportlab
    /tmp/rl/bin/python corpus/build_pdfs.py

The text format is the corpus's markdown-ish one: '#' headings, '- ' bullets, '**bold**',
one paragraph per blank-line-separated block, and tables either as an HTML <table> or as
consecutive tab-separated lines (first row the header). Tables print with ruled cells and
every page carries a 'Page N of M' footer.
"""
from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10, leading=13, spaceAfter=5)
NUMBERED = ParagraphStyle("numbered", parent=BODY, leftIndent=10 * mm, bulletIndent=0)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=6 * mm, bulletIndent=1 * mm, spaceAfter=2)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9.5, leading=12, spaceAfter=0)
HEADINGS = {mark: ParagraphStyle(mark, parent=STYLES[name], keepWithNext=1)
            for mark, name in (("#", "Title"), ("##", "Heading2"), ("###", "Heading3"))}
PARAGRAPH_NUMBER = re.compile(r"^(\d+\.\d+)\s+(.*)$", re.S)


class FooterCanvas(Canvas):
    """A canvas that holds back its pages until the end so each can say 'Page N of M'."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.held: list[dict] = []

    def showPage(self) -> None:
        self.held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for number, state in enumerate(self.held, start=1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 9)
            self.drawCentredString(A4[0] / 2, 12 * mm, f"Page {number} of {len(self.held)}")
            super().showPage()
        super().save()


def inline(text: str) -> str:
    """Escape text for a reportlab Paragraph, keeping **bold** and <b> as bold."""
    text = re.sub(r"</?b>", "**", text)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))


def table(rows: list[list[str]]) -> Table:
    """A ruled table with a bold shaded header row; cells wrap."""
    header, *body = rows
    cells = [[Paragraph(f"<b>{inline(c)}</b>", CELL) for c in header]]
    cells += [[Paragraph(inline(c), CELL) for c in row] for row in body]
    width = A4[0] - 40 * mm
    first = width * 0.34
    rest = (width - first) / max(1, len(header) - 1)
    result = Table(cells, colWidths=[first] + [rest] * (len(header) - 1), repeatRows=1)
    result.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return result


def html_rows(block: str) -> list[list[str]]:
    """The cells of each <tr> of an HTML table, tags stripped."""
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, re.S)
    ]


def flowables(text: str) -> list[Flowable]:
    """Layout elements for one paper's text."""
    out: list[Flowable] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if block.lstrip().startswith("<table"):
            out += [table(html_rows(block)), Spacer(1, 4 * mm)]
            continue
        tabbed = [i for i, line in enumerate(lines) if "\t" in line]
        if tabbed:  # caption lines, then a tab-separated table
            out += [Paragraph(inline(line), BODY) for line in lines[:tabbed[0]]]
            out += [table([line.split("\t") for line in lines[tabbed[0]:]]), Spacer(1, 4 * mm)]
            continue
        marker, _, rest = lines[0].partition(" ")
        if marker in HEADINGS and len(lines) == 1:
            out.append(Paragraph(inline(rest), HEADINGS[marker]))
        elif all(line.startswith("- ") for line in lines):
            out += [Paragraph(inline(line[2:]), BULLET, bulletText="\u2013") for line in lines]
        elif numbered := PARAGRAPH_NUMBER.match(block):
            out.append(Paragraph(inline(numbered[2]), NUMBERED, bulletText=numbered[1]))
        else:
            out.append(Paragraph("<br/>".join(inline(line) for line in lines), BODY))
    return out


def build(source: Path) -> Path:
    """Write ``source`` with a .pdf suffix; returns the PDF's path."""
    target = source.with_suffix(".pdf")
    text = source.read_text(encoding="utf-8")
    title = re.search(r"^Report title:\s*(.+)$", text, re.M)
    doc = SimpleDocTemplate(
        str(target), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=18 * mm, bottomMargin=20 * mm, title=title[1] if title else source.stem,
        author="scrutiny sample corpus", invariant=True,
    )
    doc.build(flowables(text), canvasmaker=FooterCanvas)
    return target


if __name__ == "__main__":
    for paper in sorted(HERE.glob("*.txt")):
        print(build(paper))
