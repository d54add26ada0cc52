"""Ofsted inspections of local authority children's services: the judgements and their grades.

Two frameworks are read. ILACS (2018 on) opens "Inspection of X (local authority)
children's services", then "Inspection dates", then a table of five judgements (four
before 2023, when children in care and care leavers were judged together). The single
inspection framework (2013–2017) opens with the council's name and "Inspection of
services for children in need of help and protection, ...", gives the overall judgement
as a sentence ("Children's services in X are inadequate", "The overall judgement is
good") and five numbered judgements. Focused and monitoring visits carry no judgement
and are not handled.

Judgement rows are found in the text of the opening pages, so a table read as lines
works too: a grade may be wrapped into its label ("The impact of leaders on social work
Good practice with children and families") or sit just above it; labels and grades
that follow each other are paired in order.
"""
from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

import regex

from ...schemas.authorities import load_register
from ..model import BBox, Document, Table
from ..observation import Context, Observation
from ..registry import AppliesTo, Parser, register

FRONT_PAGES = 3   # the judgements and dates are on the first page; a cover page may come first
TITLE_CHARS = 400  # the report's own title opens the document

GRADE = r"requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate"
# A grade can be wrapped into a label read as lines: words are separated by space and,
# at most once between two words, a grade.
WORD_GAP = rf"[\s|]+(?:(?:{GRADE})[\s|]+)?"
# Between one judgement and the next: spaces, cell separators, numbering such as "2.1".
ROW_GAP = regex.compile(r"[\s|:.\d]*")

LABELS: tuple[tuple[str, str], ...] = (
    ("ofsted_leadership", "The impact of leaders on social work practice with children and families"),
    ("ofsted_help_and_protection", "The experiences and progress of children who need help and protection"),
    ("ofsted_children_in_care", "The experiences and progress of children in care and care leavers"),
    ("ofsted_children_in_care", "The experiences and progress of children in care"),
    ("ofsted_care_leavers", "The experiences and progress of care leavers"),
    ("ofsted_overall_effectiveness", "Overall effectiveness"),
    ("ofsted_help_and_protection", "Children who need help and protection"),
    ("ofsted_children_in_care", "Children looked after and achieving permanence"),
    ("ofsted_adoption", "Adoption performance"),
    ("ofsted_care_leavers", "Experiences and progress of care leavers"),
    ("ofsted_leadership", "Leadership, management and governance"),
)


def _label_pattern(phrase: str) -> str:
    """A label as it opens a table row: capital first letter, any case after, wrap-tolerant."""
    words = phrase.split()
    return rf"\b(?-i:{words[0][0]}){regex.escape(words[0][1:])}" + "".join(
        WORD_GAP + regex.escape(word) for word in words[1:]) + r"\b"


LABEL_RE = regex.compile("|".join(rf"(?P<l{i}>{_label_pattern(phrase)})" for i, (_, phrase) in enumerate(LABELS)),
                         regex.I)
GRADE_RE = regex.compile(rf"\b(?:{GRADE})\b", regex.I)
# A two-line grade beside a one-line label, read as lines: "requires" label "improvement".
SPLIT_GRADE = regex.compile(
    rf"\b(?P<req>requires?)(?P<gap1>[\s|]+)(?P<label>(?:[\d.]+\s+)?(?:{LABEL_RE.pattern}))"
    rf"(?P<gap2>[\s|]+)(?P<imp>improvement(?:\s+to\s+be\s+good)?\b)",
    regex.I)
OVERALL_RE = regex.compile(
    rf"(?:(?:the\s+)?overall\s+judgement\s+is(?:\s+that\s+children's\s+services)?"
    rf"|children's\s+services\s+in\s+(?:(?!\s(?:are|is|requires?)\b)[^.\n]){{1,80}})"
    rf"(?:\s+(?:are|is))?\s+(?P<grade>{GRADE})\b", regex.I)

# The title opens a line: "Inspection of Barnet local authority children's services";
# "the inspection of local authority children's services (ILACS) framework" is not one.
ILACS_TITLE = regex.compile(
    r"(?:^|\n)Inspection\s+of\s+(?P<name>[^|]{3,100}?)\s+(?i:local\s+authority\s+)?(?i:children's\s+services)")
SIF_TITLE = regex.compile(r"\A\s*(?P<name>[^|]{3,100}?)\s+Inspection\s+of\s+services\s+for\s+children\s+in\s+need",
                          regex.I)

MONTH = "|".join(calendar.month_name[1:])
DAY = rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:{MONTH}))?(?:\s+\d{{4}})?"
DATES_RE = regex.compile(rf"Inspection\s+dates?\s*:?\s*(?P<first>{DAY})\s*(?:to|until|–|-)\s*(?P<last>{DAY})",
                         regex.I)
PUBLISHED_RE = regex.compile(rf"Report\s+published\s*:?\s*(?P<last>{DAY})", regex.I)


@dataclass
class Segment:
    """A line of the front text: a table row or a paragraph, where it starts and where it is."""
    start: int
    page: int
    bbox: BBox | None


@dataclass
class FrontText:
    """The opening pages as one text, table rows as cells joined by " | ", with positions."""
    text: str
    segments: list[Segment]

    @classmethod
    def of(cls, document: Document) -> FrontText:
        lines: list[str] = []
        segments: list[Segment] = []
        offset = 0
        for page in document.pages[:FRONT_PAGES]:
            for block in page.blocks:
                rows = ([" | ".join(c for c in row if c.strip()) for row in block.rows]
                        if isinstance(block, Table) else [block.text])
                for row in rows:
                    line = normalise(row)
                    segments.append(Segment(offset, block.page_number, block.bbox))
                    lines.append(line)
                    offset += len(line) + 1
        # the label moves before its grade; the text keeps its length, so offsets hold
        text = SPLIT_GRADE.sub(r"\g<label>\g<gap1>\g<req>\g<gap2>\g<imp>", "\n".join(lines))
        return cls(text, segments)

    def at(self, offset: int) -> Segment:
        """The segment the character at ``offset`` belongs to."""
        return self.segments[bisect.bisect_right(self.segments, offset, key=lambda s: s.start) - 1]


def normalise(text: str) -> str:
    """One line of plain text: straight apostrophes, "children ’ s" closed up, spaces collapsed."""
    text = regex.sub(r"\s*[’‘`']\s*s\b", "'s", text)
    return " ".join(text.split())


def grade_of(text: str) -> str:
    """The vocabulary's grade: "Requires improvement to be good" is "requires improvement"."""
    text = " ".join(text.lower().split())
    return "requires improvement" if text.startswith("require") else text


def opening(document: Document) -> str:
    """The first characters of the document, where its title is."""
    return FrontText.of(document).text[:TITLE_CHARS]


def is_inspection_report(document: Document) -> bool:
    """The document opens with the title of a judgement inspection (not a visit)."""
    text = opening(document)
    return bool(ILACS_TITLE.search(text) or SIF_TITLE.search(text))


@register("ofsted", "1.0.0", AppliesTo(doc_types=("ofsted-inspection",)))
class OfstedParser(Parser):
    """Judgements of Ofsted inspections of local authority children's services (ILACS and SIF)."""

    def handles(self, document: Document, ctx: Context) -> bool:
        return super().handles(document, ctx) or is_inspection_report(document)

    def authority(self, document: Document) -> str | None:
        """GSS code of the authority the report's title names, or None when it names none.

        The report's own title is surer than names found anywhere in its text (reports
        mention neighbours and previous employers), so the pipeline should prefer it.
        """
        text = opening(document)
        found = ILACS_TITLE.search(text) or SIF_TITLE.search(text)
        if found is None:
            return None
        name = " ".join(found["name"].split())
        register = load_register()
        try:
            return register.lookup(name).code
        except LookupError:
            best = register.scores(name).most_common(1)
            return best[0][0] if best else None

    def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
        front = FrontText.of(document)
        period = inspection_period(front.text)
        if period is None:
            return
        (start, end), confidence, notes = period
        judgements = table_judgements(front.text)
        if judgements and not any(ind == "ofsted_overall_effectiveness" for ind, *_ in judgements):
            judgements += overall_sentence(front.text)
        for indicator, grade, begin, stop in judgements:
            segment = front.at(begin)
            yield Observation(
                indicator=indicator, value=grade, unit="grade", period_start=start, period_end=end,
                evidence=" ".join(front.text[begin:stop].split()), page=segment.page, bbox=segment.bbox,
                confidence=confidence, notes=list(notes))


def table_judgements(text: str) -> list[tuple[str, str, int, int]]:
    """(indicator, grade, start, end) of each row of the first judgement table.

    A table is three or more labels in a row with nothing between them but grades,
    spaces and numbering, and the one grade right after the last label; it counts
    only when it has as many grades as labels.
    """
    for run in _runs(list(LABEL_RE.finditer(text)), text):
        end = run[-1].end()
        grades = list(GRADE_RE.finditer(text, run[0].start(), end))
        after = GRADE_RE.search(text, end)
        if after and _follows(text, end, after.start()):
            grades.append(after)
        if len(run) >= 3 and len(grades) == len(run):
            return [(LABELS[int(label.lastgroup[1:])][0], grade_of(grade[0]),
                     min(label.start(), grade.start()), max(label.end(), grade.end()))
                    for label, grade in zip(run, grades)]
    return []


def _runs(labels: list[regex.Match], text: str) -> Iterator[list[regex.Match]]:
    """Labels grouped where only grades, spaces and numbering separate one from the next."""
    run: list[regex.Match] = []
    for label in labels:
        if run and not _follows(text, run[-1].end(), label.start()):
            yield run
            run = []
        run.append(label)
    if run:
        yield run


def _follows(text: str, end: int, start: int) -> bool:
    """Only spaces, cell separators, numbering and grades lie between ``end`` and ``start``."""
    return ROW_GAP.fullmatch(GRADE_RE.sub(" ", text[end:start])) is not None


def overall_sentence(text: str) -> list[tuple[str, str, int, int]]:
    """The single framework's overall judgement, stated as a sentence before the table."""
    m = OVERALL_RE.search(text)
    return [("ofsted_overall_effectiveness", grade_of(m["grade"]), m.start(), m.end())] if m else []


def inspection_period(text: str) -> tuple[tuple[date, date], float, tuple[str, ...]] | None:
    """First and last day of the fieldwork from "Inspection dates: 10 to 21 July 2023",
    with a confidence and notes.

    When the dates list two stretches ("5 to 9 December 2022 and 14 to 15 February
    2023") the period is the first; the second is a return visit. Without dates, the
    publication date stands in, with low confidence.
    """
    m = DATES_RE.search(text)
    last = _date(m["last"], None) if m else None
    first = _date(m["first"], last) if m and last else None
    if first and last:
        return (first, last), 0.95, ()
    m = PUBLISHED_RE.search(text)
    published = _date(m["last"], None) if m else None
    if published is None:
        return None
    return (published, published), 0.6, ("no inspection dates: the period is the publication date",)


def _date(text: str, last: date | None) -> date | None:
    """A day of "10", "10 July", "10 July 2023" or "10/07/2023"; month and year default to ``last``'s."""
    numeric = regex.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if numeric:
        day, month, year = map(int, numeric.groups())
        return _valid(year, month, day)
    m = regex.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({MONTH}))?(?:\s+(\d{{4}}))?", text, regex.I)
    if m is None:
        return None
    month = list(calendar.month_name).index(m[2].capitalize()) if m[2] else None
    if last is None:
        return _valid(int(m[3]), month, int(m[1])) if month and m[3] else None
    month = month or last.month
    year = int(m[3]) if m[3] else last.year - (month > last.month)
    return _valid(year, month, int(m[1]))


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
