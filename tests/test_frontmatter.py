"""Front matter: meeting date, committee and title, stated or nothing."""
from __future__ import annotations

from datetime import date

import pytest

from scrutiny.extract.model import Document, Heading, Page, Paragraph, Table
from scrutiny.extract.frontmatter import estimate_meeting_date, front_matter, lone_date, parse_date

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


def test_minutes_heading_states_the_meeting_date():
    text = ("Minutes of the meeting of the Corporate Parenting Panel held on Tuesday 4 March 2025\n"
            "The minutes of the previous meeting held on 2 December 2024 were agreed.\n"
            "There were 402 children in care at the end of January.")
    found = estimate_meeting_date(text)
    assert found.when == date(2025, 3, 4) and found.confidence >= 0.9


def test_previous_minutes_date_is_not_the_meeting_date():
    text = ("Agenda item 4. The minutes of the meeting held on 2 December 2024 were confirmed.\n"
            "Children in care numbered 402 in January 2025.")
    found = estimate_meeting_date(text)
    assert found.when == date(2025, 1, 31) and found.confidence < 0.9


def test_undated_minutes_are_dated_after_what_they_compare_with():
    text = ("Referrals had risen in September, compared to 410 in March 2022. "
            "Assessments in time reached 88% in October.")
    found = estimate_meeting_date(text)
    assert found.when == date(2022, 10, 31) and found.confidence < 0.9


def test_deadlines_do_not_date_a_meeting():
    text = "There were 51 care leavers in touch at the end of June 2023; the plan aims for 60 by March 2025."
    assert estimate_meeting_date(text).when == date(2023, 6, 30)


def test_a_paper_without_dates_gets_no_guess():
    assert estimate_meeting_date("Members asked about placement stability and were told it had improved.") is None
    assert estimate_meeting_date("Under section 20 of the Children Act 1989, 12 children were placed.") is None


def test_a_paper_that_only_compares_is_known_only_to_be_later():
    text = "Members heard there were now 640 children in care, the fewest since October 2020."
    found = estimate_meeting_date(text)
    assert found.when == date(2020, 10, 31) and found.confidence < 0.5


def test_a_month_named_after_the_compared_date_is_reported_evidence():
    text = "Since February 2023 the number rose; in June it stood at 120."
    found = estimate_meeting_date(text)
    assert found.when == date(2023, 6, 30) and found.confidence == 0.5


def test_a_deadline_month_does_not_move_the_estimate():
    text = "Compared to 88 in May 2022, the service aims to reach 95 by March."
    assert estimate_meeting_date(text).when == date(2022, 5, 31)


def test_a_school_year_under_way_dates_a_paper_only_by_its_start():
    text = "Exclusions in the 2022/23 academic year were lower; 41 pupils were excluded in the autumn term 2022."
    assert estimate_meeting_date(text).when == date(2022, 9, 1)


def test_a_term_under_way_dates_a_paper_only_by_its_start():
    text = "Attendance rose to 93% in the autumn term 2023, up from 91% in July 2023."
    assert estimate_meeting_date(text).when == date(2023, 9, 1)


def test_what_is_to_start_later_does_not_date_a_paper():
    text = "Caseloads averaged 17 at the end of May 2021. Two new teams are to start in January 2022."
    assert estimate_meeting_date(text).when == date(2021, 5, 31)
