"""What query commands print: a terminal table fitted to the width, or the records as CSV or JSON.

A ``Listing`` holds a command's records (plain dicts) and the columns the terminal shows of
them. ``write`` prints listings in one of ``FORMATS``: ``table`` fits each listing to the
terminal (codes, dates and numbers are never split: long names become numbered footnotes,
optional columns are dropped and text wraps at spaces as width runs out; a column blank in
every row is left out);
``csv`` and ``json`` write every record, one per row, with all its keys. Nothing here imports
rich or the database, so commands that only print start quickly.
"""
from __future__ import annotations

import csv
import json
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

FORMATS = ("table", "csv", "json")
GAP = "  "  # between columns
INDENT = "    "  # a folded field under its row
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # escape codes in file names must not reach the terminal
MIN_PROSE = 20  # narrowest a column of running text is wrapped to


@dataclass(frozen=True)
class Column:
    """One terminal column of a listing.

    ``kind`` says how it may give way: ``fixed`` is never cut (codes, dates, numbers, qualifiers),
    ``words`` wraps at spaces only (names), ``name`` is whole or moves to a numbered footnote
    (file names, document names), ``prose`` wraps anywhere needed (evidence, reasons). Columns
    with a ``drop`` above 0 are left out on narrow terminals, the highest first; a dropped column
    that ``folds`` is shown under its row instead ("breakdown: experienced").
    """
    key: str
    header: str = ""
    kind: str = "fixed"
    drop: int = 0
    folds: bool = False
    shown: Callable[[dict[str, Any]], Any] | None = None  # the terminal text, when not the record's value

    def __post_init__(self) -> None:
        if not self.header:
            object.__setattr__(self, "header", self.key)

    def text(self, record: dict[str, Any]) -> str:
        return cell(self.shown(record) if self.shown else record.get(self.key))


@dataclass
class Listing:
    """A titled set of records and the columns the terminal shows; ``fold`` is a key shown under each row.
    ``data`` says whether its records are part of the command's CSV and JSON (not a summary beside them)."""
    title: str
    columns: Sequence[Column]
    records: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    fold: str | None = None
    data: bool = True


def cell(value: Any) -> str:
    """A value as terminal text on one line: blank for None, ISO dates, up to 4 decimals, line breaks and
    tabs as spaces, other control characters (escape codes among them) written as escapes, not sent raw."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    text = " ".join(str(value).split()) if isinstance(value, str) and not value.isprintable() else str(value)
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def width() -> int:
    """The terminal's width: $COLUMNS, else the terminal's own, else 80."""
    return shutil.get_terminal_size((80, 24)).columns


# ------------------------------------------------------------------ fitting a table to a width

@dataclass
class _Plan:
    columns: list[Column]
    widths: list[int]
    footnoted: bool


def _natural(column: Column, texts: list[str], footnoted: bool) -> tuple[int, int]:
    """(natural, narrowest) width of a column, header included."""
    if column.kind == "name" and footnoted:
        texts = [f"[{i}]" for i in range(1, len(set(texts) - {""}) + 1)]
    longest = max((len(t) for t in texts), default=0)
    header_words = max((len(w) for w in column.header.split()), default=0)
    natural = max(longest, len(column.header))
    if column.kind == "words":
        narrow = max([header_words, *(len(w) for t in texts for w in t.split())])
    elif column.kind == "prose":
        narrow = max(header_words, min(natural, MIN_PROSE))
    else:
        narrow = max(longest, header_words)
    return natural, narrow


def _fit(columns: Sequence[Column], texts: dict[str, list[str]], room: int) -> _Plan:
    """The columns and widths that fit ``room``: all columns with whole names if they fit, then
    footnoted names, then without the most droppable columns, and so on; the narrowest plan otherwise."""
    levels = sorted({c.drop for c in columns if c.drop}, reverse=True)
    plan = None
    for cut in [None, *levels]:
        kept = [c for c in columns if not c.drop or cut is None or c.drop < cut]
        for footnoted in (False, True):
            sizes = [_natural(c, texts[c.key], footnoted) for c in kept]
            overhead = len(GAP) * (len(kept) - 1)
            plan = _Plan(kept, [n for n, _ in sizes], footnoted)
            if sum(n for _, n in sizes) + overhead <= room:
                _shrink(plan, [n for _, n in sizes], room - overhead)
                return plan
    assert plan is not None
    plan.widths = [_natural(c, texts[c.key], True)[1] for c in plan.columns]
    return plan


def _shrink(plan: _Plan, narrowest: list[int], room: int) -> None:
    """Narrow the widest wrappable columns, one character at a time, until the widths fit ``room``."""
    while sum(plan.widths) > room:
        flexible = [i for i, w in enumerate(plan.widths) if w > narrowest[i]]
        widest = max(flexible, key=lambda i: plan.widths[i])
        plan.widths[widest] -= 1


def _wrap(text: str, size: int, kind: str) -> list[str]:
    if len(text) <= size or kind in ("fixed", "name"):
        return [text]
    return textwrap.wrap(text, size, break_long_words=kind == "prose", break_on_hyphens=False) or [""]


def _lines(listing: Listing, room: int) -> list[str]:
    texts = {c.key: [c.text(r) for r in listing.records] for c in listing.columns}
    shown = [c for c in listing.columns if any(texts[c.key]) or not listing.records]  # no blank columns
    plan = _fit(shown, texts, room)
    notes: dict[str, int] = {}
    if plan.footnoted:
        for column in plan.columns:
            if column.kind == "name":
                for text in texts[column.key]:
                    if text:
                        notes.setdefault(text, len(notes) + 1)
    folded = [c for c in shown if c.folds and c not in plan.columns]
    out = [_row([c.header for c in plan.columns], plan, ["words"] * len(plan.columns))]
    out.append(GAP.join("─" * w for w in plan.widths))
    kinds = [c.kind for c in plan.columns]
    for i, record in enumerate(listing.records):
        values = [f"[{notes[t]}]" if c.kind == "name" and plan.footnoted and (t := texts[c.key][i]) else
                  texts[c.key][i] for c in plan.columns]
        out.append(_row(values, plan, kinds))
        under = "; ".join(f"{c.header}: {text}" for c in folded if (text := c.text(record)))
        for text in (under, cell(record.get(listing.fold)) if listing.fold else ""):
            out += textwrap.wrap(text, room, initial_indent=INDENT, subsequent_indent=INDENT, break_on_hyphens=False)
    if not listing.records:
        out.append("none")
    out += [line for text, n in notes.items() for line in _para(f"[{n}] {text}", room)]
    return out


def _row(values: list[str], plan: _Plan, kinds: list[str]) -> str:
    """One record (or the header) as lines: each cell wrapped to its width, cells padded."""
    cells = [_wrap(v, w, k) for v, w, k in zip(values, plan.widths, kinds)]
    height = max(len(c) for c in cells)
    lines = []
    for n in range(height):
        parts = [(c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, plan.widths)]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def _para(text: str, room: int) -> list[str]:
    return textwrap.wrap(text, room, break_on_hyphens=False) or [""]


def table_text(listing: Listing, room: int | None = None) -> str:
    """A listing as terminal lines, no line wider than ``room`` (the terminal's width by default)."""
    room = room or width()
    lines = [*_para(listing.title, room), *_lines(listing, room)]
    lines += [line for note in listing.notes for line in _para(note, room)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ machine formats

def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def records_csv(records: Iterable[dict[str, Any]], handle: TextIO, keys: Sequence[str] = ()) -> None:
    """Records as CSV, the header the union of their keys in first-seen order (``keys`` when there are none)."""
    records = list(records)
    keys = list(dict.fromkeys(key for record in records for key in record)) or list(keys)
    writer = csv.DictWriter(handle, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _plain(v) for k, v in record.items()} for record in records)


def records_json(records: Iterable[dict[str, Any]], handle: TextIO) -> None:
    """Records as a JSON array of objects, dates in ISO form."""
    json.dump([{k: _plain(v) for k, v in r.items()} for r in records], handle, indent=2, ensure_ascii=False)
    handle.write("\n")


def write(listings: Listing | Sequence[Listing], fmt: str, handle: TextIO,
          records: list[dict[str, Any]] | None = None) -> None:
    """Print listings as terminal tables, or as CSV or JSON ``records`` (by default the records of
    every ``data`` listing)."""
    listings = [listings] if isinstance(listings, Listing) else list(listings)
    if fmt == "table":
        handle.write("\n".join(table_text(listing) for listing in listings))
        return
    data = [listing for listing in listings if listing.data]
    rows = records if records is not None else [r for listing in data for r in listing.records]
    if fmt == "csv":
        records_csv(rows, handle, list(dict.fromkeys(c.key for listing in data for c in listing.columns)))
    else:
        records_json(rows, handle)
