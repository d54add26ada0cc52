"""Parquet with typed columns."""
from __future__ import annotations

from typing import BinaryIO

from . import Rows, register, typed


@register("parquet", ".parquet", binary=True)
def write(rows: Rows, out: BinaryIO) -> None:
    """Typed Parquet: dates as dates, ``value`` numeric and grades in ``value_text``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..store.queries import EXPORT_COLUMNS

    types = {"period_start": pa.date32(), "period_end": pa.date32(), "value": pa.float64(), "page": pa.int64(),
             "confidence": pa.float64()}
    names = [*EXPORT_COLUMNS, "value_text"]
    cells = [typed(row) for row in rows]
    columns = {name: [cell[name] for cell in cells] for name in names}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in names])
    pq.write_table(pa.table(columns, schema=schema), out)
