"""Tables a reader flattened to text, rebuilt as tables.

A PDF without ruling (a benchmark sheet, a KPI grid) often reaches us as lines of text:
a header line ending in three or more periods ("Local authority Code 2014 2015 2016"),
maybe a line of column codes ("CIN 1 CIN 2 CIN 3", "CIN1 CIN2", as many as the periods or
more), then one line per row: a label (a name, perhaps a row code before it and its area's
code after it, GSS or, under a "Code" header, DfE's three digits) and as many values as
there are periods. Rows may also run on in one paragraph. Such a run becomes a Table whose
first row is the header; column codes are labels, never values, and are dropped. Anything
that does not fit exactly stays prose.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Iterable, Iterator

import regex

from ..schemas.lang import pattern
from ..schemas.periods import parse_period
from .glued import unglue
from .model import Block, Paragraph, Table
from .tables import CODE_WORD

MIN_COLUMNS = 3
MIN_ROWS = 2
VALUE_TOKEN = regex.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
MISSING_TOKEN = regex.compile(r"^(?:-|–|x|c|\.\.|:|n/a|\*|low)$", regex.I)
PERIOD_KINDS = ("year", "fy", "month", "quarter", "date")
DFE_CODE = regex.compile(r"^\d{3}$")
CODE_TOKEN = regex.compile(r"^(?P<word>[A-Z]{2,6})(?P<n>\d{1,2})$")


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


@lru_cache(maxsize=1 << 16)  # every token of every paragraph is asked, the same words again and again
def _is_period(token: str, ref: date | None) -> bool:
    found = parse_period(token, ref)
    return found is not None and found.kind in PERIOD_KINDS


def _codes(tokens: list[str]) -> int:
    """How many tokens at the start are a run of column codes ("CIN 1 CIN 2 CIN 3" or
    "CIN1 CIN2 CIN3": one word with a running number from 1); 0 for fewer than three codes."""
    i, word, number = 0, None, 1
    while i < len(tokens):
        glued = CODE_TOKEN.match(tokens[i])
        if glued:
            name, n, step = glued["word"], glued["n"], 1
        elif i + 1 < len(tokens) and CODE_WORD.match(tokens[i]):
            name, n, step = tokens[i], tokens[i + 1], 2
        else:
            break
        if n != str(number) or word not in (None, name):
            break
        word, number, i = name, number + 1, i + step
    return i if number - 1 >= MIN_COLUMNS else 0


def _rows(tokens: list[str], k: int, coded: bool = False) -> list[list[str]] | None:
    """Rows of a label and ``k`` values that use up every token, or None. In a sheet with a
    code column (``coded``), a three-digit number before a row's values is its area's code
    and stays in the label."""
    rows, label = [], []
    i = 0
    while i < len(tokens):
        if label and _is_value(tokens[i]) and not _row_code(label, tokens, i) and not (coded and _area_code(tokens, i, k)):
            values = tokens[i:i + k]
            if len(values) < k or not all(_is_value(v) for v in values) or not regex.search(r"[^\W\d_]", " ".join(label)):
                return None
            rows.append([" ".join(label), *("" if MISSING_TOKEN.match(v) else v for v in values)])
            label, i = [], i + k
            continue
        label.append(tokens[i])
        i += 1
    return rows if rows and not label else None


def _row_code(label: list[str], tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` numbers the row within its code ("CIN 3 Sunderland ..."): a
    small number after a code word that opens the label, with a name after it."""
    return (len(label) == 1 and bool(CODE_WORD.match(label[0])) and tokens[i].isdigit() and len(tokens[i]) <= 2
            and i + 1 < len(tokens) and not _is_value(tokens[i + 1]))


def _area_code(tokens: list[str], i: int, k: int) -> bool:
    """Whether ``tokens[i]`` is a three-digit area code followed by the row's ``k`` values."""
    values = tokens[i + 1:i + 1 + k]
    return (bool(DFE_CODE.match(tokens[i])) and len(values) == k and all(_is_value(v) for v in values)
            and not (i + 1 + k < len(tokens) and _is_value(tokens[i + 1 + k])))


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
            more = _body(tokens, len(head[1]), _coded(head[0]))
            if more is not None:
                pending.append(block)
                rows += more
                continue
        yield from flush()
        found = _header(tokens, ref) if tokens else None
        body = _body(found[2], len(found[1]), _coded(found[0])) if found else None
        if found is None or body is None:
            yield block
            continue
        head, pending, rows = (found[0], found[1]), [block], body
    yield from flush()


def _body(tokens: list[str], k: int, coded: bool) -> list[list[str]] | None:
    """The rows these tokens hold (none for a line of column codes), or None when they are no rows."""
    tokens = tokens[_codes(tokens):]
    return _rows(tokens, k, coded) if tokens else []


def _coded(caption: list[str]) -> bool:
    """Whether the header's caption names a column of area codes."""
    return bool(pattern("tables", "code_column").search(" ".join(caption)))
