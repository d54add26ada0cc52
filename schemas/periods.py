"""The one grammar of period and date expressions in council papers, resolved to date spans.

Financial years ("2018-2019", "2018/19", "FY 18/19", "2023/24 outturn") run 1 April to
31 March; academic years ("the 2023/24 academic year") September to August; school terms
("autumn term 2023") the months in ``[terms]``. Quarters are of the financial year: "Q3
2024/25", "Quarter 3, 24/25" and "the third quarter of 2024/25" are October to December
2024, "Q1-Q3 2024/25" April to December; a quarter without a year ("quarter 3", "end of
quarter 2", "quarter two") is the latest such quarter ended by the reference date, a term
without one the latest begun by it. A quarter of a bare year ("Q4 of 2018") is ambiguous:
a financial quarter of the year beginning or of the year ending then, or a calendar one;
it is read as the calendar quarter (which lies between the two financial readings) and
returned only on request. "12 months to Dec 24" and "the year ending March 2024" are the twelve
months to that month; "April 2024 YTD" and "YTD 2024/25" run from the start of their
financial year. Month-year forms ("December 2023", "Dec-23", "Dec '23", "Oct 22" after a
short month name, "May in 2017" capitalised) carry their own year; a month without a year takes the year that puts it
on or before the reference date (the meeting), strictly before it after "last", after it
after "next". Dates ("31/12/24", "31 December 2024") name their month; after "as at",
"end of" and the like the period is a point in time. Relative periods ("rolling 12
months", "last year", "year to date" with nothing to anchor it) are not actual periods:
they are returned only on request, marked ``relative``. A bare year ("385 in 2019", "the
England rate for 2023") is the reporting year of official statistics, to 31 March.

Spans of days, the dates an inspection or visit ran ("5 to 9 December 2022 and 14 to 15
February 2023"), are read by ``dates_in`` at the end of this module.

The words are language data in ``schemas/lang/en/periods.toml``.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cache

import regex

from .lang import alternation, data
POINT_WINDOW = 24  # characters before an expression searched for a point-in-time cue


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    text: str
    begin: int = 0   # character offsets in the text it was found in
    stop: int = 0
    point: bool = False  # a point in time ("end of September") rather than a span
    kind: str = ""       # fy, quarter, months, ytd, span, date, month, year, relative
    relative: bool = False  # named only relative to the paper's date: never an actual period

    def month(self) -> str:
        return f"{self.end:%Y-%m}"


@dataclass(frozen=True)
class Words:
    """The period words of one language, as regex alternations."""
    months: dict[str, int]
    month: str
    month_cased: str  # the names as written, capitalised ("May in 2017", never the verb)
    short_month: str  # the names after which two digits are a year ("Oct 22")
    quarter: str
    quarter_numbers: dict[str, int]
    quarters: str
    quarter_join: str
    ordinals: dict[str, int]
    calendar_quarter: str
    financial_year: str
    short_financial_year: str
    short_year_lead: str
    counted_after: str
    academic_year: str
    calendar_year: str
    terms: dict[str, tuple[int, int]]
    day_lead: str
    month_last: str
    month_next: str
    outturn: str
    point: regex.Pattern
    span_to: str
    year_to_date: str
    rolling: str
    number_words: dict[str, int]
    relative: str
    now: str


@cache
def meeting_words() -> dict[str, regex.Pattern]:
    """Cue phrases around dates that tell how a date stands to the meeting (``[meeting]``)."""
    return {key: regex.compile(rf"\b{alternation(phrases)}\b", regex.I) for key, phrases in data("periods")["meeting"].items()}


@cache
def words() -> Words:
    """The English period words (read once)."""
    lang = data("periods")
    months = {name.lower(): int(n) for n, names in lang["months"].items() for name in names}
    w = lang["words"]
    month_names = sorted({name for names in lang["months"].values() for name in names}, key=len, reverse=True)
    return Words(
        months=months,
        month="(?i:" + "|".join(month_names) + r")\.?",
        month_cased="(?:" + "|".join(month_names) + r")\.?",
        short_month="(?:" + "|".join(n for n in month_names if len(n) <= 4) + ")",
        quarter=alternation(w["quarter"]),
        quarter_numbers={word: i for i, word in enumerate(w["quarter_numbers"], 1)},
        quarters=alternation(w["quarters"] + w["quarter"]),
        quarter_join=alternation(w["quarter_join"]),
        ordinals={word: i for i, word in enumerate(w["ordinals"], 1)},
        calendar_quarter=alternation(w["calendar_quarter"]),
        financial_year=alternation(w["financial_year"]),
        short_financial_year=alternation(w["short_financial_year"]),
        short_year_lead=alternation(w["short_year_lead"]),
        counted_after=alternation(w["counted_after"]),
        academic_year=alternation(w["academic_year"]),
        calendar_year=alternation(w["calendar_year"]),
        terms={name: (first, last) for name, (first, last) in lang["terms"].items()},
        day_lead=alternation(w["day_lead"]),
        month_last=alternation(w["month_last"]),
        month_next=alternation(w["month_next"]),
        outturn=alternation(w["outturn"]),
        point=regex.compile(rf"\b{alternation(w['point'])}\s+(?:the\s+)?$", regex.I),
        span_to=alternation(w["span_to"]),
        year_to_date=alternation(w["year_to_date"]),
        rolling=alternation(w["rolling"]),
        number_words={word: i for i, word in enumerate(w["number_words"], 1)},
        relative=alternation(w["relative"]),
        now=alternation(w["now"]),
    )


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _four(year: str) -> int:
    """A written year as four digits: "24" and "'24" are 2024."""
    year = year.lstrip("'’")
    return int(year) if len(year) == 4 else 2000 + int(year)


@cache
def _grammar(cell: bool) -> regex.Pattern:
    """The grammar; in ``cell`` mode (a table header or cell that is nothing but a period)
    the short forms that prose would misread are allowed too: "23/24", "Mar 24"."""
    w = words()
    M, Y4 = w.month, r"(?:19|20)\d\d"
    Q = (rf"(?:(?i:{w.quarter})\s?(?P<{{p}}q>[1-4])(?!\d|\.\d)|(?P<{{p}}qo>(?i:{'|'.join(w.ordinals)}))\s+(?i:quarter)"
         rf"|(?<!\b(?i:a|one|three)\s+)(?i:quarter)\s+(?P<{{p}}qn>(?i:{'|'.join(w.quarter_numbers)}))\b"
         r"(?!\s+(?i:years?|months?|weeks?|days?|of\s+(?:them|these|those|all))\b))")  # not "a quarter one year on"
    FY4 = rf"{Y4}\s?[-/–]\s?(?:19|20)?\d\d"
    FY_ANY = rf"(?:{FY4}|\d\d\s?[-/–]\s?\d\d)(?![-/.]?\d)"
    OF_FY = rf"(?:,|\s+(?i:{w.quarter_join}))?\s+(?:(?i:{w.financial_year})\s?)?(?P<{{p}}fy>{FY_ANY})"  # "Quarter 1 for 2025-26"
    YTD = rf"(?P<{{p}}ytd>\s*\(?(?i:{w.year_to_date})\)?)?"
    # a financial year: four digits first, or two after a lead word ("FY 23/24") or in a cell
    short_fy = r"\d\d\s?[-/–]\s?\d\d" if cell else \
        rf"(?<=(?i:{w.short_financial_year})\s?|\b(?i:{w.short_year_lead})\s)\d\d\s?[/–-]\s?\d\d"  # '17/19': years that do not follow are not resolved
    FY = rf"(?P<{{p}}fy>{FY4}|{short_fy})(?![-/.]?\d)(?:\s+(?i:{w.outturn}))?"
    # a month's year: four digits, or two joined to the month ("Dec-23", "Dec '23", "Dec 23" in a cell)
    YY = rf"(?:[\s.,]*(?P<{{p}}y>{Y4})|[-/’']\s?(?P<{{p}}y2>\d\d)" + (rf"|\s+(?P<{{p}}y3>\d\d)" if cell else "") + r")"
    # "Oct 22" in prose: two digits after a short month name are a year unless a day ("on Oct 22", "Oct 22nd")
    not_year = rf"[\d:%]|\.\d|\s?(?:st|nd|rd|th)\b|[,\s]*{Y4}|\s*(?:[-–]|to)\s*\d"
    short_year = rf"(?<!\b(?i:{w.day_lead})\s+)(?P<{{p}}m>(?i:{w.short_month}))\.?\s(?P<{{p}}y4>[0-3]\d)(?!{not_year})"
    month_in = rf"(?P<{{p}}m>{w.month_cased})\s+in\s+(?P<{{p}}y5>{Y4})(?![-/.]?\d)"  # "May in 2017"
    MY = rf"(?:{short_year}|{month_in}|(?P<{{p}}m>{M})(?:{YY})?(?![\d,]*\s?\d{{4}})(?!\d))"
    DAY = r"(?:(?P<{p}d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)"
    NUMDATE = rf"(?P<{{p}}nd>\d{{1,2}})[/.](?P<{{p}}nm>\d{{1,2}})[/.](?P<{{p}}ny>{Y4}|\d\d)(?![\d/.])"
    ANCHOR = rf"(?:{NUMDATE}|{DAY}?(?P<{{p}}m>{M})(?:[-/’'\s.,]*(?P<{{p}}y>{Y4}|\d\d))?(?!\d))"
    count = rf"(?:\d{{1,2}}|(?i:{'|'.join(w.number_words)}))[-\s](?i:months?|years?)|(?i:year|twelve\s+months)"
    LEAD = rf"(?:(?:the\s+)?(?:\d{{1,2}}|(?i:{'|'.join(w.number_words)}))[-\s]month\s+period\s+(?:from|between|of)\s+)?"
    N = rf"(?P<n>\d{{1,2}}|(?i:{'|'.join(w.number_words)}))[-\s]months?|(?P<n_year>(?i:year|twelve\s+months))"

    def form(name: str, pattern: str) -> str:
        return f"(?P<{name}>{pattern.replace('{p}', name + '_')})"

    forms = [
        form("months", rf"(?:(?i:{w.rolling})\s+)?(?:{N})(?:\s+period)?\s+(?i:{w.span_to})\s+(?:the\s+end\s+of\s+)?{ANCHOR}"),
        form("rolling", rf"(?i:{w.rolling})\s+(?:{count})|(?:{count})\s+(?i:rolling)"),
        form("academic", rf"(?i:{w.academic_year})\s+(?:of\s+)?(?P<{{p}}fy>{FY4})(?![-/.]?\d)|(?P<{{p}}fy>{FY4})\s+(?i:{w.academic_year})"),
        form("calendar", rf"(?i:{w.calendar_year})\s+(?P<{{p}}cy>{Y4})(?![-/.]?\d)|(?P<{{p}}cy>{Y4})\s+(?i:{w.calendar_year})"),
        form("term", rf"(?:(?P<{{p}}fy>{FY4})\s+|(?P<{{p}}ty>{Y4})\s+)?(?P<{{p}}season>(?i:{'|'.join(w.terms)}))\s+(?i:term)"
                     rf"(?:\s+(?:(?:of|in)\s+)?(?:(?P<{{p}}fy>{FY4})|(?P<{{p}}ty>{Y4}))(?![-/.]?\d))?"),
        form("qrange", rf"(?i:{w.quarters})\s?(?P<{{p}}qa>[1-4])\s*(?:[-–]|to)\s*(?:(?i:{w.quarter})\s?)?(?P<{{p}}qb>[1-4])(?!\d|\.\d)(?:{OF_FY})?"),
        form("qfy", rf"{Q}{OF_FY}{YTD}"),
        form("fyq", rf"(?P<{{p}}fy>{FY_ANY})\s+{Q}{YTD}"),
        form("qcal", rf"{Q}\s+(?:of\s+)?(?P<{{p}}cy>{Y4})(?![-/.]?\d)"),  # ambiguous: resolved only on request
        # "Q1, Q2 and Q3 2023/24": each quarter of a list takes the year written at its end
        form("qbare", rf"{Q}(?!\s*\()(?!\s*[-/])(?!\s+of\s+(?i:{w.calendar_quarter})){YTD}"
                      rf"(?=(?:\s*(?:,|and|or|&)\s*(?i:{w.quarter})\s?[1-4])+{OF_FY})?"),
        form("fy", rf"(?:(?P<{{p}}ytd>(?i:{w.year_to_date}))\s+(?:(?:for|of)\s+)?(?:the\s+)?)?"
                   rf"(?:(?i:{w.short_financial_year})\s?|(?i:{w.financial_year})\s?(?={FY4}))?{FY}{YTD}"),
        form("now", rf"(?i:{w.now})"),
        form("spanyy", rf"{LEAD}(?P<{{p}}m1>{M})\s(?P<{{p}}y1s>\d\d)\s*(?:[-–]|to|until)\s*(?P<{{p}}m2>{M})\s(?P<{{p}}y2s>\d\d)(?!{not_year})"),
        form("span", rf"{LEAD}{DAY}?(?P<{{p}}m1>{M})(?:[\s.,]*(?P<{{p}}y1>{Y4})|[-/’']\s?(?P<{{p}}y1s>\d\d))?"
                     rf"(?:\s*[-–]\s*(?=\D)|\s+(?:to|and|until|through)\s+{DAY.replace('{p}d', '{p}d2')}?)"
                     rf"(?P<{{p}}m2>{M})(?:[\s.,]*(?P<{{p}}y2>{Y4})|[-/’'\s]\s?(?P<{{p}}y2s>\d\d)(?!{not_year}))?(?![\d,]*\s?\d{{4}})(?!\d)"),
        form("date", rf"{NUMDATE}|(?P<{{p}}um>{M})\s+(?P<{{p}}ud>\d{{1,2}})(?:(?:st|nd|rd|th),?|,|(?=\s+{Y4}))\s*(?P<{{p}}uy>{Y4})|{DAY}(?P<{{p}}m>{M}),?\s+(?P<{{p}}y>{Y4}|['’]?\d\d)(?!\d)|{DAY}(?P<{{p}}mo>{M})(?!\s*\d)"),
        form("month", rf"(?:(?<=\b(?:(?P<{{p}}last>(?i:{w.month_last}))|(?P<{{p}}next>(?i:{w.month_next})))\s+))?{MY}{YTD}"),
        form("year", rf"(?<![£$\d.,/-])(?P<{{p}}yy>{Y4})(?![-/.,]?\d)(?!\s*(?:{w.counted_after})\b)"),
        form("ytd", rf"(?i:{w.year_to_date})"),
        form("relative", rf"(?i:{w.relative})"),
    ]
    return regex.compile(r"\b(?:" + "|".join(forms) + r")\b")


def _month_num(text: str) -> int:
    return words().months[text.rstrip(".").lower()]


def _resolve_month(month: int, year: int | None, ref: date | None) -> int | None:
    """A month's year: as written, else the latest that puts it on or before ``ref``."""
    if year is not None:
        return year
    if ref is None:
        return None
    return ref.year if month <= ref.month else ref.year - 1


def _fy_start(text: str) -> int | None:
    """The first calendar year of a financial year written "2018-19", "2018/2019", "18/19"."""
    first, second = regex.split(r"\s?[-/–]\s?", text.strip())
    y1 = _four(first)
    y2 = int(second) if len(second) == 4 else (y1 // 100) * 100 + int(second)
    return y1 if y2 == y1 + 1 else None


def fy_of(day: date) -> int:
    """The first calendar year of the financial year containing ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def _quarter(q: int, fy: int) -> tuple[date, date]:
    """Quarter ``q`` of the financial year starting in April of ``fy``."""
    first = 3 * q + 1  # counted from January of the first year
    year = fy + (first - 1) // 12
    start = (first - 1) % 12 + 1
    return date(year, start, 1), month_end(year, start + 2)


def _latest_quarter(q: int, ref: date | None) -> tuple[date, date] | None:
    """The latest quarter ``q`` that has ended by ``ref``."""
    if ref is None:
        return None
    for fy in (fy_of(ref), fy_of(ref) - 1):
        span = _quarter(q, fy)
        if span[1] <= month_end(ref.year, ref.month):
            return span
    return None


def _day_date(m, p: str) -> date | None:
    """The calendar date a "date" or anchor group writes in full, or None."""
    groups = m.groupdict()
    try:
        if m[p + "nd"]:
            return date(_four(m[p + "ny"]), int(m[p + "nm"]), int(m[p + "nd"]))
        if groups.get(p + "ud"):
            return date(int(m[p + "uy"]), _month_num(m[p + "um"]), int(m[p + "ud"]))
        if groups.get(p + "d") and m[p + "m"] and m[p + "y"]:
            return date(_four(m[p + "y"]), _month_num(m[p + "m"]), int(m[p + "d"]))
    except ValueError:
        return None
    return None


def _span_months(start_year: int, start_month: int, end: date) -> tuple[date, date]:
    return date(start_year, start_month, 1), end


def _resolved(m, ref: date | None) -> tuple[tuple[date, date], str] | None:
    """(start, end) and kind for one match, or None when it cannot be placed in time."""
    name, groups = m.lastgroup, m.groupdict()
    g = lambda group: groups.get(f"{name}_{group}")  # noqa: E731 - the group of this form
    kind = "span" if name == "spanyy" else name
    if kind == "months":
        n = 12 if m["n_year"] else int(m["n"]) if m["n"].isdigit() else words().number_words[m["n"].lower()]
        end = _day_date(m, "months_")
        if end is None and g("m"):
            month = _month_num(g("m"))
            year = _resolve_month(month, _four(g("y")) if g("y") else None, ref)
            end = month_end(year, month) if year else None
        if end is None or not 1 <= n <= 36:
            return None
        end = month_end(end.year, end.month)
        first = end.year * 12 + end.month - n  # months counted from year 0
        return _span_months(first // 12, first % 12 + 1, end), "months"
    if kind in ("rolling", "ytd", "relative", "now"):
        if ref is None:
            return None
        end = month_end(ref.year, ref.month)
        start = date(fy_of(ref), 4, 1) if kind == "ytd" else end.replace(day=1)
        if kind == "rolling":
            start = date(ref.year - 1, ref.month, 1) if ref.month == 12 else date(ref.year - 1, ref.month + 1, 1)
        return (start, end), kind
    if kind in ("qfy", "fyq"):
        fy = _fy_start(g("fy"))
        return (_ytd(_quarter(_quarter_number(g), fy), g("ytd")), "quarter") if fy else None
    if kind == "qbare":
        fy = _fy_start(g("fy")) if g("fy") else None
        span = _quarter(_quarter_number(g), fy) if fy else _latest_quarter(_quarter_number(g), ref)
        return (_ytd(span, g("ytd")), "quarter") if span else None
    if kind == "qrange":
        span = _quarters(int(g("qa")), int(g("qb")), g("fy"), ref)
        return (span, "quarter") if span else None
    if kind in ("academic", "calendar", "term"):
        span = _school_or_calendar(kind, g, ref)
        return (span, kind) if span else None
    if kind == "fy":
        fy = _fy_start(g("fy"))
        if fy is None:
            return None
        span = (date(fy, 4, 1), date(fy + 1, 3, 31))
        if g("ytd") and ref is not None and span[0] <= ref < span[1]:
            return (span[0], month_end(ref.year, ref.month)), "ytd"
        return span, "fy"
    if kind in ("span", "spanyy"):
        m1, m2 = _month_num(g("m1")), _month_num(g("m2"))
        y2 = _four(g("y2") or g("y2s")) if g("y2") or g("y2s") else _resolve_month(m2, None, ref)
        if y2 is None:
            return None
        y1 = _four(g("y1") or g("y1s")) if g("y1") or g("y1s") else (y2 if m1 <= m2 else y2 - 1)
        if not (y1, m1) < (y2, m2) or y2 - y1 > 5:
            return None
        return (date(y1, m1, 1), month_end(y2, m2)), "span"
    if kind == "date":
        day = _day_date(m, "date_")
        if day is None and g("mo"):
            month = _month_num(g("mo"))
            year = _resolve_month(month, None, ref)
            if year is None or int(g("d")) > calendar.monthrange(year, month)[1]:
                return None
            day = date(year, month, int(g("d")))
        if day is None:
            return None
        return (day.replace(day=1), month_end(day.year, day.month)), "date"
    if kind == "month":
        month = _month_num(g("m"))
        written = g("y") or g("y2") or g("y3") or g("y4") or g("y5")
        year = _four(written) if written else _resolve_month(month, None, ref)
        if year is None:
            return None
        if not written and (g("last") and month == ref.month or g("next") and month <= ref.month):
            year += 1 if g("next") else -1  # "last March" in a March paper, "next March" in a later one
        span = (date(year, month, 1), month_end(year, month))
        return (_ytd(span, g("ytd")), "ytd" if g("ytd") else "month")
    if kind == "year":  # "in 2019": the reporting year of official statistics, to 31 March 2019
        year = int(g("yy"))
        return (date(year - 1, 4, 1), date(year, 3, 31)), "year"
    if kind == "qcal":  # "Q4 of 2018": the calendar reading, between the two financial ones
        q, year = _quarter_number(g), int(g("cy"))
        return (date(year, 3 * q - 2, 1), month_end(year, 3 * q)), "qcal"
    return None


def _quarter_number(g) -> int:
    """The quarter a match names, by number ("Q2", "quarter two") or ordinal ("the second quarter")."""
    if g("q"):
        return int(g("q"))
    return words().quarter_numbers[g("qn").lower()] if g("qn") else words().ordinals[g("qo").lower()]


def _quarters(first: int, last: int, fy: str | None, ref: date | None) -> tuple[date, date] | None:
    """"Q1-Q3 2024/25": from the start of the first quarter to the end of the last, of the
    financial year written, else of the latest such run ended by ``ref``."""
    if first >= last:
        return None
    if fy:
        start = _fy_start(fy)
        return (_quarter(first, start)[0], _quarter(last, start)[1]) if start else None
    end = _latest_quarter(last, ref)
    return (_quarter(first, fy_of(end[0]))[0], end[1]) if end else None


def _school_or_calendar(kind: str, g, ref: date | None) -> tuple[date, date] | None:
    """An academic year (September to August), a calendar year, or a school term: of the
    year written, else (a term) the latest such term begun by ``ref``."""
    if kind == "calendar":
        return date(int(g("cy")), 1, 1), date(int(g("cy")), 12, 31)
    fy = _fy_start(g("fy")) if g("fy") else None
    if kind == "academic":
        return (date(fy, 9, 1), date(fy + 1, 8, 31)) if fy else None
    first, last = words().terms[g("season").lower()]
    if g("fy"):
        year = None if fy is None else fy if first >= 9 else fy + 1
    else:
        year = _resolve_month(first, int(g("ty")) if g("ty") else None, ref)
    return (date(year, first, 1), month_end(year, last)) if year else None


def _ytd(span: tuple[date, date], ytd: str | None) -> tuple[date, date]:
    """A period marked "YTD" runs from the start of its financial year."""
    return (date(fy_of(span[1]), 4, 1), span[1]) if ytd else span


def _is_verb(m) -> bool:
    """'may' the verb, 'march' the verb: a month name without a number must be capitalised."""
    text = m.group(0)
    return not regex.search(r"\d", text) and text[0].islower() and m.lastgroup in ("month", "span", "date")


def find_periods(text: str, ref: date | None, relative: bool = False, cell: bool = False,
                 ambiguous: bool = False) -> list[Period]:
    """Every period expression in ``text`` that can be resolved against ``ref`` (the meeting
    date). Relative periods are included only when ``relative`` is set, a quarter of a
    calendar year ("Q4 of 2018", kind ``qcal``) only when ``ambiguous`` is: whoever asks
    for it must doubt it."""
    found: list[Period] = []
    for m in _grammar(cell).finditer(text):
        if _is_verb(m):
            continue
        resolved = _resolved(m, ref)
        if resolved is None:
            continue
        (start, end), kind = resolved
        is_relative = kind in ("rolling", "ytd", "relative") and m.lastgroup in ("rolling", "ytd", "relative")
        if is_relative and not relative or kind == "qcal" and not ambiguous:
            continue
        point = kind == "now" or (kind not in ("fy", "months", "span")
                                  and bool(words().point.search(text[max(0, m.start() - POINT_WINDOW):m.start()])))
        found.append(Period(start, end, m.group(0), m.start(), m.end(), point, kind, is_relative))
    return found


def period_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of every period expression, placed in time or not ("Q3 2024", "last
    year"), so that their numbers are never read as figures."""
    return [m.span() for m in _grammar(False).finditer(text) if not _is_verb(m)]


def parse_period(cell: str, ref: date | None) -> Period | None:
    """The period a table header or cell consists of ("Dec-23", "23/24", "Q3 24/25"), or None
    when the cell holds anything more than one period."""
    text = cell.strip(" *:()[]")
    found = find_periods(text, ref, cell=True)
    if len(found) == 1 and len(found[0].text) >= len(text) - 2:
        return found[0]
    return None


def parse_date(text: str) -> date | None:
    """The first calendar date written in full in ``text`` ("14 November 2024", "14/11/2024",
    "Thursday, November 14, 2024")."""
    for m in _grammar(False).finditer(text):
        if m.lastgroup == "date" and (day := _day_date(m, "date_")):
            return day
    return None


# ---------------------------------------------------------------- days and spans of days
# The days an inspection or visit ran ("5 to 9 December 2022 and 14 to 15 February 2023").

DAY_MONTH = "|".join(calendar.month_name[1:])
DAY = (rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}"
       rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?:{DAY_MONTH}))?(?:\s+\d{{4}})?")
SPAN = rf"(?:{DAY})(?:\s*(?:to|and|until|–|-|,)\s*(?:the\s+)?(?:{DAY}))*"
DAY_RE = regex.compile(rf"(?P<nday>\d{{1,2}})/(?P<nmonth>\d{{1,2}})/(?P<nyear>\d{{4}})"
                       rf"|(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?P<month>{DAY_MONTH}))?(?:\s+(?P<year>\d{{4}}))?",
                       regex.I)


def dates_in(span: str) -> list[date]:
    """The days of a span such as "28 December to 8 January 2016" or "15 and 16 of May 2018":
    a day without month or year takes those of the next day that states them (the year before
    when its month comes later in the year). Empty unless the last day states month and year."""
    parts = list(DAY_RE.finditer(span))
    out: list[date] = []
    month = year = None
    for part in reversed(parts):
        if part["nday"]:
            day, month, year = int(part["nday"]), int(part["nmonth"]), int(part["nyear"])
        else:
            day = int(part["day"])
            named = list(calendar.month_name).index(part["month"].capitalize()) if part["month"] else None
            if part["year"]:
                year = int(part["year"])
            elif named and month and named > month and year:
                year -= 1
            month = named or month
        if month is None or year is None:
            return []
        found = _valid_day(year, month, day)
        if found is None:
            return []
        out.append(found)
    return out[::-1]


def _valid_day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
