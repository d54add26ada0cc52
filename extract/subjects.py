"""Deciding which indicator a figure is about, from the words around it.

Each indicator's phrasings (from the vocabulary) are groups of terms that must all
occur. A term's cost is its distance in characters from the figure, plus a penalty
for every other figure or clause break in between; a term found only in the
heading, caption or previous sentence costs a fixed amount. The cheapest phrasing
wins, but only if its first group (the subject) is in the sentence itself and the
indicator's unit fits the figure; otherwise nothing is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..schemas.vocabulary import Indicator, load_relations, load_vocabulary

CROSS_FIGURE = 60
SUBJECT_DISCOUNT = 0.3  # a term in the clause's subject, when the figure is its predicate ("X was N%")
BREAK = regex.compile(r"[;:]|,\s|\s[–-]\s|\b(?:and|but|while|whilst|whereas)\s")
PUNCTUATED = regex.compile(r"[;:]|,\s|\s[–-]\s")  # a break that closes a clause, unlike a bare 'and'
CROSS_CLAUSE = 25
CONTEXT_COST = 150
MAX_COST = 260


@dataclass(frozen=True)
class Phrasing:
    indicator: Indicator
    groups: tuple[regex.Pattern, ...]


@dataclass(frozen=True)
class Choice:
    indicator: Indicator
    cost: float
    in_context: bool  # a term came from the heading/caption, not the sentence
    governs: bool = True  # the subject is named in the figure's own clause, or leads straight to it


def _compile_group(group: str) -> regex.Pattern:
    alts = []
    for alt in regex.split(r"\|(?![^(]*\))", group):
        if regex.fullmatch(r"[A-Z]{2,}s?", alt):
            alts.append(rf"(?-i:\b{alt}\b)")
        else:
            alts.append(alt)
    return regex.compile("(?:" + "|".join(alts) + ")", regex.I)


@lru_cache(maxsize=1)
def phrasings() -> tuple[Phrasing, ...]:
    out = []
    for ind in load_vocabulary().values():
        for phr in ind.phrasings:
            out.append(Phrasing(ind, tuple(_compile_group(g) for g in phr)))
    return tuple(out)


@lru_cache(maxsize=None)
def _exclusions(indicator_id: str) -> tuple[tuple[regex.Pattern, ...], tuple[regex.Pattern, ...]]:
    """The indicator's vetoes: in the figure's own clause, and anywhere in the sentence."""
    ind = load_vocabulary()[indicator_id]
    return (tuple(_compile_group(e) for e in ind.exclude),
            tuple(_compile_group(e) for e in ind.exclude_sentence))


@dataclass
class Anchor:
    """Where the figure sits in the sentence and what lies around it."""
    begin: int
    stop: int
    others: list[tuple[int, int]]   # other figures in the sentence
    right_weight: float = 1.0
    left_weight: float = 1.0
    own: tuple[int, int] = (0, 0)   # the figure's own clause, for exclusions
    unit_stated: bool = False       # "18 cases": the unit names the subject, which may be in the heading
    subject: tuple[int, int] | None = None  # the clause's subject span, when the figure is its predicate


def _term_cost(sentence: str, m, anchor: Anchor) -> float:
    if m.start() >= anchor.stop:
        lo, hi, cost = anchor.stop, m.start(), (m.start() - anchor.stop) * anchor.right_weight
    elif m.end() <= anchor.begin:
        lo, hi, cost = m.end(), anchor.begin, (anchor.begin - m.end()) * anchor.left_weight
    else:
        return 0.0
    crossed = sum(1 for b, e in anchor.others if lo <= b and e <= hi)
    if crossed and m.start() >= anchor.stop and PUNCTUATED.search(sentence[lo:hi]):
        return MAX_COST + 1  # '98% had a plan, with 92% in suitable accommodation': a later clause's term is its own figure's
    if anchor.subject and anchor.subject[0] <= m.start() < anchor.subject[1]:
        return cost * SUBJECT_DISCOUNT + crossed * CROSS_FIGURE
    breaks = len(BREAK.findall(sentence[lo:hi]))
    return cost + crossed * CROSS_FIGURE + breaks * CROSS_CLAUSE


GOVERN_CHARS = 90  # a subject this close to its figure, with no figure or hard break between, governs it
HARD_BREAK = regex.compile(r";|,\s+(?:and|but|while|whilst|whereas)\s")  # a lead-in before a colon still governs
HARD_BREAK_RIGHT = regex.compile(r"[;:]")


def _governs(m, anchor: Anchor, sentence: str) -> bool:
    """Whether a subject term at ``m`` governs the figure: in its own clause, in the clause's
    grammatical subject, or close to it with no other figure between."""
    if anchor.own[0] <= m.start() and m.end() <= anchor.own[1]:
        return True
    if anchor.subject and anchor.subject[0] <= m.start() < anchor.subject[1]:
        return True
    before = m.end() <= anchor.begin
    lo, hi = (m.end(), anchor.begin) if before else (anchor.stop, m.start())
    return 0 <= hi - lo <= GOVERN_CHARS and not any(lo <= b and e <= hi for b, e in anchor.others) \
        and not (HARD_BREAK if before else HARD_BREAK_RIGHT).search(sentence[lo:hi])


DEFINED = regex.compile(r"((?:[\w’'-]+\s+){2,6})\(([A-Z]{2,6})\)")


@lru_cache(maxsize=64)
def defined_acronyms(sentence: str) -> tuple[tuple[regex.Pattern, str], ...]:
    """'Child Protection Review (CPR) ... CPR Conferences': each acronym the sentence defines
    by the initials of the words before it, as a pattern finding it, with the words it stands for."""
    out = []
    for m in DEFINED.finditer(sentence):
        short, words = m.group(2), m.group(1).split()[-len(m.group(2)):]
        if "".join(w[0] for w in words).upper() == short:
            out.append((regex.compile(rf"\b{short}s?\b"), " ".join(words)))
    return tuple(out)


def _group_cost(pattern: regex.Pattern, sentence: str, context: str, anchor: Anchor) -> tuple[float, bool, bool, bool] | None:
    """(cost of the nearest match, found only in the context, a match inside the figure's own
    clause, a match governing the figure). An acronym the sentence defines stands for its words."""
    matches = list(pattern.finditer(sentence))
    for short, words in defined_acronyms(sentence):
        if pattern.search(words):
            matches += [m for m in short.finditer(sentence) if not any(o.start() <= m.start() < o.end() for o in matches)]
    if matches:
        own = any(anchor.own[0] <= m.start() < anchor.own[1] for m in matches)  # a term opening in the clause
        governs = any(_governs(m, anchor, sentence) for m in matches)
        return min(_term_cost(sentence, m, anchor) for m in matches), False, own, governs
    if context and pattern.search(context):
        return float(CONTEXT_COST), True, False, False
    return None


def choose(sentence: str, context: str, anchor: Anchor, units: set[str]) -> Choice | None:
    """The indicator the figure at ``anchor`` is about, or None when unclear.

    The ``_min``/``_max`` of a range come from range cells only, never from a single figure.
    """
    own_text = sentence[anchor.own[0]:anchor.own[1]]
    candidates: list[tuple[tuple, Choice, bool]] = []
    for phr in phrasings():
        if phr.indicator.unit not in units or load_relations().is_range_end(phr.indicator.id):
            continue
        found = []
        for group in phr.groups:  # every group must be found: the rest are not looked for after one is not
            if (cost := _group_cost(group, sentence, context, anchor)) is None:
                break
            found.append(cost)
        if len(found) < len(phr.groups) or (found[0][1] and not anchor.unit_stated):
            continue  # the first group names the subject: it must be in the sentence
        costs = [c for c, *_ in found]
        if max(costs) > MAX_COST:
            continue
        in_clause, in_sentence = _exclusions(phr.indicator.id)
        if any(x.search(own_text) for x in in_clause) or any(x.search(sentence) for x in in_sentence):
            continue
        key = (max(costs), -len(costs), sum(costs))
        candidates.append((key, Choice(phr.indicator, max(costs), any(f[1] for f in found), found[0][3]),
                           any(f[2] for f in found)))
    if any(own for _, _, own in candidates):  # '... and 91.3% were visited': the figure's own clause decides
        candidates = [c for c in candidates if c[2]]
    return min(candidates, key=lambda c: c[0])[1] if candidates else None
