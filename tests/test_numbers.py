"""Figures found in sentences, and numbers that are not figures."""
import pytest

from scrutiny.extract.numbers import find_mentions


def figures(text):
    return [(m.value, m.kind) for m in find_mentions(text, [])]


@pytest.mark.parametrize("text, expected", [
    ("26% (56 posts) of posts", [(26.0, "percent"), (56.0, "count")]),
    ("90 % of care leavers", [(90.0, "percent")]),
    ("Eight newly qualified social workers joined", [(8.0, "word")]),
    ("only four out of thirteen assessments", [(30.8, "fraction")]),
    ("(88/203)", [(43.3, "fraction")]),
    ("a budget of £49.6 million", [(49_600_000.0, "money")]),
    ("numbers fell from 1,037 to 821", [(1037.0, "count"), (821.0, "count")]),
    ("achieving 30 day average", [(30.0, "count")]),
    ("one third of the workers", [(33.3, "fraction")]),
    ("the rate (41/10000) was low", [(41.0, "count")]),
])
def test_figures(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "Tel 01902 555534", "within 20 working days", "over the age of 18", "those age between 15.5 and 18",
    "4 of the 8 teams", "Section 17 payments", "for over 2 years", "PIP ref 7", "on 5th November",
    "compared to 1 in 31, and", "against 1 in 42.",
])
def test_not_figures(text):
    assert figures(text) == []


def test_approximation_is_kept():
    (m,) = find_mentions("currently equates to just under 15% of the total", [])
    assert (m.value, m.approx) == (15.0, "just under")


def test_unit_word():
    (m,) = find_mentions("approximately 507 FTE posts", [])
    assert (m.value, m.unit_word, m.approx) == (507.0, "FTE", "approximately")


def ranges(text):
    return [(m.value, m.high, m.unit_word) for m in find_mentions(text, []) if m.kind == "range"]


def test_a_range_mention_holds_its_opening_words():
    assert [m.text for m in find_mentions("their caseloads range between 6 – 19 cases", [])] == ["range between 6 – 19"]
    assert [m.text for m in find_mentions("an average of 18 (range: 6-30)", [])] == ["18", "range: 6-30"]


@pytest.mark.parametrize("text, expected", [
    ("workers were responsible for between 28 to 33 cases", [(28.0, 33.0, "cases")]),
    ("their caseloads range between 6 – 19, with", [(6.0, 19.0, "")]),
    ("caseloads of 12–18 in the team", [(12.0, 18.0, "")]),
    ("caseloads ranging from 9 to 21 children", [(9.0, 21.0, "children")]),
    ("between 2 and 3 visits", [(2.0, 3.0, "")]),
])
def test_ranges_are_one_mention(text, expected):
    assert ranges(text) == expected
    assert len(find_mentions(text, [])) == len(expected)  # its ends are not figures of their own


@pytest.mark.parametrize("text", [
    "16 to 17 year olds", "aged 16-17", "those aged between 15 and 18", "12 and 15 cases",
    "for 3 to 6 months", "within 10-15 working days",
])
def test_not_ranges(text):
    assert ranges(text) == []


def test_a_change_is_two_figures_not_a_range():
    assert figures("caseloads fell from 24 to 19") == [(24.0, "count"), (19.0, "count")]
