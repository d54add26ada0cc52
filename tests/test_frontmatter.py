"""Front matter: meeting date, committee and title, stated or nothing."""
from __future__ import annotations

from datetime import date

import pytest

from scrutiny.extract.model import Document, Heading, Page, Paragraph, Table
from scrutiny.extract.frontmatter import front_matter, lone_date, parse_date

EXPECTED_DATES = {
    "000_878a8a15beb185f7": date(2019, 6, 19),
    "001_6189d4c3eea649f8": date(2017, 2, 16),
    "002_5b351067a8cd401d": date(2024, 11, 14),
    "003_077c65c1b7a2f02c": None,  # Hillingdon: no meeting date at the front, dates only in the body
    "004_ab3d313a01f42dff": date(2019, 10, 23),
}


def document(*blocks) -> Document:
    return Document(path="x.txt", sha256="0" * 64, kind="text", pages=[Page(1, list(blocks))])


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
@pytest.mark.parametrize("stem", sorted(EXPECTED_DATES))
def test_seed_meeting_dates(seed_document, stem, suffix):
    assert front_matter(seed_document(stem, suffix)).meeting_date == EXPECTED_DATES[stem]


@pytest.mark.parametrize("suffix", [".pdf", ".txt"])
def test_seed_committee_and_title(seed_document, suffix):
    plymouth = front_matter(seed_document("002_5b351067a8cd401d", suffix))
    assert plymouth.committee == "Children, Young People and Families Scrutiny Panel"
    assert plymouth.title == "Children, Young People and Families Service Quarterly Improvement Update"
    west_sussex = front_matter(seed_document("004_ab3d313a01f42dff", suffix))
    assert west_sussex.committee.replace("’", "'") == "Children and Young People's Services Select Committee"
    assert west_sussex.title == "Children First Improvement – Update Report"
    walsall = front_matter(seed_document("001_6189d4c3eea649f8", suffix))
    assert walsall.committee is None  # "Reason for scrutiny" is a heading, not a committee
    assert walsall.title.startswith("Children") and walsall.title.endswith("End of Quarter 3 (April to December 2016)")


def test_labelled_fields():
    found = front_matter(document(
        Paragraph("Report to: Cabinet", 1),
        Paragraph("Meeting date: Tuesday 3rd March 2020", 1),
        Table([["Subject", "Children's Services Performance"], ["Date agreed:", "01/01/2020"]], 1),
    ))
    assert found.committee == "Cabinet"
    assert found.meeting_date == date(2020, 3, 3)
    assert found.title == "Children's Services Performance"


def test_dates_in_sentences_are_not_meeting_dates():
    found = front_matter(document(
        Heading("UPDATE ON THE IMPROVEMENT PLAN", 1),
        Paragraph("It is recommended that the Committee notes the report.", 1),
        Paragraph("The plan was agreed on 14 November 2024 by the Board.", 1),
        Paragraph("Date agreed: 06/11/2024", 1),
    ))
    assert found.meeting_date is None
    assert found.committee is None


def test_lone_date_beside_committee_further_down():
    filler = [Paragraph(f"Line {n} of the cover sheet", 1) for n in range(8)]
    found = front_matter(document(*filler, Paragraph("Corporate Parenting Board", 1),
                                  Heading("**23 October 2019**", 1), Heading("Care Leavers Offer", 1)))
    assert found.committee == "Corporate Parenting Board"
    assert found.meeting_date == date(2019, 10, 23)
    assert found.title == "Care Leavers Offer"


def test_date_parsing():
    assert parse_date("Thursday, 14 November 2024") == date(2024, 11, 14)
    assert parse_date("November 14, 2024") == date(2024, 11, 14)
    assert parse_date("14/11/2024") == date(2024, 11, 14)
    assert parse_date("31 February 2024") is None
    assert lone_date("19 June 2019") == date(2019, 6, 19)
    assert lone_date("Reported on 19 June 2019") is None
