"""Parts of a total and counts named by a parenthesis: what must be stored and what must not
(short sentences written for the test, none from a council paper)."""
from datetime import date

from scrutiny.extract.parsers.generic import GenericParser
from scrutiny.extract.model import Document, Page, Paragraph
from scrutiny.extract.observation import REVIEW_BELOW, Context

MEETING = date(2024, 11, 20)


def stored(*texts, meeting=MEETING):
    """(indicator, value, period end, breakdown) of every figure confident enough to export."""
    doc = Document("t.txt", "0" * 64, "text", [Page(1, [Paragraph(t, 1) for t in texts])])
    found = GenericParser().parse(doc, Context(meeting_date=meeting, authority_code="E06000015"))
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}", o.breakdown) for o in found if o.confidence >= REVIEW_BELOW}


def of_value(rows, value):
    return {r for r in rows if r[1] == value}


def test_a_whole_split_into_a_named_rest_and_a_group():
    rows = stored("At 31 March 2024, a total of 540 children were looked after by the council, made up of "
                  "500 non-UASC children and 40 UASC.")
    assert of_value(rows, 540.0) == {("cla_count", 540.0, "2024-03", "")}
    assert of_value(rows, 500.0) == {("cla_count", 500.0, "2024-03", "non-UASC")}
    assert of_value(rows, 40.0) == {("uasc_count", 40.0, "2024-03", "")}


def test_the_rest_of_a_total_is_the_part_that_adds_up_with_the_group():
    rows = stored("At the end of September 2024 there were 330 children in care in total, "
                  "22 unaccompanied asylum seeking children and 308 resident children in care.")
    assert of_value(rows, 308.0) == {("cla_count", 308.0, "2024-09", "non-UASC")}
    assert of_value(rows, 330.0) == {("cla_count", 330.0, "2024-09", "")}
    rows = stored("At the end of September 2024 there were 330 children in care in total, "
                  "22 unaccompanied asylum seeking children and 290 resident children in care.")
    assert of_value(rows, 290.0) == set()  # 22 and 290 do not make 330: a part, not the rest


def test_a_count_excluding_a_group_is_the_rest_not_the_whole():
    rows = stored("In September 2024 the number of children in care (excluding UASC) stood at 415.")
    assert of_value(rows, 415.0) == {("cla_count", 415.0, "2024-09", "non-UASC")}


def test_the_bracketed_levels_of_a_change_take_the_ends_of_its_span():
    rows = stored("The number of children in care (excluding UASC) has risen by 9% (520-567) "
                  "between March 2019 and March 2024.")
    assert of_value(rows, 520.0) == {("cla_count", 520.0, "2019-03", "non-UASC")}
    assert of_value(rows, 567.0) == {("cla_count", 567.0, "2024-03", "non-UASC")}
    assert of_value(rows, 9.0) == set()
    rows = stored("Children in care have increased by 4% (300 to 312) between March 2023 and March 2024.")
    assert rows == {("cla_count", 300.0, "2023-03", ""), ("cla_count", 312.0, "2024-03", "")}


def test_the_size_of_a_change_in_brackets_is_not_a_level():
    assert stored("Children in care have increased by 4% (12) between March 2023 and March 2024.") == set()
    # without a span whose two ends are periods, the range is not dated level by level
    assert of_value(stored("Children in care have increased by 4% (300-312) over the last year."), 300.0) == set()


def test_a_count_bracketed_after_a_share_counts_what_its_clause_names():
    rows = stored("Of the 2,100 open cases at the end of October 2024, 70% (1,470) were held on a child in "
                  "need basis, 12% (252) were cases of children looked after by the council, and 11% (231) "
                  "were cases of children subject to a child protection plan.")
    assert ("cla_count", 252.0, "2024-10", "") in rows
    assert ("cpp_count", 231.0, "2024-10", "") in rows
    assert of_value(rows, 1470.0) == set()  # held on a basis: not a count the clause names
    assert of_value(rows, 12.0) == of_value(rows, 11.0) == set()  # shares of cases have no indicator


def test_a_count_after_a_share_is_not_named_by_a_narrower_clause():
    rows = stored("In October 2024, 12% (252) were children looked after in residential homes.")
    assert of_value(rows, 252.0) == set()


def test_a_count_after_a_share_without_a_period_waits_for_review():
    rows = stored("Of the open cases, 12% (252) were cases of children looked after by the council.")
    assert of_value(rows, 252.0) == set()


def test_them_after_a_share_of_a_named_group_is_that_group():
    rows = stored("In October 2024, 97% of care leavers had a pathway plan, with 88% of them living in "
                  "suitable accommodation.")
    assert ("care_leavers_suitable_accommodation_rate", 88.0, "2024-10", "") in rows


def test_them_after_a_count_is_still_a_subset():
    rows = stored("In October 2024, 60 care leavers moved home, with 50% of them in suitable accommodation.")
    assert of_value(rows, 50.0) == set()

