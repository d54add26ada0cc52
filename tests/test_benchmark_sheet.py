"""A statistical-neighbour benchmark sheet as a PDF: rates for a council, its neighbours by
name and code, their average and England over ten years, through the whole pipeline."""
from __future__ import annotations

from pathlib import Path

from conftest import make_pdf, text_stream

from scrutiny.pipeline import Overrides, process
from scrutiny.schemas.authorities import load_register

COUNCIL = "E06000001"
YEARS = list(range(2014, 2024))


def sheet(path: Path) -> dict[tuple[str, int], float]:
    """Write the sheet; return the expected (area, year) -> rate."""
    register = load_register()
    areas = [register.get(COUNCIL), *register.neighbours(COUNCIL)]
    lines = [(40, 60, "Children in need: rate per 10,000 children aged under 18"),
             (40, 90, "Local authority"), (170, 90, "Code")]
    lines += [(230 + 34 * i, 90, str(year)) for i, year in enumerate(YEARS)]
    lines += [(230 + 34 * i, 104, f"CIN {i + 1}") for i in range(len(YEARS))]
    expected = {}
    rows = [(a.name, a.code, a.code) for a in areas] + [("Statistical neighbours", "", f"SN-{COUNCIL}"),
                                                          ("England", "E92000001", "E92000001")]
    for r, (name, code, area) in enumerate(rows):
        y = 122 + 14 * r
        lines += [(40, y, name[:22]), (170, y, code)]
        for i, year in enumerate(YEARS):
            value = round(300 + 7.3 * r + 2.1 * i, 1)
            lines.append((230 + 34 * i, y, f"{value}"))
            expected[(area, year)] = value
    path.write_bytes(make_pdf([text_stream(lines, size=8)]))
    return expected


def test_benchmark_sheet_figures_belong_to_their_areas(tmp_path: Path):
    expected = sheet(tmp_path / "benchmark.pdf")
    result = process(tmp_path / "benchmark.pdf", Overrides(authority=COUNCIL))
    got = {((o.area_code or COUNCIL), o.period_end.year): o.value for o in result.observations
           if o.indicator == "cin_rate_per_10k"}
    assert all(o.indicator == "cin_rate_per_10k" for o in result.observations), \
        {o.indicator for o in result.observations}
    assert not any(o.value in range(1, 13) for o in result.observations)  # "CIN 1" ... are labels
    right = {key for key, value in expected.items() if abs(got.get(key, -1) - value) < 0.05}
    assert len(right) >= 0.8 * len(expected) and len(got) == len(right)
