"""Breakdowns of prose figures, read from the words around them (sentences written for the test)."""
import pytest

from scrutiny.extract.breakdowns import breakdown
from scrutiny.schemas.vocabulary import load_vocabulary

CASELOAD = load_vocabulary()["sw_caseload_average"]
RATE = load_vocabulary()["care_leavers_eet_rate"]


def of(sentence, figure, indicator=CASELOAD, previous="", others=()):
    """The breakdown of the first occurrence of ``figure``, its clause opening after the last comma before it."""
    begin = sentence.index(figure)
    lo = sentence.rfind(", ", 0, begin)
    own = (lo + 2 if lo >= 0 else 0, len(sentence))
    spans = [(sentence.index(o), sentence.index(o) + len(o)) for o in others]
    return breakdown(sentence, begin, begin + len(figure), own, spans, indicator, previous)


@pytest.mark.parametrize("sentence, figure, expected", [
    ("Workers qualified for less than two years hold 11 cases", "11", "less than two years"),
    ("Those less than 2 years qualified hold 11 cases", "11", "less than 2 years"),
    ("Newly qualified social workers hold 11 cases", "11", "Newly qualified"),  # as written
    ("Caseloads in the Children in Need teams are 17", "17", "Children in Need teams"),
    ("ASYEs hold 12 cases", "12", "ASYE"),
])
def test_worker_groups_and_teams(sentence, figure, expected):
    assert of(sentence, figure) == expected


def test_a_unit_in_capitals_is_not_a_worker_group():
    assert of("Of the 15.2 FTE employees, the average caseload is 10", "10", others=["15.2"]) == ""


def test_an_opening_scopes_every_figure_of_the_sentence():
    sentence = "Of the 9 workers qualified for under 2 years, caseloads range between 6 – 14, with an average of 10"
    assert of(sentence, "10", others=["9", "6 – 14"]) == "under 2 years"


def test_a_team_is_for_caseloads_and_durations_but_an_age_group_is_for_any_figure():
    assert of("In the leaving care team 61% of care leavers are in education", "61%", RATE) == ""
    assert of("Of young people aged 19 to 21, 61% are in education", "61%", RATE) == "19 to 21"


def test_a_team_carries_from_the_sentence_before_only_with_the_subject_and_no_figure():
    sentence = "Many social workers hold 29 cases"
    assert of(sentence, "29", previous="Caseloads in the duty teams are too high.") == "duty teams"
    assert of(sentence, "29", previous="Morale in the duty teams is low.") == ""
    assert of(sentence, "29", previous="Caseloads in the duty teams average 24.") == ""
    assert of("Across the service, social workers hold 29 cases", "29",
              previous="Caseloads in the duty teams are too high.") == ""
