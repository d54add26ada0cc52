"""The normalise stage: supersede, validate and de-duplicate, each refusal with its reason."""
from datetime import date

from scrutiny.extract.observation import REVIEW_BELOW, Context, Observation
from scrutiny.normalise.observations import CONFLICT, dedupe, doubt_conflicts, supersede, validate

MEETING = Context(meeting_date=date(2025, 3, 12), authority_code="E06000015")


def obs(indicator, value, end=date(2025, 1, 31), unit="cases", qualifier="actual", start=None, **kw):
    return Observation(indicator, value, unit, start or date(end.year, end.month, 1), end,
                       "evidence", 1, qualifier=qualifier, **kw)


def test_rejections_keep_their_reason():
    kept, rejected = validate([obs("cin_count", 512.0, unit="count"),
                               obs("rereferral_rate", 120.0, unit="percent"),
                               obs("cla_count", 498.0, unit="count", end=date(2025, 6, 30))], MEETING)
    assert [o.indicator for o in kept] == ["cin_count"]
    assert {(o.indicator, why) for o, why in rejected} == {
        ("rereferral_rate", "percentage above 100"),
        ("cla_count", "an actual for a period after the meeting date")}


def test_a_forecast_may_be_after_the_meeting():
    kept, _ = validate([obs("cla_count", 480.0, unit="count", qualifier="forecast", end=date(2026, 3, 31))], MEETING)
    assert len(kept) == 1


def test_minimum_above_maximum_is_rejected():
    kept, rejected = validate([obs("sw_caseload_min", 30.0, breakdown="Assessment"),
                               obs("sw_caseload_max", 12.0, breakdown="Assessment"),
                               obs("sw_caseload_min", 3.0), obs("sw_caseload_max", 25.0)], MEETING)
    assert sorted(o.value for o in kept) == [3.0, 25.0]
    assert {why for _, why in rejected} == {"a minimum above its maximum"}


def test_one_fact_one_row_keeps_the_most_confident():
    a = obs("sw_establishment_fte", 507.0, unit="fte", confidence=0.7)
    b = obs("sw_establishment_fte", 507.0, unit="fte", confidence=0.9)
    kept, refused = dedupe([a, b])
    assert kept == [b] and refused == [(a, "the same fact stated again in the document")]


def test_a_specific_parser_supersedes_generic_figures_of_its_indicators_only():
    generic = obs("ofsted_leadership", "good", unit="grade", parser="generic")
    other = obs("cin_count", 512.0, unit="count", parser="generic")
    specific = obs("ofsted_leadership", "inadequate", unit="grade", parser="ofsted")
    kept, refused = supersede([generic, other, specific], {"generic"})
    assert kept == [other, specific]
    assert refused == [(generic, "superseded by the ofsted parser")]


def test_two_confident_values_for_one_indicator_and_period_both_wait_for_review():
    whole = Observation("cla_count", 861.0, "count", date(2018, 3, 1), date(2018, 3, 31), "a total of 861", 1)
    part = Observation("cla_count", 790.0, "count", date(2018, 3, 1), date(2018, 3, 31), "to 790 in March 2018", 1)
    rounded = Observation("cla_rate_per_10k", 56.3, "rate_per_10k", date(2018, 3, 1), date(2018, 3, 31), "56.3", 1)
    again = Observation("cla_rate_per_10k", 56.0, "rate_per_10k", date(2018, 3, 1), date(2018, 3, 31), "56", 1)
    doubt_conflicts([whole, part, rounded, again])
    assert whole.confidence < REVIEW_BELOW and part.confidence < REVIEW_BELOW
    assert CONFLICT in whole.notes
    assert rounded.confidence == again.confidence == 0.9  # one figure, rounded


def test_of_two_contradicting_values_the_more_confident_one_stands():
    stated = Observation("cin_count", 1544.0, "count", date(2015, 3, 1), date(2015, 3, 31), "as at 31 March 2015", 1)
    inferred = Observation("cin_count", 31.0, "count", date(2015, 3, 1), date(2015, 3, 31), "at 31", 1,
                           confidence=0.6)
    doubt_conflicts([stated, inferred])
    assert stated.confidence == 0.9 and stated.notes == []
    assert inferred.confidence < REVIEW_BELOW and CONFLICT in inferred.notes


def test_a_count_stated_again_without_its_breakdown_is_that_part_not_the_whole():
    part = obs("cla_count", 640.0, unit="count", breakdown="non-UASC")
    caption = obs("cla_count", 640.0, unit="count")
    whole = obs("cla_count", 702.0, unit="count")
    kept, refused = dedupe([part, caption, whole])
    assert {(o.value, o.breakdown) for o in kept} == {(640.0, "non-UASC"), (702.0, "")}
    assert [(o.value, why) for o, why in refused] == [(640.0, "a part stated again without its breakdown")]


def test_a_rate_equal_to_a_broken_down_rate_is_not_taken_for_it():
    kept, _ = dedupe([obs("cla_rate_per_10k", 64.0, unit="rate_per_10k", breakdown="boys"),
                      obs("cla_rate_per_10k", 64.0, unit="rate_per_10k")])
    assert len(kept) == 2
