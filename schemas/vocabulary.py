"""The indicator vocabulary: ids, units, definitions, phrasings and plausible ranges.

The vocabulary is ``schemas/indicators.toml``, shipped in ``scrutiny.schemas``. It is
checked on load; a malformed entry raises ValueError naming its id.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

UNITS = ("count", "percent", "fte", "cases", "days", "gbp", "rate_per_10k", "grade")
GRADES = ("outstanding", "good", "requires improvement", "inadequate")
_REQUIRED = ("id", "label", "group", "unit", "definition", "source", "phrasings")


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it measures, how reports phrase it, what values are plausible."""
    id: str
    label: str
    group: str
    unit: str
    definition: str
    source: str
    phrasings: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    exclude_sentence: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    variant_of: str = ""
    tolerance: float = 0.0

    def plausible(self, value: float | str) -> str | None:
        """None if ``value`` is plausible for one authority, else the reason it is not."""
        if self.values:
            text = str(value).strip().lower()
            return None if text in self.values else f"not one of {', '.join(self.values)}"
        if isinstance(value, str):
            return "text where a number is expected"
        if self.unit == "percent" and value > 100:
            return "percentage above 100"
        if self.min is not None and value < self.min or self.max is not None and value > self.max:
            return f"outside plausible range {self.min:g}–{self.max:g}"
        return None


def _indicator(entry: dict[str, Any]) -> Indicator:
    """Build and check one indicator from its TOML table."""
    ident = entry.get("id", "<no id>")
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise ValueError(f"indicator {ident}: missing {', '.join(missing)}")
    unknown = set(entry) - set(Indicator.__dataclass_fields__)
    if unknown:
        raise ValueError(f"indicator {ident}: unknown keys {', '.join(sorted(unknown))}")
    if entry["unit"] not in UNITS:
        raise ValueError(f"indicator {ident}: unknown unit {entry['unit']!r}")
    indicator = Indicator(**{**entry,
                             "phrasings": tuple(tuple(p) for p in entry["phrasings"]),
                             "exclude": tuple(entry.get("exclude", ())),
                             "exclude_sentence": tuple(entry.get("exclude_sentence", ())),
                             "values": tuple(entry.get("values", ()))})
    _check_range(indicator)
    for pattern in [p for phrasing in indicator.phrasings for p in phrasing] + list(indicator.exclude) + list(indicator.exclude_sentence):
        try:
            regex.compile(pattern)
        except regex.error as err:
            raise ValueError(f"indicator {ident}: bad regex {pattern!r}: {err}") from err
    return indicator


def _check_range(ind: Indicator) -> None:
    """Grades need known values; every other unit needs min <= max."""
    if ind.unit == "grade":
        if not ind.values or set(ind.values) - set(GRADES):
            raise ValueError(f"indicator {ind.id}: grade values must be drawn from {GRADES}")
        return
    if ind.min is None or ind.max is None or ind.min > ind.max:
        raise ValueError(f"indicator {ind.id}: needs min <= max (got {ind.min}, {ind.max})")


def _load(path: Path) -> dict[str, Indicator]:
    """Read and validate a vocabulary file; ids must be unique and variants must exist."""
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("indicator", [])
    vocabulary: dict[str, Indicator] = {}
    for entry in entries:
        indicator = _indicator(entry)
        if indicator.id in vocabulary:
            raise ValueError(f"indicator {indicator.id}: duplicate id")
        vocabulary[indicator.id] = indicator
    for indicator in vocabulary.values():
        if indicator.variant_of and indicator.variant_of not in vocabulary:
            raise ValueError(f"indicator {indicator.id}: variant_of unknown id {indicator.variant_of!r}")
    return vocabulary


@cache
def load_vocabulary() -> dict[str, Indicator]:
    """The shipped vocabulary, keyed by id in file order."""
    with resources.as_file(resources.files("scrutiny.schemas") / "indicators.toml") as path:
        return _load(path)
