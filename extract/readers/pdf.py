"""PDF pages into blocks with pdfplumber.

Each page is scanned once and closed: ruled tables from ``find_tables``, the words
outside them grouped into lines that keep position, size and boldness. Once every
page is scanned, running headers and footers (repeated in the margins, or page
numbers) are dropped and lines become headings, paragraphs and unruled tables.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from ..errors import ReadError
from .html import is_value, make_table, squash
from ..model import BBox, Block, Document, Heading, Page, Paragraph, Table
from ..quality import inflation_guard
from ..read import Content, reader
from ..settings import ReadSettings
from .text import BULLET, BULLET_MARKS, FIELD_LINE, continues_sentence, follows_number, strip_bullet

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)
PAGE_OF = re.compile(r"^page\s+\d{1,4}\s+of\s+\d{1,4}$", re.I)
BULLET_MARK = re.compile(rf"^[{re.escape(BULLET_MARKS)}\uf000-\uf0ff]\s")  # with Symbol and Wingdings bullets
SENTENCE_END = re.compile(r"[.:;!?]$")
CAP_HEIGHT = re.compile(r"[A-Z0-9bdfhklt]")  # glyphs whose top is the line's top
MEANINGLESS_TITLE = re.compile(r"^(?:untitled|microsoft word|document\d*|slide \d+)\b|\.(?:docx?|pdf|rtf|odt)$", re.I)


@dataclass
class Line:
    """One line of text outside tables, with the style needed to classify it."""
    text: str
    cells: list[str]
    bbox: BBox
    size: float
    bold: bool

    @property
    def series_row(self) -> bool:
        """A "label value" row of an unruled table, such as "February 2019   18.5%"."""
        return (len(self.cells) >= 2 and any(c.isalpha() for c in self.cells[0])
                and all(is_value(c) for c in self.cells[1:]))


@dataclass
class ScannedPage:
    page_number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    chars: int = 0
    ocr: bool = False


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph or cell as one text; only a soft hyphen at a line end is removed."""
    out = ""
    for line in (squash(x) for x in lines):
        if not line:
            continue
        if out.endswith("\xad"):
            out = out[:-1] + line
        elif re.search(r"\w-$", out):  # "inter-" + "vention": keep the hyphen, it may be real
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out.replace("\xad", "")


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _lines(words: list[dict], settings: ReadSettings) -> list[Line]:
    """Words grouped into lines by vertical overlap (so superscripts stay put), split into cells."""
    rows: list[list[dict]] = []
    bottom = 0.0
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = word["bottom"] - word["top"]
        if rows and word["top"] <= bottom - min(height / 2, settings.line_tolerance):
            rows[-1].append(word)
            bottom = max(bottom, word["bottom"])
        else:
            rows.append([word])
            bottom = word["bottom"]
    return [_line(sorted(row, key=lambda w: w["x0"]), settings) for row in rows]


def _join_words(words: list[dict], size: float) -> str:
    """Words of one cell as text; touching words ("5" and a superscript "th") join without a space."""
    out = words[0]["text"]
    for prev, word in zip(words, words[1:]):
        out += ("" if word["x0"] - prev["x1"] < 0.1 * size else " ") + word["text"]
    return out


def _line(words: list[dict], settings: ReadSettings) -> Line:
    chars = sum(len(w["text"]) for w in words)
    size = Counter(round(w["size"], 1) for w in words for _ in w["text"]).most_common(1)[0][0]
    bold = sum(len(w["text"]) for w in words if BOLD_FONT.search(w["fontname"])) >= 0.9 * chars
    cells, current = [], [words[0]]
    for prev, word in zip(words, words[1:]):
        if word["x0"] - prev["x1"] > settings.column_gap * size:
            cells.append(current)
            current = []
        current.append(word)
    cells.append(current)
    bbox = BBox(min(w["x0"] for w in words), min(w["top"] for w in words),
                max(w["x1"] for w in words), max(w["bottom"] for w in words))
    texts = [_join_words(cell, size) for cell in cells]
    return Line(" ".join(texts), texts, bbox, size, bold)


def _cell_text(page, box, text: str | None) -> str:
    """A cell's text, wrapped lines joined; a cell holding a bulleted list keeps its items apart."""
    text = text or ""
    if box is None or not BULLET_MARK.match(text) and "\n•" not in text:
        return join_lines(text.splitlines())
    return list_cell([(line["x0"], line["text"]) for line in page.crop(box).extract_text_lines()])


def list_cell(lines: list[tuple[float, str]]) -> str:
    """A cell's (x0, text) lines as text: each list item, and each plain paragraph after an
    item, on a line of its own (told apart by the item's hanging indent); wrapped lines joined."""
    left = min((x0 for x0, _ in lines), default=0.0)
    items: list[list[str]] = []
    indented = False
    for x0, text in lines:
        starts_item = bool(BULLET_MARK.match(text))
        at_margin = x0 - left < 2
        if not items or starts_item or (at_margin and indented):
            items.append([])
        items[-1].append(text)
        indented = starts_item or (indented and not at_margin)
    return "\n".join(join_lines(item) for item in items)


def _bold_first_row(found, chars: list[dict]) -> bool:
    """Is the text of a found table's first row (nearly) all in a bold font?"""
    boxes = [cell for cell in found.rows[0].cells if cell] if found.rows else []
    inside = [c for c in chars if _inside(c, boxes) and not c["text"].isspace()]
    return bool(inside) and sum(bool(BOLD_FONT.search(c["fontname"])) for c in inside) >= 0.9 * len(inside)


def _table(found, page) -> Table | None:
    rows = [[_cell_text(page, box, text) for box, text in zip(row.cells, texts)]
            for row, texts in zip(found.rows, found.extract())]
    if max((sum(1 for c in row if c) for row in rows), default=0) < 2:
        return None  # a ruled box around text, not a table
    marked = int(_bold_first_row(found, page.chars))
    return make_table(rows, page.page_number, marked, bbox=BBox(*found.bbox))


def scan_page(page, settings: ReadSettings) -> ScannedPage:
    """Tables and lines of one pdfplumber page."""
    found = page.find_tables()
    tables = [t for t in (_table(f, page) for f in found) if t is not None]
    boxes = [(t.bbox.x0, t.bbox.top, t.bbox.x1, t.bbox.bottom) for t in tables]
    outside = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes))
    words = outside.extract_words(extra_attrs=["fontname", "size"], y_tolerance=settings.line_tolerance)
    return ScannedPage(page.page_number, float(page.width), float(page.height),
                       _lines(words, settings) if words else [], tables, len(page.chars))


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", squash(text).lower())


def _in_margin(line: Line, page: ScannedPage, margin: float) -> bool:
    return line.bbox.top < margin * page.height or line.bbox.bottom > (1 - margin) * page.height


def drop_running_lines(pages: list[ScannedPage], margin: float, largest: float) -> None:
    """Remove page numbers in the margins, and lines repeated in the top or bottom margin of
    several pages unless their type is larger than ``largest`` (a heading starting each page)."""
    def running(line: Line, page: ScannedPage) -> bool:
        return line.size <= largest and _in_margin(line, page, margin)

    seen = Counter(key for page in pages
                   for key in {_running_key(l.text) for l in page.lines if running(l, page)})

    def dropped(line: Line, page: ScannedPage) -> bool:
        text = line.text.strip()
        return bool(PAGE_OF.match(text)) or (_in_margin(line, page, margin) and bool(PAGE_NUMBER.match(text))) \
            or (running(line, page) and seen[_running_key(text)] >= 2)

    for page in pages:
        page.lines = [line for line in page.lines if not dropped(line, page)]


@dataclass
class _Styles:
    """Body size and heading levels of one document."""
    body: float
    heading_sizes: list[float]
    settings: ReadSettings

    @classmethod
    def of(cls, pages: list[ScannedPage], settings: ReadSettings) -> "_Styles":
        weights = Counter()
        for page in pages:
            for line in page.lines:
                weights[line.size] += len(line.text)
        body = weights.most_common(1)[0][0] if weights else 10.0
        larger = sorted({s for s in weights if s >= body * settings.heading_ratio}, reverse=True)
        return cls(body, larger, settings)

    def is_heading(self, line: Line) -> bool:
        return (len(line.text) <= self.settings.heading_max_chars and any(c.isalpha() for c in line.text)
                and not line.series_row and not BULLET_MARK.match(line.text)
                and (line.bold or line.size >= self.body * self.settings.heading_ratio))

    def level(self, line: Line) -> int:
        sizes = [s for s in self.heading_sizes if s >= line.size]
        return len(sizes) if line.size in self.heading_sizes else len(self.heading_sizes) + 1


def line_gap(prev: Line, line: Line) -> float:
    """The blank space between two lines. A glyph box (pdfium's) ends at the baseline on a line
    with no descenders ('... at the end of'), so when ``prev`` reaches cap height its top less
    its size is the surer measure of where it ends; the smaller of the two is taken."""
    gap = line.bbox.top - prev.bbox.bottom
    return min(gap, line.bbox.top - prev.bbox.top - prev.size) if CAP_HEIGHT.search(prev.text) else gap


def _breaks(prev: Line, line: Line, settings: ReadSettings, measure: tuple[float, float]) -> bool:
    """Does ``line`` start a new paragraph after ``prev``?

    A bullet mark always does; a number ("2.2", "3.") only after a finished sentence
    or a short line, since a wrapped line may begin with a figure. ``measure`` is the
    left and right edge of the page's text.
    """
    left, right = measure
    gap = line_gap(prev, line)
    short = prev.bbox.x1 < right - 0.2 * (right - left)
    numbered = bool(BULLET.match(line.text)) and (short or bool(SENTENCE_END.search(prev.text)))
    return (gap > settings.paragraph_gap * prev.size or abs(line.size - prev.size) > 1
            or bool(BULLET_MARK.match(line.text)) or numbered or line.series_row != prev.series_row
            or bool(FIELD_LINE.match(line.text) and FIELD_LINE.match(prev.text)))


def _union(lines: list[Line]) -> BBox:
    box = lines[0].bbox
    for line in lines[1:]:
        box = box.union(line.bbox)
    return box


def _group(lines: list[Line], styles: _Styles, measure: tuple[float, float]) -> list[list[Line]]:
    """Runs of lines that form one block each."""
    groups: list[list[Line]] = []
    for line in lines:
        last = groups[-1][-1] if groups else None
        same_heading = (last is not None and styles.is_heading(last) and styles.is_heading(line)
                        and last.size == line.size
                        and line_gap(last, line) <= styles.settings.paragraph_gap * line.size)
        joins_text = (last is not None and not styles.is_heading(last) and not styles.is_heading(line)
                      and not _breaks(last, line, styles.settings, measure)
                      and not follows_number(groups[-1][0].text, line.text))
        if same_heading or joins_text:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _block(group: list[Line], page_number: int, styles: _Styles) -> list[Block]:
    first = group[0]
    if first.series_row:
        if len(group) >= 2 and len({len(l.cells) for l in group}) == 1:
            return [make_table([l.cells for l in group], page_number, bbox=_union(group))]
        return [Paragraph(l.text, page_number, l.bbox) for l in group]
    text = join_lines([l.text for l in group])
    if styles.is_heading(first) and len(text) <= styles.settings.heading_max_chars:
        return [Heading(text, page_number, styles.level(first), _union(group))]
    return [Paragraph(strip_bullet(text), page_number, _union(group))]


def page_blocks(page: ScannedPage, styles: _Styles) -> list[Block]:
    """Headings, paragraphs and tables of one scanned page in reading order."""
    blocks: list[Block] = []
    tables = sorted(page.tables, key=lambda t: t.bbox.top)
    pending: list[Line] = []
    measure = (min((l.bbox.x0 for l in page.lines), default=0.0), max((l.bbox.x1 for l in page.lines), default=0.0))

    def flush() -> None:
        for group in _group(pending, styles, measure):
            for block in _block(group, page.page_number, styles):
                last = blocks[-1] if blocks else None
                if isinstance(block, Paragraph) and isinstance(last, Paragraph) \
                        and continues_sentence(last.text, block.text):
                    last.text, last.bbox = f"{last.text} {block.text}", block.bbox.union(last.bbox)
                else:
                    blocks.append(block)
        pending.clear()

    for line in page.lines:
        while tables and tables[0].bbox.top <= line.bbox.top:
            flush()
            blocks.append(tables.pop(0))
        pending.append(line)
    flush()
    blocks.extend(tables)
    return blocks


def pdf_title(metadata: dict) -> str | None:
    title = metadata.get("Title")
    if isinstance(title, bytes):
        title = title.decode("utf-8", "ignore")
    title = squash(str(title or ""))
    if len(title) < 4 or not re.search(r"[A-Za-z]{3}", title) or MEANINGLESS_TITLE.search(title):
        return None
    return title


def _locked(error: BaseException) -> bool:
    inner = error.args[0] if error.args else None
    return isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(
        inner, (PDFPasswordIncorrect, PDFEncryptionError))


def read_pdf(path: Path, sha256: str, settings: ReadSettings) -> Document:
    """A Document from a PDF; raises ReadError for encrypted, corrupt or image-only files."""
    scanned: list[ScannedPage] = []
    try:
        with pdfplumber.open(path, password="") as pdf:
            title = pdf_title(pdf.metadata or {})
            for page in pdf.pages:
                scanned.append(scan_page(page, settings))
                page.close()
    except Exception as error:  # pdfminer raises many kinds on damaged files
        if _locked(error):
            raise ReadError(str(path), "encrypted") from error
        raise ReadError(str(path), "corrupt PDF", f"{type(error).__name__}: {error}") from error
    from ..ocr import rescan

    rescan(scanned, path, settings)
    return assemble(scanned, path, sha256, title, settings)


def assemble(scanned: list[ScannedPage], path: Path, sha256: str, title: str | None,
             settings: ReadSettings) -> Document:
    """A Document from scanned pages, whichever engine scanned them: running lines dropped,
    lines turned into blocks. Raises ReadError when there are no pages or no text at all."""
    if not scanned:
        raise ReadError(str(path), "corrupt PDF", "no pages")
    if not any(page.chars for page in scanned):
        from ..ocr import missing_text

        raise ReadError(str(path), "no text layer", missing_text(scanned))
    styles = _Styles.of(scanned, settings)
    drop_running_lines(scanned, settings.margin, styles.body * settings.heading_ratio)
    pages = [Page(p.page_number, page_blocks(p, styles), p.width, p.height, p.ocr) for p in scanned]
    return Document(path=str(path), sha256=sha256, kind="pdf", pages=pages, title=title)


PDF_MAGIC = b"%PDF-"


@reader("pdf", "PDF", (".pdf",), (PDF_MAGIC,), sniff=lambda content: PDF_MAGIC in content.data[:1024])
def read_pdf_file(content: Content, settings: ReadSettings) -> Document:
    """A PDF by the engine the settings name, once its streams are known not to inflate past the limit."""
    inflation_guard(content.data, str(content.path))
    if settings.engine == "fast":
        from .fastpdf import read_pdf_fast  # the fast engine builds on this module
        return read_pdf_fast(content.path, content.sha256, settings)
    return read_pdf(content.path, content.sha256, settings)
