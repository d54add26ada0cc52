"""Pages without a text layer (scans) read by OCR into the same lines and tables as any PDF page.

A page is rendered with pdfium at ``DPI``; its ruling lines are found in the image (long
runs of dark pixels), erased, and handed to pdfplumber's lattice steps as edges, so ruled
tables become cells just as a drawn table does. Debian's ``tesseract`` reads the cleaned
image into words with boxes (its TSV output, called directly: one subprocess a page, no
temporary files); words inside a cell fill the cell, the rest become lines. Figures read
from such a page carry ``+ocr`` on their parser version and a lower confidence.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass, replace

from .errors import ReadError
from .model import BBox, Document, Table
from .observation import Observation
from .readers.pdf import BULLET_MARK, Line, ScannedPage, join_lines, list_cell
from .settings import ReadSettings

DPI = 300
SCAN_COVER = 0.5  # a page with no text that is mostly one picture is a scan
DARK = 160  # grey level below which a pixel is ink
RULE_POINTS = 24.0  # a dark run at least this long (in points) is a ruling line, not a glyph
MIN_WORD_CONFIDENCE = 10  # tesseract's 0-100 confidence below which a "word" is noise
OCR_DOUBT = 0.05  # taken off a figure's confidence: OCR is less sure than a text layer, yet a clean scan is not doubtful
BOLD_STROKE = 1.5  # a word whose strokes are this many times the page's usual width is bold
BOLD_SHARE = 0.9  # a line is bold when this share of its characters is, as for a text layer
BULLET_MISREADS = frozenset("•¢«»°©®*eo")  # how tesseract reads a bullet glyph, alone at a line's start
ASCENDING = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789bdfhklt()[]/|'\"")  # reach above x-height
DESCENDING = frozenset("gjpqy()[]|")  # reach well below the baseline (a comma hardly does)
SIZE_SLACK = 0.05
MARK = "ocr"
TIMEOUT = 120
HOW_TO_ENABLE = "scanned pages are read by OCR once Debian's tesseract-ocr is installed: apt-get install tesseract-ocr tesseract-ocr-eng"


@dataclass(frozen=True)
class Word:
    """A word tesseract read; ``ink`` and ``runs`` (dark pixels, and their horizontal runs)
    measure its stroke width, which tells bold type."""
    text: str
    bbox: BBox
    confidence: float
    ink: int = 0
    runs: int = 0


def available() -> bool:
    return shutil.which("tesseract") is not None


def rescan(scanned: list[ScannedPage], path, settings: ReadSettings) -> None:
    """Replace each scanned page (a picture covering the page, no text) by its OCR reading,
    when tesseract is installed. A page that is blank, or only a chart, is left alone."""
    blank = [n for n, page in enumerate(scanned) if not page.chars]
    if not blank or not available():
        return
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path), password="")
    try:
        for n in blank:
            page = document[n]
            if is_scan(page):
                scanned[n] = scan_page(page, scanned[n].page_number, settings, str(path))
            page.close()
    finally:
        document.close()


def is_scan(page) -> bool:
    """Does one picture cover at least ``SCAN_COVER`` of the page?"""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    for image in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if (min(right, width) - max(left, 0)) * (min(top, height) - max(bottom, 0)) >= SCAN_COVER * width * height:
            return True
    return False


def missing_text(scanned: list[ScannedPage]) -> str:
    """Why a PDF has no text at all: OCR found none, or OCR is not installed."""
    return "no text found by OCR either" if available() else HOW_TO_ENABLE


def scan_page(page, page_number: int, settings: ReadSettings, path: str) -> ScannedPage:
    """Lines and ruled tables of one pdfium page that has no text, by OCR."""
    import numpy as np

    from .readers.fastpdf import _grids

    width, height = page.get_size()
    scale = DPI / 72
    pixels = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L")).copy()
    ink = pixels < DARK
    across, down = _runs(ink, round(RULE_POINTS * scale)), _runs(ink.T, round(RULE_POINTS * scale)).T
    pixels[across | down] = 255
    words = _strokes(recognise(pixels, scale, path), pixels < DARK, scale)
    usual, body = _usual_stroke(words), _body(words)
    edges = _edges(across, "h", scale) + _edges(down.T, "v", scale)
    tables = [t for t in (_table(cells, words, page_number, settings) for cells in _grids(edges)) if t]
    boxes = [t.bbox for t in tables]
    outside = [w for w in words if not any(_inside(w.bbox, box) for box in boxes)]
    lines = [_line(row, settings, usual, body) for row in _rows(outside)]
    return ScannedPage(page_number, width, height, lines, tables, sum(len(w.text) for w in words), ocr=True)


def _runs(ink, length: int):
    """Pixels on a horizontal run of ink at least ``length`` long (rows of ``ink``)."""
    import numpy as np

    rows, cols = ink.shape
    if cols < length:
        return np.zeros_like(ink)
    total = np.concatenate([np.zeros((rows, 1), np.int32), np.cumsum(ink, axis=1, dtype=np.int32)], axis=1)
    starts = (total[:, length:] - total[:, :-length]) == length  # a full window starts here
    cover = np.concatenate([np.zeros((rows, 1), np.int32), np.cumsum(starts, axis=1, dtype=np.int32)], axis=1)
    index = np.arange(cols)
    first = np.clip(index - length + 1, 0, starts.shape[1])
    last = np.clip(index + 1, 0, starts.shape[1])
    return (cover[:, last] - cover[:, first]) > 0


def _edges(runs, orientation: str, scale: float) -> list[dict]:
    """Each row's runs as pdfplumber edges in points (pdfplumber snaps a thick rule's rows together)."""
    import numpy as np

    from .readers.fastpdf import _edge

    edges = []
    padded = np.pad(runs.astype(np.int8), ((0, 0), (1, 1)))
    for row, start in zip(*np.nonzero(np.diff(padded, axis=1) == 1)):
        end = start + int(np.argmax(padded[row, start + 1:] == 0))
        a, b, at = start / scale, end / scale, (row + 0.5) / scale
        edges.append(_edge("h", a, b, at, at) if orientation == "h" else _edge("v", at, at, a, b))
    return edges


def recognise(pixels, scale: float, path: str) -> list[Word]:
    """Tesseract's words on a grey image, boxes in points; ReadError if tesseract fails."""
    from PIL import Image

    png = io.BytesIO()
    Image.fromarray(pixels).save(png, format="PNG")
    try:
        done = subprocess.run(["tesseract", "stdin", "stdout", "--dpi", str(DPI), "-l", "eng", "--psm", "3",
                               "-c", "tessedit_do_invert=0", "tsv"],
                              input=png.getvalue(), capture_output=True, timeout=TIMEOUT, check=True,
                              env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except FileNotFoundError as error:
        raise ReadError(path, "no text layer", HOW_TO_ENABLE) from error
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise ReadError(path, "OCR failed", str(error).splitlines()[0]) from error
    words = []
    for row in csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                              quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text or float(row["conf"]) < MIN_WORD_CONFIDENCE:
            continue
        left, top, w, h = (int(row[k]) / scale for k in ("left", "top", "width", "height"))
        words.append(Word(text, BBox(left, top, left + w, top + h), float(row["conf"])))
    return words


def _inside(box: BBox, cell: BBox | tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = (cell.x0, cell.top, cell.x1, cell.bottom) if isinstance(cell, BBox) else cell
    x, y = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return x0 <= x <= x1 and top <= y <= bottom


def _rows(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap with the line's tallest word, left to right."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox.top, w.bbox.x0)):
        core = max(rows[-1], key=lambda w: w.bbox.bottom - w.bbox.top).bbox if rows else None
        box = word.bbox
        overlap = min(box.bottom, core.bottom) - max(box.top, core.top) if core else 0.0
        if core and overlap >= 0.5 * min(box.bottom - box.top, core.bottom - core.top):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.bbox.x0) for row in rows]


def _height(word: Word) -> float:
    return word.bbox.bottom - word.bbox.top


def _full(word: Word) -> bool:
    """Does the word reach from ascender to descender, so its box height is its type's size?"""
    return bool(ASCENDING.intersection(word.text)) and bool(DESCENDING.intersection(word.text))


def _body(words: list[Word]) -> float:
    """The page's usual type size: the median height of its full-height words."""
    heights = sorted(_height(w) for w in words if _full(w)) or sorted(_height(w) for w in words)
    return heights[len(heights) // 2] if heights else 0.0


def _size(row: list[Word], body: float) -> float:
    """A line's type size in points, to the half point: the median of its full-height words; a
    line with none (say, no descender) that is no taller than body type is body type."""
    full = sorted(_height(w) for w in row if _full(w))
    tallest = max(_height(w) for w in row)
    size = full[len(full) // 2] if full else (body if tallest <= body * (1 + SIZE_SLACK) else tallest)
    return round(2 * size) / 2


def _union(words: list[Word]) -> BBox:
    box = words[0].bbox
    for word in words[1:]:
        box = box.union(word.bbox)
    return box


def _strokes(words: list[Word], ink, scale: float) -> list[Word]:
    """Words with the ink and horizontal ink runs inside their boxes."""
    import numpy as np

    out = []
    for word in words:
        box = word.bbox
        cut = ink[int(box.top * scale):int(box.bottom * scale) + 1, int(box.x0 * scale):int(box.x1 * scale) + 1]
        runs = int(np.count_nonzero(np.diff(cut.astype(np.int8), axis=1) == 1) + np.count_nonzero(cut[:, 0]))
        out.append(replace(word, ink=int(cut.sum()), runs=runs))
    return out


def _stroke(words: list[Word]) -> float:
    return sum(w.ink for w in words) / max(1, sum(w.runs for w in words))


def _usual_stroke(words: list[Word]) -> float:
    """The median stroke width of the page's words (of three letters or more)."""
    strokes = sorted(_stroke([w]) for w in words if len(w.text) >= 3)
    return strokes[len(strokes) // 2] if strokes else 0.0


def _bullet(row: list[Word]) -> list[Word]:
    """A line whose first "word" is a misread bullet glyph, with the bullet restored."""
    if len(row) > 1 and row[0].text in BULLET_MISREADS:
        return [replace(row[0], text="•"), *row[1:]]
    return row


def _line(row: list[Word], settings: ReadSettings, usual: float, body: float) -> Line:
    """A line; a gap wider than ``column_gap`` type sizes starts a new cell."""
    row = _bullet(row)
    size = _size(row, body)
    cells: list[list[Word]] = [[row[0]]]
    for prev, word in zip(row, row[1:]):
        if word.bbox.x0 - prev.bbox.x1 > settings.column_gap * size:
            cells.append([])
        cells[-1].append(word)
    texts = [" ".join(w.text for w in cell) for cell in cells]
    bold = sum(len(w.text) for w in row if usual and _stroke([w]) >= BOLD_STROKE * usual)
    return Line(" ".join(texts), texts, _union(row), size, bold >= BOLD_SHARE * sum(len(w.text) for w in row))


def _table(cells: list[tuple[float, float, float, float]], words: list[Word], page_number: int,
           settings: ReadSettings) -> Table | None:
    """A Table from a grid's cell boxes, each filled with the words whose centre is inside it."""
    from .readers.html import make_table

    by_top: dict[float, list[tuple[float, float, float, float]]] = {}
    for cell in cells:
        by_top.setdefault(round(cell[1]), []).append(cell)
    texts = [[_cell_text([w for w in words if _inside(w.bbox, cell)]) for cell in sorted(by_top[top])]
             for top in sorted(by_top)]
    if max((sum(1 for c in row if c) for row in texts), default=0) < 2:
        return None  # a ruled box around text, not a table
    bbox = BBox(min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return make_table(texts, page_number, bbox=bbox)


def _cell_text(words: list[Word]) -> str:
    lines = [(row[0].bbox.x0, " ".join(w.text for w in _bullet(row))) for row in _rows(words)]
    if any(BULLET_MARK.match(text) for _, text in lines):
        return list_cell(lines)
    return join_lines([text for _, text in lines])


def mark(observations: list[Observation], document: Document) -> None:
    """Figures read from OCR pages: ``+ocr`` on the parser version, confidence lowered."""
    pages = {page.page_number for page in document.pages if page.ocr}
    for obs in observations:
        if obs.page in pages:
            obs.parser_version = f"{obs.parser_version}+{MARK}"
            obs.confidence = round(obs.confidence - OCR_DOUBT, 2)
