"""Score extracted observations against a gold CSV: precision, recall and F1.

The matching rules are those of ``shared/tools/score.py``. A gold row matches an extracted
row of the same document stem (and file suffix, when one is given) and indicator when:

- the ``period_end`` months differ by at most the gold row's ``tolerance_months``;
- the values are equal: numbers within 0.5% or 0.051 absolute, text case-insensitively;
- the qualifiers agree, a blank one counting as ``actual``;
- the breakdowns are compatible: a blank gold breakdown accepts a blank extracted one or one
  naming the whole ('all', 'all ...', 'overall', anything with 'total'); otherwise one of
  the gold's ``|``-separated alternatives must occur, case-insensitively, in the extracted one.

- the areas agree when both rows name one (``authority_code``: the council, or a comparator
  area such as E92000001 or SN-<code>).

Gold rows are matched in file order, each to the unused candidate nearest in month.
Precision is measured over extracted rows of the gold's documents and indicators only.

``calibration`` scores every stored figure, needs-review ones included, by confidence band:
the share right in each band says whether confidence means what it claims. ``failure_classes``
counts the false positives by what went wrong.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path, PurePath

TOLERANCE_RELATIVE = 0.005
TOLERANCE_ABSOLUTE = 0.051
WHOLE_AUTHORITY = ("", "all", "total", "overall")


@dataclass
class Score:
    """The outcome of one evaluation; ``per_document`` maps a stem to (matched, gold)."""
    precision: float
    recall: float
    f1: float
    matched: int
    gold: int
    extracted: int
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    per_document: dict[str, tuple[int, int]] = field(default_factory=dict)


def read_csv(path: str | Path) -> list[dict]:
    """The rows of a CSV file with a header line, as dicts."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def month_index(text: object) -> int | None:
    """Months since year 0 for a 'YYYY-MM...' string, else None."""
    text = str(text or "").strip()
    try:
        return int(text[:4]) * 12 + int(text[5:7]) - 1 if len(text) >= 7 else None
    except ValueError:
        return None


def as_number(value: object) -> float | None:
    """A float from '1,037', '£49.6', '83%' or a number; None for text."""
    try:
        return float(str(value).replace(",", "").replace("£", "").replace("%", ""))
    except ValueError:
        return None


def same_value(gold: object, extracted: object) -> bool:
    """Numbers within tolerance, or equal text ignoring case and surrounding space."""
    g, e = as_number(gold), as_number(extracted)
    if g is None or e is None:
        return str(gold).strip().lower() == str(extracted).strip().lower()
    return abs(g - e) <= max(TOLERANCE_ABSOLUTE, abs(g) * TOLERANCE_RELATIVE)


def breakdown_compatible(gold: str | None, extracted: str | None) -> bool:
    """Whether an extracted breakdown satisfies the gold one (see the module docstring)."""
    e = (extracted or "").strip().lower()
    alternatives = [a.strip().lower() for a in (gold or "").split("|") if a.strip()]
    if not alternatives:
        return e in WHOLE_AUTHORITY or e.startswith("all ") or "total" in e
    return any(a in e for a in alternatives)


def qualifier(value: str | None) -> str:
    """The qualifier in lower case, blank meaning 'actual'."""
    return (value or "").strip().lower() or "actual"


def document_name(row: dict) -> str:
    """The file name of an extracted row's document (which may be given as a path)."""
    return PurePath(str(row.get("document") or "")).name


def stem(name: str) -> str:
    """A file name without its last suffix."""
    return name.rsplit(".", 1)[0]


def distance(gold: dict, extracted: dict) -> int | None:
    """Months between a gold row and a compatible extracted row; None when they do not match."""
    g, e = month_index(gold.get("period_end")), month_index(extracted.get("period_end"))
    if g is None or e is None or abs(g - e) > int(gold.get("tolerance_months") or 0):
        return None
    if not same_value(gold.get("value"), extracted.get("value")):
        return None
    if qualifier(gold.get("qualifier")) != qualifier(extracted.get("qualifier")):
        return None
    if not breakdown_compatible(gold.get("breakdown"), extracted.get("breakdown")):
        return None
    if not same_area(gold, extracted):
        return None
    return abs(g - e)


def same_area(gold: dict, extracted: dict) -> bool:
    """Whether the rows are about the same area (true when either names none)."""
    g = str(gold.get("authority_code") or "").strip().upper()
    e = str(extracted.get("authority_code") or "").strip().upper()
    return not g or not e or g == e


def evaluate(gold_rows: list[dict], export_rows: list[dict], suffix: str | None = None) -> Score:
    """Match ``export_rows`` to ``gold_rows``; ``suffix`` (e.g. '.pdf') keeps only those files."""
    documents = {g["document"] for g in gold_rows}
    indicators = {g["indicator"] for g in gold_rows}
    pool = [
        e for e in export_rows
        if (suffix is None or document_name(e).endswith(suffix))
        and stem(document_name(e)) in documents and e.get("indicator") in indicators
    ]
    candidates: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(pool):
        candidates.setdefault((stem(document_name(e)), e["indicator"]), []).append(i)
    used: set[int] = set()
    misses: list[dict] = []
    per_document: dict[str, tuple[int, int]] = {}
    for g in gold_rows:
        scored = [(d, i) for i in candidates.get((g["document"], g["indicator"]), [])
                  if i not in used and (d := distance(g, pool[i])) is not None]
        if scored:
            used.add(min(scored)[1])
        else:
            misses.append(g)
        hit, total = per_document.get(g["document"], (0, 0))
        per_document[g["document"]] = (hit + bool(scored), total + 1)
    matched = len(used)
    precision = matched / len(pool) if pool else 0.0
    recall = matched / len(gold_rows) if gold_rows else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        precision=precision, recall=recall, f1=f1, matched=matched,
        gold=len(gold_rows), extracted=len(pool), misses=misses,
        false_positives=[e for i, e in enumerate(pool) if i not in used],
        per_document=per_document,
    )


BANDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


@dataclass
class Band:
    """Figures whose confidence is in [low, high): how many, and how many are right."""
    low: float
    high: float
    right: int
    total: int

    @property
    def precision(self) -> float:
        return self.right / self.total if self.total else 0.0


def calibration(gold_rows: list[dict], rows: list[dict], suffix: str | None = None) -> list[Band]:
    """Precision per confidence band over ``rows`` (export rows with a ``confidence``)."""
    score = evaluate(gold_rows, rows, suffix)
    wrong = {id(r) for r in score.false_positives}
    pool = [r for r in rows if id(r) not in wrong and _in_pool(r, gold_rows, suffix)] + score.false_positives
    bands = []
    for low, high in zip(BANDS, BANDS[1:]):
        inside = [r for r in pool if low <= float(r.get("confidence") or 0) < high]
        bands.append(Band(low, min(high, 1.0), sum(id(r) not in wrong for r in inside), len(inside)))
    return bands


def _in_pool(row: dict, gold_rows: list[dict], suffix: str | None) -> bool:
    documents = {g["document"] for g in gold_rows}
    indicators = {g["indicator"] for g in gold_rows}
    return (suffix is None or document_name(row).endswith(suffix)) and stem(document_name(row)) in documents \
        and row.get("indicator") in indicators


FAILURE_CLASSES = ("owner", "period", "breakdown or qualifier", "subject or unit", "role or scope")


def failure_class(row: dict, gold_rows: list[dict]) -> str:
    """What went wrong with a false positive, judged from the gold rows of its document:
    the owner (right figure, wrong area), the period, the breakdown or qualifier, the subject
    or unit (the value is a gold figure of another indicator), or the role or scope (the
    value is no figure of the document at all)."""
    same_value_rows = [g for g in gold_rows if g["document"] == stem(document_name(row))
                       and same_value(g.get("value"), row.get("value"))]
    same_indicator = [g for g in same_value_rows if g["indicator"] == row.get("indicator")]
    if same_indicator and not any(same_area(g, row) for g in same_indicator):
        return "owner"
    if same_indicator:
        fits = any(qualifier(g.get("qualifier")) == qualifier(row.get("qualifier"))
                   and breakdown_compatible(g.get("breakdown"), row.get("breakdown")) for g in same_indicator)
        return "period" if fits else "breakdown or qualifier"
    return "subject or unit" if same_value_rows else "role or scope"


def failure_counts(score: Score, gold_rows: list[dict]) -> dict[str, int]:
    """False positives counted by failure class."""
    counts = dict.fromkeys(FAILURE_CLASSES, 0)
    for row in score.false_positives:
        counts[failure_class(row, gold_rows)] += 1
    return counts
