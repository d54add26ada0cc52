"""Figures in a sentence: percentages, money, counts, number words and fractions.

Numbers that are not figures are skipped: dates and periods, section numbers,
telephone numbers, ages and timescales ("within 20 working days"), ordinals,
references ("Section 17", "PIP ref 7") and "N of the M" subsets.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
WORDS.update(TENS)
WORDS.update({f"{ten}-{unit}": TENS[ten] + WORDS[unit] for ten in TENS
              for unit in "one two three four five six seven eight nine".split()})
_WORD = r"(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

NUMBER_RE = regex.compile(rf"""
  (?P<money>£\s?(?P<mv>{_NUM})\s*(?P<mult>million|m\b|bn\b|billion|k\b)?)
| (?P<outof>\b(?P<on>\d+|{_WORD})\s+(?:out\s+of|of\s+the|of)\s+(?P<od>\d+|{_WORD})\b)
| (?P<frac>(?<![\d/])(?P<fn>\d+)\s?/\s?(?P<fd>\d+)(?![\d/]))
| (?P<pct>(?<![\w.])(?P<pv>{_NUM})\s?(?:%|per\s?cent\b|percent\b))
| (?P<range>(?<![\w.,])(?P<r1>\d+(?:\.\d+)?)\s?[-–]\s?(?P<r2>\d+(?:\.\d+)?)(?![\d%]))
| (?P<num>(?<![\w.,/£-])(?P<nv>{_NUM})(?![\w/]|\.\d|,\d))
| (?P<word>\b(?P<wv>{_WORD})\b)
""", regex.X | regex.I)

UNIT_AFTER = regex.compile(r"\s?(?P<u>FTE|cases|case|children|posts?|days?|day|families|young people|social workers|per 10,?000)\b", regex.I)
APPROX = regex.compile(r"(?:just under|just over|under|over|approximately|approx\.?|around|about|nearly|almost|roughly|some|circa|c\.|more than|less than|fewer than|up to|as low as|as high as|no more than|at least)\s+$", regex.I)
_SKIP_BEFORE = regex.compile(r"(?:\b(?:section|schedule|part|paragraph|para|ref|level|tier|year|Y|page|appendix|annex|table|figure|chart|graph|item|phase|priority|streams?|ward|no\.?|quarter|Q|aged?|ages? of|Tel|Telephone|under|over the age of|of the|(?:review|audit|sample|survey|study|dip sample) of)\s*$|ages?d?\s+(?:between\s+)?[\d.]+\s+(?:and|to|-)\s+$|ages?d?\s+between\s+$|[\d/:]\s?$)", regex.I)
_CROSS_REFERENCE = regex.compile(r"\((?:see|cf\.?|para(?:graph)?s?|section)\b[^)]*$", regex.I)
_CODE_BEFORE = regex.compile(r"\b[A-Z]{2,5}\s$")  # "SSS 2.1": an action-plan reference
_SKIP_AFTER = regex.compile(r"^\+|^\s?(?:st|nd|rd|th)\b|^\s?(?:-?year[- ]olds?|years?|months?|weeks?|hours?|minutes?|working days?|calendar days?|days? to|days? of|days? timescale)\b|^\s?(?:and|to)\s+\d+\s+years|^[:.]\d", regex.I)
_TIMESCALE_BEFORE = regex.compile(r"(?:within|in|after|over|for|of up to|maximum of|at|by|every|reviews at)\s+$", regex.I)


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


def find_mentions(sentence: str, blocked: list[tuple[int, int]]) -> list[Mention]:
    """Figures in ``sentence``; spans in ``blocked`` (periods) are not figures."""
    found: list[Mention] = []
    for m in NUMBER_RE.finditer(sentence):
        if any(b <= m.start() < e or b < m.end() <= e for b, e in blocked):
            continue
        mention = _mention(m, sentence)
        if mention is not None:
            found.append(mention)
    return found


def _mention(m, sentence: str) -> Mention | None:
    before, after = sentence[:m.start()], sentence[m.end():]
    if m["money"]:
        return Mention(_money(m), "money", m.start(), m.end(), m.group(0))
    if m["outof"]:
        num, den = _number(m["on"]), _number(m["od"])
        if "out" not in m.group(0).lower() or den == 0 or num > den:
            return None  # "4 of the 8 teams" is a subset, not a figure
        return Mention(round(100 * num / den, 1), "fraction", m.start(), m.end(), m.group(0))
    if m["frac"]:
        num, den = int(m["fn"]), int(m["fd"])
        if den == 0 or num > den:
            return None
        return Mention(round(100 * num / den, 1), "fraction", m.start(), m.end(), m.group(0))
    if _SKIP_BEFORE.search(before[-25:]) and not m["pct"] or _CROSS_REFERENCE.search(before[-40:]):
        return None
    if m["nv"] and "." in m["nv"] and _CODE_BEFORE.search(before[-8:]):
        return None
    if m["pct"]:
        return Mention(_number(m["pv"]), "percent", m.start(), m.end(), m.group(0), approx=_approx(before))
    if m["range"]:
        return Mention(_number(m["r1"]), "range", m.start(), m.end(), m.group(0), high=_number(m["r2"]))
    if _SKIP_AFTER.search(after[:25]) or _in_word_range(before, after):
        return None
    if regex.match(r"\s?days?\b", after) and _TIMESCALE_BEFORE.search(before[-20:]):
        return None
    value_text = m["nv"] or m["wv"]
    if m["wv"] and not _word_is_figure(before, after):
        return None
    if _looks_like_phone(before, after):
        return None
    unit = UNIT_AFTER.match(after)
    return Mention(_number(value_text), "word" if m["wv"] else "count", m.start(), m.end(), m.group(0),
                   unit_word=(unit["u"] if unit else ""), approx=_approx(before))


def _in_word_range(before: str, after: str) -> bool:
    """'6 to 7 social workers' is a range, unlike 'from 379 to 330' (a change)."""
    if regex.search(r"\bfrom\b", before[-40:]):
        return False
    return bool(regex.match(r"\s+to\s+\d+\s+[a-z]", after) or regex.search(r"(?<![\d/-])\b\d+\s+to\s+$", before))


def _approx(before: str) -> str:
    hit = APPROX.search(before[-30:])
    return hit.group(0).strip() if hit else ""


def _word_is_figure(before: str, after: str) -> bool:
    """A number word is a figure when it counts something ("Eight newly qualified ...")."""
    return bool(regex.match(r"\s+(?:newly|new|social|additional|children|young|families|care|agency|permanent|\w+\s+social workers)", after, regex.I)) \
        and not regex.search(r"\b(?:one|of|the)\s*$", before, regex.I)


def _looks_like_phone(before: str, after: str) -> bool:
    return bool(regex.search(r"(?:\b0\d{3,4}\s?$)|(?:\btel(?:ephone)?\.?:?\s*$)", before[-12:], regex.I)) or bool(regex.match(r"\s\d{5,6}\b", after))
