"""Figures in a sentence: percentages, money, counts, number words, fractions and ranges.

Numbers that are not figures are skipped: dates and periods, section numbers,
telephone numbers, ages and timescales ("within 20 working days"), ordinals,
references ("Section 17", "PIP ref 7") and "N of the M" subsets. A range is one mention
("1-91", "between 28 to 33", "range from 12 to 18"), unless it is of ages or durations;
"from 379 to 330" is a change (two figures).
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..schemas.lang import data, pattern, words

LANG = "numbers"
WORDS = {w: i for i, w in enumerate(words(LANG, "number_words"))}
TENS = {w: 20 + 10 * i for i, w in enumerate(words(LANG, "tens"))}
WORDS.update(TENS)
WORDS.update({f"{ten}-{unit}": TENS[ten] + WORDS[unit] for ten in TENS for unit in list(WORDS)[1:10]})
_WORD = r"(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

MAY_HOLD_FIGURE = regex.compile(r"\d|\b(?:" + "|".join(WORDS) + r")\b", regex.I)
DIGIT = regex.compile(r"\d")  # the first of its alternatives alone: found at once in most sentences
FROM_WORD = regex.compile(r"\bfrom\b")
DAYS_AFTER = regex.compile(r"\s?days?\b")
NUMBER_RE = regex.compile(rf"""
  (?P<money>£\s?(?P<mv>{_NUM})\s*(?P<mult>million|m\b|bn\b|billion|k\b)?)
| (?P<outof>\b(?P<on>\d+|{_WORD})\s+(?:out\s+of|of\s+the|of)\s+(?P<od>\d+|{_WORD})\b)
| (?P<frac>(?<![\d/])(?P<fn>\d+)\s?/\s?(?P<fd>\d+)(?![\d/]))
| (?P<pct>(?<![\w.])(?P<pv>{_NUM})\s?(?:%|per\s?cent\b|percent\b))
| (?P<range>(?<![\w.,])(?P<r1>\d+(?:\.\d+)?)\s?[-–]\s?(?P<r2>\d+(?:\.\d+)?)(?![\d%]))
| (?P<num>(?<![\w.,/£-])(?P<nv>{_NUM})(?![\w/]|\.\d|,\d))
| (?P<word>\b(?P<wv>{_WORD})\b)
""", regex.X | regex.I)


@dataclass
class Mention:
    """One figure found in a sentence, with character offsets into it."""
    value: float
    kind: str          # percent | money | count | fraction | range | word
    begin: int
    stop: int
    text: str
    unit_word: str = ""   # the unit written after it ("FTE", "cases", "posts" ...)
    approx: str = ""      # "just under", "over" ...
    high: float | None = None  # upper end of a range

    @property
    def is_percent(self) -> bool:
        return self.kind in ("percent", "fraction")


def _number(text: str) -> float:
    text = text.replace(",", "")
    return float(WORDS[text.lower()]) if text.lower() in WORDS else float(text)


def _money(m) -> float:
    mult = {"million": 1e6, "m": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3}.get((m["mult"] or "").lower(), 1)
    return _number(m["mv"]) * mult


def may_hold_mention(sentence: str) -> bool:
    """False when ``find_mentions`` can find nothing: no digit, no number word, no share in words."""
    return bool(DIGIT.search(sentence) or MAY_HOLD_FIGURE.search(sentence) or pattern(LANG, "share").search(sentence))


def find_mentions(sentence: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Figures in ``sentence``; spans in ``blocked`` (periods) are not figures."""
    if not may_hold_mention(sentence):
        return []
    found: list[Mention] = _shares(sentence, blocked) + _word_ranges(sentence, blocked)
    for m in NUMBER_RE.finditer(sentence):
        if any(b <= m.start() < e or b < m.end() <= e for b, e in blocked):
            continue
        mention = _mention(m, sentence)
        if mention is not None and not any(f.begin <= mention.begin < f.stop for f in found):
            found.append(mention)
    return sorted(found, key=lambda f: f.begin)


def _shares(sentence: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """'One third of social workers': a share written in words, as a percentage."""
    values = {key.lower(): value for key, value in data(LANG)["shares"].items()}
    found = []
    for m in pattern(LANG, "share").finditer(sentence):
        key = regex.sub(r"[- ]+", " ", m["share"].lower())
        if key in values and not any(b <= m.start() < e for b, e in blocked):
            found.append(Mention(values[key], "fraction", m.start("share"), m.end("share"), m["share"]))
    return found


def _word_ranges(sentence: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """'between 28 to 33 cases', '6 to 7 social workers': a range written with words."""
    found = []
    for m in pattern(LANG, "word_range").finditer(sentence):
        before = sentence[:m.start("r1")]
        if any(b < m.end() and m.start() < e for b, e in blocked) or _number(m["r1"]) >= _number(m["r2"]):
            continue
        if m["sep"].lower() == "and" and not m["lead"]:
            continue  # "12 and 15": two figures
        if FROM_WORD.search(before[-40:]) and not pattern(LANG, "range_from_before").search(before):
            continue  # "fell from 379 to 330": a change
        mention = _range(sentence, m.start("r1"), m.end(), m["r1"], m["r2"])
        if mention is not None:
            found.append(mention)
    return found


def _range(sentence: str, begin: int, stop: int, low: str, high: str) -> Mention | None:
    """A range mention, its opening words included ("range between 6 – 19"), or None for a range
    of ages, durations or references ("16-17 year olds")."""
    before, after = sentence[:begin], sentence[stop:]
    if pattern(LANG, "reference_before").search(before[-30:]) or pattern(LANG, "reference_after").search(after[:30]):
        return None
    if DAYS_AFTER.match(after) and pattern(LANG, "timescale_before").search(before[-20:]):
        return None
    unit = pattern(LANG, "unit_after").match(after)
    lead = pattern(LANG, "range_lead").search(before[-40:])
    begin -= len(lead.group(0)) if lead else 0
    return Mention(_number(low), "range", begin, stop, sentence[begin:stop], unit_word=(unit["u"] if unit else ""),
                   high=_number(high))


def _mention(m, sentence: str) -> Mention | None:
    before, after = sentence[:m.start()], sentence[m.end():]
    if (m["frac"] or m["outof"]) and pattern(LANG, "score_before").search(before[-30:]):
        return None  # "a score of 5/10"
    if m["money"]:
        return Mention(_money(m), "money", m.start(), m.end(), m.group(0))
    if m["outof"]:
        num, den = _number(m["on"]), _number(m["od"])
        if "out" not in m.group(0).lower() or den == 0 or num > den:
            return None  # "4 of the 8 teams" is a subset, not a figure
        return Mention(round(100 * num / den, 1), "fraction", m.start(), m.end(), m.group(0))
    if m["frac"] and m["fd"] in ("10000", "10,000"):  # "(37/10000)": a rate per 10,000
        return Mention(float(m["fn"]), "count", m.start(), m.end(), m.group(0), unit_word="per 10,000")
    if m["frac"]:
        num, den = int(m["fn"]), int(m["fd"])
        if den == 0 or num > den:
            return None
        return Mention(round(100 * num / den, 1), "fraction", m.start(), m.end(), m.group(0))
    if _is_reference(m, before, after):
        return None
    if m["pct"]:
        return Mention(_number(m["pv"]), "percent", m.start(), m.end(), m.group(0), approx=_approx(before))
    if m["range"]:
        return _range(sentence, m.start(), m.end(), m["r1"], m["r2"])
    if pattern(LANG, "reference_after").search(after[:30]) or _in_word_range(before, after):
        return None
    if DAYS_AFTER.match(after) and pattern(LANG, "timescale_before").search(before[-20:]):
        return None
    value_text = m["nv"] or m["wv"]
    if m["wv"] and not _word_is_figure(before, after):
        return None
    if _looks_like_phone(before, after):
        return None
    unit = pattern(LANG, "unit_after").match(after)
    return Mention(_number(value_text), "word" if m["wv"] else "count", m.start(), m.end(), m.group(0),
                   unit_word=(unit["u"] if unit else ""), approx=_approx(before))


def _is_reference(m, before: str, after: str) -> bool:
    """A number that names or locates something ("section 47", "KPI 6", "1 in 71", "a score of 7")."""
    if pattern(LANG, "cross_reference").search(before[-40:]) or pattern(LANG, "score_before").search(before[-30:]):
        return True
    if m["pct"]:
        return bool(pattern(LANG, "label_before_percent").search(before[-12:]))
    if pattern(LANG, "reference_before").search(before[-30:]) and not pattern(LANG, "opening_total").fullmatch(before):
        return True
    if pattern(LANG, "ratio_after").match(after) or pattern(LANG, "ratio_before").search(before[-12:]):
        return True
    code = pattern(LANG, "code_before_case").search(before[-8:])
    value = m["nv"] or ""
    return bool(code) and ("." in value or (value.isdigit() and int(value) < 100 and not pattern(LANG, "unit_after").match(after)))


def _in_word_range(before: str, after: str) -> bool:
    """'6 to 7 social workers' is a range, unlike 'from 379 to 330' (a change)."""
    if FROM_WORD.search(before[-40:]):
        return False
    return bool(pattern(LANG, "word_range_after").match(after) or pattern(LANG, "word_range_before").search(before))


def _approx(before: str) -> str:
    hit = pattern(LANG, "approximation").search(before[-30:])
    return hit.group(0).strip() if hit else ""


def _word_is_figure(before: str, after: str) -> bool:
    """A number word is a figure when it counts something ("Eight newly qualified ...")."""
    return bool(pattern(LANG, "word_counts_after").match(after)) and not pattern(LANG, "word_not_after").search(before)


def _looks_like_phone(before: str, after: str) -> bool:
    return bool(pattern(LANG, "phone_before").search(before[-12:]) or pattern(LANG, "phone_after").match(after))
