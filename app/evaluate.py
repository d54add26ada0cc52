"""Score extracted observations against a gold CSV: precision, recall and F1.

The matching rules are those of ``shared/tools/score.py``. A gold row matches an extracted
row of the same document stem (and file suffix, when one is given) and indicator when:

- the ``period_end`` months differ by at most the gold row's ``tolerance_months``;
- the values are equal: numbers within 0.5% or 0.051 absolute, text case-insensitively;
- the qualifiers agree, a blank one counting as ``actual``;
- the breakdowns are compatible: a blank gold breakdown accepts a blank extracted one or one
  naming the whole ('all', 'all ...', 'overall', anything with 'total'); otherwise one of
  the gold's ``|``-separated alternatives must occur, case-insensitively, in the extracted one.

Gold rows are matched in file order, each to the unused candidate nearest in month.
Precision is measured over extracted rows of the gold's documents and indicators only.
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
    return abs(g - e)


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
