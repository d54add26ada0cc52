"""Export formats as a registry: each module of this package registers one writer with
``@register(name, suffix)``, the way parsers register (``scrutiny.extract.registry``).

A writer turns export rows (``scrutiny.store.queries.EXPORT_COLUMNS``) into bytes on an
open binary stream; ``binary`` writers (Parquet, Excel) need a file, not a terminal.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO, Callable

Rows = list[dict[str, Any]]
WriteFunction = Callable[[Rows, BinaryIO], None]


@dataclass(frozen=True)
class Writer:
    name: str
    suffix: str
    binary: bool
    write: WriteFunction
    description: str = ""


class UnknownFormat(KeyError):
    def __str__(self) -> str:
        name, known = self.args
        return f"no export format {name!r}; available: {', '.join(sorted(known))}"


_registry: dict[str, Writer] = {}
_loaded = False


def register(name: str, suffix: str, binary: bool = False) -> Callable[[WriteFunction], WriteFunction]:
    """Function decorator: ``@register("csv", ".csv")`` on ``write(rows, out)``."""
    def decorate(function: WriteFunction) -> WriteFunction:
        doc = (function.__doc__ or "").strip().splitlines()
        _registry[name] = Writer(name, suffix, binary, function, doc[0] if doc else "")
        return function
    return decorate


def available() -> dict[str, Writer]:
    """Every registered writer by name (the modules of this package, imported once)."""
    global _loaded
    if not _loaded:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
    return dict(_registry)


def get(name: str) -> Writer:
    writers = available()
    if name not in writers:
        raise UnknownFormat(name, list(writers))
    return writers[name]


def for_suffix(suffix: str) -> Writer | None:
    """The writer whose files end in ``suffix`` (".xlsx"), if any."""
    return next((w for w in available().values() if w.suffix == suffix.lower()), None)


def typed(row: dict[str, Any]) -> dict[str, Any]:
    """A row with typed cells: dates as dates, ``value`` a number or None and a grade in ``value_text``."""
    value = row["value"]
    out = {**row, "value": None if isinstance(value, str) else value,
           "value_text": value if isinstance(value, str) else None}
    for name in ("period_start", "period_end"):
        out[name] = date.fromisoformat(row[name]) if row[name] else None
    return out
