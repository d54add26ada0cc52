"""JSON, a list of objects with the export's columns."""
from __future__ import annotations

import json
from typing import BinaryIO

from . import Rows, register


@register("json", ".json")
def write(rows: Rows, out: BinaryIO) -> None:
    """A JSON array of objects, indented, UTF-8."""
    out.write(json.dumps(rows, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
