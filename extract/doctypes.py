"""What a document is, read from its own opening text before any parser runs.

Ofsted's publications on local authority children's services are told apart by their
titles: full inspections (ILACS from 2018, the single inspection framework SIF of
2013–2018, and the frameworks before it), focused and monitoring visit letters, joint
targeted area inspection (JTAI) letters and area SEND inspections. Council papers are
committee reports or minutes. Whichever kind's cue comes first in the opening wins, so
a committee report about an inspection stays a committee report.

An inspection or visit also carries its dates (from "Inspection dates: ..." or "... visit
to X children's services on 5 and 6 November 2019"), its theme where stated ("Inspectors
looked at the local authority's arrangements for care leavers") and the authority its
title names. A web error page saved as a report is recognised too, so that ingest can
name it as a failure rather than store it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import regex

from ..schemas.periods import DAY, SPAN, dates_in
from .errors import ReadError
from .model import Block, Document, Table

OPENING_PAGES = 3
OPENING_CHARS = 3000  # where a document's title, dates and theme are

INSPECTION = "ofsted-inspection"
DOC_TYPES: dict[str, str] = {
    INSPECTION: "Ofsted full inspection of local authority children's services (ILACS, SIF or older)",
    "ofsted-focused-visit": "Ofsted focused visit letter",
    "ofsted-monitoring-visit": "Ofsted monitoring visit letter",
    "ofsted-jtai": "joint targeted area inspection (JTAI) letter",
    "ofsted-send": "area SEND inspection",
    "committee-report": "council committee report",
    "minutes": "minutes of a meeting",
    "error-page": "a web error page saved in place of a report",
}
OLDER_NOTE = ("a framework before the single inspection framework (November 2013): its judgements "
              "(outstanding, good, adequate, inadequate) are not on the current scale, so none is stored")

NAME = r"(?P<name>[^|]{3,100}?)"
LEAD = r"\A\s*(?:\d{1,3}\s+)?"  # the opening, after a page number
# (doc type, framework, pattern): the cue of each kind, as its title or opening words put it.
CUES: tuple[tuple[str, str | None, str], ...] = (
    ("error-page", None, r"\A\s*(?:report|page|document|file)\s+not\s+found\b|\A\s*(?:404|403)\b"
                         r"|\A\s*sorry,?\s+the\s+(?:page|document)\s+you\s+requested"),
    (INSPECTION, "sif", LEAD + NAME + r"\s+(?P<cue>(?-i:(?:Re-\s?)?inspection|Inspection))\s+of\s+services\s+for\s+"
                        r"children\s+in\s+need"),
    (INSPECTION, "ilacs", LEAD + NAME + r"\s+(?P<cue>(?-i:Inspection))\s+of\s+(?:local\s+authority\s+)?children's\s+"
                          r"(?:social\s+care\s+)?services\b"),
    (INSPECTION, "ilacs", r"(?:^|\n)(?-i:Inspection)\s+of\s+(?!local\s+authority\b)" + NAME
                          + r"\s+(?i:local\s+authority\s+)?(?i:children's\s+services)"),
    (INSPECTION, "older", r"(?:^|\n)(?-i:Inspection)\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:'s)?\s+"
                          r"services\s+" + NAME + r"\s+Inspection\s+dates?"),
    (INSPECTION, "older", r"(?:^|\n)(?-i:Inspection)\s+of\s+(?:safeguarding\s+and\s+)?looked\s+after\s+children(?:'s)?\s+"
                          r"services\b"),
    (INSPECTION, "older", r"(?:^|\n)(?:Ofsted\s+)?(?-i:Unannounced\s+inspection|unannounced\s+inspection|Inspection)\s+of\s+"
                          r"(?:local\s+authority\s+arrangements\s+for\s+the\s+protection\s+of\s+children"
                          r"|contact,\s+referral\s+and\s+assessment\s+arrangements)\b"),
    (INSPECTION, "older", r"(?:^|\n)(?-i:Joint\s+area\s+review)\b"),
    ("ofsted-jtai", None, r"\b(?i:joint\s+targeted\s+area\s+inspection)\b"),
    ("ofsted-send", None, r"\b(?i:(?:joint\s+|local\s+)?area\s+(?-i:SEND)\s+(?:re-?)?(?:inspection|revisit))\b"),
    ("ofsted-focused-visit", None, r"(?:^|\n|\s)(?-i:Focused)\s+visit\s+to\s+" + NAME
                                   + r"(?:'s)?\s+(?:local\s+authority\s+)?(?i:children's\s+services)"),
    ("ofsted-focused-visit", None, r"findings\s+of\s+(?:a|the)\s+focused\s+visit\b"),
    ("ofsted-monitoring-visit", None, r"(?:^|\n|\s)(?-i:Monitoring)\s+visit\s+(?:to|of)\s+" + NAME
                                      + r"(?:'s)?\s+(?:local\s+authority\s+)?(?i:children's\s+services)"),
    ("ofsted-monitoring-visit", None, r"findings\s+of\s+(?:a|the)\s+monitoring\s+visit\b"),
    ("minutes", None, r"(?:^|\n)\s*(?i:minutes)\b|\bminutes\s+of\s+(?:the|a)\s+(?:\w+\s+){0,3}meeting\b"),
    ("committee-report", None, r"(?:^|\n)\s*(?:report\s+(?:to|of|title|author|by)\b|purpose\s+of\s+(?:the\s+)?report"
                               r"|recommendations?\b|agenda\s+item\b|contact\s+officer|reason\s+for\s+(?:the\s+)?(?:item|report)"
                               r"|(?:the\s+)?purpose\s+of\s+(?:this|the)\s+(?:report|paper)|wards?\s+affected|key\s+decision"
                               r"|(?:meeting|decision)\s+date\b|summary\s+of\s+report)"),
)
CUE_RES = tuple((kind, framework, regex.compile(pattern, regex.I)) for kind, framework, pattern in CUES)

DATE_PHRASES = (
    regex.compile(rf"Inspection\s+dates?\s*[:|]?\s*(?P<span>{SPAN})", regex.I),
    regex.compile(rf"\b(?:visit|inspection)\s+(?:to|of)\b[^.|]{{0,160}}?\s(?:on|between|from)\s+(?:the\s+)?(?P<span>{SPAN})",
                  regex.I),
    regex.compile(rf"\b(?:between|from)\s+(?:the\s+)?(?P<span>{SPAN})", regex.I),
)
PUBLISHED_RE = regex.compile(rf"(?:Report\s+)?published\s*:?\s*(?P<span>{DAY})", regex.I)
THEME_RES = (
    regex.compile(r"Inspectors\s+(?:looked\s+at|reviewed|considered|evaluated|focused\s+on)\s+the\s+local\s+authority's\s+"
                  r"(?:arrangements|progress|work)\s+(?:for|in|to)\s+(?P<theme>[^.]{3,300})\.", regex.I),
    regex.compile(r"(?:The|This)\s+visit\s+(?:looked\s+at|considered|focused\s+on)\s+(?P<theme>[^.]{3,300})\.", regex.I),
    regex.compile(r"joint\s+(?:targeted\s+area\s+)?inspection\s+of\s+(?P<theme>the\s+multi-agency\s+response\s+to\s+[^.|\n]{3,200})",
                  regex.I),
)


@dataclass(frozen=True)
class DocKind:
    """A document's type (a ``DOC_TYPES`` id, or None when its opening names none), with,
    for an inspection or visit, its framework, the authority its title names, its first
    and last day, its theme, and a note on why no judgement is stored where none is."""
    doc_type: str | None
    framework: str | None = None
    authority_name: str | None = None
    first_day: date | None = None
    last_day: date | None = None
    theme: str | None = None
    note: str | None = None

    @property
    def is_event(self) -> bool:
        """An inspection or visit of an authority, with a place in its history."""
        return bool(self.doc_type and self.doc_type.startswith("ofsted-"))

    @property
    def graded(self) -> bool:
        """A full inspection of a framework whose judgements are on the current scale."""
        return self.doc_type == INSPECTION and self.framework in ("ilacs", "sif")


def normalise(text: str) -> str:
    """One line of plain text: straight apostrophes, "children ’ s" closed up, spaces collapsed."""
    text = regex.sub(r"\s*[’‘`']\s*s\b", "'s", text)
    return " ".join(text.split())


def block_lines(document: Document, pages: int = OPENING_PAGES) -> Iterator[tuple[str, Block]]:
    """Each line of the first ``pages`` pages with its block: a paragraph or heading is a line,
    a table row is one with its cells joined by " | "; text normalised."""
    for page in document.pages[:pages]:
        for block in page.blocks:
            rows = ([" | ".join(c for c in row if c.strip()) for row in block.rows]
                    if isinstance(block, Table) else [block.text])
            for row in rows:
                yield normalise(row), block


def opening(document: Document, chars: int = OPENING_CHARS) -> str:
    """The document's first characters, a line each as ``block_lines`` gives them."""
    return "\n".join(line for line, _ in block_lines(document) if line)[:chars]


def classify(document: Document) -> DocKind:
    """The document's kind from its opening (never raises; see ``document_type``)."""
    return classify_text(opening(document), document.title)


def document_type(document: Document) -> DocKind:
    """``classify``, but an error page saved in place of a report raises ReadError naming it."""
    kind = classify(document)
    if kind.doc_type == "error-page":
        raise ReadError(document.path, "not a report", f"an error page: {kind.note}")
    return kind


def classify_text(text: str, title: str | None = None) -> DocKind:
    """The kind whose cue comes first in ``text``; a page ``title`` can only mark an error page."""
    if title and CUE_RES[0][2].search(normalise(title)):
        return DocKind("error-page", note=normalise(title)[:120])
    found = [(_position(m), order, kind, framework, m) for order, (kind, framework, cue) in enumerate(CUE_RES)
             if (m := cue.search(text))]
    if not found:
        return DocKind(None)
    _, _, kind, framework, match = min(found, key=lambda f: (f[0], f[1]))
    if kind == "error-page":
        return DocKind(kind, note=" ".join(text[match.start():].split("\n", 1)[0].split())[:120])
    if kind in ("committee-report", "minutes"):
        return DocKind(kind)
    name = match.groupdict().get("name")
    first, last = event_dates(text[match.start():], inspection=kind == INSPECTION)
    return DocKind(kind, framework, " ".join(name.split()) if name else None, first, last,
                   None if kind == INSPECTION else theme(text),
                   OLDER_NOTE if framework == "older" else None)


def _position(match: regex.Match) -> int:
    """Where a cue is: its title phrase where the pattern marks one (a name may come before it)."""
    return match.start("cue") if "cue" in match.groupdict() else match.start()


def event_dates(text: str, inspection: bool = True) -> tuple[date | None, date | None]:
    """First and last day of an inspection from "Inspection dates: 5 to 9 December 2022 and
    14 to 15 February 2023" (both stretches), or with ``inspection`` False of a visit or
    joint inspection from its letter's "visit to X on 5 and 6 November 2019" too.
    (None, None) when no dates are stated."""
    for phrase in DATE_PHRASES if not inspection else DATE_PHRASES[:1]:
        m = phrase.search(text)
        days = dates_in(m["span"]) if m else []
        if days:
            return days[0], days[-1]
    return None, None


def published(text: str) -> date | None:
    """The publication date a report states ("Report published: 5 April 2016"), if any."""
    m = PUBLISHED_RE.search(text)
    days = dates_in(m["span"]) if m else []
    return days[-1] if days else None


def theme(text: str) -> str | None:
    """What a visit or joint inspection looked at, where its letter says so."""
    for pattern in THEME_RES:
        m = pattern.search(text)
        if m:
            return " ".join(m["theme"].replace("|", " ").split())
    return None
