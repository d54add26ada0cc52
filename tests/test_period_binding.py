"""How a figure in prose takes its period: each rule on sentences written for the test."""
from datetime import date

from scrutiny.extract.model import Document, Page, Paragraph
from scrutiny.extract.observation import REVIEW_BELOW, Context
from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.extract.trust import AMBIGUOUS_QUARTER

MEETING = date(2024, 11, 20)


def parse(*paragraphs: str, meeting=MEETING):
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Paragraph(p, 1) for p in paragraphs])])
    return list(GenericParser().parse(doc, Context(meeting_date=meeting, authority_code="E06000015")))


def exported(*paragraphs: str, meeting=MEETING):
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}") for o in parse(*paragraphs, meeting=meeting)
            if o.confidence >= REVIEW_BELOW}


def test_a_level_held_between_two_years_is_the_later_years():
    rows = exported("The rate of children in care per 10,000 (52 per 10,000) stayed the same between 2022 and 2023.")
    assert ("cla_rate_per_10k", 52.0, "2023-03") in rows
    assert not any(r[2] == "2022-03" for r in rows)


def test_a_level_merely_between_two_years_keeps_its_doubt():
    rows = parse("The rate of children in care per 10,000 (52 per 10,000) was compared between 2022 and 2023.")
    assert all(o.confidence < REVIEW_BELOW for o in rows if o.value == 52.0)


def test_a_year_with_a_when_clause_dates_that_clauses_figure():
    rows = exported("Our looked after children rose by a fifth since 2015, when 310 children were in care.")
    assert ("cla_count", 310.0, "2015-03") in rows


def test_year_to_date_runs_to_the_quarter_the_paragraph_reports():
    rows = exported("Quarter 2 2024/25 was a busy period for the service. Over the year to date, "
                    "the rate of re-referrals has stayed at 19%.")
    assert ("rereferral_rate", 19.0, "2024-09") in rows


def test_year_to_date_without_a_recent_quarter_is_not_placed():
    rows = exported("Quarter 2 2021/22 was a busy period. Over the year to date, the rate of re-referrals has stayed at 19%.")
    assert not any(r[1] == 19.0 for r in rows)


def test_year_to_date_after_a_comma_belongs_to_what_follows():
    rows = exported("In Quarter 2 2024/25 the service was busy. Re-referrals were high in 2023/24 (24%), "
                    "over the year to date, the rate of re-referrals has been 19%.")
    assert ("rereferral_rate", 24.0, "2024-03") in rows
    assert ("rereferral_rate", 19.0, "2024-09") in rows


def test_a_quarter_of_a_bare_year_is_stored_with_its_doubt():
    rows = parse("The rate of re-referrals was 21% at quarter four of 2023.", meeting=None)
    assert not any(o.confidence >= REVIEW_BELOW for o in rows)
    assert any(AMBIGUOUS_QUARTER in o.notes for o in rows if o.value == 21.0)


def test_a_grade_takes_the_month_of_the_inspection_named_after_it():
    rows = parse("Members noted the work of Children Services towards a 'Good' judgement "
                 "in the Ofsted inspection carried out in June in 2019.", meeting=None)
    grades = [o for o in rows if o.unit == "grade"]
    assert [(o.value, f"{o.period_end:%Y-%m}") for o in grades] == [("good", "2019-06")]
    assert all(o.confidence >= REVIEW_BELOW and not o.notes for o in grades)


def test_a_grade_without_its_inspection_month_keeps_its_doubts():
    rows = parse("Members noted that children's services were judged 'Good' by Ofsted in an earlier inspection. "
                 "There were 300 children in care in March 2019.", meeting=None)
    assert all(o.confidence < REVIEW_BELOW for o in rows if o.unit == "grade")


def test_a_level_that_remained_at_a_value_between_two_years_is_the_later_years():
    rows = exported("The number of children in care remained at 412 between 2022 and 2023.")
    assert rows == {("cla_count", 412.0, "2023-03")}
