"""Whether what was read is a report: content checks between reading and parsing.

A file is read by what it holds, not by its name; a disagreement is one warning. What is
not a report fails with a reason instead of being stored as a document without figures:
a cookie or error page, pages of raw PDF syntax (content-stream operators) rather than
text, a damaged file whose pages yield no words, or text too large to be a report. Blocks
longer than MAX_BLOCK_CHARS are cut at sentence ends, so no sentence splitter is ever
handed a megabyte at once.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import replace
from itertools import islice
from pathlib import Path

from .errors import ReadError
from .model import Block, Document, Heading, Page, Paragraph

# Phrases of pages a browser saves instead of a report: consent banners, missing pages, refusals.
NOT_A_REPORT_CUES = (
    "accept cookies", "accept all cookies", "use cookies", "cookie preferences", "cookie settings",
    "page not found", "report not found", "document not found", "no longer exists", "no longer available",
    "access denied", "forbidden", "enable javascript", "javascript is disabled", "javascript is required",
    "session has expired", "session expired", "something went wrong", "error 404", "404 not found",
    "error 403", "error 500", "internal server error", "service unavailable",
)
SHORT_PAGE_WORDS = 600  # a page this short holding two of the cues above is not a report
CUE_PATTERN = re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in NOT_A_REPORT_CUES) + r")\b", re.I)

# PDF content-stream and file-structure operators: text that is mostly these is PDF syntax, not prose.
PDF_OPERATORS = frozenset(
    "BT ET Tf Td TD Tm Tj TJ Tc Tw Tz TL Ts T* re cm gs rg RG scn SCN sc SC cs CS BDC BMC EMC Do "
    "obj endobj stream endstream xref trailer startxref".split())
RAW_SHARE = 0.15  # share of a page's tokens that are PDF operators for it to be PDF syntax
RAW_MIN_TOKENS = 20

WORD = re.compile(r"[^\W\d_]{2,}")
MIN_WORDS = 3  # fewer words than this in the whole document: nothing was read
MAX_TEXT_CHARS = 20_000_000  # far beyond the longest report (an 800-page one holds about 3 million)
MAX_BLOCK_CHARS = 10_000  # a block longer than this is cut at sentence ends (or spaces) into pieces
SENTENCE_END = re.compile(r"[.!?;:][\"')\]]*\s+")

MAX_INFLATED = 256 << 20  # bytes one compressed PDF stream may inflate to; a decompression bomb holds far more
FLATE_STREAM = re.compile(rb"/FlateDecode[^>]{0,200}>>\s*stream\r?\n")
INFLATE_STEP = 1 << 24


def checked(document: Document) -> tuple[Document, list[str]]:
    """The document ready for parsing, with warnings about its content; ReadError if it is not a report."""
    warnings = [w for w in (name_mismatch(document),) if w]
    size = sum(len(text) for text in _texts(document))
    if size > MAX_TEXT_CHARS:
        raise ReadError(document.path, "too large", f"{size:,} characters of text, more than any report")
    pages, raw = [], 0
    for page in document.pages:
        if raw_pdf_syntax(" ".join(_page_texts(page))):
            raw += 1
            page = replace(page, blocks=[])
        pages.append(replace(page, blocks=[piece for block in page.blocks for piece in cut(block)]))
    document = replace(document, pages=pages, page_count=document.page_count)
    text = document.text()
    words = sum(1 for _ in islice(WORD.finditer(text), SHORT_PAGE_WORDS))  # counted as far as any test needs
    if raw and words < MIN_WORDS:
        raise ReadError(document.path, "not a report", "raw PDF syntax, not text")
    if raw:
        warnings.append(f"{raw} page(s) of raw PDF syntax, not text, left out")
    if words < MIN_WORDS:
        raise ReadError(document.path, "no text", f"{words} words on {document.page_count} page(s)")
    cues = {cue.lower() for cue in CUE_PATTERN.findall(text)} if words < SHORT_PAGE_WORDS else set()
    if len(cues) >= 2:
        raise ReadError(document.path, "not a report", f"a web page: {', '.join(sorted(cues)[:3])}")
    return document, warnings


def name_mismatch(document: Document) -> str | None:
    """One warning when the file's name promises another format than its content, by which it was read."""
    from .read import available  # the reader registry imports this module

    suffix = Path(document.path).suffix.lower()
    readers = available()
    named = next((r for r in readers if suffix in r.suffixes), None)
    actual = next((r for r in readers if r.kind == document.kind), None)
    if named is None or actual is None or named.kind == actual.kind:
        return None
    return f"{actual.label} named {suffix}: read by its content"


def raw_pdf_syntax(text: str) -> bool:
    """Whether a page's text is mostly PDF content-stream operators (``BT /F2 12 Tf ... Tj ET``)."""
    tokens = text.split()
    if len(tokens) < RAW_MIN_TOKENS:
        return False
    return sum(token in PDF_OPERATORS for token in tokens) / len(tokens) >= RAW_SHARE


def cut(block: Block) -> list[Block]:
    """A paragraph or heading longer than MAX_BLOCK_CHARS as pieces ending at sentence ends where it can."""
    if not isinstance(block, (Paragraph, Heading)) or len(block.text) <= MAX_BLOCK_CHARS:
        return [block]
    return [replace(block, text=piece) for piece in pieces(block.text, MAX_BLOCK_CHARS)]


def pieces(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut after the last sentence end (else space) in each."""
    out = []
    while len(text) > limit:
        window = text[:limit]
        ends = [m.end() for m in SENTENCE_END.finditer(window, limit // 2)]
        at = ends[-1] if ends else (window.rfind(" ", limit // 2) + 1 or limit)
        out.append(text[:at].strip())
        text = text[at:]
    out.append(text.strip())
    return [piece for piece in out if piece]


def inflation_guard(data: bytes, path: str, limit: int = MAX_INFLATED) -> None:
    """ReadError "too large" for a PDF one of whose compressed streams inflates past ``limit`` bytes
    (a decompression bomb), found before any PDF library allocates it."""
    for match in FLATE_STREAM.finditer(data):
        if inflated_size(data, match.end(), limit) > limit:
            raise ReadError(path, "too large", f"a compressed stream inflates to over {limit >> 20} MB")


def inflated_size(data: bytes, start: int, limit: int) -> int:
    """How many bytes the zlib stream at ``data[start:]`` inflates to, counting no further than just past ``limit``."""
    inflater, size, offset = zlib.decompressobj(), 0, start
    try:
        while size <= limit and not inflater.eof:
            chunk = inflater.unconsumed_tail or data[offset:offset + INFLATE_STEP]
            if not inflater.unconsumed_tail:
                offset += INFLATE_STEP
            if not chunk:
                break
            size += len(inflater.decompress(chunk, INFLATE_STEP))
    except zlib.error:  # damaged or not zlib: the reader decides what to make of it
        pass
    return size


def utf16_text(data: bytes) -> str | None:
    """The text of UTF-16 (or UTF-32) data, told by its byte-order mark or, without one, by the
    zero byte beside every ASCII character; None for anything else."""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                          (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _decoded(data[len(bom):], encoding)
    head = data[:4096]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return _decoded(data, "utf-16-le")
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return _decoded(data, "utf-16-be")
    return None


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _page_texts(page: Page) -> list[str]:
    return [" ".join(" ".join(row) for row in block.rows) if block.kind == "table" else block.text
            for block in page.blocks]


def _texts(document: Document):
    for page in document.pages:
        yield from _page_texts(page)
