"""Charts of comparisons and series with matplotlib's Agg canvas: PNG or SVG, chosen by the file's extension."""
from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .schemas.vocabulary import load_vocabulary
from .store.queries import ENGLAND, Comparison, CompareRow, Series

FORMATS = (".png", ".svg")
ROLE_COLOURS = {"focal": "tab:red", "neighbour": "tab:blue", "": "tab:gray"}


def check_target(target: Path) -> None:
    """ValueError unless ``target`` ends in .png or .svg."""
    if target.suffix.lower() not in FORMATS:
        raise ValueError(f"a chart is written as .png or .svg, not {target.name!r}")


def axis_label(indicator: str) -> str:
    """The indicator's label and unit, e.g. 'Agency social worker rate (percent)'."""
    entry = load_vocabulary()[indicator]
    return f"{entry.label} ({entry.unit})"


def _caption(rows: Iterable[CompareRow]) -> str:
    """'Sources: ' and the documents the figures come from, in order of first use."""
    return "Sources: " + ", ".join(dict.fromkeys(row.document for row in rows))


def _save(figure: Figure, target: Path, caption: str) -> None:
    """Add the caption under everything and write the file; SVG keeps its text as text."""
    check_target(target)
    lines = textwrap.wrap(caption, width=max(40, int(figure.get_figwidth() * 14)))
    figure.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=7)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        FigureCanvasAgg(figure).print_figure(target, dpi=120)


def bar_chart(target: Path, indicator: str, title: str, found: Comparison) -> None:
    """The ranked figures as bars, focal authority and neighbours coloured, England as a line if stored."""
    rows = [row for row in found.rows if row.rank is not None]
    figure = Figure(figsize=(min(40.0, max(6.0, 2 + 0.3 * len(rows))), 5), layout="constrained")
    axes = figure.add_subplot()
    axes.bar([row.area_name for row in rows], [row.value for row in rows],
             color=[ROLE_COLOURS[row.role] for row in rows])
    axes.tick_params(axis="x", labelrotation=90, labelsize=8)
    axes.set_ylabel(axis_label(indicator))
    axes.set_title(title)
    legend = [Patch(color=ROLE_COLOURS[role], label=role) for role in ("focal", "neighbour")
              if any(row.role == role for row in rows)]
    england = next((row for row in found.comparators if row.area_code == ENGLAND
                    and isinstance(row.value, (int, float))), None)
    if england:
        legend.append(axes.axhline(england.value, color="black", linestyle="--",
                                   label=f"England {england.value:g}"))
    if legend:
        axes.legend(handles=legend, fontsize=8)
    _save(figure, target, _caption([*rows, *([england] if england else [])]))


def line_chart(target: Path, title: str, found: Series) -> None:
    """One line per series, by the end of each period."""
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.add_subplot()
    for label, rows in found.lines.items():
        points = [(row.period_end, row.value) for row in rows if isinstance(row.value, (int, float))]
        axes.plot([day for day, _ in points], [value for _, value in points], marker="o", label=label)
    axes.set_ylabel(axis_label(found.indicator))
    axes.set_xlabel("period end")
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    if found.lines:
        axes.legend(fontsize=8)
    _save(figure, target, _caption(row for rows in found.lines.values() for row in rows))
