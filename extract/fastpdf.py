"""The fast PDF engine: pypdfium2 for text and line geometry, pdfplumber only where needed.

pdfplumber lays out every character in Python; pdfium does it in C. Pages whose
drawing has ruling lines (a table may be there) are scanned by pdfplumber as in the
``pdfplumber`` engine; every other page's lines come from pdfium's text rectangles,
with the font size and boldness of their first character. Both kinds of page then go
through the same running-line removal and block building.
"""
from __future__ import annotations

import ctypes
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .errors import ReadError
from .model import BBox, Document
from .pdf import BOLD_FONT, Line, ScannedPage, assemble, pdf_title, scan_page
from .settings import ReadSettings

PDFIUM_HYPHEN = "\x02"  # pdfium marks a hyphen at a line end this way
RULING_PATHS = 5  # a page drawing this many paths or more may hold a ruled table


def needs_geometry(page: pdfium.PdfPage) -> bool:
    paths = 0
    for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        paths += 1
        if paths >= RULING_PATHS:
            return True
    return False


def _font(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, bool]:
    """Size as drawn (font size times the text matrix scale, as pdfplumber reports it) and boldness."""
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix))
    scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
    size = raw.FPDFText_GetFontSize(textpage.raw, index) * scale
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, 128, ctypes.byref(flags))
    name = buffer.value.decode("latin-1", "ignore")
    return round(size, 1), bool(BOLD_FONT.search(name)) or raw.FPDFText_GetFontWeight(textpage.raw, index) >= 600


def _segments(textpage: pdfium.PdfTextPage, height: float) -> list[tuple[BBox, str, float, bool]]:
    """pdfium's text rectangles (runs of text on one line), top-left origin, with their font."""
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).replace(PDFIUM_HYPHEN, "-").strip()
        if not text:
            continue
        index = raw.FPDFText_GetCharIndexAtPos(textpage.raw, left + 0.5, (top + bottom) / 2, 1.0, 1.0)
        size, bold = _font(textpage, index) if index >= 0 else (top - bottom, False)
        out.append((BBox(left, height - top, right, height - bottom), text, size, bold))
    return out


def _lines(segments: list[tuple[BBox, str, float, bool]], settings: ReadSettings) -> list[Line]:
    """Segments sharing a baseline form a line; a wide gap between them starts a new cell."""
    rows: list[list[tuple[BBox, str, float, bool]]] = []
    for seg in sorted(segments, key=lambda s: (s[0].top, s[0].x0)):
        box = seg[0]
        if rows and box.top <= rows[-1][0][0].bottom - min((box.bottom - box.top) / 2, settings.line_tolerance):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    return [_line(sorted(row, key=lambda s: s[0].x0), settings) for row in rows]


def _line(row: list[tuple[BBox, str, float, bool]], settings: ReadSettings) -> Line:
    size = Counter({s[2]: len(s[1]) for s in row}).most_common(1)[0][0]
    cells: list[str] = [row[0][1]]
    for prev, seg in zip(row, row[1:]):
        if seg[0].x0 - prev[0].x1 > settings.column_gap * size:
            cells.append(seg[1])
        else:
            cells[-1] += " " + seg[1]
    bbox = row[0][0]
    for seg in row[1:]:
        bbox = bbox.union(seg[0])
    bold = sum(len(s[1]) for s in row if s[3]) >= 0.9 * sum(len(s[1]) for s in row)
    return Line(" ".join(cells), cells, bbox, size, bold)


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
    return assemble(scanned, path, sha256, title, settings)


def scan_fast(document: pdfium.PdfDocument, path: Path, settings: ReadSettings) -> list[ScannedPage]:
    """Every page scanned by pdfium, or by pdfplumber when it may hold a ruled table."""
    plumber = None
    scanned: list[ScannedPage] = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            if needs_geometry(page):
                plumber = plumber or pdfplumber.open(path, password="")
                plumbed = plumber.pages[index]
                scanned.append(scan_page(plumbed, settings))
                plumbed.close()
            else:
                textpage = page.get_textpage()
                lines = _lines(_segments(textpage, height), settings)
                scanned.append(ScannedPage(index + 1, width, height, lines, [], textpage.count_chars()))
                textpage.close()
            page.close()
    except Exception as error:  # pdfplumber on a damaged page raises many kinds
        raise ReadError(str(path), "corrupt PDF", f"{type(error).__name__}: {error}") from error
    finally:
        if plumber is not None:
            plumber.close()
    return scanned
