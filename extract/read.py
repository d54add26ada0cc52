"""Any supported file into a Document, choosing the reader by content rather than name."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .errors import ReadError
from .html import read_html
from .model import Document
from .fastpdf import read_pdf_fast
from .pdf import read_pdf
from .quality import inflation_guard, utf16_text
from .settings import ReadSettings
from .text import read_text

PDF_MAGIC = b"%PDF-"
OTHER_BINARY = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")
ENCODINGS = ("utf-8-sig", "cp1252")
HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str | None:
    """The text of ``data`` in the first encoding that fits, or None for binary content."""
    if (wide := utf16_text(data)) is not None:
        return wide
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if len(CONTROL.findall(text)) > max(2, len(text) // 200) else text
    return None


def looks_like_html(text: str, path: Path) -> bool:
    return path.suffix.lower() in (".html", ".htm") or bool(HTML_START.match(text[:4096])) \
        or "<html" in text[:1024].lower()


def read(path: Path, settings: ReadSettings | None = None) -> Document:
    """Read a PDF, HTML page or text conversion; raise ReadError naming why not."""
    path = Path(path)
    settings = settings or ReadSettings()
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ReadError(str(path), "file not found") from error
    except IsADirectoryError as error:
        raise ReadError(str(path), "unsupported file type", "a directory") from error
    if not data.strip():
        raise ReadError(str(path), "empty file")
    sha256 = hashlib.sha256(data).hexdigest()
    if PDF_MAGIC in data[:1024]:
        inflation_guard(data, str(path))
        reader = read_pdf_fast if settings.engine == "fast" else read_pdf
        return reader(path, sha256, settings)
    named_pdf = path.suffix.lower() == ".pdf"
    if data.startswith(OTHER_BINARY):
        raise ReadError(str(path), "not a PDF" if named_pdf else "unsupported file type")
    text = decode(data)
    if text is not None and looks_like_html(text, path):
        return read_html(text, str(path), sha256)
    if named_pdf:
        raise ReadError(str(path), "not a PDF")
    if text is None:
        raise ReadError(str(path), "unreadable encoding")
    return read_text(text, str(path), sha256, settings.heading_max_chars)
