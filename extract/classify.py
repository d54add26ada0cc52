"""The classify stage: what a document is and whose it is, before any figure is parsed.

The document type (inspection, visit letter, committee report, minutes: ``doctypes``) is
read first, so that parsers choose by it.

From the document's own text (front matter, a specific parser's reading of its title,
authority names in its opening pages) and an analyst's manifest row, which wins.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..schemas.authorities import load_register
from . import registry
from .doctypes import document_type
from .frontmatter import STATED_CONFIDENCE, estimate_meeting_date, front_matter
from .model import Document
from .observation import Context

FRONT_TEXT = 6000  # characters of the opening pages searched for the authority


@dataclass
class Overrides:
    """What an analyst already knows about a file (a manifest row); blanks are None."""
    url: str | None = None
    authority: str | None = None
    meeting_date: date | None = None
    title: str | None = None


def classify(document: Document, overrides: Overrides | None = None) -> Context:
    """Document type, front matter and authority, with the analyst's overrides taking precedence.
    Raises ReadError for an error page saved in place of a report."""
    overrides = overrides or Overrides()
    kind = document_type(document)
    typed = Context(doc_type=kind.doc_type, doc_kind=kind)
    front = front_matter(document)
    # an inspection's or visit's figures stand as at its last day, not the letter's or report's date
    meeting = overrides.meeting_date or (kind.last_day if kind.is_event else None) or front.meeting_date
    return Context(
        meeting_date=meeting,
        authority_code=overrides.authority or document_authority(document, typed, meeting),
        committee=front.committee,
        title=overrides.title or front.title or document.title,
        doc_type=kind.doc_type, doc_kind=kind,
    )


def stated_meeting_date(document: Document) -> date | None:
    """The meeting date the paper's opening states in a sentence ("minutes of the meeting held
    on …"), which front matter does not read; a date only guessed from the periods reported is
    not a meeting date."""
    estimate = estimate_meeting_date(document.text())
    return estimate.when if estimate and estimate.confidence >= STATED_CONFIDENCE else None


def document_authority(document: Document, typed: Context, on: date | None) -> str | None:
    """The authority a specific parser reads from the document itself (an Ofsted report's
    title), which is surer than names found anywhere in its text; else the register's
    best match in the opening pages, then in the whole text, as the register stood ``on``
    the meeting date (a name shared across a reorganisation goes by date)."""
    for parser in registry.applicable(document, typed):
        code = parser.authority(document)
        if code:
            return code
    register = load_register()
    found = register.detect(document.text()[:FRONT_TEXT], on) or register.detect(document.text(), on)
    return found.code if found else None
