"""HTML into blocks, with the stdlib parser; also the table helpers every reader shares.

Script, style, navigation and head contents are dropped unread (never executed).
h1–h6 become headings, p/li/div text paragraphs, tables tables. Inside a table
cell, paragraphs and list items become lines of the cell's text. A ``mailto:`` link keeps its address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..model import BBox, Block, Document, Heading, Page, Paragraph, Table
from ..read import Content, reader
from ..settings import ReadSettings

SKIPPED = frozenset({"script", "style", "nav", "head", "noscript", "template", "svg", "select"})
BREAKS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article",
                    "header", "footer", "main", "aside", "figure", "figcaption", "address", "pre",
                    "form", "fieldset", "caption", "hr", "br", "body", "html"})
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BOLD = frozenset({"b", "strong"})

_VALUE = re.compile(r"^[<>≈~]?\s*[£$€]?\s*-?\d[\d,]*(?:\.\d+)?\s*(?:%|k|m|bn|FTE|fte|cases|days)?$"
                    r"|^\d+(?:\.\d+)?\s*[-–]\s*\d+(?:\.\d+)?%?$")
_YEAR = re.compile(r"^(?:19|20)\d\d(?:\s*[-–/]\s*(?:(?:19|20)?\d\d))?$")
_SPACE = re.compile(r"\s+")
HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
HTML_SUFFIXES = (".html", ".htm")


def squash(text: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces included) to one space."""
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def _lines(text: str) -> str:
    """Each line squashed, blank lines dropped: a cell keeps its paragraphs apart."""
    return "\n".join(filter(None, map(squash, text.splitlines())))


def is_value(cell: str) -> bool:
    """A cell that is a figure: a number, percentage, amount or range, but not a year."""
    cell = cell.strip()
    return bool(_VALUE.match(cell)) and not _YEAR.match(cell)


def make_table(rows: list[list[str]], page_number: int, marked_rows: int = 0, bbox: BBox | None = None) -> Table:
    """A Table from cell texts: rows padded to one width, empty rows dropped.

    ``header_rows`` is the number of leading rows holding no figure, or, in a table
    with no figures at all, the ``marked_rows`` (bold or ``<th>``) that lead it.
    """
    rows = [[_lines(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    width = max((len(r) for r in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    leading = next((i for i, row in enumerate(rows) if any(is_value(c) for c in row[1:])), len(rows))
    header_rows = leading if leading < len(rows) else min(marked_rows, len(rows))
    return Table(rows=rows, page_number=page_number, bbox=bbox, header_rows=header_rows)


@dataclass
class _Cell:
    parts: list[str] = field(default_factory=list)
    header: bool = False
    bold_chars: int = 0
    plain_chars: int = 0

    @property
    def marked(self) -> bool:
        return self.header or (self.bold_chars > 0 and self.plain_chars == 0)


@dataclass
class _TableState:
    rows: list[list[_Cell]] = field(default_factory=list)
    cell: _Cell | None = None


class _BlockParser(HTMLParser):
    """Collects blocks on one page from an HTML page or fragment."""

    def __init__(self, page_number: int):
        super().__init__(convert_charrefs=True)
        self.page_number = page_number
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.skip_depth = 0
        self.bold_depth = 0
        self.heading_level: int | None = None
        self.tables: list[_TableState] = []
        self.mailto: list[str | None] = []
        self.title: str | None = None
        self._in_title = False

    # -- text sinks -------------------------------------------------------
    def _write(self, text: str) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            cell = table.cell
            cell.parts.append(text)
            count = len(text.strip())
            if self.bold_depth:
                cell.bold_chars += count
            else:
                cell.plain_chars += count
        elif table is None:
            self.buffer.append(text)

    def _flush(self) -> None:
        text = squash("".join(self.buffer))
        self.buffer.clear()
        if not text:
            return
        if self.heading_level is not None:
            self.blocks.append(Heading(text, self.page_number, level=self.heading_level))
        else:
            self.blocks.append(Paragraph(text, self.page_number))

    # -- tables -----------------------------------------------------------
    def _close_cell(self) -> None:
        table = self.tables[-1]
        if table.cell is not None:
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append(table.cell)
            table.cell = None

    def _end_table(self) -> None:
        self._close_cell()
        table = self.tables.pop()
        rows = [[_lines("".join(c.parts)) for c in row] for row in table.rows]
        if self.tables:  # a nested table's text joins the enclosing cell
            self._write(" " + " ".join(" ".join(r) for r in rows) + " ")
            return
        if max((len(r) for r in rows), default=0) < 2:
            self.blocks.extend(Paragraph(" ".join(r), self.page_number) for r in rows if any(r))
            return
        marked = next((i for i, row in enumerate(table.rows)
                       if not all(c.marked for c in row if c.parts)), len(table.rows))
        self.blocks.append(make_table(rows, self.page_number, marked))

    # -- parser callbacks -------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
        if tag == "body":  # a page whose <head> was never closed
            self.skip_depth = 0
        if self.skip_depth:
            return
        if tag in BOLD:
            self.bold_depth += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.mailto.append(href[7:].split("?")[0] if href.lower().startswith("mailto:") else None)
        elif tag == "table":
            self._flush()
            self.tables.append(_TableState())
        elif self.tables and tag == "tr":
            self._close_cell()
            self.tables[-1].rows.append([])
        elif self.tables and tag in ("td", "th"):
            self._close_cell()
            self.tables[-1].cell = _Cell(header=tag == "th")
        elif tag in HEADINGS and not self.tables:
            self._flush()
            self.heading_level = HEADINGS[tag]
        elif tag in BREAKS:
            if self.tables:  # a cell's paragraphs and items stay apart; a <br> only wraps
                self._write(" " if tag == "br" else "\n")
            else:
                self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED and not self.skip_depth and tag in BREAKS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "title":
            self._in_title = False
        if self.skip_depth:
            return
        if tag in BOLD:
            self.bold_depth = max(0, self.bold_depth - 1)
        elif tag == "a" and self.mailto:
            address = self.mailto.pop()
            if address and address.lower() not in self._current_text().lower():
                self._write(f" ({address})")
        elif tag == "table" and self.tables:
            self._end_table()
        elif self.tables and tag in ("td", "th"):
            self._close_cell()
        elif tag in HEADINGS and self.heading_level is not None and not self.tables:
            self._flush()
            self.heading_level = None
        elif tag in BREAKS and not self.tables:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = squash(data) or self.title
        if not self.skip_depth:
            self._write(data)

    def _current_text(self) -> str:
        if self.tables and self.tables[-1].cell is not None:
            return "".join(self.tables[-1].cell.parts)
        return "".join(self.buffer)

    def finish(self) -> list[Block]:
        self.close()
        while self.tables:
            self._end_table()
        self._flush()
        return self.blocks


def parse_blocks(markup: str, page_number: int = 1) -> list[Block]:
    """The blocks of an HTML page or fragment, all placed on ``page_number``."""
    parser = _BlockParser(page_number)
    parser.feed(markup)
    return parser.finish()


def cell_text(fragment: str) -> str:
    """Text of a table cell: its paragraphs and list items one per line, markup stripped."""
    return _lines(inline_text(fragment, "\n"))


def inline_text(fragment: str, joiner: str = " ") -> str:
    """Text of a line carrying inline markup and entities, tags stripped."""
    blocks = parse_blocks(fragment)
    return joiner.join(b.text if not isinstance(b, Table) else " ".join(map(" ".join, b.rows)) for b in blocks)


def read_html(text: str, path: str, sha256: str) -> Document:
    """A Document of one page from an HTML page's text."""
    parser = _BlockParser(1)
    parser.feed(text)
    blocks = parser.finish()
    return Document(path=path, sha256=sha256, kind="html", pages=[Page(1, blocks)], title=parser.title)


def looks_like_html(content: Content) -> bool:
    """Text named .html, or opening as an HTML page does."""
    text = content.text
    return text is not None and (content.suffix in HTML_SUFFIXES or bool(HTML_START.match(text[:4096]))
                                 or "<html" in text[:1024].lower())


@reader("html", "HTML page", HTML_SUFFIXES, sniff=looks_like_html)
def read_html_file(content: Content, settings: ReadSettings) -> Document:
    return read_html(content.text or "", str(content.path), content.sha256)
