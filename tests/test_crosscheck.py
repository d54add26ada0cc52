"""Reported figures from the seed papers beside the official DfE tables, on a real SQLite file."""
from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from scrutiny.cli import app
from scrutiny.crosscheck import CHECK_COLUMNS, checks_csv, crosscheck
from scrutiny.store import models as m
from scrutiny.store.db import connect, init, session
from scrutiny.store.official import import_official

DFE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfe"
WOLVERHAMPTON, WEST_SUSSEX, PLYMOUTH, HAMPSHIRE = "E08000031", "E10000032", "E06000026", "E10000014"
FY18, FY19 = (date(2017, 4, 1), date(2018, 3, 31)), (date(2018, 4, 1), date(2019, 3, 31))

pytestmark = pytest.mark.skipif(not DFE.is_dir(), reason="../shared/data/dfe is not present")


def month(year: int, number: int) -> tuple[date, date]:
    following = date(year + number // 12, number % 12 + 1, 1)
    return date(year, number, 1), date.fromordinal(following.toordinal() - 1)


def fig(indicator: str, value: float, unit: str, period: tuple[date, date], evidence: str, **extra) -> m.Observation:
    """A reported figure as the pipeline stores it."""
    return m.Observation(indicator_id=indicator, value=value, unit=unit, period_start=period[0],
                         period_end=period[1], evidence=evidence, page=extra.pop("page", 1),
                         parser="generic", parser_version="1.0", source="reported", **extra)


def report(engine, name: str, area: str, figures: list[m.Observation]) -> None:
    """Store a paper of ``area`` with its figures."""
    with session(engine) as s:
        doc = m.Document(sha256=hashlib.sha256(name.encode()).hexdigest(), path=f"/corpus/{name}", name=name,
                         kind="pdf", status="ok", authority_code=area)
        for obs in figures:
            obs.area_code = obs.area_code or area
            doc.observations.append(obs)
        s.add(doc)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """The official tables and figures of three seed papers (plus one Hampshire figure)."""
    engine = connect(f"sqlite:///{tmp_path_factory.mktemp('crosscheck') / 'crosscheck.sqlite'}")
    init(engine)
    import_official(engine, sorted(DFE.glob("*.csv")))
    cin = "Children in need numbers have reduced from 1,037 in 2017-2018 to 821 in 2018-2019"
    report(engine, "000_878a8a15beb185f7.pdf", WOLVERHAMPTON, [
        fig("cin_count", 1037, "count", FY18, cin),
        fig("cin_count", 821, "count", FY19, cin),
        fig("cpp_count", 330, "count", FY19, "have reduced from 379 to 330"),
        fig("cla_count", 624, "count", FY19, "the number of children in care has reduced from 648 to 624"),
        fig("cin_count", 900, "count", FY19, "an unattributed figure", status="needs_review"),
    ])
    report(engine, "004_ab3d313a01f42dff.pdf", WEST_SUSSEX, [
        fig("sw_vacancy_gap_rate", 18.5, "percent", month(2019, 2), "vacancy gap table: February 2019 18.5%"),
        fig("sw_vacancy_gap_rate", 1.8, "percent", month(2019, 9), "vacancy gap table: September 2019 1.8%"),
        fig("sw_vacancy_gap_rate", -0.1, "percent", month(2020, 2), "predicts 0.1% over-establishment",
            qualifier="forecast"),
        fig("sw_agency_fte", 75.0, "fte", month(2019, 7), "agency table: July 2019 75.0 FTE"),
        fig("sw_agency_fte", 73.7, "fte", month(2019, 9), "agency table: September 2019 73.7 FTE"),
        fig("sw_caseload_average", 18, "cases", month(2019, 10), "a target of up to 18 cases",
            qualifier="target", breakdown="experienced"),
    ])
    report(engine, "002_5b351067a8cd401d.pdf", PLYMOUTH, [
        fig("referrals_count", 263, "count", month(2024, 9), "263 referrals in September"),
        fig("cla_count", 515, "count", month(2024, 9), "515 children in care"),
    ])
    report(engine, "hampshire.pdf", HAMPSHIRE, [
        fig("cin_count", 9000, "count", month(2024, 3), "children in need at the end of March"),
    ])
    return engine


def only(checks, indicator: str, period_end: date):
    found = [c for c in checks if c.indicator == indicator and c.period_end == period_end]
    assert len(found) == 1, found
    return found[0]


def test_wolverhampton_children_in_need_beside_dfe_at_31_march_is_not_consistent(engine):
    checks = crosscheck(engine, authority="Wolverhampton")
    assert {c.area_code for c in checks} == {WOLVERHAMPTON}
    cin = only(checks, "cin_count", date(2019, 3, 31))
    assert (cin.reported, cin.official, cin.difference) == (821, 2159, -1338)
    assert (cin.official_period_start, cin.official_period_end) == (date(2019, 3, 31), date(2019, 3, 31))
    assert cin.verdict == "inconsistent"
    assert cin.official_evidence.startswith("b1_children_in_need_2013_to_2025.csv")
    assert only(checks, "cin_count", date(2018, 3, 31)).official == 2609
    cpp = only(checks, "cpp_count", date(2019, 3, 31))
    assert (cpp.official, cpp.verdict) == (328, "inconsistent")


def test_west_sussex_vacancy_gap_beside_the_dfe_vacancy_rate_is_a_different_definition(engine):
    checks = crosscheck(engine, authority=WEST_SUSSEX, indicator="sw_vacancy_rate")
    september = only(checks, "sw_vacancy_gap_rate", date(2019, 9, 30))
    assert (september.reported, september.official_indicator, september.official) == (1.8, "sw_vacancy_rate", 10.2)
    assert september.official_period_end == date(2019, 9, 30)
    assert september.verdict == "different definition"
    february = only(checks, "sw_vacancy_gap_rate", date(2019, 2, 28))  # nearer 30 September 2018
    assert (february.official_period_end, february.official) == (date(2018, 9, 30), 9.3)


def test_agreement_within_the_tolerance_is_consistent(engine):
    checks = crosscheck(engine, indicator="sw_agency_fte")
    july, september = only(checks, "sw_agency_fte", date(2019, 7, 31)), only(checks, "sw_agency_fte", date(2019, 9, 30))
    assert (july.official, july.verdict) == (75.9, "consistent")  # 0.9 FTE apart, tolerance 1
    assert (september.official, september.verdict) == (75.9, "inconsistent")  # 2.2 FTE apart


def test_a_count_over_part_of_the_dfe_year_is_a_different_definition(engine):
    checks = crosscheck(engine, authority="Plymouth")
    referrals = only(checks, "referrals_count", date(2024, 9, 30))
    assert (referrals.official_period_start, referrals.official_period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert referrals.verdict == "different definition"
    cla = only(checks, "cla_count", date(2024, 9, 30))  # 31 March 2025 is a day nearer than 31 March 2024
    assert cla.official_period_end == date(2025, 3, 31)


def test_figures_without_a_comparable_official_value_are_left_out(engine):
    checks = crosscheck(engine)
    # DfE's CLA table starts in 2021; Hampshire's CIN count at 31 March 2024 is marked low reliability (u)
    assert not [c for c in checks if c.indicator == "cla_count" and c.area_code == WOLVERHAMPTON]
    assert not [c for c in checks if c.area_code == HAMPSHIRE]
    # forecasts, targets, breakdowns and figures awaiting review are not checked
    assert not [c for c in checks if c.period_end == date(2020, 2, 29) or c.reported in (18, 900)]


def test_crosscheck_never_changes_a_value(engine):
    def values():
        with session(engine) as s:
            return s.execute(select(m.Observation.id, m.Observation.value)).all()
    before = values()
    crosscheck(engine)
    assert values() == before


def test_unknown_authority_or_indicator_is_a_lookup_error(engine):
    with pytest.raises(LookupError, match="Wolverhampton"):
        crosscheck(engine, authority="Wolverhamton")
    with pytest.raises(LookupError, match="cin_count"):
        crosscheck(engine, indicator="cin_cuont")


def test_checks_as_csv(engine):
    rows = list(csv.reader(io.StringIO(checks_csv(crosscheck(engine, "Wolverhampton", "cin_count")))))
    assert tuple(rows[0]) == CHECK_COLUMNS
    assert rows[1:] == [
        ["Wolverhampton", WOLVERHAMPTON, "cin_count", "2017-04-01 to 2018-03-31", "1037", "cin_count",
         "2018-03-31", "2609", "-1572", "count", "inconsistent", "000_878a8a15beb185f7.pdf", "1"],
        ["Wolverhampton", WOLVERHAMPTON, "cin_count", "2018-04-01 to 2019-03-31", "821", "cin_count",
         "2019-03-31", "2159", "-1338", "count", "inconsistent", "000_878a8a15beb185f7.pdf", "1"],
    ]


def test_the_commands_import_then_cross_check(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    runner = CliRunner(env={"COLUMNS": "250"})
    files = [str(DFE / "b1_children_in_need_2013_to_2025.csv"), str(DFE / "csww_indicators_2017_to_2025.csv")]
    first = runner.invoke(app, ["import-official", "--db", url, *files])
    assert first.exit_code == 0 and "2132" in first.output and "11704" in first.output
    again = runner.invoke(app, ["import-official", "--db", url, *files])
    assert again.exit_code == 0 and "2132" not in again.output
    report(connect(url), "004_ab3d313a01f42dff.pdf", WEST_SUSSEX, [
        fig("sw_vacancy_gap_rate", 1.8, "percent", month(2019, 9), "vacancy gap table: September 2019 1.8%")])
    table = runner.invoke(app, ["crosscheck", "--db", url, "--authority", "West Sussex"])
    assert table.exit_code == 0 and "different definition" in table.output and "10.2" in table.output
    rows = runner.invoke(app, ["crosscheck", "--db", url, "--indicator", "sw_vacancy_rate", "--format", "csv"])
    assert rows.exit_code == 0 and rows.output.splitlines()[1].endswith("different definition,004_ab3d313a01f42dff.pdf,1")
