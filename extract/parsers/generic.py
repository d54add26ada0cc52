"""The generic parser: figures in prose and tables of any council paper."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Iterable, Iterator

import regex

from ...schemas.lang import pattern
from ...schemas.periods import Period, find_periods, month_end, period_spans
from ..flattened import rebuild
from ..frontmatter import GUESSED_CONFIDENCE, estimate_meeting_date
from ..model import Document, Heading, Paragraph, Table
from ..observation import Context, Observation
from ..prose import Figure, Segment, reference_period, segment_figures
from ..registry import Parser, register
from ..tables import TableContext, area_code, clean, table_figures
from ..grades import grades_in
from ..doctypes import INSPECTION
from ..trust import UNDATED, UNDATED_MONTH, UNDATED_NOW, period_doubt, visit_date

BULLETS = "•▪●◦‣∙·○■□➢\uf0b7\uf0a7"  # the last two: Symbol and Wingdings bullets of Word PDFs
ITEM_START = regex.compile(rf"(?:^|\n)\s*(?:[{BULLETS}–-]|\*(?!\*))\s+|\s*•\s*|\s[·∙▪●]\s+|\n")
COMPARATOR_AREAS = {"ENGLAND": "E92000001"}
VISIT_CHARS = 4000  # an inspection letter names its visit in its opening
DOUBT = 0.35  # confidence lost for each doubt about a figure: one doubt sends it to review
# Doubts only about the year or month a figure of an undated paper is read against, when that
# paper's date is estimated from the latest period it reports on, cost less: measured on the
# development pages, a month without its year is then read right about 7 times in 8 (0.9 - 0.25
# exports it), and a figure with no period of its own takes the right period 15 times in 16
# (its other errors were of subject and scope, which dated papers share): 0.7 - 0.1 exports it.
# 'Now' after a dated figure of the same indicator is later than that period: a full doubt.
DATE_DOUBTS = {UNDATED_MONTH: 0.25, UNDATED: 0.1}


def paper_date(document: Document, ctx: Context) -> date | None:
    """The date the paper's figures stand at, when it states one: the day of the visit an
    inspection letter reports on, else the meeting date."""
    visit = visit_date(document.text()[:VISIT_CHARS])
    if visit and (ctx.meeting_date is None or visit <= ctx.meeting_date):
        return visit
    return ctx.meeting_date


def reference_date(document: Document, ctx: Context) -> tuple[date | None, bool]:
    """The paper's own date, else the one its text implies (``estimate_meeting_date``), and
    whether that date is firm: stated, or the latest period the paper reports on (not only a
    date it compares with, which it is later than)."""
    own = paper_date(document, ctx)
    if own:
        return own, True
    estimate = estimate_meeting_date(document.text())
    return (estimate.when, estimate.confidence >= GUESSED_CONFIDENCE) if estimate else (None, False)


def segments(document: Document) -> Iterator[Segment | tuple[Table, TableContext]]:
    """Prose segments (list items carry their lead-in) and tables with what is above them."""
    heading, paragraph = "", ""
    for n, block in enumerate(_rejoined(rebuild(document.blocks(), None))):
        if isinstance(block, Heading) or (n == 0 and isinstance(block, Paragraph) and _is_title(block.text)):
            heading, paragraph = block.text, ""
        elif isinstance(block, Paragraph):
            question = paragraph if pattern("prose", "question").search(paragraph) else ""
            yield from _split(block.text, block.page_number, block.bbox, heading, question)
            paragraph = block.text
        elif isinstance(block, Table):
            yield block, TableContext(heading, paragraph)
            for row in block.rows:
                for cell in row:
                    if len(clean(cell).split()) >= 4:
                        yield from _split(cell, block.page_number, block.bbox, heading)


TITLE_WORDS = 12


def _is_title(text: str) -> bool:
    """A plain text's opening paragraph that is short and unpunctuated is its title."""
    words = text.split()
    return 0 < len(words) <= TITLE_WORDS and text.rstrip()[-1] not in ".!?:;," and regex.search(r"[^\W\d_]", text) is not None

UNFINISHED = regex.compile(r"(?:\b(?:of|to|at|the|a|an|and|or|with|by|for|from|in|on|is|was|were|are|be|than)|,)\s*,?\s*$")
STRAY_COMMA = regex.compile(r"\s+,\s*$")  # a stray mark some PDFs leave at a cut line's end
CONTINUES = regex.compile(r"^\s*(?:[a-z]|\d[\d,.]*\s+[a-z])")
CUT_WORD = regex.compile(r"\b(?:of|to|at|the|a|an|with|by|for|from|in|on|than)\s*,?\s*$")  # no sentence ends so


def _rejoined(blocks: Iterable) -> Iterator:
    """Paragraphs as written: a PDF paragraph cut mid-sentence ('... caseloads of' / '20 per
    worker. ...', '... at the end of' / 'November 2024. ...') is joined to the paragraph that
    continues it on the same page."""
    held: Paragraph | None = None
    for block in blocks:
        if held is not None and isinstance(block, Paragraph) and block.page_number == held.page_number \
                and _continues(held.text, block.text):
            text = f"{STRAY_COMMA.sub('', held.text)} {block.text.lstrip()}"
            held = replace(held, text=text, bbox=held.bbox.union(block.bbox) if held.bbox else block.bbox)
            continue
        if held is not None:
            yield held
            held = None
        if isinstance(block, Paragraph) and UNFINISHED.search(block.text):
            held = block
        else:
            yield block
    if held is not None:
        yield held


def _continues(held: str, text: str) -> bool:
    """Whether ``text`` carries on the sentence ``held`` broke off: it opens in lower case, or
    ``held`` ends on a word no sentence ends with and ``text`` opens with a period ('... at the
    end of' / 'November 2024. ...')."""
    if CONTINUES.match(text):
        return True
    return bool(CUT_WORD.search(held)) and any(begin == len(text) - len(text.lstrip()) for begin, _ in period_spans(text[:40]))


def _split(text: str, page: int, bbox, heading: str, question: str = "") -> Iterator[Segment]:
    """A paragraph as list items; an item carries the last plain line before the list (its
    lead-in), and every segment the question the paragraph answers."""
    lead = ""
    for bulleted, part in _items(text):
        part = clean(part)
        if not part:
            continue
        if not bulleted and len(part.split()) <= 8 and not regex.search(r"\d", part):
            lead = part.rstrip(":")
            continue
        yield Segment(f"{lead}: {part}" if lead and bulleted else part, page, bbox, heading, question)


def _items(text: str) -> Iterator[tuple[bool, str]]:
    """(is a bullet item, text) for each line or bullet of ``text``."""
    pos, bulleted = 0, False
    for m in ITEM_START.finditer(text):
        yield bulleted, text[pos:m.start()]
        pos, bulleted = m.end(), bool(m.group(0).strip())
    yield bulleted, text[pos:]


@register("generic", "0.1.0")
class GenericParser(Parser):
    """Figures stated in any council paper's prose and tables."""

    def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
        (ref, firm), dated = reference_date(document, ctx), paper_date(document, ctx)
        grade_period = reference_period(ref) if ref else None
        figures: list[Figure] = []
        found: list[Observation] = []
        scope, heading = None, ""
        for item in segments(document):
            if isinstance(item, Segment):
                scope = stated_scope(item.text, ref, dated) or (scope if item.context == heading else None)
                heading = item.context
                figures.extend(segment_figures(replace(item, scope=scope), ref))
                found.extend(_grades(item, grade_period, dated, firm))
            else:
                found.extend(_from_table(*item, ref, ctx))
        fallback = reporting_period(figures, found, ref)
        stated = {(f.choice.indicator.id, f.area, f.period.end) for f in figures
                  if f.choice and f.period and f.period_source in STATED and not f.skip}
        found.extend(obs for obs in (_from_figure(fig, fallback, ctx, dated, firm, stated) for fig in figures)
                     if obs is not None)
        return found


STATED = ("right", "left", "coordinated", "sentence")
# Measured on the Ofsted reports: of 25 exported prose figures sampled by hand, 17 were right. An
# inspection's narrative quotes figures for its argument, often of a part of a group ('53% of
# whom are taught in the borough', '205 (42%) placed out of county'); its judgements come from
# the Ofsted parser, and these figures wait in review.
INSPECTION_NARRATIVE = "a figure in an inspection report's narrative, often of a part of a group"


def stated_scope(text: str, ref: date | None, dated: date | None) -> Period | None:
    """'A summary of activity for the period 2021/22', 'the report set out performance as at
    February 2018': the latest period ``text`` says a paper's figures are for (read against
    ``ref``), up to the paper's own date ``dated`` when it states one. It holds for the figures
    after it under the same heading."""
    if not pattern("prose", "scope_hint").search(text):
        return None
    cue = pattern("prose", "scope_before")
    said = [p for p in find_periods(text, ref) if not p.relative and not p.text.isdigit()
            and cue.search(text[max(0, p.begin - 120):p.begin]) and (dated is None or p.end <= dated)]
    return max(said, key=lambda p: p.end, default=None)


def reporting_period(figures: list[Figure], tabled: list[Observation], ref: date | None) -> Period | None:
    """The latest month the paper reports figures for, up to the meeting: the period of a
    figure stated with none of its own. Without dated figures, the reference month."""
    if ref is None:
        return None
    ends = [f.period.end for f in figures if f.period and f.period_source in STATED and f.choice
            and not f.skip and f.qualifier == "actual" and f.period.end <= ref]
    ends += [o.period_end for o in tabled if o.period_end and o.period_end <= ref
             and o.unit != "grade" and o.qualifier == "actual"]
    if not ends:
        return reference_period(ref)
    latest = max(ends)
    return Period(date(latest.year, latest.month, 1), latest, "latest period reported")


def _from_figure(fig: Figure, fallback: Period | None, ctx: Context, dated: date | None,
                 firm: bool, stated: set[tuple]) -> Observation | None:
    """The observation of one figure; ``dated`` is the paper's own date when it states one,
    ``firm`` whether the date it is read against is stated or estimated from what it reports,
    ``stated`` the (indicator, owner, period end) of the figures whose period is written."""
    if fig.skip or fig.choice is None:
        return None
    period, confidence, doubts = fig.period, 0.9, list(fig.doubts)
    if fig.period_source == "now" and dated:
        period, confidence = reference_period(dated), 0.8
    elif period is None or (fig.qualifier == "target" and fig.period_source == "paragraph"):
        if fallback is None:
            return None
        period, confidence = fallback, 0.7  # a target applies now, not when the figure before it did
        # 'In March 2023 there were 390 ... there are now 412', '412, down from 455 in March': later than March
        later = fig.period_source in ("now", "current") and (fig.choice.indicator.id, fig.area, fallback.end) in stated
        if dated is None:
            doubts.append(UNDATED_NOW if later else UNDATED)
        elif later:
            period = reference_period(dated)
    else:
        if fig.period_source in ("paragraph", "sentence"):
            confidence -= 0.1
        period = _official_year(period, fig.choice.indicator)
        doubts += [d for d in [period_doubt(period.text, dated is not None)] if d]
    if fig.choice.in_context:
        confidence -= 0.1
    if fig.mention.approx:
        confidence -= 0.05
    doubts += (["another authority is named in its clause"]
               if any(code != ctx.authority_code for code in fig.clause_areas) else [])
    doubts += [INSPECTION_NARRATIVE] if ctx.doc_type == INSPECTION else []
    confidence -= _cost(doubts, firm)
    area = _area_code(fig.area, ctx)
    if fig.area and area is None and fig.area != ctx.authority_code:
        return None  # another authority's figure, or a comparator we cannot place
    seg = fig.segment
    return Observation(
        indicator=fig.choice.indicator.id, value=float(fig.value), unit=fig.choice.indicator.unit,
        period_start=period.start, period_end=period.end, evidence=fig.sentence, page=seg.page,
        bbox=seg.bbox, breakdown=fig.breakdown, qualifier=fig.qualifier, area_code=area,
        confidence=round(max(confidence, 0.05), 2), notes=doubts)


def _cost(doubts: list[str], firm: bool) -> float:
    """Confidence lost to ``doubts``; ``firm`` when the date they are read against is stated or
    estimated from what the paper reports."""
    return sum(DATE_DOUBTS.get(d, DOUBT) if firm else DOUBT for d in doubts)


def _official_year(period: Period, indicator) -> Period:
    """'385 in 2019' of a statistic published at or to 31 March: the year ending that March."""
    if not period.text.isdigit() or "31 March" not in indicator.source:
        return period
    year = int(period.text)
    start = date(year, 3, 1) if "at 31 March" in indicator.source else date(year - 1, 4, 1)
    return Period(start, date(year, 3, 31), f"{period.text} (to 31 March)")


def _area_code(label: str | None, ctx: Context) -> str | None:
    """The stored area of a figure's owner; None for the reporting authority and for an owner
    that cannot be stored (another authority, or a comparator of an unknown authority)."""
    if label is None:
        return None
    if label == "ENGLAND":
        return COMPARATOR_AREAS[label]
    if ctx.authority_code is None:
        return None
    if label == "NEIGHBOURS":
        return f"SN-{ctx.authority_code}"
    from ...schemas.authorities import load_register
    authority = load_register().get(ctx.authority_code)
    region = authority.region_code if authority else None
    if label == "REGION":
        return region
    return None if label == ctx.authority_code else (region if label == region else None)


def _grades(segment: Segment, fallback, dated: date | None, firm: bool) -> Iterator[Observation]:
    """'Children's services were judged "Good" by Ofsted': grades of the council's services,
    their doubts costing what a figure's do."""
    if fallback is None:
        return
    for g in grades_in(segment.text):
        doubts = [] if g.inspected else (([] if dated else [UNDATED]) +  # its inspection's month is stated
                                         (["a grade of an earlier inspection"] if g.earlier else []))
        period = g.inspected or fallback  # the month of the inspection it is of, when stated
        yield Observation(
            indicator=g.indicator, value=g.value, unit="grade", period_start=period.start,
            period_end=period.end, evidence=segment.text[max(0, g.begin - 80):g.stop + 40],
            page=segment.page, bbox=segment.bbox, confidence=round(0.7 - _cost(doubts, firm), 2), notes=doubts)


def _from_table(table: Table, tctx: TableContext, ref: date | None, ctx: Context) -> Iterator[Observation]:
    for cf in table_figures(table.rows, tctx, ref):
        area = area_code(cf.area, ctx.authority_code)
        if area == "":
            continue  # a comparator of an authority that is not known
        yield Observation(
            indicator=cf.indicator, value=cf.value, unit=cf.unit, period_start=cf.period.start,
            period_end=month_end(cf.period.end.year, cf.period.end.month), evidence=cf.evidence,
            page=table.page_number, bbox=table.bbox, breakdown=cf.breakdown, qualifier=cf.qualifier,
            area_code=area, confidence=0.9)
