"""Figures from prose, sentence by sentence.

A spaCy pipeline (blank English, sentencizer, token Matcher for cue words) splits
the text and marks targets, forecasts, comparators and subsets; ``regex`` finds the
figures and periods. Each figure is then given an indicator (``subjects.choose``),
a period (the one written next to it, else the sentence's, else the paragraph's,
else the reference month at lower confidence), a qualifier, an area and a breakdown.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Iterator

import regex

from ..schemas.authorities import named_areas
from ..schemas.periods import Period, find_periods, month_end
from ..schemas.relative_periods import sentence_periods
from .model import BBox
from .numbers import MAY_HOLD_FIGURE, Mention, find_mentions, may_hold_mention
from ..schemas.vocabulary import load_vocabulary
from .subjects import BREAK, Anchor, Choice, choose, phrasings
from .siblings import as_rate, in_units, restated
from . import counts, ranges, trust
from .changes import UNDATED_EARLIER, change_pairs, inherit_pair_periods
from .breakdowns import breakdown_of
from ..schemas.lang import data, pattern

LOOKBACK = 80  # characters before a figure in which a cue applies to it


def _pattern(key: str) -> regex.Pattern:
    """A pattern of the prose language data (``schemas/lang/en/prose.toml``)."""
    return pattern("prose", key)

@dataclass
class Segment:
    """A stretch of prose with what it sits under."""
    text: str
    page: int
    bbox: BBox | None
    context: str
    question: str = ""  # the paragraph before, when it asks what this one answers
    scope: Period | None = None  # the period the paper says its figures are for ('activity for 2021/22')


@dataclass
class Figure:
    """A figure found in a sentence, before it becomes an Observation."""
    mention: Mention
    sentence: str
    segment: Segment
    choice: Choice | None = None
    period: Period | None = None
    period_source: str = ""
    qualifier: str = "actual"
    area: str | None = None
    breakdown: str = ""
    value: float | str = 0.0
    skip: str = ""
    doubts: list[str] = field(default_factory=list)  # why the figure may be wrong (lowers confidence)
    clause_areas: tuple[str, ...] = ()  # codes of the authorities named in its clause
    children: list["Figure"] = field(default_factory=list)


@lru_cache(maxsize=1)
def nlp():
    """Blank English with a sentencizer (imported on first use: a re-ingest of unchanged files never needs it)."""
    import spacy

    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


@lru_cache(maxsize=1)
def cue_matcher():
    from spacy.matcher import Matcher

    matcher = Matcher(nlp().vocab)
    for label, patterns in data("prose")["cues"].items():
        matcher.add(label, [[_token(t) for t in pattern] for pattern in patterns])
    return matcher


def _token(spec: str) -> dict:
    """A Matcher token from cue data: 'a|b' is any of those words, a final '?' makes it optional."""
    words = spec.rstrip("?").split("|")
    return {"LOWER": {"IN": words}, **({"OP": "?"} if spec.endswith("?") else {})}


SECTION_NUMBER = regex.compile(r"^\s*(?:[-•*]\s*)?\d{1,2}(?:\.\d{1,2})*(?:\.?\s+|\.(?=[A-Z]))(?=[A-Z(‘'\"*])")


def strip_numbering(text: str) -> str:
    """'2.2 The service comprises ...' → 'The service comprises ...'."""
    return SECTION_NUMBER.sub("", text, count=1)


def sentences(text: str) -> list[str]:
    """Sentences, with semicolons also ending one (each clause states its own figure)."""
    out = []
    for sent in nlp()(text).sents:  # its text by offsets: Span.text joins its tokens
        out.extend(strip_numbering(part.strip()) for part in text[sent.start_char:sent.end_char].split(";") if part.strip())
    return out


def cues(sentence: str) -> list[tuple[str, int, int]]:
    doc = nlp().make_doc(sentence)
    return [(nlp().vocab.strings[mid], doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for mid, s, e in cue_matcher()(doc)]


def figures_in(sentence: str, segment: Segment, ref: date | None, carried: Period | None,
               topic: Choice | None = None) -> list[Figure]:
    """Every figure in one sentence that can be given an indicator and a period."""
    # no figure: no period needed
    periods = sentence_periods(sentence, segment.text, ref, carried) if may_hold_mention(sentence) else []
    mentions = counts.change_ends(sentence, find_mentions(sentence, [(p.begin, p.stop) for p in periods]), periods)
    mentions = [m for m in mentions if ranges.admitted(m, sentence)]
    mentions = [m for m in mentions if not _restates_percent(m, mentions)]
    trust.mark_rates(sentence, mentions)
    found = _attach_parentheticals([Figure(m, sentence, segment) for m in mentions])
    if not found:
        return []
    sentence_cues = cues(sentence)
    asked = bool(_pattern("asked").search(sentence))
    pairs = change_pairs(found)
    for i, fig in enumerate(found):
        _skip_reason(fig)
        _choose_indicator(fig, found)
        topic = _follow_topic(fig, topic, found[:i])
    _share_in_pairs(found, pairs)
    for fig in found:
        counts.share_of_named_group(fig, found)
        if fig.choice is not None and not counts.noun_fits(fig):
            fig.skip = fig.skip or "counts something else"
        elif counts.counts_part(fig):
            fig.skip = fig.skip or "counts a part of the group (an age, a placement, what some of them do)"
        _check_kind(fig, found)
        _check_scope(fig, found)
        if asked:
            fig.doubts.append("a figure in a question: quoted, perhaps, not reported")
    _bind_periods(found, periods, pairs, carried)
    trust.doubt_ambiguous_quarters(found)
    counts.date_change_ends(found, periods)
    ranges.split_ends(found)
    for i, fig in enumerate(found):
        fig.qualifier = _qualifier(fig, sentence_cues, found[i - 1] if i else None)
        _bind_deadline(fig, periods, found[i + 1] if i + 1 < len(found) else None)
        if fig.qualifier != "actual":  # a target or forecast needs no period of its own
            fig.skip = "" if fig.skip == UNDATED_EARLIER else fig.skip
            fig.doubts = [d for d in fig.doubts if d != trust.UNDATED_CHANGE]
        fig.area = _area(fig, sentence_cues, found)
        trust.compared_subject(fig, found[:i])
        trust.continued_subject(fig, found[i - 1] if i else None)
        _check_section(fig)
        fig.breakdown = breakdown_of(fig, found, _own_clause(fig, found))
        counts.part_of_total(fig, found)
        fig.value = -fig.mention.value if _pattern("negative_after").match(sentence[fig.mention.stop:]) else fig.mention.value
        for child in fig.children:
            child.period, child.period_source = fig.period, fig.period_source
            child.qualifier, child.area, child.breakdown = fig.qualifier, fig.area, fig.breakdown
            child.value = child.mention.value
            child.skip, child.doubts = child.skip or fig.skip, child.doubts + fig.doubts
            child.clause_areas = fig.clause_areas
            counts.doubt_undated_share(child, fig)
    return found


def _check_kind(fig: Figure, found: list[Figure]) -> None:
    """A count is a whole number (a fractional number of workers is FTE), an average of a
    count is not the count, and a number of workers is not a caseload."""
    if fig.choice is not None and fig.choice.indicator.unit == "cases" and _pattern("workers_after").match(fig.sentence[fig.mention.stop:]):
        fig.skip = fig.skip or "counts workers, not their cases"
    if fig.choice is None or fig.choice.indicator.unit != "count" or fig.mention.kind not in ("count", "word"):
        return
    m = fig.mention
    if m.value != int(m.value):
        fte = load_vocabulary().get(regex.sub(r"_(?:count|headcount)$", "_fte", fig.choice.indicator.id))
        if fte is not None and fte.id != fig.choice.indicator.id:
            fig.choice = Choice(fte, fig.choice.cost, fig.choice.in_context, fig.choice.governs)
        else:
            fig.skip = fig.skip or "a count is a whole number"
        return
    lo, _ = _own_clause(fig, found)
    if trust.is_average(fig.sentence[lo:m.begin], fig.sentence[m.stop:]):
        fig.skip = fig.skip or "an average, not a total"


def _check_scope(fig: Figure, found: list[Figure]) -> None:
    """The indicator's subject must govern the figure (else a doubt), and its clause must not be
    about another service."""
    if fig.choice is None:
        return
    lo, hi = _own_clause(fig, found)
    if not fig.choice.governs:
        fig.doubts.append(trust.UNGOVERNED)
    elif trust.about_other_service(fig.sentence[lo:hi]):
        fig.doubts.append("its clause is about another service")


def _check_section(fig: Figure) -> None:
    """In a section about another service, a figure whose subject is neither in its clause nor
    shared with the figure it is set beside or compared with yields nothing."""
    if trust.UNGOVERNED in fig.doubts and trust.about_other_service(fig.segment.context.split("\n")[0]):
        fig.skip = fig.skip or "a section about another service"


def _restates_percent(m: Mention, mentions: list[Mention]) -> bool:
    """'43.3% ... (88/203)': a fraction giving a percentage stated in the same sentence."""
    return m.kind == "fraction" and "/" in m.text and any(
        o.kind == "percent" and abs(o.value - m.value) <= 0.15 for o in mentions)


def _attach_parentheticals(found: list[Figure]) -> list[Figure]:
    """'26% (56 posts)': the bracketed figure restates the one before it."""
    out: list[Figure] = []
    for fig in found:
        if out and fig.mention.kind != "range" and regex.fullmatch(r"\s*\(\s*", fig.sentence[out[-1].mention.stop:fig.mention.begin]) \
                and not counts.opens_levels(fig):
            parent = out[-1]
            parent.children.append(fig)
            continue
        out.append(fig)
    return out


def _skip_reason(fig: Figure) -> None:
    s, m = fig.sentence, fig.mention
    before, after = s[:m.begin], s[m.stop:]
    if _pattern("delta_before").search(before[-40:]):
        fig.skip = trust.CHANGE_SIZE
    elif trust.not_a_level(before, after):
        fig.skip = trust.not_a_level(before, after)
    elif trust.stands_alone(before, after):
        fig.skip = "a number standing alone (a page or note number)"
    elif _pattern("subset_after").match(after):
        fig.skip = trust.SUBSET
    elif _pattern("remaining_before").search(before[-25:]) or _pattern("negated_after").match(after):
        fig.skip = "a complement or negation"
    elif _pattern("relative_period").match(after):
        fig.skip = trust.RELATIVE
    elif _pattern("duration_before").search(before[-40:]):
        fig.skip = "a length of time"
    elif _pattern("percent_range_after").match(after) or (m.is_percent and _pattern("percent_range_before").search(before)):
        fig.skip = "an end of a range of percentages"


def _own_clause(fig: Figure, found: list[Figure]) -> tuple[int, int]:
    s, m = fig.sentence, fig.mention
    prev = max([f.mention.stop for f in found if f.mention.stop <= m.begin] + [0])
    nxt = min([f.mention.begin for f in found if f.mention.begin >= m.stop] + [len(s)])
    left = [b.end() for b in _pattern("clause_break_case").finditer(s, prev, m.begin)]
    right = [b.start() for b in _pattern("clause_break_case").finditer(s, m.stop, nxt)]
    return (left[-1] if left else prev), (right[0] if right else nxt)


def _choose_indicator(fig: Figure, found: list[Figure]) -> None:
    m, s = fig.mention, fig.sentence
    anchor = _anchor(fig, found)
    fig.choice = as_rate(choose(s, fig.segment.context, anchor, trust.units_for(m)), fig) if m.kind != "range" \
        else ranges.measured(s, fig.segment.context, anchor, m)
    for child in fig.children:
        child.choice = restated(fig.choice, child.mention) or (counts.count_of_share(child) if fig.choice is None else None)


def _anchor(fig: Figure, found: list[Figure]) -> Anchor:
    m, s = fig.mention, fig.sentence
    stop = fig.children[-1].mention.stop + 1 if fig.children else m.stop
    others = [(f.mention.begin, f.mention.stop) for f in found  # the size of a change ('by 8.5%') holds no subject
              if f is not fig and f.skip != trust.CHANGE_SIZE]
    anchor = Anchor(m.begin, stop, others, own=_own_clause(fig, found),
                    unit_stated=m.unit_word.lower() in ("cases", "case"))
    if m.is_percent and _pattern("denominator").match(s[stop:]):
        anchor.right_weight = 5.0  # "N% of the establishment": the subject is stated before
    elif m.is_percent and regex.match(r"\s*(?:\([^)]*\)\s*)?of\b", s[stop:]):
        anchor.right_weight, anchor.left_weight = 0.5, 1.5
    if _pattern("predicate").search(s[max(0, m.begin - 40):m.begin]):
        anchor.subject = _subject_span(s, m.begin)
    elif _pattern("anaphor_before").search(s[max(0, m.begin - 70):m.begin]):
        anchor.subject = _opening_subject(s)
    return anchor


SUBJECT_CHARS = 60
SUBJECT_MAX_CHARS = 120  # a long subject ends at its verb: 'The proportion of children subject to a second ... plan has ...'


def _subject_span(s: str, begin: int) -> tuple[int, int]:
    """The opening words of the figure's clause: its grammatical subject when the figure is the predicate."""
    breaks = [0] + [b.end() for b in BREAK.finditer(s, 0, begin)]
    i = len(breaks) - 1
    while i > 0 and len(s[breaks[i]:begin].split()) <= 5:  # ", but currently equates to 15%": the subject is before
        i -= 1
    start = breaks[i]
    verb = _pattern("subject_verb").search(s, start, min(begin, start + SUBJECT_MAX_CHARS))
    return start, verb.start() if verb else min(begin, start + SUBJECT_CHARS)  # the noun phrase before its verb


def _opening_subject(s: str) -> tuple[int, int] | None:
    """The noun phrase opening a sentence, up to its verb (not one of a relative clause: 'care
    leavers who are in education ... has'): what 'the measure' later in it refers to."""
    for verb in _pattern("subject_verb").finditer(s, 0, SUBJECT_MAX_CHARS):
        if not _pattern("relative_pronoun_before").search(s[:verb.start()]):
            return 0, verb.start()
    return None


def _share_in_pairs(found: list[Figure], pairs: dict[int, int]) -> None:
    for a, b in pairs.items():
        fa, fb = found[a], found[b]
        a, b = fa.choice, fb.choice  # the subject of a change is stated before it ...
        shared = b if a is None or (a.in_context and b is not None and not b.in_context) else a
        if shared is not None:  # ... unless only the later figure's subject is in the sentence
            governs = any(c is not None and c.indicator is shared.indicator and c.governs for c in (a, b))
            for fig in (fa, fb):  # a subject governing one end governs the change ('from 72 to 82 per 10,000': as rates)
                rate = in_units(shared, {"rate_per_10k"}) if fig.mention.unit_word.startswith("per 10") else None
                fig.choice = replace(rate or shared, governs=governs)


def _bind_periods(found: list[Figure], periods: list[Period], pairs: dict[int, int], carried: Period | None) -> None:
    """Give each figure that has a subject the period written next to it (figures without
    one neither take nor block a period)."""
    s = found[0].sentence
    since = {id(p) for p in periods if _pattern("since_before").search(s[:p.begin])}
    live = [f for f in found if f.choice is not None]
    starts = [f.mention.begin for f in live]
    for i, fig in enumerate(live):
        m = fig.mention
        nxt = starts[i + 1] if i + 1 < len(live) else len(s)
        starts_change = _pattern("from_before").search(s[:m.begin])  # 'from 855 since November': the change's start
        right = [p for p in periods if m.stop <= p.begin < nxt and _pattern("right_period_gap").match(s[m.stop:p.begin])
                 and (id(p) not in since or starts_change)
                 and not (p.kind == "ytd" and "," in s[m.stop:p.begin])]  # '27%, over the year to date, 16%'
        if right:
            fig.period, fig.period_source = right[0], "right"
            if trust.spans_periods(s[m.stop:right[0].begin]) and right[0].kind != "span":  # "between April and November" is one span
                held = trust.held_to(s, m.begin, right[0], periods)
                fig.period = held or fig.period
                fig.doubts += [] if held else ["its period is one end of a span"]
    for i, fig in enumerate(live):
        if fig.period is None and i + 1 < len(live) and live[i + 1].period_source == "right" \
                and _pattern("and_between").match(s[fig.mention.stop:live[i + 1].mention.begin]):
            fig.period, fig.period_source = live[i + 1].period, "coordinated"
    for i, fig in enumerate(live):
        if fig.period is not None:
            continue
        prev = live[i - 1].mention.stop if i else 0
        starts_change = _pattern("from_before").search(s[:fig.mention.begin])
        when = [p for p in periods if prev <= p.begin and trust.of_when_clause(s[p.stop:fig.mention.begin])]
        left = when or [p for p in periods if prev <= p.begin and p.stop <= fig.mention.begin
                        and (id(p) not in since or starts_change)
                        and not any(f.period is p and f.period_source == "right" for f in live)]
        begun = [p for p in left if id(p) in since]  # 'Since September ... from 55% to 58%': 55% is September's
        if left:
            fig.period, fig.period_source = (begun or left)[-1], "left"
    inherit_pair_periods(found, pairs, periods, since, carried)
    for fig in [f for f in live if f.period_source not in ("right", "left", "coordinated", "pair")]:
        before = s[:fig.mention.begin]
        if trust.says_now(before) or trust.says_current(before):
            fig.period, fig.period_source = None, "now" if trust.says_now(before) else "current"
        elif trust.says_previous(before):
            fig.doubts.append("an earlier figure whose period is not stated")
        elif trust.unread_period(s, [(p.begin, p.stop) for p in periods]):
            fig.doubts.append("its sentence names a period that was not understood")
    spans = [p for p in periods if not p.text.isdigit() and id(p) not in since]  # a bare year binds only next to its figure
    for i, fig in enumerate(found):
        if fig.period is None and fig.period_source not in ("now", "current"):
            earlier = [p for p in spans if p.stop <= fig.mention.begin]
            later = [p for p in spans if p.begin >= fig.mention.stop and not any(f.period is p for f in live)]
            if earlier or later:
                fig.period, fig.period_source = (earlier[-1] if earlier else later[0]), "sentence"
            elif carried is not None:
                fig.period, fig.period_source = carried, "paragraph"


def _bind_deadline(fig: Figure, periods: list[Period], following: Figure | None) -> None:
    """'aiming for 75% of care leavers to be in education or training by 2022': a target's
    deadline, later in its clause than a period written next to it would be."""
    if fig.qualifier != "target" or fig.period_source in ("right", "left", "coordinated"):
        return
    s, stop = fig.sentence, (following.mention.begin if following else len(fig.sentence))
    for p in periods:
        if fig.mention.stop < p.begin < stop and _pattern("deadline_before").search(s[fig.mention.stop:p.begin]):
            fig.period, fig.period_source = p, "right"
            return


def _qualifier(fig: Figure, sentence_cues, previous: Figure | None) -> str:
    """Forecast or target when a cue stands just before the figure; a figure following a
    target or forecast with no cue and no verb of its own continues it ('no more than 20,
    reduced to 16 for ...')."""
    m = fig.mention
    lo = max((previous.mention.stop if previous else 0), m.begin - LOOKBACK, 0)
    near = [label for label, b, e in sentence_cues if lo <= b and e <= m.begin]
    if "FORECAST" in near:
        return "forecast"
    if "TARGET" in near:
        return "target"
    if previous is not None and previous.qualifier != "actual" and previous.choice == fig.choice \
            and not _pattern("actual_cue").search(fig.sentence[previous.mention.stop:m.begin]):
        return previous.qualifier
    return "actual"


def _area(fig: Figure, sentence_cues, found: list[Figure]) -> str | None:
    """Whose figure it is: None for the reporting authority, a comparator label, or the code of
    the area named beside it. A clause naming another authority leaves the owner in doubt."""
    s, m = fig.sentence, fig.mention
    lo, hi = _own_clause(fig, found)
    prev = max([f.mention.stop for f in found if f.mention.stop <= m.begin] + [0])
    for label, b, e in sentence_cues:  # a cue straight after the figure before is that figure's ('3.8% nationally and 4.8% ...')
        before = 0 <= m.begin - e <= 25 and not (prev and 0 <= b - prev <= 12)
        after = 0 <= b - m.stop <= 12 and not _pattern("cue_gap_break").search(s[m.stop:b])
        if label in ("ENGLAND", "NEIGHBOURS", "REGION") and (before or after):
            return label
    label = trust.comparator(s[prev:m.begin], s[m.stop:hi]) or trust.named_owner(s, m.begin, m.stop, lo, hi)
    label = label or _owner_then(fig, found)
    if label is None:
        fig.clause_areas = trust.authorities_named(s[lo:hi])
        if trust.part_of_area(s):
            fig.doubts.append("a figure for part of the area")
    return label


def _owner_then(fig: Figure, found: list[Figure]) -> str | None:
    """'78,150 in England, ... more than in 2009 when 60,900 were looked after': a figure the
    sentence compares back in time from a comparator's figure of the same measure, naming no
    owner of its own, is that comparator's too."""
    earlier = [f for f in found if f.mention.stop <= fig.mention.begin and f.choice is not None and not f.skip]
    if not earlier or fig.choice is None or earlier[-1].area not in (trust.ENGLAND, trust.REGION, trust.NEIGHBOURS) \
            or earlier[-1].choice.indicator is not fig.choice.indicator:
        return None
    between = fig.sentence[earlier[-1].mention.stop:fig.mention.begin]
    if _pattern("back_in_time").search(between) and not _pattern("own_owner").search(between) \
            and not named_areas(between):
        return earlier[-1].area
    return None


def reference_period(ref: date) -> Period:
    return Period(date(ref.year, ref.month, 1), month_end(ref.year, ref.month), "reference month")


def segment_figures(segment: Segment, ref: date | None) -> Iterator[Figure]:
    """Figures of one segment, carrying the latest stated period from sentence to sentence."""
    if not MAY_HOLD_FIGURE.search(segment.text):
        return  # no digit and no number word: nothing to split into sentences
    carried = _asked_period(segment.question, ref) or segment.scope
    topic: Choice | None = None
    previous = segment.question
    for sentence in sentences(segment.text):
        nearby = replace(segment, context=f"{segment.context}\n{previous}")
        figs = figures_in(sentence, nearby, ref, carried, topic)
        previous = sentence
        topic = next((f.choice for f in reversed(figs) if f.choice), topic)
        for fig in figs:
            if fig.period is not None and fig.period_source != "paragraph" and not fig.period.text.isdigit():
                carried = fig.period
            yield fig
            yield from fig.children


def _asked_period(question: str, ref: date | None) -> Period | None:
    """'How many social workers ... as of 1 March 2022?': the period a question asks about
    is the period of its answer's figures."""
    asked = [p for p in find_periods(question, ref) if not p.text.isdigit()] if question else []
    return asked[-1] if asked else None


def _follow_topic(fig: Figure, topic: Choice | None, earlier: list[Figure]) -> Choice | None:
    """'... caseloads at an average of 18. For example, assessment teams will have an
    average of 15': an unlabelled figure after 'an average of' or 'will have' takes the
    paragraph's current subject, as does a comparator's figure ('Nationally it is 20.2%'); when
    that subject has no form in the figure's unit ('861 in care, 71 of them UASC, a rate of
    56.3'), an earlier subject of the sentence. An unlabelled figure set straight beside the one
    before it ('at 52.7% against a target of 60%') takes that one's subject. Returns the subject
    after this figure."""
    m = fig.mention
    before = fig.sentence[:m.begin]
    rate = not m.is_percent and _pattern("rate_of_before").search(before[-40:])
    units = {"rate_per_10k"} if rate else trust.units_for(m)
    subjects = [topic] + [f.choice for f in reversed(earlier) if f.choice is not None]
    subject = next((c for c in (in_units(t, units) for t in subjects) if c is not None), None)
    if fig.choice is None and subject is not None and not fig.skip:
        if m.kind in ("count", "word") and _pattern("topic_cue").search(before):
            fig.choice = Choice(subject.indicator, subject.cost, True)
        elif trust.comparator(before, fig.sentence[m.stop:]):  # "nationally it is 20.2%"
            fig.choice = Choice(subject.indicator, subject.cost, True)
    if fig.choice is None and earlier and (beside := in_units(earlier[-1].choice, units)) is not None \
            and not fig.skip and _pattern("continues_figure").match(fig.sentence[earlier[-1].mention.stop:m.begin]):
        fig.choice = Choice(beside.indicator, beside.cost, True)  # '... at 52.7% against a target of 60%'
    return fig.choice or topic
