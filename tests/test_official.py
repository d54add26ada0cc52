"""Official DfE tables imported from the shipped files into real SQLite databases."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scrutiny.store import models as m
from scrutiny.store.db import connect, init, session
from scrutiny.store.official import (StatisticalNeighbour, import_official, load_mapping, neighbours_of,
                                     parse_value)

DFE = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dfe"
FILES = sorted(DFE.glob("*.csv"))
B1 = DFE / "b1_children_in_need_2013_to_2025.csv"
WOLVERHAMPTON, WEST_SUSSEX, HAMPSHIRE, SUNDERLAND, ENGLAND = (
    "E08000031", "E10000032", "E10000014", "E08000024", "E92000001")

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/data/dfe is not present")


def fresh(path: Path):
    engine = connect(f"sqlite:///{path}")
    init(engine)
    return engine


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A database holding every shipped table, the counts and seconds of the first import, and a second run's counts."""
    engine = fresh(tmp_path_factory.mktemp("official") / "official.sqlite")
    started = time.perf_counter()
    counts = import_official(engine, FILES)
    seconds = time.perf_counter() - started
    return engine, counts, seconds, import_official(engine, FILES)


def official(engine, area: str, indicator: str, end: date, breakdown: str = "") -> m.Observation:
    with session(engine) as s:
        return s.scalars(select(m.Observation).where(
            m.Observation.source == "official", m.Observation.area_code == area,
            m.Observation.indicator_id == indicator, m.Observation.period_end == end,
            m.Observation.breakdown == breakdown)).one()


def count(engine, model=m.Observation) -> int:
    with session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_every_file_imports_fast_and_a_second_run_adds_nothing(imported):
    engine, counts, seconds, again = imported
    assert seconds < 60
    assert set(counts) == {path.name for path in FILES}
    assert all(n > 0 for n in counts.values()), counts
    assert counts["b1_children_in_need_2013_to_2025.csv"] == 2132  # one figure per published row
    assert counts["csww_indicators_2017_to_2025.csv"] == 1463 * 8  # eight columns of each row
    assert set(again.values()) == {0}
    neighbours = counts.pop("New_Statistical_Neighbour_Groupings_April_2021.csv")
    assert count(engine) == sum(counts.values())
    assert count(engine, StatisticalNeighbour) == neighbours
    with session(engine) as s:
        docs = s.scalars(select(m.Document)).all()
        assert len(docs) == len(FILES) and {d.kind for d in docs} == {"csv"}


def test_children_in_need_at_31_march_with_provenance(imported):
    obs = official(imported[0], WOLVERHAMPTON, "cin_count", date(2019, 3, 31))
    assert obs.value == 2159 and obs.unit == "count" and obs.period_start == date(2019, 3, 31)
    assert (obs.source, obs.parser, obs.parser_version, obs.page) == ("official", "dfe-official", "2025", None)
    assert obs.evidence.startswith("b1_children_in_need_2013_to_2025.csv [2019 Local authority E08000031 Wolverhampton]")
    assert "At31_episodes" in obs.evidence and obs.missing_reason is None


def test_flows_cover_the_year_and_workforce_is_at_30_september(imported):
    engine = imported[0]
    referrals = official(engine, WOLVERHAMPTON, "referrals_count", date(2019, 3, 31))
    assert (referrals.period_start, referrals.value) == (date(2018, 4, 1), 4013)
    vacancy = official(engine, WEST_SUSSEX, "sw_vacancy_rate", date(2019, 9, 30))
    assert (vacancy.period_start, vacancy.value) == (date(2019, 9, 30), 10.2)
    turnover = official(engine, WEST_SUSSEX, "sw_turnover_rate", date(2019, 9, 30))
    assert (turnover.period_start, turnover.value) == (date(2018, 10, 1), 10.0)
    assert official(engine, ENGLAND, "sw_vacancy_rate", date(2022, 9, 30)).value == 20
    assert official(engine, WEST_SUSSEX, "sw_agency_fte", date(2019, 9, 30)).value == 75.9


def test_cla_takes_only_the_31_march_population(imported):
    engine = imported[0]
    assert official(engine, WOLVERHAMPTON, "cla_count", date(2021, 3, 31)).value == 540
    rate = official(engine, ENGLAND, "cla_rate_per_10k", date(2025, 3, 31))
    assert (rate.value, rate.unit) == (67, "rate_per_10k")


def test_care_leavers_aged_19_to_21_are_the_headline_and_17_to_18_a_breakdown(imported):
    engine = imported[0]
    assert official(engine, ENGLAND, "care_leavers_eet_rate", date(2025, 3, 31)).value == 54
    assert official(engine, ENGLAND, "care_leavers_neet_rate", date(2025, 3, 31)).value == 40
    younger = official(engine, ENGLAND, "care_leavers_eet_rate", date(2025, 3, 31), "aged 17 to 18")
    assert (younger.value, younger.period_start) == (64, date(2024, 4, 1))


@pytest.mark.parametrize("area, indicator, end, reason", [
    (HAMPSHIRE, "cin_count", date(2024, 3, 31), "u: low reliability"),
    ("E06000004", "cpp_two_years_plus_rate", date(2019, 3, 31), "c: suppressed to protect confidentiality"),
    (SUNDERLAND, "sw_agency_rate", date(2025, 9, 30), "low: below 0.5, rounds to zero but is not zero"),
    ("E09000020", "sw_vacancy_rate", date(2025, 9, 30), "x: not available"),
    ("E06000053", "cla_count", date(2025, 3, 31), "z: not applicable"),
])
def test_suppressed_values_are_missing_with_their_reason_never_zero(imported, area, indicator, end, reason):
    obs = official(imported[0], area, indicator, end)
    assert obs.value is None and obs.missing_reason == reason


def test_parse_value_reads_numbers_and_every_symbol():
    missing = load_mapping().missing
    assert parse_value(" 2,159 ", missing) == (2159.0, None)
    assert parse_value("0", missing) == (0.0, None)
    for symbol in ("x", "c", "z", "u", "k", "low", "..", ":", ""):
        value, reason = parse_value(symbol, missing)
        assert value is None and reason.startswith(f"{symbol or 'blank'}: ")
    assert parse_value("q", missing) == (None, "q: unrecognised symbol")


def test_areas_outside_the_register_are_matched_by_dfe_code_or_added(imported):
    engine = imported[0]
    # Barnsley's 2025 workforce row carries its new GSS code; DfE code 370 finds the register's
    assert official(engine, "E08000016", "sw_fte", date(2025, 9, 30)).value is not None
    # North Yorkshire county's 2019 figure keeps the county's code (a former authority in the register)
    assert official(engine, "E10000023", "cin_count", date(2019, 3, 31)).value is not None
    with session(engine) as s:
        poole = s.get(m.Authority, "E06000029")
        assert (poole.name, poole.kind, poole.dfe_code) == ("Poole", "former", "836")
        assert s.get(m.Authority, "E13000001").kind == "region"
        assert s.get(m.Authority, "E08000038") is None


def test_a_changed_file_replaces_the_earlier_import(tmp_path):
    engine = fresh(tmp_path / "replace.sqlite")
    lines = B1.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    partial = tmp_path / "partial" / B1.name
    partial.parent.mkdir()
    partial.write_text("".join(lines[:101]), encoding="utf-8")
    assert import_official(engine, [partial]) == {B1.name: 100}
    assert import_official(engine, [B1]) == {B1.name: 2132}
    assert count(engine) == 2132 and count(engine, m.Document) == 1


def test_an_unknown_file_is_refused_before_anything_is_written(tmp_path):
    engine = fresh(tmp_path / "unknown.sqlite")
    stray = tmp_path / "la_lookup.csv"
    stray.write_text("la_code,la_name\n", encoding="utf-8")
    with pytest.raises(ValueError, match="la_lookup.csv: not an official table"):
        import_official(engine, [B1, stray])
    assert count(engine, m.Document) == 0


def test_mapping_units_match_the_vocabulary():
    mapping = load_mapping()
    mapped = {c.indicator for d in mapping.datasets for s in d.series for c in s.columns}
    assert {"cin_count", "referrals_count", "rereferral_rate", "cpp_count", "cpp_second_subsequent_rate",
            "cpp_two_years_plus_rate", "cla_count", "cla_rate_per_10k", "sw_agency_rate", "sw_agency_fte",
            "sw_vacancy_rate", "sw_turnover_rate", "sw_caseload_average", "sw_absence_rate", "sw_fte",
            "care_leavers_eet_rate", "care_leavers_neet_rate"} <= mapped


def test_neighbours_prefer_the_dfe_groupings_and_fall_back_to_the_register(imported, tmp_path):
    # West Sussex (938): Hampshire, South Gloucestershire, Gloucestershire ... in the April 2021 groupings
    dfe = neighbours_of(imported[0], "West Sussex")
    assert dfe[:3] == ["E10000014", "E06000025", "E10000013"] and len(dfe) == 10
    bare = fresh(tmp_path / "bare.sqlite")
    assert neighbours_of(bare, WEST_SUSSEX)[:2] == ["E10000013", "E10000012"]
    with pytest.raises(LookupError):
        neighbours_of(bare, "Atlantis")
