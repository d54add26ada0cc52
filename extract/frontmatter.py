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
from functools import lru_cache

from ..schemas.periods import find_periods, meeting_words, month_end, parse_date
from .model import Block, Document, Heading, Table

FRONT_BLOCKS = 40   # blocks read as front matter
TOP_BLOCKS = 6      # a lone date this near the top is the meeting date
NEAR_COMMITTEE = 3  # ... or this near the committee's name
MAX_LINE = 120      # longer texts are sentences, not front-matter lines

WEEKDAY = re.compile(r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)", re.I)
WEEKDAY_END = re.compile(r"[\s,–-]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)$", re.I)
DATE_LABEL = re.compile(r"^\s*(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|date\s+of\s+(?:committee|panel|board)|date)\s*:?\s*", re.I)
COMMITTEE_LABEL = re.compile(r"^\s*(?:committee|meeting|report\s+to|decision[- ]maker|name\s+of\s+(?:committee|meeting))\s*:?\s*$", re.I)
TITLE_LABEL = re.compile(r"^\s*(?:report\s+title|title\s+of\s+(?:the\s+)?report|title|subject|report\s+subject)\s*:?\s*", re.I)
COMMITTEE = re.compile(r"\b(?:Committee|Sub-Committee|Panel|Board|Cabinet|Council|Forum|Commission|Scrutiny)$")


@dataclass
class FrontMatter:
    meeting_date: date | None = None
    committee: str | None = None
    title: str | None = None


def lone_date(text: str) -> date | None:
    """The date when ``text`` is nothing but a date (a weekday and punctuation allowed)."""
    stripped = WEEKDAY.sub("", text.strip(" *.,:;()"))
    found = find_periods(stripped, None)
    if len(found) == 1 and found[0].kind == "date" and found[0].text == stripped:
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


@dataclass(frozen=True)
class DateEstimate:
    """A meeting date the paper does not state, read from its text; ``confidence`` says how
    sure it is (a date stated in the minutes' own heading is near certain, a guess from the
    periods reported is not)."""
    when: date
    confidence: float
    basis: str


HEADING_CHARS = 400   # the minutes' own "held on <date>" stands this near the start
CUE_CHARS = 40        # cue words this far before a date, in its clause, say how it stands to the meeting
CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n")
STATED_CONFIDENCE = 0.9
GUESSED_CONFIDENCE = 0.5
BOUND_CONFIDENCE = 0.3  # only a date the paper compares with ("since November 2021"): it is later than that
LONG_SPANS = ("fy", "academic", "calendar", "term")  # may be under way: only its start is surely past


def _clause_before(text: str, begin: int) -> str:
    """The words before ``begin`` in its own clause, where a cue to a date stands."""
    return CLAUSE_END.split(text[max(0, begin - CUE_CHARS):begin])[-1]


@lru_cache(maxsize=2)  # classify and the generic parser both ask, of the same text
def estimate_meeting_date(text: str) -> DateEstimate | None:
    """The meeting date of a paper that does not state it in its front matter: the date its
    opening says the meeting was held on, else the latest month it reports on — after every
    date it compares with and every month it names without a year — else None. When the
    latest date is one it compares with, the paper is only known to be later: a weaker guess."""
    cues = meeting_words()
    for found in find_periods(text[:HEADING_CHARS], None):
        line = text[:found.begin].rsplit("\n", 1)[-1]
        before = text[max(0, found.begin - CUE_CHARS * 3):found.begin]
        own = cues["own_minutes"].search(before) and not cues["previous_minutes"].search(before)
        beside_committee = COMMITTEE.search(WEEKDAY_END.sub("", line).rstrip(" -–,:|*"))
        if found.kind == "date" and (own or beside_committee) and (when := parse_date(found.text)):
            return DateEstimate(when, STATED_CONFIDENCE, "the date the paper's opening gives its meeting")
    reported, earlier = [], []
    for found in find_periods(text, None):
        before = _clause_before(text, found.begin)
        if found.kind == "year" or cues["later"].search(before):
            continue  # a bare year may be an Act's; a deadline or the next meeting may be after this one
        seen = found.start if found.kind in LONG_SPANS else found.end
        compared = found.kind not in ("span", "months") and cues["earlier"].search(before)
        (earlier if compared else reported).append(seen)
    if not reported and not earlier:
        return None
    after = max(earlier, default=date.min)
    if after > date.min:  # months without a year: the first such month after the compared dates
        for found in find_periods(text, after):
            before = _clause_before(text, found.begin)
            if found.kind == "month" and not any(c.isdigit() for c in found.text) \
                    and not (cues["later"].search(before) or cues["earlier"].search(before)):
                year = after.year if found.end.month > after.month else after.year + 1
                reported.append(month_end(year, found.end.month))
    latest = max(reported + earlier)
    if latest > max(reported, default=date.min):
        return DateEstimate(latest, BOUND_CONFIDENCE, "after the latest date the paper compares with")
    return DateEstimate(latest, GUESSED_CONFIDENCE, "the latest period the paper reports on")
