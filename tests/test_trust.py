"""Figures an analyst can trust: one short test per failure class, on sentences written for the
test. Each says what must be stored and what must not; the letters test checks that exported
figures of real inspection letters are right."""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from scrutiny.evaluate import evaluate, read_csv
from scrutiny.extract.model import Document, Heading, Page, Paragraph
from scrutiny.extract.numbers import find_mentions
from scrutiny.extract.observation import Context
from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.store.load import REVIEW_BELOW

MEETING = date(2024, 7, 10)
OWN = "E06000015"  # the reporting council of these tests


def observations(text: str, heading: str = "", meeting: date | None = MEETING):
    blocks = ([Heading(heading, 1)] if heading else []) + [Paragraph(text, 1)]
    doc = Document("t.txt", "0" * 64, "text", [Page(1, blocks)])
    return list(GenericParser().parse(doc, Context(meeting_date=meeting, authority_code=OWN)))


def stored(text: str, **kw) -> set[tuple]:
    """(indicator, value, area) of the figures that would be exported."""
    return {(o.indicator, o.value, o.area_code) for o in observations(text, **kw) if o.confidence >= REVIEW_BELOW}


# 1. role: references are not measurements
@pytest.mark.parametrize("text", [
    "KPI 6 is reported monthly", "the panel met on 25 and 26 May", "support for 16 to 17 year olds",
    "a score of 5/10 from families", "at the 12-month point", "during COVID-19 restrictions",
    "only 1 in 40 children", "Indicator 12: children in need", "the 10-year high",
])
def test_references_are_not_figures(text):
    assert find_mentions(text, []) == []


def test_section_number_names_the_indicator_and_is_no_value():
    found = stored("In 2023-24 there were 212 section 47 enquiries.")
    assert ("section47_count", 212.0, None) in found
    assert not any(value == 47.0 for _, value, _ in found)


# 2. scope: the indicator's subject must govern the figure
def test_whole_council_budget_is_not_the_childrens_budget():
    assert stored("The council's overall budget for 2024-25 is £310 million.") == set()
    assert ("service_budget_gbp", 61_500_000.0, None) in stored(
        "The children's social care budget for 2024-25 is £61.5 million.")


def test_subject_outside_the_figures_clause_goes_to_review():
    found = observations("Agency use was discussed at length; the service restructure in March 2024 reached 40%.")
    assert all(o.confidence < REVIEW_BELOW for o in found)


# 3. units: a rate per 10,000 is not a count; a count is whole
def test_rate_per_ten_thousand_is_a_rate():
    found = stored("The rate of children in need was 310.5 per 10,000 children in March 2024.")
    assert ("cin_rate_per_10k", 310.5, None) in found
    assert not any(ind == "cin_count" for ind, _, _ in found)


def test_fractional_workers_are_fte_not_a_count():
    found = stored("In March 2024 there were 35.5 agency social workers.")
    assert not any(ind.endswith("_count") for ind, _, _ in found)


# 4. owners: other areas' figures are not the council's
def test_comparators_and_other_authorities():
    found = stored("In March 2024 our rate of children in care was 70 per 10,000, higher than "
                   "Wokingham (45) and below the national average (71).")
    assert ("cla_rate_per_10k", 70.0, None) in found
    assert ("cla_rate_per_10k", 71.0, "E92000001") in found
    assert not any(value == 45.0 for _, value, _ in found)


def test_neighbours_and_region_by_their_words():
    found = stored("In March 2024, 18% of child protection plans were second or subsequent plans; "
                   "statistical neighbours are higher at 21.5% and regionally this is 20.7%.")
    assert ("cpp_second_subsequent_rate", 18.0, None) in found
    assert ("cpp_second_subsequent_rate", 21.5, f"SN-{OWN}") in found


# 5. periods: the meeting's own date; an undated paper's guessed period is not exported
def test_the_meetings_date_and_undated_guesses_wait_for_review():
    (dated,) = observations("At the time of this meeting there are 412 children in care.")
    assert (dated.value, f"{dated.period_end:%Y-%m}") == (412.0, "2024-07")
    assert dated.confidence >= REVIEW_BELOW
    undated = observations("In March 2023 there were 390 children in care. There are now 412 children in care.",
                           meeting=None)
    assert all(o.confidence < REVIEW_BELOW for o in undated if o.value == 412.0)


# 7. recall: how minutes state figures
@pytest.mark.parametrize("text, expected", [
    ("Children in care stood at 498 at the end of March 2024.", ("cla_count", 498.0, None)),
    ("By June 2024 the number of children in care had risen to 510.", ("cla_count", 510.0, None)),
    ("In March 2024 the rate of children on a child protection plan was 41.2 per 10,000 children.",
     ("cpp_rate_per_10k", 41.2, None)),
])
def test_minutes_phrasings_are_found(text, expected):
    assert expected in stored(text)


def test_changes_are_not_levels():
    found = stored("In March 2024 there was a decline of 5% in re-referrals and an extra 30 children in care.")
    assert not any(value in (5.0, 30.0) for _, value, _ in found)


# confidence on real letters: exported figures are right
def test_exported_letter_figures_are_precise(shared: Path, tmp_path: Path):
    letters = sorted((shared / "corpus" / "focused_visits").glob("*.pdf"))
    if not letters:
        pytest.skip("no focused-visit letters in ../shared/corpus/focused_visits")
    cli = Path(sys.executable).with_name("scrutiny")
    db, out = f"sqlite:///{tmp_path / 'l.sqlite'}", tmp_path / "l.csv"
    subprocess.run([cli, "ingest", "--db", db, *map(str, letters)], check=True, capture_output=True)
    subprocess.run([cli, "export", "--db", db, "--format", "csv", "--out", str(out)], check=True, capture_output=True)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    gold = read_csv(shared / "gold" / "focused_visits.csv")
    score = evaluate(gold, rows)
    assert rows, "no figure exported from the letters"
    assert score.matched / len(rows) >= 0.95  # every letter is fully annotated: any other row is wrong
