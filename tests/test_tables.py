"""Table rules, on tables written for the test."""
from datetime import date

from scrutiny.extract.model import Table
from scrutiny.extract.tables import TableContext, table_figures
from scrutiny.extract.readers.text import read_text

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


def area_figures(rows, heading="", paragraph="", ref=MEETING):
    return {(f.indicator, f.value, f"{f.period.end:%Y-%m}", f.area)
            for f in table_figures(rows, TableContext(heading, paragraph), ref)}


def test_month_year_headers_carry_their_own_year():
    rows = [["Measure", "Dec-23", "Mar-24", "Jun-24"], ["Children in care", "512", "508", "497"]]
    got = figures(rows)
    assert {(i, p) for i, _, p, _, _ in got} == {("cla_count", "2023-12"), ("cla_count", "2024-03"),
                                                 ("cla_count", "2024-06")}


def test_quarter_and_short_year_headers():
    rows = [["Indicator", "Q1 24/25", "Q2 24/25", "23/24"], ["Children subject to a child protection plan", "301", "288", "310"]]
    got = {(p, v) for _, v, p, _, _ in figures(rows)}
    assert got == {("2024-06", 301.0), ("2024-09", 288.0), ("2024-03", 310.0)}


def test_an_actual_after_the_papers_date_is_dropped():
    rows = [["Measure", "Jan-25", "Jun-25"], ["Children in care", "480", "470"]]
    assert {p for _, _, p, _, _ in figures(rows)} == {"2025-01"}


def test_period_rows_and_area_columns():
    rows = [["Rate per 10,000 children in need", "Leeds", "Bradford", "Statistical neighbours", "England"],
            ["2021-22", "301.5", "410.2", "350.0", "334.3"],
            ["2022-23", "310.0", "402.8", "355.1", "342.7"]]
    got = area_figures(rows, heading="Children in need")
    assert ("cin_rate_per_10k", 301.5, "2022-03", "E08000035") in got
    assert ("cin_rate_per_10k", 402.8, "2023-03", "E08000032") in got  # a neighbour's own figure
    assert ("cin_rate_per_10k", 355.1, "2023-03", "NEIGHBOURS") in got
    assert ("cin_rate_per_10k", 342.7, "2023-03", "E92000001") in got
    assert all(i == "cin_rate_per_10k" for i, *_ in got) and len(got) == 8


def test_benchmark_sheet_rows_by_name_and_code():
    rows = [["Children looked after rate per 10,000", "Code", "2019", "2020", "2021"],
            ["", "", "CLA 1", "CLA 2", "CLA 3"],
            ["Kent", "E10000016", "47", "45", "48"],
            ["Essex", "E10000012", "35", "36", "34"],
            ["Statistical neighbours average", "SN", "50", "51", "52"],
            ["England", "E92000001", "65", "67", "67"]]
    got = area_figures(rows, ref=date(2022, 6, 1))
    # a bare year is the reporting year of official statistics, to 31 March
    assert ("cla_rate_per_10k", 45.0, "2020-03", "E10000016") in got
    assert ("cla_rate_per_10k", 34.0, "2021-03", "E10000012") in got
    assert ("cla_rate_per_10k", 51.0, "2020-03", "NEIGHBOURS") in got
    assert ("cla_rate_per_10k", 67.0, "2021-03", "E92000001") in got
    assert not any(v in (1.0, 2.0, 3.0) for _, v, _, _ in got)  # "CLA 1" is a column code
    assert all(i == "cla_rate_per_10k" for i, *_ in got) and len(got) == 12


def test_a_former_authority_in_an_old_table_keeps_its_code():
    rows = [["Children in care", "2016", "2018", "2020"], ["Dorset", "480", "495", "470"], ["Poole", "170", "181", ""]]
    got = area_figures(rows, ref=date(2020, 11, 1))
    assert ("cla_count", 495.0, "2018-03", "E10000009") in got and ("cla_count", 181.0, "2018-03", "E06000029") in got
    assert ("cla_count", 470.0, "2020-03", "E06000059") in got  # the unitary Dorset from April 2019


def test_category_rows_of_a_total_are_not_the_indicator():
    rows = [["Children in care by gender", "March 2024", "September 2024"],
            ["Male", "260", "255"], ["Female", "240", "231"],
            ["Aged 16-17", "90", "88"], ["UASC", "31", "35"], ["Total", "500", "486"]]
    got = figures(rows)
    assert ("cla_count", 500.0, "2024-03", "", "actual") in got and ("cla_count", 486.0, "2024-09", "", "actual") in got
    assert ("uasc_count", 35.0, "2024-09", "", "actual") in got
    assert any(b == "Aged 16-17" for *_, b, _ in got)
    assert not any(b in ("Male", "Female") for *_, b, _ in got)


def test_spanning_headers_that_cannot_be_placed_give_nothing():
    rows = [["Children in care", "March 2023", "March 2024", ""],
            ["Boys", "Girls", "Boys", "Girls"],
            ["Under 5", "12", "10", "11", "9"]]
    assert figures(rows) == set()


def test_pipe_rows_without_a_leading_pipe_are_a_table():
    text = ("Our children in care are shown below.\n"
            "Children in care | March 2023 | March 2024 |\n"
            "Total | 402 | 415 |\n")
    doc = read_text(text, "x.txt", "0" * 64)
    (table,) = [b for b in doc.blocks() if isinstance(b, Table)]
    got = figures(table.rows)
    assert got == {("cla_count", 402.0, "2023-03", "", "actual"), ("cla_count", 415.0, "2024-03", "", "actual")}


def test_a_table_flattened_into_one_paragraph_is_rebuilt():
    from scrutiny.extract.flattened import rebuild
    from scrutiny.extract.model import Paragraph
    blocks = [Paragraph("Rate per 10,000 of children in care", 1),
              Paragraph("Area 2021 2022 2023 CLA 1 CLA 2 CLA 3 Kent E10000016 47 45 48 England E92000001 67 70 71", 1),
              Paragraph("The rate rose in 2021 2022 2023 and fell after.", 1)]
    out = list(rebuild(blocks, MEETING))
    assert [type(b).__name__ for b in out] == ["Paragraph", "Table", "Paragraph"]
    assert out[1].rows == [["Area", "2021", "2022", "2023"], ["Kent E10000016", "47", "45", "48"],
                           ["England E92000001", "67", "70", "71"]]


def test_prose_with_numbers_is_not_a_flattened_table():
    from scrutiny.extract.flattened import rebuild
    from scrutiny.extract.model import Paragraph
    blocks = [Paragraph("Figures for 2021 2022 2023 follow", 1), Paragraph("There were 40 children in care", 1),
              Paragraph("and 45 last year", 1)]
    assert [type(b).__name__ for b in rebuild(blocks, MEETING)] == ["Paragraph"] * 3


def test_column_codes_split_into_cells_are_labels():
    rows = [["Children in need rate per 10,000", "2021", "2022", "2023"],
            ["CIN", "1", "2", "3"],
            ["All children", "301", "310", "322"]]
    got = figures(rows)
    assert ("cin_rate_per_10k", 310.0, "2022-03", "", "actual") in got
    assert not any(v in (1.0, 2.0, 3.0) for _, v, *_ in got) and len(got) == 3


def test_a_row_naming_no_area_in_a_table_of_areas_is_no_figure():
    rows = [["Children in care rate per 10,000", "2022", "2023"],
            ["Leeds", "70", "72"], ["Core cities", "88", "90"], ["England", "70", "71"]]
    got = {(i, v, b) for i, v, _, b, _ in figures(rows)}
    assert not any(v in (88.0, 90.0) for _, v, _ in got)
    assert not any(b for *_, b in got)


def test_comparator_columns_take_the_period_the_row_or_caption_states():
    rows = [["Indicator", "Leeds", "Statistical neighbours", "England"],
            ["Children on a child protection plan per 10,000 at 31 March 2023", "35.2", "51.3", "43.2"]]
    assert area_figures(rows) == {("cpp_rate_per_10k", 35.2, "2023-03", "E08000035"),
                                  ("cpp_rate_per_10k", 51.3, "2023-03", "NEIGHBOURS"),
                                  ("cpp_rate_per_10k", 43.2, "2023-03", "E92000001")}
    rows = [["Measure", "Leeds", "SN", "England"], ["Children in need rate per 10,000", "301", "350", "342"]]
    assert ("cin_rate_per_10k", 350.0, "2023-03", "NEIGHBOURS") in area_figures(rows, heading="Comparators 2022-23")
    assert ("cin_rate_per_10k", 342.0, "2023-03", "E92000001") in area_figures(
        rows, paragraph="Our rates at 31 March 2023 against comparators:")


def test_comparator_columns_without_a_clear_period_give_nothing():
    rows = [["Measure", "Leeds", "SN", "England"], ["Children in need rate per 10,000", "301", "350", "342"]]
    assert area_figures(rows, paragraph="Our rates at 31 March 2023 were lower than in 2022.") == set()  # not a lead-in
    assert area_figures(rows, heading="Comparators 2021-22 and 2022-23") == set()  # two periods
    target = [["Measure", "Leeds", "England"], ["Children in need rate per 10,000: target for 2023", "301", "342"]]
    assert area_figures(target) == set()


def test_a_dfe_code_cell_places_a_cut_off_name():
    rows = [["Local authority", "Code", "2021", "2022"], ["Kingston upon Hull, Ci", "810", "90", "95"],
            ["Redcar and Cleve", "807", "101", "99"], ["England", "", "70", "71"]]
    got = area_figures(rows, heading="Children in care rate per 10,000", ref=date(2023, 1, 5))
    assert ("cla_rate_per_10k", 95.0, "2022-03", "E06000010") in got
    assert ("cla_rate_per_10k", 101.0, "2021-03", "E06000003") in got
    assert not any(v in (810.0, 807.0) for _, v, _, _ in got) and len(got) == 6
