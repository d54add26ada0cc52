"""The document model every reader produces and every parser reads.

A document is pages; a page is blocks in reading order. A block is a heading, a
paragraph or a table. Positions use pdfplumber's names and origin (top-left):
``x0, top, x1, bottom`` in PDF points. Text conversions have no geometry, so their
blocks carry ``bbox=None`` and sit on page 1 (or on the page a form feed starts).
A Word file has no pages: its pages are its sections, and each block carries a
``position`` (section and paragraph index) instead of a box.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, Union


@dataclass(frozen=True)
class BBox:
    x0: float
    top: float
    x1: float
    bottom: float

    def union(self, other: "BBox | None") -> "BBox":
        if other is None:
            return self
        return BBox(min(self.x0, other.x0), min(self.top, other.top),
                    max(self.x1, other.x1), max(self.bottom, other.bottom))


@dataclass(frozen=True)
class Position:
    """Where a block sits in a file without pages: its section, and its index among the
    section's paragraphs and tables (empty ones counted), both from 1."""
    section: int
    paragraph: int


@dataclass
class Heading:
    text: str
    page_number: int
    level: int = 1
    bbox: BBox | None = None
    position: Position | None = None
    kind: Literal["heading"] = "heading"


@dataclass
class Paragraph:
    text: str
    page_number: int
    bbox: BBox | None = None
    position: Position | None = None
    kind: Literal["paragraph"] = "paragraph"


@dataclass
class Table:
    """Rows of cell texts; a wrapped cell's lines are joined with a space."""
    rows: list[list[str]]
    page_number: int
    bbox: BBox | None = None
    header_rows: int = 1
    position: Position | None = None
    kind: Literal["table"] = "table"


Block = Union[Heading, Paragraph, Table]


@dataclass
class Page:
    page_number: int
    blocks: list[Block] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    ocr: bool = False  # read from an image by OCR, not from a text layer


@dataclass
class Document:
    """One source file read into pages, with its identity and front matter."""
    path: str
    sha256: str
    kind: Literal["pdf", "text", "html", "docx"]
    pages: list[Page]
    title: str | None = None
    page_count: int = 0

    def __post_init__(self) -> None:
        self.page_count = self.page_count or len(self.pages)

    def released(self) -> "Document":
        """The same document without its pages, once its figures are extracted."""
        return replace(self, pages=[])

    def blocks(self):
        for page in self.pages:
            yield from page.blocks

    def text(self, max_pages: int | None = None) -> str:
        """Plain text of the first ``max_pages`` pages (all by default), tables as tab-separated rows."""
        out: list[str] = []
        for page in self.pages[:max_pages]:
            for block in page.blocks:
                if isinstance(block, Table):
                    out.extend("\t".join(row) for row in block.rows)
                else:
                    out.append(block.text)
        return "\n".join(out)
