"""Tables a reader flattened to text, rebuilt as tables.

A PDF without ruling (a benchmark sheet, a KPI grid) often reaches us as lines of text:
a header line ending in three or more periods ("Local authority Code 2014 2015 2016"),
maybe a line of column codes ("CIN 1 CIN 2 CIN 3"), then one line per row: a label (a
name, perhaps its code) and as many values as there are periods. Rows may also run on in
one paragraph. Such a run becomes a Table whose first row is the header; column codes are
labels, never values, and are dropped. Anything that does not fit exactly stays prose.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

import regex

from ..schemas.periods import parse_period
from .glued import unglue
from .model import Block, Paragraph, Table

MIN_COLUMNS = 3
MIN_ROWS = 2
VALUE_TOKEN = regex.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
MISSING_TOKEN = regex.compile(r"^(?:-|–|x|c|\.\.|:|n/a|\*|low)$", regex.I)
PERIOD_KINDS = ("year", "fy", "month", "quarter", "date")


def _is_value(token: str) -> bool:
    return bool(VALUE_TOKEN.match(token) or MISSING_TOKEN.match(token))


def _header(tokens: list[str], ref: date | None) -> tuple[list[str], list[str], list[str]] | None:
    """(caption, period headers, the tokens after them) for the first run of period columns."""
    start = 0
    while start < len(tokens):
        k = 0
        while start + k < len(tokens) and _is_period(tokens[start + k], ref):
            k += 1
        if k >= MIN_COLUMNS:
            return tokens[:start], tokens[start:start + k], tokens[start + k:]
        start += k + 1
    return None


def _is_period(token: str, ref: date | None) -> bool:
    found = parse_period(token, ref)
    return found is not None and found.kind in PERIOD_KINDS


def _code_row(tokens: list[str], k: int) -> bool:
    """'CIN 1 CIN 2 CIN 3': one word with a running number, once per column."""
    if len(tokens) != 2 * k:
        return False
    words, numbers = tokens[0::2], tokens[1::2]
    return len(set(words)) == 1 and not _is_value(words[0]) and all(n.isdigit() for n in numbers)


def _rows(tokens: list[str], k: int) -> list[list[str]] | None:
    """Rows of a label and ``k`` values that use up every token, or None."""
    rows, label = [], []
    i = 0
    while i < len(tokens):
        if label and _is_value(tokens[i]):
            values = tokens[i:i + k]
            if len(values) < k or not all(_is_value(v) for v in values) or not regex.search(r"[^\W\d_]", " ".join(label)):
                return None
            rows.append([" ".join(label), *("" if MISSING_TOKEN.match(v) else v for v in values)])
            label, i = [], i + k
            continue
        label.append(tokens[i])
        i += 1
    return rows if rows and not label else None


def rebuild(blocks: Iterable[Block], ref: date | None) -> Iterator[Block]:
    """The blocks, with each flattened table (header paragraph, rows in the paragraphs after
    it) given back as one Table, and the tables whose cells ran together (extract/glued.py)."""
    pending: list[Block] = []
    head: tuple[list[str], list[str]] | None = None
    rows: list[list[str]] = []

    def flush() -> Iterator[Block]:
        nonlocal pending, head, rows
        if head is not None and len(rows) >= MIN_ROWS:
            first = pending[0]
            caption, periods = head
            yield Table([[" ".join(caption), *periods], *rows], first.page_number, first.bbox)
        else:
            yield from pending
        pending, head, rows = [], None, []

    for block in unglue(blocks):
        tokens = block.text.split() if isinstance(block, Paragraph) else []
        if head is not None and tokens:
            more = _body(tokens, len(head[1]))
            if more is not None:
                pending.append(block)
                rows += more
                continue
        yield from flush()
        found = _header(tokens, ref) if tokens else None
        body = _body(found[2], len(found[1])) if found else None
        if found is None or body is None:
            yield block
            continue
        head, pending, rows = (found[0], found[1]), [block], body
    yield from flush()


def _body(tokens: list[str], k: int) -> list[list[str]] | None:
    """The rows these tokens hold (none for a line of column codes), or None when they are no rows."""
    if not tokens:
        return []
    if _code_row(tokens[:2 * k], k):
        tokens = tokens[2 * k:]
        if not tokens:
            return []
    return _rows(tokens, k)
