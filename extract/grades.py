"""Ofsted grades of the council's children's services stated in a paper's prose.

'Children's services were judged "Good" by Ofsted, with adoption rated "Outstanding"': each
grade belongs to the judgement areas named in the words before it (after the previous grade),
else to overall effectiveness. A segment must name the children's services and Ofsted or an
inspection; grades of schools, homes and other providers are not the council's.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..schemas.lang import data, pattern
from ..schemas.periods import Period, find_periods

LANG = "grades"
OVERALL = "ofsted_overall_effectiveness"


@dataclass(frozen=True)
class Grade:
    """One grade and the judgement it is of, at ``begin``..``stop`` of its text."""
    indicator: str
    value: str
    begin: int
    stop: int
    earlier: bool = False  # its sentence names an earlier inspection or a year: its date is not the paper's
    inspected: Period | None = None  # the month of the inspection it is of, when stated after it


def grades_in(text: str) -> list[Grade]:
    """The grades of the council's children's services stated in ``text``."""
    if not (pattern(LANG, "about_inspection").search(text) and pattern(LANG, "about_childrens_services").search(text)):
        return []
    found: list[Grade] = []
    previous = 0
    for m in pattern(LANG, "grade").finditer(text):
        lead = text[previous:m.start()]
        previous = m.end()
        if pattern(LANG, "other_provider").search(lead[-60:]):
            continue
        value = _value(m["grade"] or m["grade2"] or m["grade3"])
        earlier = bool(pattern(LANG, "earlier_inspection").search(_sentence(text, m.start(), m.end())))
        inspected = _inspected(text, m.end())
        found.extend(Grade(indicator, value, m.start(), m.end(), earlier, inspected) for indicator in _areas(lead))
    return found


def _inspected(text: str, stop: int) -> Period | None:
    """'... a "Good" judgement in the inspection undertaken in May 2017': the month (with its
    year) of the inspection named straight after a grade ending at ``stop``, else None."""
    for p in find_periods(text[stop:stop + 160], None):
        if p.kind in ("month", "date") and not p.point and pattern(LANG, "inspected_after").match(text[stop:stop + p.begin]):
            return p
    return None


def _sentence(text: str, begin: int, stop: int) -> str:
    start = text.rfind(". ", 0, begin) + 1
    end = text.find(". ", stop)
    return text[start:end if end >= 0 else len(text)]


def _value(text: str) -> str:
    text = text.lower()
    return "requires improvement" if text.startswith("requir") else text


def _areas(lead: str) -> list[str]:
    """The judgement areas named in the words leading to a grade (overall when none)."""
    named = [indicator for indicator, names in data(LANG)["areas"].items()
             if any(regex.search(rf"\b{regex.escape(n)}\b", lead, regex.I) for n in names)]
    return named or [OVERALL]
