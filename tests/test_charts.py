"""Charts drawn by `compare --plot` and `series --plot` on the seeded store: valid files, labelled, with sources."""
from __future__ import annotations

import html
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from scrutiny.schemas.vocabulary import load_vocabulary
from scrutiny.store.db import connect
from scrutiny.store.queries import comparison
from test_cli import one_error_line
from test_queries import CSWW, ENGLAND, WS_PAPER, run, seeded_url

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> str:
    return seeded_url(shared, tmp_path_factory.getbasetemp())


def plotted(path: Path, *args: str) -> Path:
    """Run a command with ``--plot path``, check it said so, and return the path."""
    result = run(*args, "--plot", str(path))
    assert result.exit_code == 0, result.output
    assert f"wrote {path}" in result.stdout
    return path


def pixels(path: Path) -> np.ndarray:
    """A PNG checked for its signature and size, decoded to RGB."""
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 300 and image.shape[1] > 300
    return image[..., :3]


def has_colour(image: np.ndarray, colour: str) -> bool:
    """Whether some pixel is (nearly) this matplotlib colour."""
    return bool((np.abs(image - np.array(to_rgb(colour))).max(axis=2) < 0.02).any())


def test_compare_draws_a_png_bar_chart_with_the_focal_authority_marked(db, tmp_path):
    args = ("compare", "sw_agency_rate", "--source", "official", "--period", "2019-09", "--db", db)
    marked = pixels(plotted(tmp_path / "neighbours.png", *args, "--neighbours-of", "West Sussex"))
    assert has_colour(marked, "tab:red") and has_colour(marked, "tab:blue")
    plain = pixels(plotted(tmp_path / "region.png", *args, "--region", "South East"))
    assert has_colour(plain, "tab:gray") and not has_colour(plain, "tab:red")


def test_series_draws_a_png_line_chart(db, tmp_path):
    image = pixels(plotted(tmp_path / "series.png", "series", "sw_agency_rate", "--authority", "West Sussex",
                           "--authority", "Plymouth", "--source", "official", "--db", db))
    assert has_colour(image, "tab:blue") and has_colour(image, "tab:orange")  # one line each


def test_svg_charts_carry_the_axis_label_england_and_the_sources(db, tmp_path):
    label = f"{load_vocabulary()['sw_agency_rate'].label} (percent)"
    found = comparison(connect(db), "sw_agency_rate", source="official", focal="938")
    england = next(row.value for row in found.comparators if row.area_code == ENGLAND)
    bars = html.unescape(plotted(tmp_path / "bars.svg", "compare", "sw_agency_rate", "--source", "official",
                                 "--neighbours-of", "938", "--db", db).read_text())
    assert bars.startswith("<?xml") and "<svg" in bars
    assert label in bars and f"England {england:g}" in bars and CSWW in bars
    assert "West Sussex" in bars and "Hampshire" in bars and "Plymouth" not in bars
    lines = html.unescape(plotted(tmp_path / "lines.svg", "series", "sw_vacancy_gap_rate", "--authority",
                                  "West Sussex", "--db", db).read_text())
    assert load_vocabulary()["sw_vacancy_gap_rate"].label in lines and WS_PAPER in lines


def test_a_chart_needs_png_or_svg_and_one_source(db, tmp_path):
    target = tmp_path / "chart.pdf"
    assert ".png or .svg" in one_error_line(run("compare", "sw_agency_rate", "--db", db, "--plot", str(target)))
    assert ".png or .svg" in one_error_line(run("series", "sw_agency_rate", "--authority", "Plymouth", "--db", db,
                                                "--plot", str(target)))
    assert not target.exists()
    assert "one source" in one_error_line(run("compare", "sw_agency_rate", "--source", "both", "--db", db,
                                              "--plot", str(tmp_path / "c.png")))
