"""Figures from tables.

Two shapes are read. Period columns: the header names a period and a measure per
column ("Caseload average July", "Range July"), each row is a breakdown ("ALL
CYPFS" and "Total" rows are the whole authority). Period rows: the first cell of
each row is a period ("February 2019 | 18.5%"), the indicator named by the header
or, failing that, by the heading and paragraph above the table. A range cell
("1-91") gives the ``_min`` and ``_max`` of the column's indicator.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

import regex

from ..schemas.periods import Period, find_periods
from ..schemas.vocabulary import Indicator, load_relations, load_vocabulary
from .subjects import phrasings

VALUE_RE = regex.compile(r"^(?P<v>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*(?P<u>%|FTE|fte|cases|days)?$")
RANGE_RE = regex.compile(r"^(?P<a>\d+(?:\.\d+)?)\s*[-–]\s*(?P<b>\d+(?:\.\d+)?)$")
WHOLE_RE = regex.compile(r"^(?:all\b|total\b|overall\b|whole\b|authority\b)", regex.I)
UNIT_OF_SUFFIX = {"%": {"percent"}, "fte": {"fte"}, "cases": {"cases"}, "days": {"days"}}
WEIGHTS = {"row": 3, "column": 3, "headers": 2, "heading": 2, "paragraph": 1}
VETO = 2  # an indicator's exclusion found in the caption or headings costs this much


@dataclass
class CellFigure:
    indicator: str
    value: float
    unit: str
    period: Period
    breakdown: str
    qualifier: str
    evidence: str


@dataclass
class TableContext:
    heading: str
    paragraph: str


def clean(cell: str | None) -> str:
    text = regex.sub(r"<[^>]+>|\*\*", "", cell or "")
    return regex.sub(r"\s+", " ", text).strip()


def _value(cell: str) -> tuple[float, set[str]] | None:
    m = VALUE_RE.match(cell)
    if not m:
        return None
    suffix = (m["u"] or "").lower()
    return float(m["v"].replace(",", "")), UNIT_OF_SUFFIX.get(suffix, {"count", "cases", "fte", "days", "rate_per_10k"})


def _is_numeric(cell: str) -> bool:
    return bool(VALUE_RE.match(cell) or RANGE_RE.match(cell)) and _whole_period(cell, None) is None


def _whole_period(cell: str, ref: date | None) -> Period | None:
    found = find_periods(cell, ref)
    if len(found) == 1 and len(found[0].text) >= len(cell) - 2:
        return found[0]
    return None


def choose_indicator(places: dict[str, str], units: set[str], ranged: bool = False) -> Indicator | None:
    """The indicator whose phrasings are best supported by the table's texts (for a range
    cell, only indicators that have ``_min`` and ``_max`` siblings)."""
    best: tuple[tuple[int, int], Indicator] | None = None
    for phr in phrasings():
        if phr.indicator.unit not in units or load_relations().is_range_end(phr.indicator.id):
            continue
        if ranged and load_relations().range_ends(phr.indicator.id) is None:
            continue
        score, hits = 0, 0
        for group in phr.groups:
            weights = [WEIGHTS[name] for name, text in places.items() if group.search(text)]
            if not weights:
                break
            score += max(weights)
            hits += sum(len(group.findall(text)) for text in places.values())
        else:
            if _vetoed(phr.indicator, (places["row"],)):
                continue  # the cell's row rules it out ("Non-UASC" for uasc_count)
            own = (places["column"],) if places["column"] else tuple(places.values())
            key = (score - VETO * _vetoed(phr.indicator, own), hits)
            if best is None or key > best[0]:
                best = (key, phr.indicator)
    return best[1] if best else None


def _vetoed(indicator: Indicator, texts: tuple[str, ...]) -> bool:
    return any(regex.search(x, t, regex.I) for x in indicator.exclude for t in texts)


def _qualifier(header: str) -> str:
    if regex.search(r"\btarget|\baim\b", header, regex.I):
        return "target"
    if regex.search(r"forecast|projected|predicted", header, regex.I):
        return "forecast"
    return "actual"


def table_figures(rows: list[list[str]], context: TableContext, ref: date | None) -> Iterator[CellFigure]:
    """Every value cell that has an indicator and a period."""
    rows = [[clean(c) for c in row] for row in rows if any(clean(c) for c in row)]
    if len(rows) < 2:
        return
    n_head = 0
    while n_head < len(rows) and not any(_is_numeric(c) for c in rows[n_head][1:]):
        n_head += 1
    head, body = rows[:n_head], rows[n_head:]
    width = max(len(r) for r in rows)
    columns = [" ".join(r[j] for r in head if j < len(r)).strip() for j in range(width)]
    all_headers = " ".join(columns)
    row_periods = [_whole_period(r[0], ref) for r in body]
    series = sum(p is not None for p in row_periods) >= 2
    for row, row_period in zip(body, row_periods):
        label = row[0]
        breakdown = "" if series or WHOLE_RE.match(label) else label
        for j in range(1, len(row)):
            yield from _cell(row, j, columns[j] if j < len(columns) else "", all_headers, context,
                             row_period if series else None, breakdown, ref)


def _cell(row: list[str], j: int, column: str, all_headers: str, context: TableContext,
          row_period: Period | None, breakdown: str, ref: date | None) -> Iterator[CellFigure]:
    cell = row[j]
    period = row_period or _whole_period_in(column, ref)
    if period is None:
        return
    places = {"row": "" if row_period else breakdown, "column": column, "headers": all_headers,
              "heading": context.heading, "paragraph": context.paragraph}
    evidence = f"{column + ': ' if column else ''}{' | '.join(row)}"
    qualifier = _qualifier(column)
    rng = RANGE_RE.match(cell)
    if rng:
        base = choose_indicator(places, {"cases", "count", "days", "fte"}, ranged=True)
        ends = load_relations().range_ends(base.id) if base else None
        for end, value in zip(ends or (), (rng["a"], rng["b"])):
            yield CellFigure(end, float(value), base.unit, period, breakdown, qualifier, evidence)
        return
    parsed = _value(cell)
    if parsed is None:
        return
    value, units = parsed
    indicator = choose_indicator(places, units)
    if indicator is not None:
        if _names(indicator, breakdown):
            breakdown = ""  # the row names the indicator, not a team
        yield CellFigure(indicator.id, value, indicator.unit, period, breakdown, qualifier, evidence)


def _names(indicator: Indicator, label: str) -> bool:
    return any(phr.indicator is indicator and all(g.search(label) for g in phr.groups) for phr in phrasings())


def _whole_period_in(header: str, ref: date | None) -> Period | None:
    found = find_periods(header, ref)
    return found[-1] if found else None

