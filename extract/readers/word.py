"""Word (.docx) files into blocks, with python-docx.

The body is read in order, content controls opened. A paragraph whose style (or outline
level) makes it a heading is a Heading of that level, a short paragraph all in bold a
minor heading, and any other paragraph a Paragraph: each list item is a paragraph of its
own. A table is a Table whose cells keep their paragraphs on lines of their own; a merged
cell's text sits in its first column and row. Word files have no pages, so each section
is a page and every block carries its Position. Headers, footers, footnotes, text boxes,
comments, hidden and deleted text and the table of contents are not read.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ReadError
from ..model import Document, Heading, Page, Paragraph, Position, Table
from ..read import Content, reader
from ..settings import ReadSettings
from .html import make_table, squash
from .pdf import pdf_title
from .text import BOLD_HEADING_LEVEL, BULLET_MARKS, FIELD_LINE, continue_table, continues_sentence, strip_bullet

ZIP_MAGIC = b"PK\x03\x04"
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError)
CONTENT_TYPES = "[Content_Types].xml"
WORD_MAIN = re.compile(rb"wordprocessingml\.(?:document|template)\.main|ms-word\.(?:document|template)")
NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = "{%s}" % NAMESPACES["w"]
# elements inside a paragraph that hold runs (links, tracked insertions, fields, controls)
RUN_HOLDERS = frozenset(W + t for t in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "customXml",
                                         "sdt", "sdtContent"))
RUN_TEXT = {W + "tab": " ", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}
HEADING_STYLE = re.compile(r"^(?:heading\s*(\d)|title)$", re.I)
CONTENTS_STYLE = re.compile(r"^toc\s*\d$", re.I)  # table-of-contents entries, Word's "TOC 1" …
BODY_OUTLINE = 9  # outline level of body text; 0-8 are heading levels 1-9
OFF = ("0", "false", "off")
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
LEVEL_TEXT = re.compile(r"%([1-9])")
BULLET_LINE = re.compile(rf"^\s*[{re.escape(BULLET_MARKS)}]\s")


def declares_word(data: bytes) -> bool:
    """Whether a zip archive's content types declare a Word document; raises one of
    ``ZIP_ERRORS`` when the data is no readable zip archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return CONTENT_TYPES in archive.namelist() and bool(WORD_MAIN.search(archive.read(CONTENT_TYPES)))


def _sniff(content: Content) -> bool:
    """A zip archive named .docx (so a damaged one is reported as such), or any Word archive."""
    if not content.data.startswith(ZIP_MAGIC):
        return False
    try:
        return content.suffix == ".docx" or declares_word(content.data)
    except ZIP_ERRORS:
        return False


def _switched_on(element: Any, tag: str) -> bool | None:
    """The value of an on/off property such as ``w:b`` under ``element``, None when unset."""
    found = element.find(W + tag) if element is not None else None
    return None if found is None else found.get(W + "val", "1").lower() not in OFF


def _child(element: Any, *path: str) -> Any:
    """The element at ``path`` (tag names) below ``element``, or None."""
    for tag in path:
        element = element.find(W + tag) if element is not None else None
    return element


def _number(element: Any, default: int) -> int:
    """The whole-number ``w:val`` of a property such as ``w:gridSpan``."""
    value = element.get(W + "val") if element is not None else None
    return int(value) if value and value.isdigit() else default


def _style_id(element: Any, props: str, tag: str) -> str | None:
    """The style a paragraph (``pPr``/``pStyle``) or run (``rPr``/``rStyle``) names."""
    found = _child(element, props, tag)
    return None if found is None else found.get(W + "val")


@dataclass
class _Styles:
    """Heading level, list properties and boldness of paragraphs and runs, their own or their
    style's (through its ``basedOn`` chain); style lookups are cached."""
    part: Any
    types: Any  # python-docx's WD_STYLE_TYPE, imported with python-docx when a file is read
    cache: dict[tuple, Any] = field(default_factory=dict)

    def _cached(self, key: tuple, compute: Any) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def chain(self, style_id: str | None, style_type: Any) -> list[Any]:
        def walk() -> list[Any]:
            style, styles = self.part.get_style(style_id, style_type), []
            while style is not None and style not in styles:
                styles.append(style)
                style = style.base_style
            return styles
        return self._cached(("chain", style_id, style_type), walk)

    def _paragraph_property(self, p: Any, tag: str) -> Any:
        """``w:pPr/<tag>`` of the paragraph, else of the nearest style in its chain that sets it."""
        own = _child(p, "pPr", tag)
        if own is not None:
            return own
        style_id = _style_id(p, "pPr", "pStyle")
        return self._cached(("pPr", style_id, tag), lambda: next(
            (found for s in self.chain(style_id, self.types.PARAGRAPH)
             if (found := _child(s.element, "pPr", tag)) is not None), None))

    def heading_level(self, p: Any) -> int | None:
        style_id = _style_id(p, "pPr", "pStyle")
        named = self._cached(("heading", style_id), lambda: next(
            (int(m.group(1) or 1) for s in self.chain(style_id, self.types.PARAGRAPH)
             if (m := HEADING_STYLE.match(s.name or ""))), None))
        if named is not None:
            return named
        outline = self._paragraph_property(p, "outlineLvl")
        level = BODY_OUTLINE if outline is None else int(outline.get(W + "val", BODY_OUTLINE))
        return level + 1 if level < BODY_OUTLINE else None

    def in_contents(self, p: Any) -> bool:
        """A table-of-contents entry: headings again, with page numbers."""
        style_id = _style_id(p, "pPr", "pStyle")
        return self._cached(("contents", style_id), lambda: any(
            CONTENTS_STYLE.match(s.name or "") for s in self.chain(style_id, self.types.PARAGRAPH)))

    def numbering(self, p: Any) -> Any:
        """The paragraph's list properties (``w:numPr``), its own or its style's, or None."""
        return self._paragraph_property(p, "numPr")

    def bold(self, run: Any, paragraph_style: str | None) -> bool:
        own = _switched_on(_child(run, "rPr"), "b")
        if own is not None:
            return own
        character_style = _style_id(run, "rPr", "rStyle")
        return self._cached(("bold", character_style, paragraph_style), lambda: next(
            (value for s in (*(self.chain(character_style, self.types.CHARACTER) if character_style else ()),
                             *self.chain(paragraph_style, self.types.PARAGRAPH))
             if (value := _switched_on(_child(s.element, "rPr"), "b")) is not None), False))


def _xpath(element: Any, path: str) -> list[Any]:
    """lxml's own XPath (python-docx's elements narrow it) with the Word namespace."""
    from lxml import etree
    return etree._Element.xpath(element, path, namespaces=NAMESPACES)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


def _letter(n: int) -> str:
    """Word's letter numbering: a … z, then aa … zz."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


NUMBER_FORMATS = {"decimal": str, "decimalZero": lambda n: f"{n:02d}", "lowerLetter": _letter,
                  "upperLetter": lambda n: _letter(n).upper(), "lowerRoman": _roman,
                  "upperRoman": lambda n: _roman(n).upper()}


@dataclass
class _Numbering:
    """Word's automatic list numbers ("1.", "2.3", "(b)") counted as Word counts them: per
    abstract list, deeper levels restarting, a list's start override applied where it begins.
    Bullets have no number."""
    root: Any  # the w:numbering element (python-docx supplies an empty one when there are no lists)
    styles: _Styles
    counters: dict[str, list[int]] = field(default_factory=dict)
    begun: set[tuple[str, int]] = field(default_factory=set)
    lists: dict[str, tuple[str | None, dict[int, Any]]] = field(default_factory=dict)

    def _val(self, element: Any, path: str, default: str | None = None) -> str | None:
        found = _xpath(element, f"{path}/@w:val") if element is not None else []
        return found[0] if found else default

    def _list(self, num_id: str) -> tuple[str | None, dict[int, Any]]:
        """The abstract list a numbering instance uses, and that list's levels by number."""
        if num_id not in self.lists:
            abstract_id = self._val(self.root, f'w:num[@w:numId="{num_id}"]/w:abstractNumId')
            levels = {int(lvl.get(W + "ilvl", "0")): lvl for lvl in
                      _xpath(self.root, f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl')}
            self.lists[num_id] = abstract_id, levels
        return self.lists[num_id]

    def label(self, p: Any) -> str:
        numbering = self.styles.numbering(p)
        num_id = self._val(numbering, "w:numId")
        if num_id in (None, "0"):
            return ""
        ilvl = _number(_child(numbering, "ilvl"), 0)
        abstract_id, levels = self._list(num_id)
        if ilvl not in levels:
            return ""
        start = _number(_child(levels[ilvl], "start"), 1)
        counters = self.counters.setdefault(abstract_id, [0] * 10)
        if (num_id, ilvl) not in self.begun:
            self.begun.add((num_id, ilvl))
            override = self._val(self.root, f'w:num[@w:numId="{num_id}"]/w:lvlOverride[@w:ilvl="{ilvl}"]/w:startOverride')
            if override is not None and override.isdigit():
                counters[ilvl], start = 0, int(override)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        counters[ilvl + 1:] = [0] * (len(counters) - ilvl - 1)
        return self._render(levels, ilvl, counters)

    def _render(self, levels: dict[int, Any], ilvl: int, counters: list[int]) -> str:
        if self._val(levels[ilvl], "w:numFmt", "decimal") not in NUMBER_FORMATS:
            return ""  # a bullet, or no number shown
        legal = levels[ilvl].find(W + "isLgl") is not None

        def number(m: re.Match) -> str:
            level = int(m.group(1)) - 1
            form = "decimal" if legal else self._val(levels.get(level), "w:numFmt", "decimal")
            return NUMBER_FORMATS.get(form, str)(max(1, counters[level]))
        return LEVEL_TEXT.sub(number, self._val(levels[ilvl], "w:lvlText", "") or "").strip()


def _runs(element: Any) -> Iterator[Any]:
    """The runs of a paragraph in reading order, through links, insertions and fields."""
    for child in element:
        if child.tag == W + "r":
            yield child
        elif child.tag in RUN_HOLDERS:
            yield from _runs(child)


def _run_text(run: Any) -> str:
    return "".join(child.text or "" if child.tag == W + "t" else RUN_TEXT.get(child.tag, "") for child in run)


def _bold_text(p: Any, styles: _Styles) -> tuple[str, bool]:
    """A paragraph's text, line breaks kept, and whether all of it is bold."""
    parts, bold, paragraph_style = [], True, _style_id(p, "pPr", "pStyle")
    for run in _runs(p):
        if _switched_on(_child(run, "rPr"), "vanish"):
            continue
        text = _run_text(run)
        parts.append(text)
        if text.strip() and not styles.bold(run, paragraph_style):
            bold = False
    text = "".join(parts)
    return text, bold and bool(text.strip())


def _pieces(text: str) -> list[str]:
    """A paragraph's text split where a line break starts a "Label: value" line or a bullet."""
    pieces: list[list[str]] = [[]]
    for line in text.split("\n"):
        if pieces[-1] and (FIELD_LINE.match(line) or BULLET_LINE.match(line)):
            pieces.append([])
        pieces[-1].append(line)
    return [text for text in (squash(strip_bullet(" ".join(lines))) for lines in pieces) if text]


def _children(element: Any) -> Iterator[Any]:
    """Paragraphs and tables directly in ``element``, content controls opened."""
    for child in element:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            yield from _children(child)


def _cell_lines(tc: Any, numbering: _Numbering) -> tuple[str, bool]:
    """A cell's paragraphs (and nested tables' rows) one per line, and whether it is all bold."""
    lines, bold = [], True
    for child in _children(tc):
        if child.tag == W + "p":
            text, all_bold = _bold_text(child, numbering.styles)
            label = numbering.label(child)  # counted even when empty, as Word counts it
            text = squash(f"{label} {text}" if text.strip() else text)
            lines.append(text)
            bold = bold and (all_bold or not text)
        else:
            lines.extend(" ".join(filter(None, row)) for row, _ in _rows(child, numbering))
    return "\n".join(filter(None, lines)), bold and any(lines)


def _rows(tbl: Any, numbering: _Numbering) -> Iterator[tuple[list[str], bool]]:
    """Each row's cell texts on the table grid, and whether the row is marked as a header."""
    for tr in tbl.iterchildren(W + "tr"):
        cells, bold = [""] * _number(_child(tr, "trPr", "gridBefore"), 0), True
        for tc in tr.iterchildren(W + "tc"):
            merge = _child(tc, "tcPr", "vMerge")
            continued = merge is not None and merge.get(W + "val", "continue") == "continue"
            text, all_bold = ("", True) if continued else _cell_lines(tc, numbering)
            cells += [text] + [""] * (_number(_child(tc, "tcPr", "gridSpan"), 1) - 1)
            bold = bold and (all_bold or not text)
        header = _switched_on(_child(tr, "trPr"), "tblHeader") or (bold and any(cells))
        yield cells, bool(header)


@dataclass
class _Builder:
    """Blocks of the body, one page per section; a section ends at the paragraph carrying
    its properties."""
    styles: _Styles
    numbering: _Numbering
    settings: ReadSettings
    pages: list[Page] = field(default_factory=lambda: [Page(1)])
    index: int = 0
    last_was_table: bool = False

    @property
    def position(self) -> Position:
        return Position(self.pages[-1].page_number, self.index)

    def add(self, element: Any) -> None:
        self.index += 1
        if element.tag == W + "tbl":
            self.table(element)
        else:
            self.paragraph(element)
            if _child(element, "pPr", "sectPr") is not None:
                self.pages.append(Page(self.pages[-1].page_number + 1))
                self.index = 0

    def table(self, tbl: Any) -> None:
        rows = list(_rows(tbl, self.numbering))
        marked = next((i for i, (_, header) in enumerate(rows) if not header), len(rows))
        table = make_table([cells for cells, _ in rows], self.pages[-1].page_number, marked)
        table.position = self.position
        blocks = self.pages[-1].blocks
        joined = self.last_was_table and blocks and isinstance(blocks[-1], Table) and continue_table(blocks[-1], table)
        if table.rows and not joined:
            blocks.append(table)
        self.last_was_table = True

    def paragraph(self, p: Any) -> None:
        text, bold = _bold_text(p, self.styles)
        label = self.numbering.label(p)
        self.last_was_table = self.last_was_table and not text.strip()
        pieces = _pieces(text)
        if not pieces or self.styles.in_contents(p):
            return
        if label:
            pieces[0] = f"{label} {pieces[0]}"
        level = self.styles.heading_level(p)
        if level is None and bold:
            level = BOLD_HEADING_LEVEL
        blocks, number = self.pages[-1].blocks, self.pages[-1].page_number
        if level is not None and len(pieces) == 1 and len(pieces[0]) <= self.settings.heading_max_chars:
            blocks.append(Heading(pieces[0], number, level=level, position=self.position))
            return
        last = blocks[-1] if blocks else None
        if (isinstance(last, Paragraph) and self.styles.numbering(p) is None
                and continues_sentence(last.text, pieces[0])):
            last.text = f"{last.text} {pieces.pop(0)}"
        blocks.extend(Paragraph(piece, number, position=self.position) for piece in pieces)


def _open(content: Content) -> Any:
    """The python-docx document, or ReadError saying why the file is not one."""
    import docx
    path = str(content.path)
    try:
        declared = declares_word(content.data)
    except ZIP_ERRORS as error:
        raise ReadError(path, "corrupt Word document", f"{type(error).__name__}: {error}") from error
    if not declared:
        raise ReadError(path, "not a Word document", "a zip archive with no Word document part")
    try:
        return docx.Document(io.BytesIO(content.data))
    except Exception as error:  # python-docx raises many kinds on a damaged package
        raise ReadError(path, "corrupt Word document", f"{type(error).__name__}: {error}") from error


@reader("docx", "Word document", (".docx",), (ZIP_MAGIC,), sniff=_sniff)
def read_word(content: Content, settings: ReadSettings) -> Document:
    """A Document from a Word file; raises ReadError for a damaged or empty one."""
    word = _open(content)
    from docx.enum.style import WD_STYLE_TYPE
    styles = _Styles(word.part, WD_STYLE_TYPE)
    builder = _Builder(styles, _Numbering(word.part.numbering_part.element, styles), settings)
    for element in _children(word.element.body):
        builder.add(element)
    pages = [page for page in builder.pages if page.blocks]
    if not pages:
        raise ReadError(str(content.path), "empty file", "a Word document with no text")
    title = pdf_title({"Title": word.core_properties.title})
    return Document(path=str(content.path), sha256=content.sha256, kind="docx", pages=pages, title=title)
