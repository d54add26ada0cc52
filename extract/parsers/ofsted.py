"""Ofsted inspections of local authority children's services: the judgements and their grades.

Which report this is comes from ``extract.doctypes``: ILACS (2018 on) and the single
inspection framework (SIF, 2013–2018, re-inspections included) are graded; reports of the
frameworks before 2013 and visit letters carry no judgement on the current scale and are
not handled. Every ILACS report has a table of judgements: four from 2018 (children in
care and care leavers judged together), five from 2023, and from 2026 no overall
effectiveness, which is then not stored. SIF reports give the overall judgement as a
sentence ("Children's services in X are inadequate") and five numbered judgements, adoption
and care leavers apart; a judgement "Not judged" is stored as nothing.

Judgement rows are read from the text of the opening pages, a table row or a line a line,
so a table read as lines works too: a grade may be wrapped into its label ("The impact of
leaders on social work practice with children Good and families"), split around it
("Requires improvement to" … "be good") or sit just above it; labels and grades that
follow each other are paired in order.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator

import regex

from ...schemas.authorities import load_register
from ..doctypes import INSPECTION, DocKind, block_lines, classify, event_dates, published
from ..model import BBox, Document
from ..observation import Context, Observation
from ..registry import AppliesTo, Parser, register

FRONT_PAGES = 3   # the judgements and dates are on the first page; a cover page may come first

# "Requires improvement to" and "be good" may be split around a label; "Not judged" holds a place.
GRADE = r"requires?\s+improvement(?:\s+to(?:\s+be\s+good)?)?|not\s+judged|outstanding|be\s+good|good|inadequate"
NOT_JUDGED = "not judged"
# A grade can be wrapped into a label read as lines: words are separated by space and,
# at most twice between two words, a piece of a grade.
WORD_GAP = rf"[\s|]+(?:(?:{GRADE})[\s|]+){{0,2}}"
# A table reader may split a cell inside a word ("ca | re leavers").
CELL_SPLIT = r"(?:\ \|\ )?"
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


def _word(word: str) -> str:
    return CELL_SPLIT.join(regex.escape(char) for char in word)


def _label_pattern(phrase: str) -> str:
    """A label as it opens a table row: capital first letter, any case after, wrap-tolerant."""
    words = phrase.split()
    return rf"\b(?-i:{words[0][0]}){_word(words[0][1:])}" + "".join(
        WORD_GAP + _word(word) for word in words[1:]) + r"\b"


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
    rf"|children's\s+services\s+(?:in|on)\s+(?:(?!\s(?:are|is|requires?)\b)[^.\n]){{1,80}})"
    rf"(?:\s+(?:are|is))?\s+(?P<grade>{GRADE})\b", regex.I)


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
        for line, block in block_lines(document, FRONT_PAGES):
            segments.append(Segment(offset, block.page_number, block.bbox))
            lines.append(line)
            offset += len(line) + 1
        # the label moves before its grade; the text keeps its length, so offsets hold
        text = SPLIT_GRADE.sub(r"\g<label>\g<gap1>\g<req>\g<gap2>\g<imp>", "\n".join(lines))
        return cls(text, segments)

    def at(self, offset: int) -> Segment:
        """The segment the character at ``offset`` belongs to."""
        return self.segments[bisect.bisect_right(self.segments, offset, key=lambda s: s.start) - 1]


def grade_of(text: str) -> str:
    """The vocabulary's grade: "Requires improvement to be good" is "requires improvement"."""
    text = " ".join(text.lower().split())
    return "requires improvement" if text.startswith("require") else text.removeprefix("be ")


def kind_of(document: Document, ctx: Context) -> DocKind:
    """The document's kind as the pipeline found it, else read from the document."""
    return ctx.doc_kind if ctx.doc_kind is not None else classify(document)


@register("ofsted", "1.1.0", AppliesTo(doc_types=(INSPECTION,)))
class OfstedParser(Parser):
    """Judgements of Ofsted inspections of local authority children's services (ILACS and SIF)."""

    def handles(self, document: Document, ctx: Context) -> bool:
        return kind_of(document, ctx).graded

    def authority(self, document: Document) -> str | None:
        """GSS code of the authority the report's title names, or None when it names none.

        The report's own title is surer than names found anywhere in its text (reports
        mention neighbours and previous employers), so the pipeline should prefer it.
        """
        name = classify(document).authority_name
        if name is None:
            return None
        register = load_register()
        found = register.find(name)
        if found:
            return found.code
        best = register.scores(name).most_common(1)
        return best[0][0] if best else None

    def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
        kind = kind_of(document, ctx)
        if not kind.graded:
            return
        front = FrontText.of(document)
        period = inspection_period(front.text)
        if period is None:
            return
        (start, end), confidence, notes = period
        judgements = table_judgements(front.text)
        if judgements and kind.framework == "sif" \
                and not any(ind == "ofsted_overall_effectiveness" for ind, *_ in judgements):
            judgements += overall_sentence(front.text)
        for indicator, grade, begin, stop in judgements:
            if grade == NOT_JUDGED:
                continue
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
        after = GRADE_RE.search(text, end)
        stop = after.end() if after and _follows(text, end, after.start()) else end
        following = GRADE_RE.search(text, stop)  # "be good" ending the last grade
        if following and grade_of(following[0]) == "good" and following[0].lower().startswith("be") \
                and _follows(text, stop, following.start()):
            stop = following.end()
        grades = _grades(list(GRADE_RE.finditer(text, run[0].start(), stop)))
        if len(run) >= 3 and len(grades) == len(run):
            return [(LABELS[int(label.lastgroup[1:])][0], grade_of(grade[0]),
                     min(label.start(), grade.start()), max(label.end(), grade.end()))
                    for label, grade in zip(run, grades)]
    return []


def _grades(found: list[regex.Match]) -> list[regex.Match]:
    """Grades in order, the "be good" that ends a split "Requires improvement to" left out."""
    kept: list[regex.Match] = []
    for grade in found:
        text = " ".join(grade[0].lower().split())
        if text == "be good" and kept and kept[-1][0].lower().rstrip().endswith("to"):
            continue
        kept.append(grade)
    return kept


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

    An inspection in two stretches ("5 to 9 December 2022 and 14 to 15 February 2023")
    ends in its last. Without dates, the publication date stands in, with low confidence.
    """
    first, last = event_dates(text)
    if first and last:
        return (first, last), 0.95, ()
    day = published(text)
    if day is None:
        return None
    return (day, day), 0.6, ("no inspection dates: the period is the publication date",)
