"""Any supported file into a Document, choosing the reader by content rather than name.

Readers register themselves with ``@reader`` (kind, suffixes, magic bytes, a sniff test)
and are found by walking the ``readers`` package, as parsers are. A file goes to the first
reader whose sniff accepts its content: binary formats (those with magic bytes) are tried
first, then text formats, then the fallback (plain text). A file named for a binary format
whose content no reader accepts is "not a <label>".
"""
from __future__ import annotations

import hashlib
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import ReadError
from .model import Document
from .quality import utf16_text
from .settings import ReadSettings

UNSUPPORTED_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")
ENCODINGS = ("utf-8-sig", "cp1252")
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


@dataclass(frozen=True)
class Content:
    """A file's bytes as the readers see them; ``text`` is decoded on first use."""
    path: Path
    data: bytes
    sha256: str

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

    @cached_property
    def text(self) -> str | None:
        return decode(self.data)


Sniff = Callable[[Content], bool]
ReadFunction = Callable[[Content, ReadSettings], Document]


@dataclass(frozen=True)
class Reader:
    """One input format: ``label`` names it in errors ("not a PDF")."""
    kind: str
    label: str
    suffixes: tuple[str, ...]
    magic: tuple[bytes, ...]
    sniff: Sniff
    read: ReadFunction
    fallback: bool = False

    @property
    def rank(self) -> int:
        return 2 if self.fallback else 0 if self.magic else 1


_registry: dict[str, Reader] = {}
_loaded = False


def starts_with(magic: tuple[bytes, ...]) -> Sniff:
    """The default sniff: the content begins with one of the magic byte strings."""
    return lambda content: content.data.startswith(magic)


def reader(kind: str, label: str, suffixes: tuple[str, ...], magic: tuple[bytes, ...] = (),
           sniff: Sniff | None = None, fallback: bool = False) -> Callable[[ReadFunction], ReadFunction]:
    """Function decorator registering a reader: ``@reader("pdf", "PDF", (".pdf",), (b"%PDF-",))``."""
    if sniff is None and not magic:
        raise ValueError(f"reader {kind!r} needs magic bytes or a sniff test")

    def decorate(function: ReadFunction) -> ReadFunction:
        _registry[kind] = Reader(kind, label, suffixes, magic, sniff or starts_with(magic), function, fallback)
        return function
    return decorate


def available() -> list[Reader]:
    """Every registered reader in the order files are offered to them."""
    global _loaded
    if not _loaded:
        from . import readers
        for info in pkgutil.iter_modules(readers.__path__):
            importlib.import_module(f"{readers.__name__}.{info.name}")
        _loaded = True
    return sorted(_registry.values(), key=lambda r: r.rank)


def suffixes() -> tuple[str, ...]:
    """Every file suffix a reader claims, for finding report files in folders."""
    return tuple(dict.fromkeys(s for r in available() for s in r.suffixes))


def _content(path: Path) -> Content:
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise ReadError(str(path), "file not found") from error
    except IsADirectoryError as error:
        raise ReadError(str(path), "unsupported file type", "a directory") from error
    if not data.strip():
        raise ReadError(str(path), "empty file")
    return Content(path, data, hashlib.sha256(data).hexdigest())


def read(path: Path, settings: ReadSettings | None = None) -> Document:
    """Read any registered format; raise ReadError naming why not."""
    path = Path(path)
    settings = settings or ReadSettings()
    content = _content(path)
    readers = available()
    for candidate in (r for r in readers if not r.fallback):
        if candidate.sniff(content):
            return candidate.read(content, settings)
    named = next((r for r in readers if r.magic and content.suffix in r.suffixes), None)
    if named:
        raise ReadError(str(path), f"not a {named.label}")
    if content.data.startswith(UNSUPPORTED_MAGIC):
        raise ReadError(str(path), "unsupported file type")
    for candidate in (r for r in readers if r.fallback):
        if candidate.sniff(content):
            return candidate.read(content, settings)
    raise ReadError(str(path), "unreadable encoding")
