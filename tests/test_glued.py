"""Tables a web page flattened with their cells run together, written for the test and
read through the whole pipeline from a text file."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from scrutiny.extract.glued import area_list, kpi_grid
from scrutiny.pipeline import Overrides, process

COUNCIL = "E08000019"  # Sheffield
MEETING = date(2023, 6, 20)
GRID_HEAD = ("MeasureUnit2022/23 PerformanceCurrent TargetCurrent PerformanceLast Available Result"
             "FrequencyStatusCommentsTrend")


def observations(tmp_path: Path, text: str) -> set[tuple]:
    path = tmp_path / "paper.txt"
    path.write_text(text, encoding="utf-8")
    result = process(path, Overrides(authority=COUNCIL, meeting_date=MEETING))
    return {(o.indicator, o.value, f"{o.period_end:%Y-%m}", o.qualifier, o.area_code or COUNCIL)
            for o in result.observations}


def test_kpi_rows_glued_together_are_split_by_their_header(tmp_path: Path):
    text = ("Performance scorecard\n\n" + GRID_HEAD + "\n"
            "1Percentage of social workers who are agency staffPercentage21.42021.4Mar 2023QuarterlyAmber"
            "Agency use is falling as new recruits start.\n"
            "Chart\n"
            "2Children in care per 10,000 childrenRates per 10,000828082Mar 2023QuarterlyRedDemand is high.\n")
    got = observations(tmp_path, text)
    assert ("sw_agency_rate", 21.4, "2023-03", "actual", COUNCIL) in got
    assert ("sw_agency_rate", 20.0, "2023-03", "target", COUNCIL) in got
    assert ("cla_rate_per_10k", 82.0, "2023-03", "actual", COUNCIL) in got
    assert ("cla_rate_per_10k", 80.0, "2023-03", "target", COUNCIL) in got
    # the row numbers, the date cell and the repeated current value are no figures of their own
    assert not any(v in (1.0, 2.0, 2023.0) for _, v, *_ in got)
    assert len([g for g in got if g[0] == "cla_rate_per_10k"]) == 2


def test_glued_values_with_more_than_one_reading_give_nothing():
    # 12.52|15.5|13.1 or 12.521|5.51|3.1 ...: all are percentages and the two performance
    # columns disagree in each, so no split is certain
    ambiguous = GRID_HEAD + " 1Social worker turnoverPercentage12.5215.513.1Mar 2023Annually"
    assert kpi_grid(ambiguous) == []
    # digits with only one plausible reading are split even when the columns disagree (rates to 300)
    [(_, row)] = kpi_grid(GRID_HEAD + " 1Child protection plans per 10,000Rates per 10,000656866Mar 2023Quarterly")
    assert row[1:] == ["65", "68", "66"]
    # a row whose label names no indicator is left out, whatever its digits
    assert kpi_grid(GRID_HEAD + " 1Pupils with a school placePercentage908590Jan 2023Termly") == []


def test_columns_of_two_years_are_not_alike():
    # the two years' results need not agree, so they cannot tell 12.52|12.52|15.5 from 12.521|2.52|15.5
    head = "MeasureUnit2021/22 Performance2022/23 PerformanceCurrent TargetFrequency"
    assert kpi_grid(head + " 1Social worker turnoverPercentage12.5212.5215.5Annually") == []
    [(_, row)] = kpi_grid(head + " 1Social worker turnoverPercentage12.5%12.5%15%Annually")
    assert row[1:] == ["12.5%", "12.5%", "15%"]


def test_percent_signs_separate_glued_values():
    tables = kpi_grid(GRID_HEAD + " 1Care leavers in education, employment or trainingPercentage54%60%54%Feb 2023Monthly")
    assert tables == [[["Measure", "2022/23 Performance", "Current Target 2022/23", "Current Performance"],
                    ["Care leavers in education, employment or training", "54%", "60%", "54%"]]]


def test_rows_take_the_period_of_their_own_period_cell(tmp_path: Path):
    text = ("Scorecard\n\nMeasureUnitActualTargetPeriodFrequencyCommentary\n"
            "1Care leavers in education, employment or trainingPercentage5460Dec 2022MonthlyBelow target. "
            "2Re-referrals within 12 monthsPercentage2118Q3 2022/23QuarterlyImproving.\n")
    got = observations(tmp_path, text)
    assert {g for g in got if g[0] in ("care_leavers_eet_rate", "rereferral_rate")} == {
        ("care_leavers_eet_rate", 54.0, "2022-12", "actual", COUNCIL), ("care_leavers_eet_rate", 60.0, "2022-12", "target", COUNCIL),
        ("rereferral_rate", 21.0, "2022-12", "actual", COUNCIL), ("rereferral_rate", 18.0, "2022-12", "target", COUNCIL)}


def test_prose_without_a_grid_header_is_left_alone():
    assert kpi_grid("Agency use stood at Percentage21.42021.4Mar 2023 after the review.") == []


def test_areas_glued_to_their_values_belong_to_those_areas(tmp_path: Path):
    text = ("Children looked after\n\n"
            "Our rate has risen this year. The published rates of children looked after for March 2022 were:\n\n"
            "Sheffield78.4\nCore cities88.0\nStatistical neighbours92.6\nYorkshire and The Humber85.1\nEngland70.0\n\n"
            "We expect the gap to England to close.\n")
    got = observations(tmp_path, text)
    assert ("cla_rate_per_10k", 78.4, "2022-03", "actual", COUNCIL) in got
    assert ("cla_rate_per_10k", 92.6, "2022-03", "actual", f"SN-{COUNCIL}") in got
    assert ("cla_rate_per_10k", 85.1, "2022-03", "actual", "E12000003") in got  # the region's own figure
    assert ("cla_rate_per_10k", 70.0, "2022-03", "actual", "E92000001") in got
    assert not any(v == 88.0 for _, v, *_ in got)  # a group the register does not know
    assert not any(i == "cla_count" for i, *_ in got)  # "rates" without a % sign are per 10,000


def test_an_area_list_needs_a_lead_in_with_one_period():
    items = "Leeds35.2 Statistical neighbours51.3 England43.2"
    assert area_list("The rates for children on a plan were:", items) is None  # no period
    assert area_list("Rates in March 2022 and March 2023 were:", items) is None  # two periods
    assert area_list("The rates for March 2023 rose.", items) is None  # not a lead-in
    assert area_list("The rates for March 2023 were:", "Team A12 Team B14 Team C9") is None  # no areas
    assert area_list("Inspected in March 2023, and before:", "Leeds2019 England2021") is None  # years
