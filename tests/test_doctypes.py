"""Document types from the documents' own text: every shared Ofsted report and focused-visit letter,
the seed committee papers, letters and reports of the other kinds, and both PDF engines agreeing."""
from __future__ import annotations

import csv
import os
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest

from scrutiny.extract.doctypes import CUES, DOC_TYPES, DocKind, classify, classify_text, document_type
from scrutiny.schemas.periods import dates_in
from scrutiny.extract.errors import ReadError
from scrutiny.extract.read import read
from scrutiny.extract.settings import ReadSettings

LETTER_DATE = re.compile(r"_(\d{2}_[a-z]+_\d{4})$")  # focused-visit file names end with the letter's date
LETTER_TO_VISIT_DAYS = 120  # a letter follows its visit within weeks


def kind_of(path: Path, engine: str = "fast") -> DocKind | str:
    """The file's kind, or the reason it is no document."""
    try:
        return document_type(read(path, ReadSettings(engine=engine)))
    except ReadError as err:
        return err.reason


def kinds(paths: list[Path], engine: str = "fast") -> dict[str, DocKind | str]:
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip((p.name for p in paths), pool.map(kind_of, paths, [engine] * len(paths))))


@pytest.fixture(scope="module")
def gold(shared: Path) -> dict[str, list[dict[str, str]]]:
    """The gold's judgements by report file name."""
    rows: dict[str, list[dict[str, str]]] = {}
    with open(shared / "gold" / "ofsted.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(f"{row['document']}.pdf", []).append(row)
    return rows


@pytest.fixture(scope="module")
def reports(shared: Path) -> dict[str, DocKind | str]:
    return kinds(sorted((shared / "corpus" / "ofsted").glob("*.pdf")))


@pytest.fixture(scope="module")
def letters(shared: Path) -> dict[str, DocKind | str]:
    return kinds(sorted((shared / "corpus" / "focused_visits").glob("*.pdf")))


def test_every_graded_report_is_a_graded_inspection(reports: dict[str, DocKind | str],
                                                     gold: dict[str, list[dict[str, str]]]) -> None:
    for name, rows in gold.items():
        kind = reports[name]
        assert isinstance(kind, DocKind) and kind.doc_type == "ofsted-inspection" and kind.graded, name
        indicators = {row["indicator"] for row in rows}
        if "ofsted_adoption" in indicators:  # only the single inspection framework judged adoption
            assert kind.framework == "sif", name
        if len(indicators) == 4 and "ofsted_care_leavers" not in indicators:  # ILACS before 2023
            assert kind.framework == "ilacs", name
        period = {row["period_end"] for row in rows}
        assert {kind.last_day.strftime("%Y-%m")} == period, name
        assert kind.first_day <= kind.last_day and kind.authority_name, name


def test_reports_without_gold_are_older_frameworks_or_no_report(reports: dict[str, DocKind | str], shared: Path,
                                                                 gold: dict[str, list[dict[str, str]]]) -> None:
    others = sorted(set(reports) - set(gold))
    assert others
    for name in others:
        kind = reports[name]
        if (shared / "corpus" / "ofsted" / name).read_bytes().startswith(b"%PDF"):
            assert isinstance(kind, DocKind) and (kind.doc_type, kind.framework) == ("ofsted-inspection", "older"), name
            assert not kind.graded and "framework before" in kind.note and kind.first_day, name
        else:  # a web page saved under a report's name
            assert kind == "not a report", name


def test_every_focused_visit_letter_is_one_with_its_visit_dates(letters: dict[str, DocKind | str]) -> None:
    assert letters
    for name, kind in letters.items():
        assert isinstance(kind, DocKind) and kind.doc_type == "ofsted-focused-visit", name
        assert kind.is_event and not kind.graded and kind.authority_name, name
        sent = datetime.strptime(LETTER_DATE.search(Path(name).stem)[1], "%d_%B_%Y").date()
        assert kind.first_day <= kind.last_day <= sent, name
        assert (sent - kind.last_day).days <= LETTER_TO_VISIT_DAYS, name


def test_most_letters_state_their_theme(letters: dict[str, DocKind | str]) -> None:
    themed = [kind for kind in letters.values() if isinstance(kind, DocKind) and kind.theme]
    assert len(themed) >= 0.9 * len(letters)
    assert all(3 <= len(kind.theme) <= 300 and "." not in kind.theme[-1:] for kind in themed)


def test_committee_papers_are_committee_reports(shared: Path) -> None:
    for path in sorted((shared / "corpus" / "seeds").glob("*.txt")):
        assert classify(read(path)).doc_type == "committee-report", path.name


def test_both_pdf_engines_give_the_same_types(shared: Path, gold: dict[str, list[dict[str, str]]]) -> None:
    """One report of each framework and one letter of each layout, read by both engines."""
    folder = shared / "corpus" / "ofsted"
    names = sorted(gold)[::12] + [p.name for p in sorted(folder.glob("*.pdf")) if p.name not in gold]
    paths = [folder / name for name in names] + sorted((shared / "corpus" / "focused_visits").glob("*.pdf"))[::15]
    assert kinds(paths, "fast") == kinds(paths, "pdfplumber")


@pytest.mark.parametrize("text, doc_type, first, last, theme", [
    ("Monitoring visit to Anyshire children's services\nThis letter summarises the findings of the monitoring visit "
     "to Anyshire children's services on 7 and 8 March 2023. Inspectors reviewed the local authority's progress in "
     "improving services for children in care.", "ofsted-monitoring-visit", date(2023, 3, 7), date(2023, 3, 8),
     "improving services for children in care"),
    ("Joint targeted area inspection of the multi-agency response to children and families who need help in Anyshire\n"
     "Between 4 and 8 March 2024, Ofsted and its partner inspectorates carried out a joint inspection.",
     "ofsted-jtai", date(2024, 3, 4), date(2024, 3, 8),
     "the multi-agency response to children and families who need help in Anyshire"),
    ("Area SEND inspection of Anyshire Local Area Partnership\nInspection dates: 12 to 16 February 2024",
     "ofsted-send", date(2024, 2, 12), date(2024, 2, 16), None),
    ("Focused visit to Anyshire children's services\nThis letter summarises the findings of a focused visit to "
     "Anyshire children's services on the 15 and 16 of May 2018.", "ofsted-focused-visit",
     date(2018, 5, 15), date(2018, 5, 16), None),
])
def test_letters_and_inspections_of_other_kinds(text: str, doc_type: str, first: date, last: date,
                                                 theme: str | None) -> None:
    kind = classify_text(text)
    assert (kind.doc_type, kind.first_day, kind.last_day, kind.theme) == (doc_type, first, last, theme)
    assert kind.is_event and not kind.graded


@pytest.mark.parametrize("text, doc_type", [
    ("Minutes of the meeting of the Children's Scrutiny Committee held on 4 March 2024", "minutes"),
    ("Report to: Cabinet\nSubject: Ofsted focused visit to children's services\nRecommendations", "committee-report"),
    ("Purpose of the report\nThe inspection of local authority children's services (ILACS) framework ...",
     "committee-report"),
    ("A note on nothing in particular.", None),
])
def test_council_papers_by_their_first_cue(text: str, doc_type: str | None) -> None:
    """A committee report about an Ofsted visit stays a committee report: the first cue decides."""
    kind = classify_text(text)
    assert kind.doc_type == doc_type and not kind.is_event


@pytest.mark.parametrize("text", [
    "Inspection of local authority arrangements for the protection of children\nAnyshire County Council",
    "Ofsted unannounced inspection of contact, referral and assessment arrangements within local authority "
    "children's services",
    "Inspection of safeguarding and looked after children services\nAnyshire Council\nInspection dates: 1 - 12 May 2012",
    "Joint area review\nAnyshire children's services",
])
def test_frameworks_before_2013_are_recognised_with_the_reason_nothing_is_stored(text: str) -> None:
    kind = classify_text(text)
    assert (kind.doc_type, kind.framework, kind.graded) == ("ofsted-inspection", "older", False)
    assert "adequate" in kind.note


def test_an_error_page_is_named_as_no_report() -> None:
    assert classify_text("Skip to main content\nhome", title="Page not found - Example").doc_type == "error-page"


@pytest.mark.parametrize("span, days", [
    ("28 December to 8 January 2016", [date(2015, 12, 28), date(2016, 1, 8)]),
    ("30 April and 1 May 2025", [date(2025, 4, 30), date(2025, 5, 1)]),
    ("5 to 9 December 2022 and 14 to 15 February 2023",
     [date(2022, 12, 5), date(2022, 12, 9), date(2023, 2, 14), date(2023, 2, 15)]),
    ("12/09/2016 to 06/10/2016", [date(2016, 9, 12), date(2016, 10, 6)]),
    ("12 to 15", []),  # no month, no year: no dates
])
def test_dates_of_a_span(span: str, days: list[date]) -> None:
    assert dates_in(span) == days


def test_every_kind_recognised_is_a_known_document_type() -> None:
    assert {kind for kind, _, _ in CUES} == set(DOC_TYPES)
