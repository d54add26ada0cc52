"""The indicator vocabulary: ids, units, definitions, phrasings, plausible ranges and relations.

The vocabulary is ``schemas/indicators.toml``, shipped in ``scrutiny.schemas``. It is
checked on load; a malformed entry raises ValueError naming its id. How indicators relate
(the ends of a range, the count restating a rate, a local variant of an official
definition) is declared there too and asked of ``load_relations()``, never read from an
id's spelling.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

UNITS = ("count", "percent", "fte", "cases", "days", "gbp", "rate_per_10k", "grade")
GRADES = ("outstanding", "good", "requires improvement", "inadequate")
_REQUIRED = ("id", "label", "group", "unit", "definition", "source", "phrasings")


ADDITIVE = ("count", "fte", "gbp")  # units whose England or regional figure is a sum over authorities
AUTHORITIES = 160  # an upper bound on the number of authorities an aggregate sums


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

    def plausible(self, value: float | str, aggregate: bool = False) -> str | None:
        """None if ``value`` is plausible for one authority (or, ``aggregate``, for England or a
        region, whose counts are the sum of many authorities'), else the reason it is not."""
        if self.values:
            text = str(value).strip().lower()
            return None if text in self.values else f"not one of {', '.join(self.values)}"
        if isinstance(value, str):
            return "text where a number is expected"
        if self.unit == "percent" and value > 100:
            return "percentage above 100"
        top = self.max * AUTHORITIES if aggregate and self.max is not None and self.unit in ADDITIVE else self.max
        if self.min is not None and value < self.min or top is not None and value > top:
            return f"outside plausible range {self.min:g}–{top:g}"
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


@dataclass(frozen=True)
class Relations:
    """How indicators relate, as declared in the vocabulary file."""
    ranges: dict[str, tuple[str, str]]  # measured id → (min id, max id)
    restated: dict[str, dict[str, str]]  # rate id → {"count": id, "fte": id}
    per_10k: dict[str, str] = field(default_factory=dict)  # count id → its rate per 10,000 children

    def rate_per_10k(self, count_id: str) -> str | None:
        """The rate per 10,000 children of what the count ``count_id`` counts."""
        return self.per_10k.get(count_id)

    def count_of_rate(self, rate_id: str) -> str | None:
        """The count whose rate per 10,000 is ``rate_id``."""
        return next((c for c, r in self.per_10k.items() if r == rate_id), None)

    def siblings(self, indicator_id: str) -> set[str]:
        """The other indicators of the same children or staff: a count and its rate per 10,000,
        a percentage and the count or FTE restating it."""
        pairs = [(c, r) for c, r in self.per_10k.items()]
        pairs += [(rate, other) for rate, kinds in self.restated.items() for other in kinds.values()]
        return {b if a == indicator_id else a for a, b in pairs if indicator_id in (a, b)}

    def range_ends(self, indicator_id: str) -> tuple[str, str] | None:
        """The ``(min, max)`` indicators of a range of what ``indicator_id`` measures."""
        return self.ranges.get(indicator_id)

    def is_range_end(self, indicator_id: str) -> bool:
        """Whether the indicator is one end of a range, which only a range can give."""
        return any(indicator_id in ends for ends in self.ranges.values())

    def range_pair(self, indicator_id: str) -> tuple[str, int] | None:
        """``(measured id, 0 for min or 1 for max)`` of a range end, else None."""
        for measured, ends in self.ranges.items():
            if indicator_id in ends:
                return measured, ends.index(indicator_id)
        return None

    def restating(self, rate_id: str, kind: str) -> str | None:
        """The indicator of a ``kind`` ("count" or "fte") figure restating ``rate_id``."""
        return self.restated.get(rate_id, {}).get(kind)


def _relations(data: dict[str, Any], vocabulary: dict[str, Indicator]) -> Relations:
    """Read and check the relations: known ids, and units that fit each relation."""
    def known(ident: str, unit: str | None = None) -> str:
        if ident not in vocabulary:
            raise ValueError(f"relation names unknown indicator {ident!r}")
        if unit and vocabulary[ident].unit != unit:
            raise ValueError(f"relation: {ident} must be in {unit}, not {vocabulary[ident].unit}")
        return ident
    ranges = {}
    for entry in data.get("range", []):
        unit = vocabulary[known(entry["of"])].unit
        ranges[entry["of"]] = (known(entry["min"], unit), known(entry["max"], unit))
    restated = {}
    for entry in data.get("restated", []):
        known(entry["rate"], "percent")
        restated[entry["rate"]] = {kind: known(entry[kind], kind) for kind in ("count", "fte") if kind in entry}
    per_10k = {known(e["count"], "count"): known(e["rate"], "rate_per_10k") for e in data.get("per_10k", [])}
    return Relations(ranges, restated, per_10k)


def _read(path: Path) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _load(path: Path) -> dict[str, Indicator]:
    """Read and validate a vocabulary file; ids must be unique and variants must exist."""
    entries = _read(path).get("indicator", [])
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


def _shipped() -> Path:
    return Path(str(resources.files("scrutiny.schemas") / "indicators.toml"))


@cache
def load_vocabulary() -> dict[str, Indicator]:
    """The shipped vocabulary, keyed by id in file order."""
    return _load(_shipped())


@cache
def load_relations() -> Relations:
    """The shipped vocabulary's relations between indicators."""
    return _relations(_read(_shipped()), load_vocabulary())
