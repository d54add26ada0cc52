"""The parse stage: every registered parser that handles a document yields its raw figures."""
from __future__ import annotations

from . import registry
from .model import Document
from .observation import Context, Observation


def parse(document: Document, ctx: Context) -> list[Observation]:
    """The figures of every applicable parser, each stamped with the parser's name and version
    (``+ocr`` on the version, and less confidence, for figures read from OCR pages)."""
    found: list[Observation] = []
    for parser in registry.applicable(document, ctx):
        for obs in parser.parse(document, ctx):
            obs.parser, obs.parser_version = parser.name, parser.version
            found.append(obs)
    from .ocr import mark  # here, not above: it loads the PDF readers, which a skipped file never needs

    mark(found, document)
    return found
