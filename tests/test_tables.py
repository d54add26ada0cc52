"""Table rules, on tables written for the test."""
from datetime import date

from scrutiny.extract.tables import TableContext, table_figures

MEETING = date(2025, 3, 12)


def figures(rows, heading="", paragraph=""):
    return {(f.indicator, f.value, f"{f.period.end:%Y-%m}", f.breakdown, f.qualifier)
            for f in table_figures(rows, TableContext(heading, paragraph), MEETING)}


def test_period_columns_with_ranges_and_whole_authority_row():
    rows = [["Team", "Average caseload\nJanuary", "Range January", "Average caseload February", "Range February"],
            ["All teams", "17.1", "2-30", "16.4", "3-28"],
            ["**Assessment**", "19.0", "8-30", "18.2", "7-28"]]
    got = figures(rows, heading="Caseloads")
    assert ("sw_caseload_average", 17.1, "2025-01", "", "actual") in got
    assert ("sw_caseload_min", 2.0, "2025-01", "", "actual") in got
    assert ("sw_caseload_max", 28.0, "2025-02", "Assessment", "actual") in got
    assert len(got) == 12


def test_month_series_named_by_the_paragraph_above():
    rows = [["October 2024", "11.2%"], ["November 2024", "9.8%"], ["December 2024", "9.1%"]]
    got = figures(rows, heading="Workforce", paragraph="The vacancy gap, after agency cover, has narrowed:")
    assert got == {("sw_vacancy_gap_rate", 11.2, "2024-10", "", "actual"),
                   ("sw_vacancy_gap_rate", 9.8, "2024-11", "", "actual"),
                   ("sw_vacancy_gap_rate", 9.1, "2024-12", "", "actual")}


def test_unit_suffix_in_cells():
    rows = [["January 2025", "41.5 FTE"], ["February 2025", "39.0 FTE"]]
    got = figures(rows, paragraph="Agency social workers in post, full-time equivalent:")
    assert got == {("sw_agency_fte", 41.5, "2025-01", "", "actual"), ("sw_agency_fte", 39.0, "2025-02", "", "actual")}


def test_target_column():
    rows = [["Measure", "2023-24", "Target 2024-25"], ["Children in care", "498", "480"]]
    got = figures(rows)
    assert ("cla_count", 498.0, "2024-03", "", "actual") in got
    assert ("cla_count", 480.0, "2025-03", "", "target") in got


def test_table_without_indicator_or_period_gives_nothing():
    assert figures([["Ref", "Item"], ["7", "Life story work"], ["3", "Private fostering"]]) == set()
    assert figures([["Month", "Topic"], ["May 2025", "PIP ref 9 - QA"], ["June 2025", "PIP ref 12"]]) == set()
