"""A statistical-neighbour benchmark sheet as a PDF: rates for a council, its neighbours by
name and code, their average and England over ten years, through the whole pipeline. The
sheets vary as real ones do: column codes ("CIN 1" ... one per column, or more codes than
years, or run together), row codes, DfE three-digit codes for GSS codes, cut-off names."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_pdf, text_stream

from scrutiny.pipeline import Overrides, process
from scrutiny.schemas.authorities import load_register

COUNCIL = "E06000001"
YEARS = list(range(2014, 2024))


@dataclass(frozen=True)
class Shape:
    column_codes: int = len(YEARS)   # "CIN 1" ... under the years
    code_format: str = "CIN {}"
    row_codes: bool = False          # "CIN 3 Sunderland ..."
    dfe_codes: bool = False          # "Hartlepool 805 ..." instead of "Hartlepool E06000001 ..."
    cut: int = 22                    # authorities' names cut to this many characters
    code_column: bool = True


def sheet(path: Path, shape: Shape) -> dict[tuple[str, int], float]:
    """Write the sheet; return the expected (area, year) -> rate."""
    register = load_register()
    areas = [register.get(COUNCIL), *register.neighbours(COUNCIL)]
    lines = [(40, 60, "Children in need: rate per 10,000 children aged under 18"),
             (40, 90, "Local authority")] + ([(170, 90, "Code")] if shape.code_column else [])
    lines += [(230 + 34 * i, 90, str(year)) for i, year in enumerate(YEARS)]
    lines += [(230 + 34 * i, 104, shape.code_format.format(i + 1)) for i in range(shape.column_codes)]
    expected = {}
    rows = [(a.name[:shape.cut], a.dfe_code if shape.dfe_codes else a.code, a.code) for a in areas]
    rows += [("Statistical neighbours", "", f"SN-{COUNCIL}"), ("England", "E92000001", "E92000001")]
    for r, (name, code, area) in enumerate(rows):
        y = 122 + 14 * r
        label = f"CIN {r + 1} {name}" if shape.row_codes else name
        lines += [(40, y, label)] + ([(170, y, code)] if shape.code_column else [])
        for i, year in enumerate(YEARS):
            value = round(300 + 7.3 * r + 2.1 * i, 1)
            lines.append((230 + 34 * i, y, f"{value}"))
            expected[(area, year)] = value
    path.write_bytes(make_pdf([text_stream(lines, size=8)]))
    return expected


SHAPES = [Shape(), Shape(column_codes=12), Shape(code_format="CIN{}"), Shape(column_codes=0, row_codes=True),
          Shape(dfe_codes=True, cut=9)]


@pytest.mark.parametrize("shape", SHAPES, ids=["codes", "more-codes", "glued-codes", "row-codes", "dfe-cut"])
def test_benchmark_sheet_figures_belong_to_their_areas(tmp_path: Path, shape: Shape):
    expected = sheet(tmp_path / "benchmark.pdf", shape)
    result = process(tmp_path / "benchmark.pdf", Overrides(authority=COUNCIL))
    got = {((o.area_code or COUNCIL), o.period_end.year): o.value for o in result.observations
           if o.indicator == "cin_rate_per_10k"}
    assert all(o.indicator == "cin_rate_per_10k" for o in result.observations), \
        {o.indicator for o in result.observations}
    assert not any(o.value in range(1, 13) for o in result.observations)  # "CIN 1" ... are labels
    assert not any(o.breakdown for o in result.observations)  # every row is an area, none a team
    right = {key for key, value in expected.items() if abs(got.get(key, -1) - value) < 0.05}
    assert len(right) >= 0.8 * len(expected) and len(got) == len(right)
    neighbour = load_register().neighbours(COUNCIL)[0].code
    assert {(neighbour, 2020), (f"SN-{COUNCIL}", 2020), ("E92000001", 2020)} <= right


def test_a_row_that_names_no_area_is_no_figure_of_the_council(tmp_path: Path):
    # "Redcar an", "Sunderlan": cut off, without codes to tell; "Halton", "England" whole
    expected = sheet(tmp_path / "benchmark.pdf", Shape(cut=9, code_column=False))
    result = process(tmp_path / "benchmark.pdf", Overrides(authority=COUNCIL))
    got = {((o.area_code or COUNCIL), o.period_end.year): o.value for o in result.observations}
    assert ("E06000006", 2020) in got and ("E92000001", 2020) in got
    assert all(abs(expected[key] - value) < 0.05 for key, value in got.items())
    assert not any(o.breakdown for o in result.observations)
