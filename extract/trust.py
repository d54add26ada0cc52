"""What a figure in prose is, before it becomes an observation: a level or a change, a count
or a rate, whose figure it is, and whether it sits in a passage about children's social care.

The words are language data (``schemas/lang/en/prose.toml``); these functions read the text
around one figure and say what they find.
"""
from __future__ import annotations

from datetime import date

from ..schemas.authorities import named_areas
from ..schemas.lang import pattern, words
from ..schemas.periods import Period
from ..schemas.relative_periods import preceding
from ..schemas.vocabulary import load_relations
from .numbers import Mention

LANG = "prose"
ENGLAND, REGION, NEIGHBOURS = "ENGLAND", "REGION", "NEIGHBOURS"
OWNER_GAP = 30  # characters between an area's name and its figure
HELD_LEAD = 40  # characters before a figure in which 'remained at' may say its level held
COMPARATOR_BEFORE = 45  # characters before a figure in which a comparator phrase may stand


def _p(key: str):
    return pattern(LANG, key)


CHANGE_SIZE = "a change, not a level"


def not_a_level(before: str, after: str) -> str:
    """Why the figure between ``before`` and ``after`` is the size of a change or an addition, else ''."""
    if _p("change_noun_before").search(before[-70:]) or _p("change_by_before").search(before[-90:]) \
            or _p("difference_after").match(after[:40]):
        return CHANGE_SIZE
    if _p("extra_before").search(before[-20:]):
        return "an addition, not a level"
    if _p("conditional_after").match(after[:30]) or _p("conditional_before").search(before[-40:]):
        return "a figure on a condition, not the one measured"
    return ""


def stands_alone(before: str, after: str) -> bool:
    """'In these cases, 4', '... (provisional outturns) 1': a bare number ending its sentence with
    no word of its own clause, or straight after a bracket."""
    return not after.strip(" .") and (not _p("word_case").search(_p("clause_break").split(before)[-1])
                                      or bool(_p("bracket_end").search(before))) and not _p("predicate_end").search(before)


def is_average(before: str, after: str) -> bool:
    """'Quarter 2 average = 1898', '120 a month': an average of a count, not the count."""
    return bool(_p("average_before").search(before[-100:]) or _p("average_after").match(after[:40]))


def states_rate(before: str, after: str) -> bool:
    """'484 per 10,000', 'rate per 10,000 children was 650.3': the figure is a rate per 10,000."""
    return bool(_p("rate_after").match(after) or _p("rate_before").search(before[-110:]))


def continues_comparison(between: str) -> bool:
    """'(484 per 10,000) now below the national average (465)': a bare number compared with a rate."""
    return len(between) <= 120 and bool(_p("comparison_between").search(between))


def comparator(before: str, after: str) -> str | None:
    """England, the region or the statistical neighbours, named right before or after the figure."""
    before = before[-COMPARATOR_BEFORE:]
    for label, key in ((NEIGHBOURS, "neighbour"), (REGION, "region"), (ENGLAND, "england")):
        if _p(f"{key}_before").search(before) or _p(f"{key}_after").match(after[:40]):
            return label
    return None


def named_owner(sentence: str, begin: int, stop: int, lo: int, hi: int) -> str | None:
    """The code of the authority or region named right before the figure ('Riverside (105)',
    'Riverside, 15%') or right after it ('15% in Riverside'), within its clause [lo, hi)."""
    for area in reversed([a for a in named_areas(sentence[lo:begin]) if lo + a.end <= begin]):
        gap = sentence[lo + area.end:begin]
        if len(gap) <= OWNER_GAP and _p("named_before").fullmatch(gap):
            return area.area.code
        break
    for area in named_areas(sentence[stop:hi]):
        if _p("named_after").fullmatch(sentence[stop:stop + area.start]):
            return area.area.code
        break
    return None


def without_area_names(text: str) -> str:
    """``text`` with the names of areas in it removed ('Leeds children' → 'children')."""
    for area in reversed(named_areas(text)):
        text = text[:area.start] + text[area.end:]
    return text.strip()


def authorities_named(clause: str) -> tuple[str, ...]:
    """Codes of the local authorities named in a clause (a figure there may be theirs)."""
    return tuple(a.area.code for a in named_areas(clause) if a.area.kind == "authority")


def about_other_service(text: str) -> bool:
    """Whether ``text`` (a heading or clause) is about a service other than children's social care."""
    return bool(_p("other_services").search(text))


def says_now(before: str) -> bool:
    """'at the time of this meeting there are 812': the figure is of the paper's own date."""
    return bool(_p("now_before").search(before[-80:]))


def says_current(before: str) -> bool:
    """'there are now 412': the figure is of the latest period the paper reports on."""
    return bool(_p("current_before").search(before[-80:]))


def says_previous(before: str) -> bool:
    """'the previous national average of 17%', 'down from 1,300': an earlier figure, its period unstated."""
    return bool(_p("previous_before").search(before[-60:]) or _p("earlier_from_before").search(before[-40:]))


def spans_periods(gap: str) -> bool:
    """'... between 2019 and 2020': the period bound to the figure is one end of a span."""
    return bool(_p("span_gap").search(gap))


def held_to(sentence: str, begin: int, first: Period, periods: list[Period]) -> Period | None:
    """'37 ... did not change between 2019 and 2020', 'remained at 37 between ...': a level held
    over a span is the level at its later end, the period after ``first`` (the one bound to the
    figure at ``begin``) that the words from just before the figure lead to; else None."""
    if not _p("held_gap").search(sentence[max(0, begin - HELD_LEAD):first.begin]):
        return None
    return next((p for p in periods if p.begin >= first.stop and _p("span_join").match(sentence[first.stop:p.begin])), None)


def of_when_clause(gap: str) -> bool:
    """'in 2009 when 60,900 children were looked after': the period before ``gap`` is the figure's."""
    return bool(_p("when_gap").match(gap))


AMBIGUOUS_QUARTER = "a quarter of a year named alone: a financial or a calendar quarter"


def doubt_ambiguous_quarters(figures) -> None:
    """'at quarter four of 2018': which quarter a bare year's quarter is, is not stated."""
    for fig in figures:
        if fig.period is not None and fig.period.kind == "qcal" and AMBIGUOUS_QUARTER not in fig.doubts:
            fig.doubts.append(AMBIGUOUS_QUARTER)


def unread_period(sentence: str, read: list[tuple[int, int]]) -> bool:
    """'over the year to date, ...': a period the grammar leaves unresolved (outside the
    spans ``read`` of the periods it resolved)."""
    return any(not any(b <= m.start() and m.end() <= e for b, e in read)
               for m in _p("unread_period").finditer(sentence))


def part_of_area(sentence: str) -> bool:
    """'At district level, ...': figures for a part of the council's area."""
    return bool(_p("part_of_area").search(sentence))


RELATIVE = "a period stated only relative to another"
UNDATED_CHANGE = "a change whose periods are not stated"
SUBSET = "a share of a subset"
UNDATED_MONTH = "a month without its year in a paper whose date is unknown"
UNDATED = "no period stated and the paper's date is unknown"
UNDATED_NOW = "'now' in a paper whose date is unknown: later than the latest period it reports"


def period_doubt(period_text: str, dated_paper: bool) -> str:
    """Why a period written next to a figure is uncertain, else ''."""
    if _p("bare_year").match(period_text):
        return "a year alone: the month is not stated"
    if not dated_paper and _p("bare_month").match(period_text.strip()):
        return UNDATED_MONTH
    return ""


def visit_date(text: str) -> date | None:
    """The last day of the visit an inspection letter reports on, else None."""
    hit = _p("visit_date").search(text)
    if hit is None:
        return None
    month = words(LANG, "months").index(hit["month"]) + 1
    try:
        return date(int(hit["year"]), month, int(hit["day"]))
    except ValueError:
        return None


def clause_breaks(sentence: str, lo: int, hi: int) -> list[int]:
    """Ends of clause breaks in ``sentence[lo:hi]``."""
    return [b.end() for b in _p("clause_break").finditer(sentence, lo, hi)]


def units_for(mention: Mention) -> set[str]:
    """The units a figure can have, from its kind and the word written after it."""
    if mention.is_percent:
        return {"percent"}
    if mention.kind == "money":
        return {"gbp"}
    word = mention.unit_word.lower()
    if word == "fte":
        return {"fte"}
    if word.startswith("day"):
        return {"days"}
    if word.startswith("per 10"):
        return {"rate_per_10k"}
    if word in ("cases", "case", "children"):
        return {"cases", "count"}
    return {"count", "cases"}


def mark_rates(sentence: str, mentions: list[Mention]) -> None:
    """'484 per 10,000', 'a rate of 39.6 ... per 10,000': such a number is a rate, and so is a
    bare number compared with it ('... below the national average (465)')."""
    previous: Mention | None = None
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1].begin if i + 1 < len(mentions) else len(sentence)
        if m.kind in ("count", "word") and not m.unit_word.lower().startswith(("fte", "case", "day")):
            before, after = sentence[:m.begin], sentence[m.stop:]
            rate = states_rate(before, after) and "10" in sentence[m.stop:] + before[-110:] \
                or _p("named_rate_before").search(before[-90:])
            follows = previous is not None and previous.unit_word.startswith("per 10") and not m.unit_word \
                and continues_comparison(sentence[previous.stop:m.begin])
            if rate or follows:
                m.unit_word = "per 10,000"
        previous = m
    for m, later in zip(mentions, mentions[1:]):  # 'rose from 72 to 82 per 10,000': both ends are rates
        if m.kind == "count" and not m.unit_word and later.unit_word.startswith("per 10") \
                and _p("change_between").match(sentence[m.stop:later.begin]):
            m.unit_word = later.unit_word


UNGOVERNED = "its subject is not in its clause"


def compared_subject(fig, earlier: list) -> None:
    """'our rate was 70, below the national average (71)': a comparator's figure shares the
    subject of the figure it is compared with."""
    if fig.area is None or UNGOVERNED not in fig.doubts or fig.choice is None:
        return
    if any(e.choice is not None and e.choice.indicator is fig.choice.indicator and UNGOVERNED not in e.doubts
           and not e.skip for e in earlier):
        fig.doubts.remove(UNGOVERNED)


def continued_subject(fig, previous) -> None:
    """'21.7% in Quarter 3, above our local target of 20%', 'fell to 601, a rate of 97 per 10,000':
    a figure set straight beside the one before it shares that figure's subject (or its rate or count)."""
    if previous is None or UNGOVERNED not in fig.doubts or fig.choice is None or previous.choice is None:
        return
    own, earlier = fig.choice.indicator.id, previous.choice.indicator.id
    if previous.skip or UNGOVERNED in previous.doubts or (own != earlier and earlier not in load_relations().siblings(own)):
        return
    if _p("continues_figure").match(fig.sentence[previous.mention.stop:fig.mention.begin]):
        fig.doubts.remove(UNGOVERNED)


def compared_earlier(current, earlier) -> None:
    """'71% in Q2, compared with 63% in the previous quarter': the figure a current one is
    compared with takes the period it is stated relative to."""
    period = preceding(earlier.sentence[earlier.mention.stop:], current.period)
    if period is not None:
        earlier.period, earlier.period_source = period, "pair"
        earlier.skip = "" if earlier.skip == RELATIVE else earlier.skip
