"""The Ofsted parser on the shared inspection reports: judgements, periods and authorities against
the gold, every graded framework's layouts as text, both PDF engines, and documents it must not take."""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from scrutiny.extract import registry
from scrutiny.extract.doctypes import classify
from scrutiny.extract.errors import ReadError
from scrutiny.extract.observation import Context, Observation
from scrutiny.extract.parsers.ofsted import OfstedParser, inspection_period
from scrutiny.extract.read import read
from scrutiny.extract.settings import ReadSettings

FIXTURES = Path(__file__).parent / "fixtures"
RI = "requires improvement"


@dataclass
class Parsed:
    handled: bool
    authority: str | None
    observations: list[Observation]


def parse_file(path: Path, settings: ReadSettings | None = None) -> Parsed:
    """The parser as the pipeline runs it, with the document's type; a file that is no document is not handled."""
    try:
        document = read(path, settings)
    except ReadError:
        return Parsed(False, None, [])
    kind = classify(document)
    ctx = Context(doc_type=kind.doc_type, doc_kind=kind)
    parser = OfstedParser()
    handled = parser.handles(document, ctx)
    return Parsed(handled, parser.authority(document), list(parser.parse(document, ctx)) if handled else [])


def judgements(parsed: Parsed) -> dict[str, str]:
    return {obs.indicator: obs.value for obs in parsed.observations}


@pytest.fixture(scope="module")
def ofsted_dir(shared: Path) -> Path:
    return shared / "corpus" / "ofsted"


@pytest.fixture(scope="module")
def corpus(ofsted_dir: Path) -> dict[str, Parsed]:
    """Every report read and parsed once, on all cores."""
    paths = sorted(ofsted_dir.glob("*.pdf"))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip((p.name for p in paths), pool.map(parse_file, paths)))


@pytest.fixture(scope="module")
def gold(shared: Path) -> list[dict[str, str]]:
    with open(shared / "gold" / "ofsted.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_corpus_scores_full_precision_and_recall(corpus: dict[str, Parsed], shared: Path, tmp_path: Path) -> None:
    export = tmp_path / "ofsted.csv"
    with open(export, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "authority_code", "indicator", "period_end", "value", "breakdown", "qualifier"])
        for name, parsed in corpus.items():
            for obs in parsed.observations:
                writer.writerow([name, parsed.authority, obs.indicator, obs.period_end.isoformat(), obs.value,
                                 obs.breakdown, obs.qualifier])
    done = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(shared / "gold" / "ofsted.csv"),
                           str(export), "--docs-suffix", ".pdf", "--verbose"], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1].startswith("precision 1.000 recall 1.000"), done.stdout


def test_authority_is_the_one_the_title_names(corpus: dict[str, Parsed], gold: list[dict[str, str]]) -> None:
    expected = {f"{row['document']}.pdf": row["authority_code"] for row in gold}
    assert {name: corpus[name].authority for name in expected} == expected


def test_every_judgement_carries_its_provenance(corpus: dict[str, Parsed], gold: list[dict[str, str]]) -> None:
    observations = [obs for parsed in corpus.values() for obs in parsed.observations]
    assert len(observations) == len(gold)  # the gold has every judgement of every graded report
    for obs in observations:
        assert obs.unit == "grade" and obs.value in ("outstanding", "good", RI, "inadequate")
        assert obs.page == 1 and obs.bbox is not None
        assert obs.period_start <= obs.period_end
        assert obs.value.split()[0].rstrip("s") in obs.evidence.lower(), obs.evidence  # "require(s)"


def test_only_graded_reports_are_handled(corpus: dict[str, Parsed], gold: list[dict[str, str]]) -> None:
    """Reports of the frameworks before 2013 and pages that are no report give nothing."""
    graded = {f"{row['document']}.pdf" for row in gold}
    assert {name for name, parsed in corpus.items() if parsed.handled} == graded


def test_a_report_judges_each_aspect_once(corpus: dict[str, Parsed]) -> None:
    for name, parsed in corpus.items():
        indicators = [obs.indicator for obs in parsed.observations]
        assert len(indicators) == len(set(indicators)), name


def test_the_period_ends_in_the_month_the_inspection_ended(corpus: dict[str, Parsed],
                                                           gold: list[dict[str, str]]) -> None:
    expected = {(f"{row['document']}.pdf", row["period_end"]) for row in gold}
    found = {(name, obs.period_end.strftime("%Y-%m")) for name, parsed in corpus.items() for obs in parsed.observations}
    assert found == expected


@pytest.mark.parametrize("name, period, expected", [
    ("barking-and-dagenham-07-july-2014.pdf", (date(2014, 4, 29), date(2014, 5, 22)),
     dict(ofsted_overall_effectiveness=RI, ofsted_help_and_protection=RI, ofsted_children_in_care=RI,
          ofsted_adoption=RI, ofsted_care_leavers=RI, ofsted_leadership=RI)),
    ("redbridge-25-november-2016.pdf", (date(2016, 9, 12), date(2016, 10, 6)),
     dict(ofsted_overall_effectiveness="good", ofsted_help_and_protection="good", ofsted_children_in_care="good",
          ofsted_adoption="good", ofsted_care_leavers=RI, ofsted_leadership="good")),
])
def test_single_framework_judges_adoption_and_care_leavers_apart(corpus: dict[str, Parsed], name: str,
                                                                 period: tuple[date, date],
                                                                 expected: dict[str, str]) -> None:
    parsed = corpus[name]
    assert judgements(parsed) == expected
    assert {(obs.period_start, obs.period_end) for obs in parsed.observations} == {period}


def test_ilacs_before_2023_judges_children_in_care_and_care_leavers_together(corpus: dict[str, Parsed]) -> None:
    parsed = corpus["south-tyneside-10-may-2023.pdf"]
    assert judgements(parsed) == dict(ofsted_leadership="inadequate", ofsted_help_and_protection=RI,
                                      ofsted_children_in_care="inadequate", ofsted_overall_effectiveness="inadequate")
    # "5 to 9 December 2022 and 14 to 15 February 2023": the inspection ends in its last stretch
    assert {(obs.period_start, obs.period_end) for obs in parsed.observations} == {(date(2022, 12, 5), date(2023, 2, 15))}


def test_page_that_is_no_report_is_not_handled(ofsted_dir: Path) -> None:
    document = read(ofsted_dir / "rotherham-10-august-2012.pdf")  # an HTML "Report not found" page
    assert classify(document).doc_type == "error-page"
    assert not OfstedParser().handles(document, Context()) and OfstedParser().authority(document) is None


def test_reports_of_frameworks_before_2013_are_recognised_and_say_why_nothing_is_stored(
        corpus: dict[str, Parsed], ofsted_dir: Path, gold: list[dict[str, str]]) -> None:
    graded = {f"{row['document']}.pdf" for row in gold}
    older = [p for p in sorted(ofsted_dir.glob("*.pdf")) if p.name not in graded and p.read_bytes().startswith(b"%PDF")]
    assert older
    for path in older:
        kind = classify(read(path))
        assert (kind.doc_type, kind.framework, kind.graded) == ("ofsted-inspection", "older", False), path.name
        assert "framework before" in kind.note and not corpus[path.name].observations


@pytest.mark.parametrize("name", ["cambridgeshire-16-may-2024.pdf", "barking-and-dagenham-07-july-2014.pdf",
                                  "bournemouth-christchurch-poole-29-january-2025.pdf", "rochdale-12-march-2018.pdf",
                                  "isles-of-scilly-27-june-2016.pdf"])
def test_text_conversion_gives_the_same_judgements(corpus: dict[str, Parsed], ofsted_dir: Path, tmp_path: Path,
                                                   name: str) -> None:
    """The first page as plain text lines: grades wrapped into, above or around their labels."""
    with pdfplumber.open(ofsted_dir / name) as pdf:
        text = pdf.pages[0].extract_text()
    converted = tmp_path / f"{name}.txt"
    converted.write_text(text, encoding="utf-8")
    from_text, from_pdf = parse_file(converted), corpus[name]
    assert from_text.authority == from_pdf.authority
    assert [(o.indicator, o.value, o.period_end) for o in from_text.observations] == \
        [(o.indicator, o.value, o.period_end) for o in from_pdf.observations]


@pytest.mark.parametrize("name", ["camden-21-june-2022.pdf", "oxfordshire-30-june-2014.pdf", "barnet-01-july-2019.pdf",
                                  "sunderland-25-july-2018.pdf", "peterborough-18-september-2015.pdf"])
def test_both_pdf_engines_give_the_same_judgements(corpus: dict[str, Parsed], ofsted_dir: Path, name: str) -> None:
    runs = [corpus[name], *(parse_file(ofsted_dir / name, ReadSettings(engine=e)) for e in ("fast", "pdfplumber"))]
    views = [(p.authority, [(o.indicator, o.value, o.period_end, o.page) for o in p.observations]) for p in runs]
    assert views[0][1] and views[0] == views[1] == views[2]


def test_focused_visit_and_council_papers_are_not_handled(shared: Path) -> None:
    parser = OfstedParser()
    for path in [FIXTURES / "ofsted_focused_visit.txt", *sorted((shared / "corpus" / "seeds").glob("*.txt"))]:
        document = read(path)
        assert not parser.handles(document, Context()), path.name
        assert list(parser.parse(document, Context())) == [], path.name


def test_parser_is_registered_for_its_document_type() -> None:
    cls = registry.get("ofsted")
    assert (cls.version, cls.applies_to.doc_types) == ("1.1.0", ("ofsted-inspection",))


@pytest.mark.parametrize("text, period", [
    ("Inspection dates: 10 to 21 July 2023", (date(2023, 7, 10), date(2023, 7, 21))),
    ("Inspection dates: 27 November to 8 December 2023", (date(2023, 11, 27), date(2023, 12, 8))),
    ("Inspection dates: 28 December to 8 January 2016", (date(2015, 12, 28), date(2016, 1, 8))),
    ("Inspection date: 29 April – 22 May 2014", (date(2014, 4, 29), date(2014, 5, 22))),
    ("Inspection date: 3 June 2014 - 25 June 2014", (date(2014, 6, 3), date(2014, 6, 25))),
    ("Inspection date: 12/09/2016 to 06/10/2016", (date(2016, 9, 12), date(2016, 10, 6))),
    ("Inspection date: 23 April–18 May 2018", (date(2018, 4, 23), date(2018, 5, 18))),
    ("Inspection dates: 5 to 9 December 2022 and 14 to 15 February 2023", (date(2022, 12, 5), date(2023, 2, 15))),
])
def test_inspection_dates(text: str, period: tuple[date, date]) -> None:
    assert inspection_period(text) == (period, 0.95, ())


def test_publication_date_stands_in_for_missing_inspection_dates() -> None:
    (start, end), confidence, notes = inspection_period("Report published: 5 April 2016")
    assert (start, end, confidence) == (date(2016, 4, 5), date(2016, 4, 5), 0.6) and notes
    assert inspection_period("Inspection dates: to be confirmed") is None


WRAPPED_2019 = """London Borough of Barnet
Inspection of children's social care services
Inspection dates: 13 May to 24 May 2019
Lead inspector: A Name, Her Majesty's Inspector
Judgement Grade
The impact of leaders on social work practice with children
Good
and families
The experiences and progress of children who need help
Requires improvement to
and protection
be good
The experiences and progress of children in care and
Inadequate
care leavers
Overall effectiveness Requires improvement to be good
Services for children in Barnet require improvement to be good.
"""
NO_OVERALL_2026 = """Inspection of Barnet local authority children's services
Inspection dates: 12 to 23 January 2026
Lead inspector: A Name, His Majesty's Inspector
Judgement Grade
The impact of leaders on social work practice with children and families Good
The experiences and progress of children who need help and protection Requires improvement to be good
The experiences and progress of children in care Good
The experiences and progress of care leavers Outstanding
Children's services in Barnet are good and improving.
"""


@pytest.mark.parametrize("text, expected, period", [
    (WRAPPED_2019, dict(ofsted_leadership="good", ofsted_help_and_protection=RI, ofsted_children_in_care="inadequate",
                        ofsted_overall_effectiveness=RI), (date(2019, 5, 13), date(2019, 5, 24))),
    # no overall effectiveness grade is given, so none is stored, whatever the prose says
    (NO_OVERALL_2026, dict(ofsted_leadership="good", ofsted_help_and_protection=RI, ofsted_children_in_care="good",
                           ofsted_care_leavers="outstanding"), (date(2026, 1, 12), date(2026, 1, 23))),
])
def test_judgement_table_read_from_lines(tmp_path: Path, text: str, expected: dict[str, str],
                                         period: tuple[date, date]) -> None:
    """Labels wrapped around their grades, grades split around labels, and a table without an overall grade."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.handled and parsed.authority == "E09000003"
    assert judgements(parsed) == expected
    assert {(obs.period_start, obs.period_end) for obs in parsed.observations} == {period}
