"""Figures from tables.

Two shapes are read. Period columns: the header names a period and a measure per
column ("Caseload average July", "Range July", "Dec-23", "Q3 24/25"), each row is a
breakdown ("ALL CYPFS" and "Total" rows are the whole authority). Period rows: the
first cell of each row is a period ("February 2019 | 18.5%"), the indicator named by
the header or, failing that, by the heading and paragraph above the table. A range
cell ("1-91") gives the ``_min`` and ``_max`` of the column's indicator.

Either way a column or a row may be an area instead: the council itself, another
authority by name or GSS code, its statistical neighbours' average, the region or
England (benchmark sheets: a row per authority with its code, a column per year). A
figure in another area's column or row belongs to that area. In a table comparing areas
by column, a column without a period takes the one the row label states, else the one
the caption, the heading or a lead-in ending in a colon states. Code cells ("CIN 1",
"E10000032", a DfE code beside a name that may be cut off: "Kingston upon Hull, Ci 810")
are labels, never values. In a table of areas, a row naming no area we can place is no
figure (never the council's breakdown). A table that says "per 10,000" holds rates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

import regex

from ..schemas.authorities import load_register, name_key
from ..schemas.periods import Period, find_periods, parse_period
from ..schemas.vocabulary import Indicator, load_relations, load_vocabulary
from .subjects import phrasings

VALUE_RE = regex.compile(r"^(?P<v>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*(?P<u>%|FTE|fte|cases|days)?$")
RANGE_RE = regex.compile(r"^(?P<a>\d+(?:\.\d+)?)\s*[-–]\s*(?P<b>\d+(?:\.\d+)?)$")
WHOLE_RE = regex.compile(r"^(?:all\b|(?:grand\s+)?total\b|overall\b|whole\b|authority\b)", regex.I)
AGE_RE = regex.compile(r"^(?:aged?\s+)?(?:under\s+\d+|over\s+\d+|\d+\s*(?:-|–|to)\s*\d+|\d+\s*\+|\d+\s+and\s+over)\b", regex.I)
UNIT_OF_SUFFIX = {"%": {"percent"}, "fte": {"fte"}, "cases": {"cases"}, "days": {"days"}}
WEIGHTS = {"row": 3, "column": 3, "headers": 2, "heading": 2, "paragraph": 1}
VETO = 2  # an indicator's exclusion found in the caption or headings costs this much
STATED_KINDS = ("month", "date", "fy", "year", "quarter")  # periods a caption or row label may give its cells
AREA_ROWS = 2  # rows naming areas that make a table one of areas, whose other rows are no figures


ENGLAND_CODE = "E92000001"
AREA_WORDS = {  # header words naming a comparator area
    "ENGLAND": regex.compile(r"^(?:England|National|Eng)\b|\b(?:England|national)\s+(?:average|rate|figure|total)\b", regex.I),
    "NEIGHBOURS": regex.compile(r"\b(?:stat(?:istical)?\.?\s+neighbours?|SN|SNs|comparator\s+(?:group|average)|neighbour\s+average)\b", regex.I),
    "REGION": regex.compile(r"\b(?:region(?:al)?)\b", regex.I),
}
DFE_CODE = regex.compile(r"\d{3}")
DFE_LABEL = regex.compile(r"\s+(?P<code>\d{3})$")  # "Hartlepool 805": a name, then its DfE code
MIN_NAME = 4  # letters of a cut-off name that must agree with its code's authority
CODE_WORD = regex.compile(r"^[A-Z]{2,6}$")  # the word of a column or row code ("CIN 1", "CLA 12")
CODE_PREFIX = regex.compile(r"^[A-Z]{2,6}\s*(?=\d)")
MIN_CODES = 3
GSS_RE = regex.compile(r"\b(E0[689]\d{6}|E10\d{6}|E12\d{6}|E92000001)\b")
PER_10K = regex.compile(r"per\s+10,?000|per\s+10k|rate\s+per\s+10", regex.I)


@dataclass
class CellFigure:
    indicator: str
    value: float
    unit: str
    period: Period
    breakdown: str
    qualifier: str
    evidence: str
    area: str | None = None  # None: the reporting authority; else a GSS code, "NEIGHBOURS" or "REGION"


@dataclass
class TableContext:
    heading: str
    paragraph: str


MARKUP_RE = regex.compile(r"<[^>]+>|\*\*")
SPACES_RE = regex.compile(r"\s+")


def clean(cell: str | None) -> str:
    return SPACES_RE.sub(" ", MARKUP_RE.sub("", cell or "")).strip()


def cell_area(label: str, when: date | None = None) -> str | None:
    """The area a header or row label names: England's code, "NEIGHBOURS", "REGION", or an
    authority's GSS code (by code or name, as of ``when``); None when it names no area."""
    text = label.strip(" *:")
    if not text:
        return None
    code = GSS_RE.search(text)
    if code:
        return code.group(1)
    for area, pattern in AREA_WORDS.items():
        if pattern.search(text):
            return ENGLAND_CODE if area == "ENGLAND" else area
    name = regex.sub(r"\s*\((?:[^)]*)\)\s*$", "", text)
    coded = DFE_LABEL.search(name)
    if coded and regex.search(r"[^\W\d_]", name[:coded.start()]):
        return _coded_area(name[:coded.start()], coded["code"], when)
    found = load_register().find(name, on=when)
    return found.code if found and found.kind in ("authority", "former", "region") else None


def _coded_area(name: str, code: str, when: date | None) -> str | None:
    """The authority of a DfE code when the name beside it and one of its names agree as far
    as the shorter goes (a sheet may cut names off: "Kingston upon Hull, Ci 810")."""
    found = load_register().find(code, on=when)
    if found is None:
        return None
    named = name_key(name)
    names = [name_key(n) for n in (found.name, *found.aliases)]
    agree = any(n.startswith(named) or named.startswith(n) for n in names)
    return found.code if len(named) >= MIN_NAME and agree else None


def area_code(area: str | None, authority: str | None) -> str | None:
    """The stored area of a table figure: None for the reporting authority's own figures."""
    if area is None or area == authority:
        return None
    if area == "NEIGHBOURS":
        return f"SN-{authority}" if authority else ""
    if area == "REGION":
        found = load_register().get(authority) if authority else None
        return found.region_code if found and found.region_code else ""
    return area


def _value(cell: str) -> tuple[float, set[str]] | None:
    m = VALUE_RE.match(cell)
    if not m:
        return None
    suffix = (m["u"] or "").lower()
    return float(m["v"].replace(",", "")), UNIT_OF_SUFFIX.get(suffix, {"count", "cases", "fte", "days", "rate_per_10k"})


def _is_numeric(cell: str) -> bool:
    return bool(VALUE_RE.match(cell) or RANGE_RE.match(cell)) and _whole_period(cell, None) is None


def _whole_period(cell: str, ref: date | None) -> Period | None:
    return parse_period(cell, ref)


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
    while n_head < len(rows) and (not any(_is_numeric(c) for c in rows[n_head][1:]) or _code_row(rows[n_head])):
        n_head += 1
    head, body = rows[:n_head], rows[n_head:]
    if not _columns_line_up(head, body):
        return
    width = max(len(r) for r in rows)
    columns = [" ".join(r[j] for r in head if j < len(r)).strip() for j in range(width)]
    all_headers = " ".join(columns)
    row_periods = [_whole_period(r[0], ref) for r in body]
    series = sum(p is not None for p in row_periods) >= 2
    column_areas = [_column_area(column, ref) for column in columns]
    row_areas = [None if series else _row_area(r, ref) for r in body]
    rated = bool(PER_10K.search(f"{all_headers} {context.heading}"))
    totalled = any(WHOLE_RE.match(r[0]) for r in body)
    by_area = sum(a is not None for a in row_areas) >= AREA_ROWS
    compared = not series and any(column_areas[1:])
    stated = _stated_period([columns[0], context.heading, _lead_in(context.paragraph)], ref) if compared else None
    for row, row_period, row_area in zip(body, row_periods, row_areas):
        label = row[0]
        if by_area and row_area is None:
            continue  # in a table of areas, a row we cannot place (a cut-off name, "Core cities")
        breakdown = "" if series or row_area or WHOLE_RE.match(label) else label
        # rows that add up to a total row split a count by category (ethnicity, gender, need):
        # only the total, age groups and categories the vocabulary knows (UASC) are figures
        category = totalled and bool(breakdown) and not AGE_RE.match(label) and not _known_category(label)
        fallback = (_stated_period([label], ref) or stated) if compared and _qualifier(label) == "actual" else None
        for j in range(1, len(row)):
            by_column = j < len(column_areas) and column_areas[j]
            area = column_areas[j] if by_column else row_area
            named = (_period_free(columns[j], ref) if by_column else label) if area else ""
            for figure in _cell(row, j, columns[j] if j < len(columns) else "", all_headers, context,
                                row_period if series else fallback, breakdown, ref, (area, named),
                                rated or bool(PER_10K.search(label)), bool(row_period) and series):
                if not (category and figure.unit == "count"):
                    yield figure


def _code_row(row: list[str]) -> bool:
    """A row of column codes split into cells ("CIN | 1 | 2 | 3"): an empty or code-word
    label, then the running numbers from 1, with or without the word."""
    cells = [c for c in row[1:] if c]
    if row[0] and not CODE_WORD.match(row[0]) or len(cells) < MIN_CODES:
        return False
    return [CODE_PREFIX.sub("", c) for c in cells] == [str(i) for i in range(1, len(cells) + 1)]


def _known_category(label: str) -> bool:
    """Whether an indicator's phrasings or exclusions name this row label ("UASC", "Non-UASC")."""
    return any(all(g.search(label) for g in phr.groups) for phr in phrasings()) or any(
        _vetoed(indicator, (label,)) for indicator in load_vocabulary().values())


def _columns_line_up(head: list[list[str]], body: list[list[str]]) -> bool:
    """Whether header cells can be matched to the body's columns: header rows of different
    lengths, or body rows longer than any header row, leave spanning headers unplaced."""
    if not head or not body:
        return True
    lengths = {_filled(r) for r in head}
    return len(lengths) == 1 and max(_filled(r) for r in body) <= lengths.pop() + 1


def _filled(row: list[str]) -> int:
    """The row's length up to its last non-empty cell (readers pad short rows)."""
    return max((i + 1 for i, cell in enumerate(row) if cell), default=0)


def _column_area(column: str, ref: date | None) -> str | None:
    """The area a column header names once its period is taken out ("England 2023")."""
    text = _period_free(column, ref)
    return cell_area(text, ref) if text.strip() else None


def _period_free(header: str, ref: date | None) -> str:
    """A header without its period expressions."""
    for found in find_periods(header, ref):
        header = header.replace(found.text, " ")
    return header.strip()


def _row_area(row: list[str], ref: date | None) -> str | None:
    """The area a row is about: its label names one, or a code cell beside the label does
    ("Hartlepool | E06000001 | ...", "Kingston upon Hull, Ci | 810 | ...")."""
    for cell in row[:2]:
        if GSS_RE.fullmatch(cell.strip()):
            return cell.strip()
    coded = _coded_area(row[0], row[1], ref) if len(row) > 1 and DFE_CODE.fullmatch(row[1]) else None
    return coded or cell_area(row[0], ref)


def _cell(row: list[str], j: int, column: str, all_headers: str, context: TableContext,
          row_period: Period | None, breakdown: str, ref: date | None,
          where: tuple[str | None, str] = (None, ""), rated: bool = False,
          period_row: bool = False) -> Iterator[CellFigure]:
    """The figure of one cell; ``where`` is the area of its row or column and the name that
    gave it, looked up again for the cell's own period (a reorganised authority's name).
    ``row_period`` is the row's period (``period_row``: its label is one) or, for a column
    without a period of its own, the period the row label or the caption states."""
    cell = row[j]
    period = row_period if period_row else _whole_period_in(column, ref) or row_period
    if period is None:
        return
    area, named = where
    if area and area.startswith("E0") and named and not GSS_RE.search(named):
        area = cell_area(named, period.end) or area
    if ref is not None and period.start > ref and _qualifier(column) == "actual":
        return  # an actual for a period after the paper's date is misread
    places = {"row": "" if period_row else breakdown, "column": "" if area and period_row else column,
              "headers": all_headers, "heading": context.heading, "paragraph": context.paragraph}
    evidence = f"{column + ': ' if column else ''}{' | '.join(row)}"
    qualifier = _qualifier(column)
    rng = RANGE_RE.match(cell)
    if rng:
        base = choose_indicator(places, {"cases", "count", "days", "fte"}, ranged=True)
        ends = load_relations().range_ends(base.id) if base else None
        for end, value in zip(ends or (), (rng["a"], rng["b"])):
            yield CellFigure(end, float(value), base.unit, period, breakdown, qualifier, evidence, area)
        return
    parsed = _value(cell)
    if parsed is None:
        return
    value, units = parsed
    if rated:
        units = units & {"rate_per_10k"}
    indicator = choose_indicator(places, units)
    if indicator is not None:
        if _names(indicator, breakdown):
            breakdown = ""  # the row names the indicator, not a team
        yield CellFigure(indicator.id, value, indicator.unit, period, breakdown, qualifier, evidence, area)


def _names(indicator: Indicator, label: str) -> bool:
    return any(phr.indicator is indicator and all(g.search(label) for g in phr.groups) for phr in phrasings())


def _stated_period(texts: list[str], ref: date | None) -> Period | None:
    """The one reporting period or point the first text naming any states ("at 31 March
    2023", "2022-23"); None when that text names several."""
    for text in texts:
        found = [p for p in find_periods(text, ref) if p.kind in STATED_KINDS and not p.relative]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def _lead_in(paragraph: str) -> str:
    """The paragraph above a table when it leads into it (ends in a colon), else ""."""
    return paragraph if paragraph.rstrip().endswith(":") else ""


def _whole_period_in(header: str, ref: date | None) -> Period | None:
    whole = parse_period(header, ref)
    if whole is not None:
        return whole
    found = find_periods(header, ref)
    return found[-1] if found else None

