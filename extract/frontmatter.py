"""Meeting date, committee and title from a paper's front matter, without guessing.

Only the opening blocks are read. A meeting date comes from a labelled field
("Date of meeting: 14 November 2024") or from a date standing on its own line at
the top of the paper or beside the committee's name; dates inside sentences are
never taken, so a paper that does not state its meeting date gets None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Block, Document, Heading, Table

FRONT_BLOCKS = 40   # blocks read as front matter
TOP_BLOCKS = 6      # a lone date this near the top is the meeting date
NEAR_COMMITTEE = 3  # ... or this near the committee's name
MAX_LINE = 120      # longer texts are sentences, not front-matter lines

MONTHS = {name: i for i, names in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"], 1)
    for name in names.split()}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE_PATTERNS = (
    re.compile(rf"{_WEEKDAY}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(rf"{_WEEKDAY}(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<d>\d{1,2})[/.](?P<mn>\d{1,2})[/.](?P<y>(?:19|20)\d\d)"),
)
DATE_LABEL = re.compile(r"^\s*(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|date\s+of\s+(?:committee|panel|board)|date)\s*:?\s*", re.I)
COMMITTEE_LABEL = re.compile(r"^\s*(?:committee|meeting|report\s+to|decision[- ]maker|name\s+of\s+(?:committee|meeting))\s*:?\s*$", re.I)
TITLE_LABEL = re.compile(r"^\s*(?:report\s+title|title\s+of\s+(?:the\s+)?report|title|subject|report\s+subject)\s*:?\s*", re.I)
COMMITTEE = re.compile(r"\b(?:Committee|Sub-Committee|Panel|Board|Cabinet|Council|Forum|Commission|Scrutiny)$")


@dataclass
class FrontMatter:
    meeting_date: date | None = None
    committee: str | None = None
    title: str | None = None


def parse_date(text: str) -> date | None:
    """The first valid calendar date written in ``text``."""
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = int(m["mn"]) if "mn" in m.groupdict() else MONTHS[m["m"].lower()]
            try:
                return date(int(m["y"]), month, int(m["d"]))
            except ValueError:
                continue
    return None


def lone_date(text: str) -> date | None:
    """The date when ``text`` is nothing but a date (a weekday and punctuation allowed)."""
    stripped = text.strip(" *.,:;()")
    for pattern in DATE_PATTERNS:
        m = pattern.fullmatch(stripped)
        if m:
            return parse_date(stripped)
    return None


def _fields(blocks: list[Block]) -> list[tuple[int, str, str]]:
    """(block index, label, value) for every two-cell table row and "Label: value" line."""
    out = []
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            out.extend((i, row[0], " ".join(c for c in row[1:] if c)) for row in block.rows if len(row) > 1)
        elif ":" in block.text and len(block.text) <= MAX_LINE * 2:
            label, value = block.text.split(":", 1)
            out.append((i, label + ":", value))
    return out


def _labelled(fields: list[tuple[int, str, str]], label: re.Pattern) -> tuple[int, str] | None:
    for i, name, value in fields:
        if label.fullmatch(name.strip()) or (label.match(name) and not label.sub("", name).strip(" :")):
            if value.strip():
                return i, value.strip()
    return None


def is_committee(text: str) -> bool:
    """A name such as "Children, Young People and Families Scrutiny Panel": capitalised words
    ending in a committee word, not a sentence mentioning one."""
    text = text.strip(" *:")
    if text.isupper():
        text = text.title()
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    capitalised = sum(w[0].isupper() for w in words)
    return bool(COMMITTEE.search(text)) and capitalised >= 0.75 * len(words)


def _is_line(block: Block) -> bool:
    return not isinstance(block, Table) and len(block.text) <= MAX_LINE and not block.text.endswith(".")


def _committee(blocks: list[Block], fields) -> tuple[int | None, str | None]:
    found = _labelled(fields, COMMITTEE_LABEL)
    if found:
        return found
    for i, block in enumerate(blocks):
        if _is_line(block) and is_committee(block.text):
            return i, block.text.strip(" *:")
    return None, None


def _meeting_date(blocks: list[Block], fields, committee_at: int | None) -> date | None:
    found = _labelled(fields, DATE_LABEL)
    if found and parse_date(found[1]):
        return parse_date(found[1])
    for i, block in enumerate(blocks):
        near = i < TOP_BLOCKS or (committee_at is not None and abs(i - committee_at) <= NEAR_COMMITTEE)
        if near and not isinstance(block, Table) and (when := lone_date(block.text)):
            return when
    return None


def _title(blocks: list[Block], fields, committee_at: int | None) -> str | None:
    found = _labelled(fields, TITLE_LABEL)
    if found:
        return found[1]
    start = 0 if committee_at is None else committee_at + 1
    for block in blocks[start:]:
        if isinstance(block, Heading) and not lone_date(block.text) and not is_committee(block.text):
            return block.text.strip(" *:")
    return None


def front_matter(document: Document) -> FrontMatter:
    """Meeting date, committee and title stated at the front of ``document``."""
    blocks = []
    for block in document.blocks():
        blocks.append(block)
        if len(blocks) >= FRONT_BLOCKS:
            break
    fields = _fields(blocks)
    committee_at, committee = _committee(blocks, fields)
    return FrontMatter(_meeting_date(blocks, fields, committee_at), committee, _title(blocks, fields, committee_at))
