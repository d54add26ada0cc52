"""scrutiny.evaluate: each matching rule, and agreement with shared/tools/score.py."""
from __future__ import annotations

import csv
import random
import subprocess
import sys
from pathlib import Path

import pytest

from scrutiny.evaluate import evaluate, read_csv

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD_FIELDS = ["document", "authority_code", "indicator", "period_end", "value", "unit",
               "breakdown", "qualifier", "tolerance_months", "evidence"]
EXPORT_FIELDS = ["document", "authority_code", "indicator", "period_end", "value",
                 "breakdown", "qualifier"]


def gold(**changes: str) -> dict:
    row = {"document": "paper", "authority_code": "E06000015", "indicator": "cla_count",
           "period_end": "2025-01", "value": "498", "unit": "count", "breakdown": "",
           "qualifier": "actual", "tolerance_months": "0", "evidence": ""}
    return row | changes


def extracted(**changes: str) -> dict:
    row = {"document": "paper.pdf", "authority_code": "E06000015", "indicator": "cla_count",
           "period_end": "2025-01-31", "value": "498", "breakdown": "", "qualifier": "actual"}
    return row | changes


def recall(g: dict, e: dict, suffix: str | None = None) -> float:
    return evaluate([g], [e], suffix).recall


def test_exact_match_scores_one() -> None:
    score = evaluate([gold()], [extracted()])
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert (score.matched, score.gold, score.extracted) == (1, 1, 1)
    assert score.per_document == {"paper": (1, 1)}


def test_period_within_tolerance_months() -> None:
    assert recall(gold(), extracted(period_end="2025-02-28")) == 0.0
    assert recall(gold(tolerance_months="1"), extracted(period_end="2025-02-28")) == 1.0
    assert recall(gold(tolerance_months="1"), extracted(period_end="2024-12-31")) == 1.0
    assert recall(gold(tolerance_months="1"), extracted(period_end="2025-03-31")) == 0.0
    assert recall(gold(), extracted(period_end="")) == 0.0


def test_numeric_value_tolerance() -> None:
    assert recall(gold(value="498"), extracted(value="500")) == 1.0  # 0.4%
    assert recall(gold(value="498"), extracted(value="501")) == 0.0  # 0.6%
    assert recall(gold(value="4.3"), extracted(value="4.35")) == 1.0  # 0.05 absolute
    assert recall(gold(value="4.3"), extracted(value="4.4")) == 0.0
    assert recall(gold(value="1,037"), extracted(value="1037.0")) == 1.0
    assert recall(gold(value="14%"), extracted(value="14")) == 1.0


def test_text_value_case_insensitive() -> None:
    g = gold(indicator="ofsted_overall_effectiveness", value="good", unit="grade")
    assert recall(g, extracted(indicator="ofsted_overall_effectiveness", value=" Good")) == 1.0
    assert recall(g, extracted(indicator="ofsted_overall_effectiveness", value="outstanding")) == 0.0


def test_blank_qualifier_counts_as_actual() -> None:
    assert recall(gold(qualifier=""), extracted(qualifier="actual")) == 1.0
    assert recall(gold(qualifier="actual"), extracted(qualifier="")) == 1.0
    assert recall(gold(qualifier="Target"), extracted(qualifier="target")) == 1.0
    assert recall(gold(), extracted(qualifier="target")) == 0.0
    assert recall(gold(qualifier="forecast"), extracted(qualifier="")) == 0.0


def test_blank_gold_breakdown_accepts_whole_authority_wordings() -> None:
    for wording in ("", "ALL teams", "Total", "Grand total", "overall", "All"):
        assert recall(gold(), extracted(breakdown=wording)) == 1.0, wording
    for wording in ("Allocation team", "Non-UASC", "Fostering"):
        assert recall(gold(), extracted(breakdown=wording)) == 0.0, wording


def test_breakdown_alternatives_are_substrings() -> None:
    g = gold(indicator="sw_caseload_average", value="15", breakdown="LAC|looked after")
    assert recall(g, extracted(indicator="sw_caseload_average", value="15",
                               breakdown="Children Looked After teams")) == 1.0
    assert recall(g, extracted(indicator="sw_caseload_average", value="15",
                               breakdown="lac")) == 1.0
    assert recall(g, extracted(indicator="sw_caseload_average", value="15",
                               breakdown="Assessment")) == 0.0
    assert recall(g, extracted(indicator="sw_caseload_average", value="15", breakdown="")) == 0.0


def test_suffix_filters_documents() -> None:
    assert recall(gold(), extracted(document="paper.txt"), suffix=".pdf") == 0.0
    assert recall(gold(), extracted(document="corpus/paper.pdf"), suffix=".pdf") == 1.0
    assert recall(gold(), extracted(document="paper.txt")) == 1.0
    assert recall(gold(), extracted(document="other.pdf")) == 0.0


def test_precision_pool_is_gold_documents_and_indicators() -> None:
    rows = [
        extracted(),
        extracted(value="512", period_end="2024-03-31"),  # counts: false positive
        extracted(indicator="contacts_count", value="5"),  # indicator not in gold
        extracted(document="unscored.pdf"),  # document not in gold
    ]
    score = evaluate([gold()], rows)
    assert score.extracted == 2
    assert score.precision == 0.5
    assert score.false_positives == [rows[1]]
    assert score.f1 == pytest.approx(2 / 3)


def test_greedy_match_prefers_nearest_month_and_uses_each_row_once() -> None:
    golds = [gold(tolerance_months="2"), gold(tolerance_months="2", period_end="2025-02")]
    rows = [extracted(period_end="2024-11-30"), extracted(period_end="2025-02-28")]
    score = evaluate(golds, rows)
    # the first gold takes the February row (1 month away), leaving November too far for the second
    assert score.matched == 1
    assert score.misses == [golds[1]]
    assert score.false_positives == [rows[0]]
    assert score.per_document == {"paper": (1, 2)}


def test_empty_inputs_score_zero() -> None:
    score = evaluate([], [])
    assert (score.precision, score.recall, score.f1) == (0.0, 0.0, 0.0)


def test_read_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "gold.csv"
    write(path, GOLD_FIELDS, [gold(evidence="from 512, to 498")])
    assert read_csv(path) == [gold(evidence="from 512, to 498")]


def write(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def perturbed_export(gold_rows: list[dict], rng: random.Random) -> list[dict]:
    """Export rows made from the gold with values, periods and breakdowns disturbed."""
    rows = []
    for g in gold_rows:
        e = {k: g[k] for k in EXPORT_FIELDS}
        e["document"] = g["document"] + rng.choice([".pdf", ".pdf", ".txt"])
        e["period_end"] = g["period_end"] + "-28"
        roll = rng.random()
        number = g["unit"] != "grade"
        if roll < 0.15 and number:
            e["value"] = str(round(float(g["value"]) * rng.choice([1.003, 1.01, 0.9]), 3))
        elif roll < 0.3:
            year, month = int(g["period_end"][:4]), int(g["period_end"][5:7])
            month = (month - 1 + rng.choice([-3, -1, 1, 2])) % 12 + 1
            e["period_end"] = f"{year}-{month:02d}-01"
        elif roll < 0.4:
            e["breakdown"] = rng.choice(["", "Total caseload", "Fostering team", "all teams"])
        elif roll < 0.45:
            e["qualifier"] = rng.choice(["", "target", "forecast"])
        elif roll < 0.5:
            continue
        rows.append(e)
        if rng.random() < 0.15:
            rows.append(e | {"value": "7", "breakdown": rng.choice(["", "ASYE"])})
    rows.append({"document": "elsewhere.pdf", "indicator": "cla_count",
                 "period_end": "2020-01-01", "value": "1"})
    return rows


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists(),
                    reason="../shared (score.py and gold/seeds.csv) is not present")
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("suffix", [None, ".pdf"])
def test_agrees_with_shared_score_py(tmp_path: Path, seed: int, suffix: str | None) -> None:
    gold_rows = read_csv(SHARED / "gold" / "seeds.csv")
    export_rows = perturbed_export(gold_rows, random.Random(seed))
    write(tmp_path / "gold.csv", GOLD_FIELDS, gold_rows)
    write(tmp_path / "export.csv", EXPORT_FIELDS, export_rows)
    command = [sys.executable, str(SHARED / "tools" / "score.py"),
               str(tmp_path / "gold.csv"), str(tmp_path / "export.csv")]
    if suffix:
        command += ["--docs-suffix", suffix]
    last = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split("\n")[-2]
    fields = last.split()
    assert fields[0::2] == ["precision", "recall", "f1"]
    score = evaluate(read_csv(tmp_path / "gold.csv"), read_csv(tmp_path / "export.csv"), suffix)
    assert 0.0 < score.recall < 1.0 and 0.0 < score.precision < 1.0
    assert fields[1::2] == [f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}"]


def test_calibration_counts_right_figures_per_confidence_band() -> None:
    from scrutiny.evaluate import calibration
    rows = [extracted(confidence="0.95"), extracted(value="12", confidence="0.95"), extracted(value="7", confidence="0.4")]
    bands = {(b.low, b.right, b.total) for b in calibration([gold()], rows) if b.total}
    assert bands == {(0.9, 1, 2), (0.3, 0, 1)}


def test_failure_classes_name_what_went_wrong() -> None:
    from scrutiny.evaluate import failure_class
    g = [gold()]
    assert failure_class(extracted(authority_code="E92000001"), g) == "owner"
    assert failure_class(extracted(period_end="2023-01-31"), g) == "period"
    assert failure_class(extracted(qualifier="target"), g) == "breakdown or qualifier"
    assert failure_class(extracted(indicator="cpp_count"), g) == "subject or unit"
    assert failure_class(extracted(value="47"), g) == "role or scope"


def test_a_figure_of_another_area_does_not_match() -> None:
    assert recall(gold(), extracted(authority_code="E92000001")) == 0.0
