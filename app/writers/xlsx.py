"""Excel workbook: a typed, filterable data sheet and a sheet of indicator definitions."""
from __future__ import annotations

from typing import Any, BinaryIO

from . import Rows, register, typed

DEFINITION_COLUMNS = ("indicator", "label", "group", "unit", "definition", "source")
FORMATS = {"period_start": "yyyy-mm-dd", "period_end": "yyyy-mm-dd", "confidence": "0.00", "page": "0"}
WIDTHS = {"document": 28, "authority_name": 20, "indicator": 28, "evidence": 60, "definition": 60, "label": 36}
DEFAULT_WIDTH = 12


@register("xlsx", ".xlsx", binary=True)
def write(rows: Rows, out: BinaryIO) -> None:
    """Excel: figures (numbers as numbers, dates as dates, frozen header, filters) and indicator definitions."""
    from openpyxl import Workbook

    from ..schemas.vocabulary import load_vocabulary

    columns = data_columns()
    book = Workbook(write_only=True)
    _sheet(book, "figures", columns, ([cell[name] for name in columns] for cell in map(typed, rows)))
    definitions = ([i.id, i.label, i.group, i.unit, i.definition, i.source] for i in load_vocabulary().values())
    _sheet(book, "indicators", DEFINITION_COLUMNS, definitions)
    book.save(out)


def data_columns() -> tuple[str, ...]:
    """The export's columns with ``value_text`` (a grade) beside ``value``."""
    from ..store.queries import EXPORT_COLUMNS

    return tuple(c for name in EXPORT_COLUMNS for c in ((name, "value_text") if name == "value" else (name,)))


def _sheet(book: Any, title: str, columns: tuple[str, ...], values: Any) -> None:
    """A write-only sheet: bold frozen header, widths, number formats and an autofilter over every row."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    for n, name in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(n)].width = WIDTHS.get(name, DEFAULT_WIDTH)
    header = [WriteOnlyCell(sheet, name) for name in columns]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    count = 0
    for count, row in enumerate(values, 1):
        sheet.append([_formatted(sheet, FORMATS[name], value) if name in FORMATS and value is not None else value
                      for name, value in zip(columns, row)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"


def _formatted(sheet: Any, number_format: str, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    cell.number_format = number_format
    return cell
