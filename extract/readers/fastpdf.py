"""The fast PDF engine: pypdfium2 for text, line geometry and ruled tables.

pdfplumber lays out every character in Python; pdfium does it in C. Here each page's
text comes from pdfium's text rectangles (with the font size and boldness of their
first character), and ruled tables are found from the page's drawn lines and boxes with
pdfplumber's own edge → intersection → cell → table steps, their cells filled from
pdfium's text. The pages then go through the same running-line removal and block
building as the ``pdfplumber`` engine.
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from .. import ocr
from ..errors import ReadError
from .html import make_table
from ..model import BBox, Document, Table
from .pdf import BOLD_FONT, BULLET_MARK, Line, ScannedPage, assemble, join_lines, list_cell, pdf_title
from ..settings import ReadSettings

PDFIUM_HYPHEN = re.compile("[\x02\ufffe]")  # pdfium marks a hyphen at a line end so
DOUBLED_SUFFIX = re.compile(r"(['’]\w{1,2})(?:\s*\1)+")  # "children’s ’s": a glyph run drawn twice
STRAY_BULLET = re.compile(r"(?<=\S)\s*•\s*")  # the next line's bullet glyph, read inside a box above it
MARKER = re.compile(r"[•▪●◦–-]|\d{1,3}[.)]|\([a-z0-9]{1,3}\)")
THIN = 2.5  # points: a drawn path thinner than this is a ruling line
SNAP = 3.0  # points: pdfplumber's default snap and join tolerances
MANY_RUNS = 4000  # text runs on a page beyond which their characters are found in one pass
Segment = tuple[BBox, str, float, bool]
# Output buffers pdfium writes into, reused by every call (one page is read at a time).
_MATRIX, _NAME, _FLAGS = raw.FS_MATRIX(), ctypes.create_string_buffer(128), ctypes.c_int()
_MATRIX_REF, _FLAGS_REF = ctypes.byref(_MATRIX), ctypes.byref(_FLAGS)


def _edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Ruling lines of a page as pdfplumber edges: thin paths, and the sides of boxes."""
    edges: list[dict] = []
    for left, bottom, right, top in _path_bounds(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, True):
        x0, x1, y0, y1 = left, right, height - top, height - bottom
        if y1 - y0 < THIN and x1 - x0 > THIN:
            edges.append(_edge("h", x0, x1, (y0 + y1) / 2, (y0 + y1) / 2))
        elif x1 - x0 < THIN and y1 - y0 > THIN:
            edges.append(_edge("v", (x0 + x1) / 2, (x0 + x1) / 2, y0, y1))
        elif x1 - x0 > THIN and y1 - y0 > THIN:
            edges += [_edge("h", x0, x1, y0, y0), _edge("h", x0, x1, y1, y1),
                      _edge("v", x0, x0, y0, y1), _edge("v", x1, x1, y0, y1)]
    return edges


def _path_bounds(parent, count, get, descend: bool) -> Iterator[tuple[float, float, float, float]]:
    """Bounds of the path objects of a page or form, in order, and of those in the forms a page
    holds directly (the objects ``get_objects(filter=[PATH], max_depth=2)`` gives, without a
    Python object for each of the page's many text objects)."""
    total = count(parent)
    if total < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for index in range(total):
        obj = get(parent, index)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_UNKNOWN:
            raise pdfium.PdfiumError("Failed to determine pageobject type.")
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                raise pdfium.PdfiumError("Failed to locate pageobject.")
            yield left.value, bottom.value, right.value, top.value
        elif kind == raw.FPDF_PAGEOBJ_FORM and descend:
            yield from _path_bounds(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, False)


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"orientation": orientation, "object_type": "line", "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "width": x1 - x0, "height": bottom - top}


def _grids(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Cell boxes of each ruled table, by pdfplumber's lattice steps."""
    if len(edges) < 4:
        return []
    merged = [e for e in merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
              if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(merged, SNAP, SNAP))
    return [table for table in cells_to_tables(cells) if len(table) >= 2]


def _inside(seg: Segment, box: tuple[float, float, float, float]) -> bool:
    x, y = (seg[0].x0 + seg[0].x1) / 2, (seg[0].top + seg[0].bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _table(cells: list[tuple[float, float, float, float]], page: Page, page_number: int,
           settings: ReadSettings) -> Table | None:
    """A Table from a grid's cell boxes, each cell's text from the segments inside it."""
    rows: dict[float, list[tuple[float, float, float, float]]] = {}
    for cell in cells:
        rows.setdefault(round(cell[1]), []).append(cell)
    texts: list[list[str]] = []
    bold_first = False
    for n, top in enumerate(sorted(rows)):
        row = sorted(rows[top])
        inside = [[seg for seg in page.segments if _inside(seg, cell)] for cell in row]
        texts.append([_cell(cell_segments, page, settings) for cell_segments in inside])
        if n == 0:
            chars = [(len(s[1]), s[3]) for cell_segments in inside for s in cell_segments]
            bold_first = bool(chars) and sum(c for c, b in chars if b) >= 0.9 * sum(c for c, _ in chars)
    if max((sum(1 for c in row if c) for row in texts), default=0) < 2:
        return None  # a ruled box around text, not a table
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    bbox = BBox(x0, top, max(c[2] for c in cells), max(c[3] for c in cells))
    return make_table(texts, page_number, int(bold_first), bbox=bbox)


def _cell(segments: list[Segment], page: Page, settings: ReadSettings) -> str:
    lines = [(row[0][0].x0, page.text_in(_union(row))) for row in _rows(segments, settings)]
    if any(BULLET_MARK.match(text) for _, text in lines):
        return list_cell(lines)
    return join_lines([text for _, text in lines])


def _font(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, bool]:
    """Size as drawn (font size times the text matrix scale, as pdfplumber reports it) and boldness."""
    handle = textpage.raw
    matrix = _MATRIX
    known = raw.FPDFText_GetMatrix(handle, index, _MATRIX_REF)
    scale = known and abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
    size = raw.FPDFText_GetFontSize(handle, index) * scale
    _NAME[0] = b"\0"
    raw.FPDFText_GetFontInfo(handle, index, _NAME, 128, _FLAGS_REF)
    name = _NAME.value.decode("latin-1", "ignore")
    return round(size, 1), bool(BOLD_FONT.search(name)) or raw.FPDFText_GetFontWeight(handle, index) >= 600


def _segments(page: Page) -> list[Segment]:
    """pdfium's text rectangles (runs of text on one line), top-left origin, with their font.

    A run's text is the page text from the character at its left edge to the one at its
    right edge (point lookups, far cheaper than reading the text inside a box; runs are
    numbered in character order, so a run ending in a space stops before the next one)."""
    textpage, height = page.textpage, page.height
    full = PDFIUM_HYPHEN.sub("-", textpage.get_text_range())  # one character for one: runs slice it alike
    rects = _rects(textpage)
    if len(rects) > MANY_RUNS:
        firsts, lasts = _walk(textpage, rects)
    else:
        firsts = [_char_at(textpage, left + 0.5, (top + bottom) / 2, True) for left, bottom, right, top in rects]
        lasts = [_char_at(textpage, right - 0.5, (top + bottom) / 2) for left, bottom, right, top in rects]
    out = []
    for i, (left, bottom, right, top) in enumerate(rects):
        first, last = firsts[i], lasts[i]
        if last < 0 and i + 1 < len(rects) and firsts[i + 1] > first:
            last = firsts[i + 1] - 1  # a run ending in a space: up to the next run's first character
        if 0 <= first <= last < len(full):
            text = full[first:last + 1]
        else:
            text = PDFIUM_HYPHEN.sub("-", page.bounded(left, bottom, right, top))
        text = text.strip()
        if not text:
            continue
        size, bold = _font(textpage, first) if first >= 0 else (top - bottom, False)
        out.append((BBox(left, height - top, right, height - bottom), text, size, bold))
    return out


def _rects(textpage: pdfium.PdfTextPage) -> list[tuple[float, float, float, float]]:
    """``get_rect`` of every text rectangle, its output doubles made once."""
    left, bottom, right, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    refs = ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom)
    rects = []
    for index in range(textpage.count_rects()):
        if not raw.FPDFText_GetRect(textpage.raw, index, *refs):
            raise pdfium.PdfiumError("Failed to get rectangle.")
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def _char_at(textpage: pdfium.PdfTextPage, x: float, y: float, inside_first: bool = False) -> int:
    """The character at a point: the first whose box holds it, else the nearest within half a
    point (pdfium scans the page's characters for it). A scan without that tolerance stops at
    the same character and costs half as much, so it goes first where the point mostly lies in
    a box (a run's left edge; its right edge is often beside a low glyph such as a full stop)."""
    if inside_first and (found := raw.FPDFText_GetCharIndexAtPos(textpage.raw, x, y, 0.0, 0.0)) >= 0:
        return found
    return raw.FPDFText_GetCharIndexAtPos(textpage.raw, x, y, 1.0, 1.0)


def _walk(textpage: pdfium.PdfTextPage, rects: list[tuple[float, float, float, float]]) -> tuple[list[int], list[int]]:
    """First and last character of each run in one pass over the characters, for pages of so many
    runs that a point lookup per run (a scan of the page each) would take quadratic time. Runs
    follow the characters' order; a character belongs to the first run from the current one
    whose box holds its centre."""
    count, firsts, lasts, run = textpage.count_chars(), [-1] * len(rects), [-1] * len(rects), 0
    for index in range(count):
        left, bottom, right, top = textpage.get_charbox(index)
        x, y = (left + right) / 2, (bottom + top) / 2
        for candidate in range(run, min(run + 2, len(rects))):
            r_left, r_bottom, r_right, r_top = rects[candidate]
            if r_left - 0.5 <= x <= r_right + 0.5 and r_bottom - 0.5 <= y <= r_top + 0.5:
                run = candidate
                firsts[run] = index if firsts[run] < 0 else firsts[run]
                lasts[run] = index
                break
    return firsts, lasts


class Page:
    """One pdfium page's text runs, and the text pdfium reads inside any box of it."""

    def __init__(self, textpage: pdfium.PdfTextPage, height: float):
        self.textpage, self.height = textpage, height
        self.buffer = (ctypes.c_ushort * (2 * textpage.count_chars() + 16))()
        self.segments = _segments(self)

    def bounded(self, left: float, bottom: float, right: float, top: float) -> str:
        """``get_text_bounded`` in one pdfium call, not two (each scans the page's characters): the
        text pdfium copies ends in a NUL; a reading it would cut short (outside the BMP) is left to it."""
        size = raw.FPDFText_GetBoundedText(self.textpage, left, top, right, bottom, self.buffer, len(self.buffer))
        text = ctypes.string_at(self.buffer, 2 * size).decode("utf-16-le", "ignore")
        if len(text) == size < len(self.buffer) and text.endswith("\0"):
            return text[:-1]
        return self.textpage.get_text_bounded(left, bottom, right, top)

    def text_in(self, box: BBox) -> str:
        """pdfium's own reading of a box (its spacing, joined glyph runs, no doubled glyphs)."""
        return self.clean(self.bounded(box.x0 - 0.5, self.height - box.bottom - 0.5,
                                       box.x1 + 0.5, self.height - box.top + 0.5))

    @staticmethod
    def clean(text: str) -> str:
        text = " ".join(PDFIUM_HYPHEN.sub("-", text).split())
        return STRAY_BULLET.sub(" ", DOUBLED_SUFFIX.sub(r"\1", text)).strip()


def _rows(segments: list[Segment], settings: ReadSettings) -> list[list[Segment]]:
    """Segments grouped into lines, each line left to right: a segment joins the line when it
    overlaps the line's longest run vertically by at least half its own height (so raised
    apostrophes and superscripts stay, and the next line's bullet does not come up)."""
    rows: list[list[Segment]] = []
    longest: Segment | None = None  # the current line's longest run
    for seg in sorted(segments, key=lambda s: (s[0].top, s[0].x0)):
        box, core = seg[0], longest[0] if longest else None
        overlap = min(box.bottom, core.bottom) - max(box.top, core.top) if core else 0.0
        if rows and overlap >= 0.5 * min(box.bottom - box.top, core.bottom - core.top):
            rows[-1].append(seg)
            longest = seg if len(seg[1]) > len(longest[1]) else longest
        else:
            rows.append([seg])
            longest = seg
    return [sorted(row, key=lambda s: s[0].x0) for row in rows]


def _union(segments: list[Segment]) -> BBox:
    boxes = [seg[0] for seg in segments]
    return BBox(min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes))


def _group_text(group: list[Segment], page: Page) -> str:
    """The text of runs read as one; a lone list marker ("•", "1.") keeps a space after it."""
    if len(group) == 1:
        return page.clean(group[0][1])
    if MARKER.fullmatch(group[0][1]):
        return f"{group[0][1]} {page.text_in(_union(group[1:]))}"
    return page.text_in(_union(group))


def _line(row: list[Segment], page: Page, settings: ReadSettings) -> Line:
    """A line; a gap wider than ``column_gap`` font sizes starts a new cell."""
    size = Counter({s[2]: len(s[1]) for s in row}).most_common(1)[0][0]
    groups: list[list[Segment]] = [[row[0]]]
    for prev, seg in zip(row, row[1:]):
        if seg[0].x0 - prev[0].x1 > settings.column_gap * size:
            groups.append([])
        groups[-1].append(seg)
    cells = [_group_text(group, page) for group in groups]
    bold = sum(len(s[1]) for s in row if s[3]) >= 0.9 * sum(len(s[1]) for s in row)
    return Line(" ".join(cells), cells, _union(row), size, bold)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError(str(path), "encrypted") from error
        raise ReadError(str(path), "corrupt PDF", str(error)) from error


def read_pdf_fast(path: Path, sha256: str, settings: ReadSettings) -> Document:
    """A Document from a PDF by the fast engine; raises ReadError as the pdfplumber engine does."""
    document = _open(path)
    try:
        title = pdf_title(document.get_metadata_dict())
        scanned = scan_fast(document, path, settings)
    finally:
        document.close()
    ocr.rescan(scanned, path, settings)
    return assemble(scanned, path, sha256, title, settings)


def scan_fast(document: pdfium.PdfDocument, path: Path, settings: ReadSettings) -> list[ScannedPage]:
    """Every page's lines and ruled tables, by pdfium."""
    scanned: list[ScannedPage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            text = Page(textpage, height)
            grids = _grids(_edges(page, height))
            tables = [t for t in (_table(cells, text, index + 1, settings) for cells in grids) if t is not None]
            boxes = [(t.bbox.x0, t.bbox.top, t.bbox.x1, t.bbox.bottom) for t in tables]
            outside = [seg for seg in text.segments if not any(_inside(seg, box) for box in boxes)]
            lines = [_line(row, text, settings) for row in _rows(outside, settings)]
            scanned.append(ScannedPage(index + 1, width, height, lines, tables, textpage.count_chars()))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as error:
        raise ReadError(str(path), "corrupt PDF", str(error)) from error
    return scanned
