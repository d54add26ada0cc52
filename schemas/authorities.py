"""The register of English areas: look up an authority, or find a report's authority in its text.

The register is ``schemas/authorities.json`` (built by ``scrutiny.schemas.register``). It
holds former authorities too (kind "former", with ``valid_to`` and ``successors``): a name
or DfE code shared across a reorganisation (Dorset, North Yorkshire, DfE 815) gives the
authority of the date asked about, and today's authority when no date is given.
"""
from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from importlib import resources
from typing import Any

# Detection weights: a mention in the opening text (letterhead, contact block) counts double.
HEAD_CHARS = 3000
DOMAIN_WEIGHT = 10
COUNCIL_WEIGHT = 3
NAME_WEIGHT = 1
MIN_SCORE = 3
MIN_MARGIN = 1.5

_COUNCIL_FORM = re.compile(r"\b(Council|Borough of|City of|County)\b")
_HOST = re.compile(r"(?:@|\bwww\.|https?://)([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


@dataclass(frozen=True)
class Authority:
    """An area in the register: a local authority, a region or England."""
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    dfe_code: str | None = None
    domain: str | None = None
    other_domains: tuple[str, ...] = ()
    region_code: str | None = None
    region_name: str | None = None
    type: str | None = None
    neighbours: tuple[str, ...] = ()
    population_0_25: int | None = None
    valid_from: date | None = None   # the day the authority (or its code) began, when after the tables' first year
    valid_to: date | None = None     # the last day of a former authority
    successors: tuple[str, ...] = ()  # the authorities that took over a former one

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Authority:
        """Build from one JSON record of the register."""
        lists = ("aliases", "other_domains", "neighbours", "successors")
        dates = ("valid_from", "valid_to")
        return cls(**{key: tuple(value) if key in lists else date.fromisoformat(value) if key in dates and value
                      else value for key, value in record.items()})

    def valid_on(self, day: date) -> bool:
        """Whether the authority existed on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def domains(self) -> tuple[str, ...]:
        """Every web domain the authority's reports may use."""
        return ((self.domain,) if self.domain else ()) + self.other_domains


def name_key(text: str) -> str:
    """A name folded for comparison: case, '&'/'and', hyphens and full stops do not matter."""
    text = text.casefold().replace("&", " and ").replace("-", " ").replace(".", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _alias_pattern(alias: str) -> str:
    """A regex for an alias tolerating line breaks, '&' for 'and', hyphen or space, 'St' for 'St.'."""
    parts = []
    for word in re.split(r"[\s-]+", alias.replace(".", "")):
        parts.append(r"(?:and|&)" if word.lower() == "and" else re.escape(word) + r"\.?")
    return r"[\s-]+".join(parts)


class Register:
    """All areas, indexed by GSS code, DfE code and name."""

    def __init__(self, areas: list[Authority]):
        self.areas = areas
        self._by_code = {area.code: area for area in areas}
        self._by_dfe: dict[str, list[Authority]] = {}
        self._by_name: dict[str, list[Authority]] = {}
        for area in areas:
            if area.dfe_code:
                self._by_dfe.setdefault(area.dfe_code, []).append(area)
            for name in dict.fromkeys(name_key(n) for n in (area.name, *area.aliases)):
                self._by_name.setdefault(name, []).append(area)

    @staticmethod
    def _of_date(areas: list[Authority] | None, on: date | None) -> Authority | None:
        """Of the areas sharing a name or DfE code, the one that existed ``on`` that day; without
        a day (or when none did), the current one, else the latest to end."""
        if not areas:
            return None
        if on is not None:
            for area in areas:
                if area.valid_on(on):
                    return area
        return max(areas, key=lambda a: (a.valid_to is None, a.valid_to or date.min))

    def get(self, code: str) -> Authority | None:
        """The area with this GSS code, or None."""
        return self._by_code.get(code.strip().upper())

    def find(self, text: str, on: date | None = None) -> Authority | None:
        """The area named by a GSS code, DfE code, name or alias (any case), as it was ``on``
        that day when given (a figure for 2015 named "Dorset" is the former county's); None
        when nothing fits."""
        return (self._by_code.get(text.strip().upper()) or self._of_date(self._by_dfe.get(text.strip()), on)
                or self._of_date(self._by_name.get(name_key(text)), on))

    def lookup(self, text: str, on: date | None = None) -> Authority:
        """The area ``find`` gives; raises LookupError listing close matches when nothing fits."""
        found = self.find(text, on)
        if found:
            return found
        close = difflib.get_close_matches(name_key(text), self._by_name, n=20, cutoff=0.6)
        areas = list(dict.fromkeys(self._of_date(self._by_name[key], on) for key in close))[:3]
        hint = ", ".join(f"{area.name} ({area.code})" for area in areas)
        raise LookupError(f"no area matches {text!r}" + (f"; did you mean {hint}?" if hint else ""))

    def neighbours(self, code: str) -> list[Authority]:
        """The authority's statistical neighbours, closest first."""
        area = self.get(code)
        return [self._by_code[c] for c in area.neighbours if c in self._by_code] if area else []

    def regions(self) -> list[Authority]:
        """The nine English regions, by code."""
        return [area for area in self.areas if area.kind == "region"]

    def england(self) -> Authority:
        """The England record."""
        return next(area for area in self.areas if area.kind == "country")

    def authorities(self) -> list[Authority]:
        """The current local authorities, by code."""
        return [area for area in self.areas if area.kind == "authority"]

    def former(self) -> list[Authority]:
        """The authorities abolished in a reorganisation, by code."""
        return [area for area in self.areas if area.kind == "former"]

    @cached_property
    def _domain_owners(self) -> dict[str, Authority]:
        """Web domain -> the single authority using it."""
        owners: dict[str, list[Authority]] = {}
        for area in self.authorities():
            for domain in area.domains:
                owners.setdefault(domain, []).append(area)
        return {domain: areas[0] for domain, areas in owners.items() if len(areas) == 1}

    @cached_property
    def _name_regex(self) -> re.Pattern[str]:
        """One alternation of every authority name and alias, longest first."""
        names = {name for area in self.authorities() + self.former() for name in (area.name, *area.aliases)}
        alternatives = sorted(names, key=len, reverse=True)
        # names start with a capital (checked case-sensitively), which skips most positions fast
        return re.compile(r"(?<![\w.@-])(?-i:(?=[A-Z]))(?:%s)(?![\w-])"
                          % "|".join(map(_alias_pattern, alternatives)), re.IGNORECASE)

    def _domain_owner(self, host: str) -> Authority | None:
        """The authority whose registered domain is ``host`` or a parent of it."""
        labels = host.lower().rstrip(".").split(".")
        for start in range(len(labels) - 1):
            owner = self._domain_owners.get(".".join(labels[start:]))
            if owner:
                return owner
        return None

    def _name_hit(self, matched: str, on: date | None) -> tuple[Authority, int] | None:
        """The authority a matched name refers to (as of ``on``), and its weight; None for a
        miscased initialism."""
        area = self._of_date(self._by_name.get(name_key(matched)), on)
        if area is None or area.kind not in ("authority", "former"):
            return None
        alias = next(a for a in (area.name, *area.aliases) if name_key(a) == name_key(matched))
        if alias.isupper() and matched != alias:
            return None
        return area, COUNCIL_WEIGHT if _COUNCIL_FORM.search(alias) or alias.isupper() else NAME_WEIGHT

    def scores(self, text: str, on: date | None = None) -> Counter[str]:
        """Evidence for each authority in a text (of ``on`` that day): domains, then names and aliases."""
        scores: Counter[str] = Counter()
        for match in _HOST.finditer(text):
            owner = self._domain_owner(match.group(1))
            if owner:
                scores[owner.code] += DOMAIN_WEIGHT * (2 if match.start() < HEAD_CHARS else 1)
        for match in self._name_regex.finditer(text):
            hit = self._name_hit(match.group(0), on)
            if hit:
                scores[hit[0].code] += hit[1] * (2 if match.start() < HEAD_CHARS else 1)
        return scores

    def detect(self, text: str, on: date | None = None) -> Authority | None:
        """The authority a report (of ``on`` that day, when known) comes from, or None when the
        evidence is weak or split."""
        ranked = self.scores(text, on).most_common(2)
        if not ranked or ranked[0][1] < MIN_SCORE:
            return None
        if len(ranked) == 2 and ranked[0][1] < MIN_MARGIN * ranked[1][1]:
            return None
        return self._by_code[ranked[0][0]]


@cache
def load_register() -> Register:
    """The shipped register."""
    text = (resources.files("scrutiny.schemas") / "authorities.json").read_text(encoding="utf-8")
    return Register([Authority.from_record(record) for record in json.loads(text)])


# ---------------------------------------------------------------- areas named in a clause

@dataclass(frozen=True)
class NamedArea:
    """An authority or region named in a text, at ``start``..``end``."""
    start: int
    end: int
    area: Authority


@cache
def _region_regex() -> re.Pattern[str]:
    names = sorted({area.name for area in load_register().regions()}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:the\s+)?(?-i:(?:%s))(?![\w-])" % "|".join(map(_alias_pattern, names)))


@cache
def _regions_by_key() -> dict[str, Authority]:
    return {name_key(area.name): area for area in load_register().regions()}


def named_areas(text: str, on: date | None = None) -> list[NamedArea]:
    """Every local authority and region named in ``text`` (the owners a figure beside them may
    have), each as it stood ``on`` that date when one is given."""
    register = load_register()
    found = []
    for match in register._name_regex.finditer(text):
        hit = register._name_hit(match.group(0), on)
        if hit:
            found.append(NamedArea(match.start(), match.end(), hit[0]))
    for match in _region_regex().finditer(text):
        if not any(n.start <= match.start() < n.end for n in found):
            key = name_key(re.sub(r"^the\s+", "", match.group(0), flags=re.I))
            found.append(NamedArea(match.start(), match.end(), _regions_by_key()[key]))
    return sorted(found, key=lambda n: n.start)
