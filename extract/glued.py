"""Tables a web page flattened to text with their cells run together, rebuilt as tables.

Two shapes. A KPI grid: a header naming its columns ("Measure", "Unit", then value
columns such as "2023/24 Performance", "Current Target"), then per row a label, a unit
word and the row's values with nothing between them, then further cells (a date, a
frequency, a status, a comment). The values are split only where one split fits: every
value plausible for the row's indicator and, when several splits are plausible, the
columns the header names alike (two "... Performance" columns) agree. Otherwise the row
is left out. A target column without a period of its own is the target of the one period
the header names; when no column names a period and the header has a period column
("Period", "As at"), each row's values are for the period in the cell after them.

A list of areas: a lead-in ending in a colon that names a period ("The rates ... for
March 2023 were:"), then items of an area's name and its value ("England43.2"). Items
whose name is no known area ("Core cities") are left out.

The rows become a Table that extract/tables.py reads; a KPI grid's paragraph stays as
prose as well (after the Table, whose rows are read without the comments as context),
since its comments state figures of their own.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Iterator

import regex

from ..schemas.lang import pattern, words
from ..schemas.periods import find_periods, parse_period
from .model import Block, Paragraph, Table
from .tables import cell_area, choose_indicator

LANG = "tables"
NUMBER = regex.compile(r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?")
MIN_AREAS = 2  # named areas a list must have to be a list of areas
MAX_LABEL_WORDS = 30
MAX_DIGITS = 24  # longer glued runs have too many splits to trust
PERIOD_KINDS = ("month", "date", "fy", "year", "quarter")  # one point or one reporting period
UNIT_OF = {"percent_units": "percent", "rate_units": "rate_per_10k", "count_units": "count", "days_units": "days"}


@dataclass(frozen=True)
class Column:
    name: str
    target: bool
    measure: str  # the word that ends the name ("Performance")
    dated: bool   # the name states a period ("2023/24 Performance")
    earlier: bool  # "Previous ...", "Last year ...": another time than the current one


def unglue(blocks: Iterable[Block]) -> Iterator[Block]:
    """The blocks, with a KPI grid's glued rows added as a Table before its paragraph and a
    flattened list of areas given back as a Table."""
    lead = ""
    for block in blocks:
        if not isinstance(block, Paragraph):
            yield block
            continue
        listed = area_list(lead, block.text)
        if listed is not None:
            yield Table(listed, block.page_number, block.bbox)
        else:
            yield from (Table(rows, block.page_number, block.bbox) for rows in kpi_grid(block.text))
            yield block
        lead = block.text


def kpi_grid(text: str) -> list[list[list[str]]]:
    """The tables (header first) of a KPI grid whose cells ran together: one, or one per row
    when the columns name no period and each row states its own in a period column."""
    head = pattern(LANG, "kpi_header").search(text)
    if head is None:
        return []
    columns = _columns(head["values"])
    by_row = not any(c.dated for c in columns) and bool(pattern(LANG, "period_column_case").search(text, head.end("values"), head.end()))
    headers = _headers(columns)
    tables: list[list[list[str]]] = []
    start = head.end()
    for number, m in enumerate(pattern(LANG, "kpi_values").finditer(text, head.end()), 1):
        label = _label(text[start:m.start()], number, first=number == 1)
        start = m.end()
        unit = _unit(m["unit"])
        values = _split(m["digits"], columns, label, unit) if label and unit else None
        period = _row_period(text, m.end()) if by_row else ""
        if values is None or (by_row and not period):
            continue
        suffix = "%" if unit == "percent" else ""
        shown = f"{label} ({m['unit']})" if unit == "rate_per_10k" else label
        row = [shown, *(f"{v}{suffix}" for v in values)]
        if by_row:
            tables.append([["Measure", *(f"{h} {period}" for h in headers)], row])
        elif tables:
            tables[0].append(row)
        else:
            tables.append([["Measure", *headers], row])
    return tables


def _row_period(text: str, at: int) -> str:
    """The period a row states in the cell right after its values ("Mar 2023"), or ""."""
    cell = pattern(LANG, "row_period").match(text, at)
    found = parse_period(cell.group(0), None) if cell else None
    return found.text if found and found.kind in PERIOD_KINDS else ""


def _columns(names: str) -> list[Column]:
    found = [m.group(0).strip() for m in pattern(LANG, "value_column").finditer(names)]
    return [Column(n, bool(pattern(LANG, "target_column").search(n)), n.split()[-1].lower(),
                   bool(find_periods(n, None)), bool(pattern(LANG, "earlier_column").search(n))) for n in found]


def _headers(columns: list[Column]) -> list[str]:
    """The columns' names; a target without a period takes the one period the header names."""
    periods = {p.text for c in columns for p in find_periods(c.name, None)}
    only = periods.pop() if len(periods) == 1 else ""
    return [f"{c.name} {only}".strip() if c.target and only and not find_periods(c.name, None) else c.name
            for c in columns]


def _label(gap: str, number: int, first: bool) -> str:
    """A row's label: the end of the text since the last row, after its comment's last
    sentence and after the row's running number when it has one ("3Rate of ...")."""
    ends = list(pattern(LANG, "sentence_end_case").finditer(gap))
    tail = gap[ends[-1].end():] if ends else gap
    numbered = regex.search(rf"(?<![\w.,]){number}(?![\d.,])", tail)
    if not (numbered or ends or first):
        return ""  # the previous row's cells run on into this label: no telling where it starts
    label = (tail[numbered.end():] if numbered else tail).strip(" -–:")
    return label if 0 < len(label.split()) <= MAX_LABEL_WORDS and regex.search(r"[^\W\d_]", label) else ""


def _unit(word: str) -> str | None:
    """The unit a row's unit word gives its values."""
    said = " ".join(word.split()).lower()
    return next((unit for key, unit in UNIT_OF.items() if said in {w.lower() for w in words(LANG, key)}), None)


def _split(digits: str, columns: list[Column], label: str, unit: str) -> list[str] | None:
    """The row's values, one per column, when exactly one split of the glued digits fits."""
    if "%" in digits:
        parts = [p for p in digits.split("%") if p]
        return parts if len(parts) == len(columns) and all(NUMBER.fullmatch(p) for p in parts) else None
    places = {"row": label, "column": "", "headers": "", "heading": "", "paragraph": ""}
    indicator = choose_indicator(places, {unit})
    if indicator is None or len(digits) > MAX_DIGITS:
        return None
    fits = [s for s in _splits(digits, len(columns)) if all(indicator.plausible(float(v.replace(",", ""))) is None for v in s)]
    if len(fits) > 1:
        fits = [s for s in fits if _alike_agree(s, columns)]
    return fits[0] if len(fits) == 1 else None


def _splits(digits: str, k: int) -> Iterator[list[str]]:
    """Every way to cut ``digits`` into ``k`` well-formed numbers."""
    for cuts in combinations(range(1, len(digits)), k - 1):
        bounds = (0, *cuts, len(digits))
        parts = [digits[a:b] for a, b in zip(bounds, bounds[1:])]
        if all(NUMBER.fullmatch(p) for p in parts):
            yield parts


def _alike_agree(values: list[str], columns: list[Column]) -> bool:
    """Whether the columns the header names alike hold the same value: columns of one measure
    (not targets, not an earlier time), at most one of them dated ("2023/24 Performance",
    "Current Performance"). False when no columns are alike, which leaves nothing to tell
    splits apart."""
    groups: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        if not (column.target or column.earlier):
            groups.setdefault(column.measure, []).append(i)
    alike = [g for g in groups.values() if len(g) > 1 and sum(columns[i].dated for i in g) <= 1]
    return bool(alike) and all(len({values[i] for i in g}) == 1 for g in alike)


def area_list(lead: str, text: str) -> list[list[str]] | None:
    """The rows of a flattened list of areas and their values (header first), or None."""
    if not lead.rstrip().endswith(":"):
        return None
    items = list(pattern(LANG, "area_item").finditer(text))
    if not items or regex.sub(r"\s+", "", "".join(m.group(0) for m in items)) != regex.sub(r"\s+", "", text):
        return None
    if any(parse_period(m["value"], None) for m in items):
        return None  # "Kent 2019": years, not values
    sentence = _last_sentence(lead)
    periods = [p for p in find_periods(sentence, None) if p.kind in PERIOD_KINDS]
    rows = [[m["name"].strip(), m["value"] + (m["pct"] or "")] for m in items if cell_area(m["name"].strip())]
    if len(periods) != 1 or len(rows) < MIN_AREAS:
        return None
    caption = sentence
    if pattern(LANG, "rate_lead").search(caption) and not any(m["pct"] for m in items):
        caption += f" ({words(LANG, 'rate_units')[0]})"
    return [[" ".join(caption.split()), periods[0].text], *rows]


def _last_sentence(text: str) -> str:
    ends = list(pattern(LANG, "sentence_end_case").finditer(text))
    return text[ends[-1].end():] if ends else text
