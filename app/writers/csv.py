"""CSV, one row a figure with the export's columns."""
from __future__ import annotations

import csv
import io
from typing import BinaryIO

from . import Rows, register


@register("csv", ".csv")
def write(rows: Rows, out: BinaryIO) -> None:
    """CSV with a header row, UTF-8."""
    from ..store.queries import EXPORT_COLUMNS

    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    text.detach()
