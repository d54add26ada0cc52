"""The indicator vocabulary: complete against CONVENTIONS.md, consistent, and validated on load."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from scrutiny.schemas.vocabulary import GRADES, UNITS, _load, _read, _relations, load_relations, load_vocabulary

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CONVENTIONS = SHARED / "CONVENTIONS.md"


def core_ids() -> list[str]:
    """Ids in the "Core indicator ids" table of CONVENTIONS.md, in order."""
    if not CONVENTIONS.exists():
        pytest.skip(f"shared material not found at {SHARED}")
    section = CONVENTIONS.read_text(encoding="utf-8").split("## Core indicator ids")[1].split("\n## ")[0]
    return re.findall(r"`([a-z][a-z0-9_]+)`", section)


def test_every_core_id_is_present_in_order():
    ids = core_ids()
    assert len(ids) >= 60
    assert list(load_vocabulary())[: len(ids)] == ids


SUFFIX_UNITS = (("_rate_per_10k", "rate_per_10k"), ("_rate", "percent"), ("_count", "count"),
                ("_fte", "fte"), ("_gbp", "gbp"), ("_days", "days"))


def test_unit_follows_id_suffix():
    checked = 0
    for ind in load_vocabulary().values():
        expected = next((unit for suffix, unit in SUFFIX_UNITS if ind.id.endswith(suffix)), None)
        if expected:
            assert ind.unit == expected, ind.id
            checked += 1
    assert checked >= 50


def test_entries_are_complete():
    for ind in load_vocabulary().values():
        assert ind.unit in UNITS and ind.label and ind.definition and ind.source and ind.phrasings, ind.id
        if ind.unit == "grade":
            assert ind.id.startswith("ofsted_") and ind.values == GRADES
        elif ind.unit == "percent" and ind.id != "sw_vacancy_gap_rate":
            assert (ind.min, ind.max) == (0, 100), ind.id


def test_vacancy_gap_is_a_local_variant_that_can_be_negative():
    vocab = load_vocabulary()
    gap, dfe = vocab["sw_vacancy_gap_rate"], vocab["sw_vacancy_rate"]
    assert gap.variant_of == "sw_vacancy_rate" and gap.source == "local measure"
    assert "30 September" in dfe.definition and gap.definition != dfe.definition
    assert gap.plausible(-0.1) is None
    assert dfe.plausible(-0.1) is not None


@pytest.mark.parametrize("indicator, value, reason", [
    ("rereferral_rate", 36.9, None),
    ("rereferral_rate", 120, "percentage above 100"),
    ("sw_caseload_average", 18.4, None),
    ("sw_caseload_max", 91, None),
    ("sw_caseload_average", 400, "outside plausible range 1–150"),
    ("cin_count", -5, "outside plausible range"),
    ("sw_vacancy_gap_rate", -25, "outside plausible range -20–100"),
    ("ofsted_overall_effectiveness", "Good", None),
    ("ofsted_overall_effectiveness", "excellent", "not one of"),
    ("cla_count", "many", "text where a number is expected"),
])
def test_plausible(indicator, value, reason):
    result = load_vocabulary()[indicator].plausible(value)
    if reason is None:
        assert result is None
    else:
        assert result is not None and result.startswith(reason)


GOOD = '''
[[indicator]]
id = "ok_count"
label = "OK"
group = "test"
unit = "count"
definition = "A valid entry."
source = "local measure"
phrasings = [['ok']]
min = 0
max = 10
'''


def entry(ident: str, **changes: str) -> str:
    """A TOML table for ``ident`` with some lines replaced."""
    text = GOOD.replace('"ok_count"', f'"{ident}"')
    for key, line in changes.items():
        text = re.sub(rf"^{key} = .*$", line, text, flags=re.M)
    return text


@pytest.mark.parametrize("body, message", [
    (entry("bad_regex", phrasings="phrasings = [['children (in need']]"), "bad_regex: bad regex"),
    (entry("bad_exclude", max="max = 10\nexclude = ['[unclosed']"), "bad_exclude: bad regex"),
    (entry("bad_unit", unit='unit = "percentage"'), "bad_unit: unknown unit"),
    (entry("bad_range", min="min = 50"), "bad_range: needs min <= max"),
    (entry("no_source", source='source = ""'), "no_source: missing source"),
    (entry("bad_grade", unit='unit = "grade"', min='values = ["excellent"]', max=""), "bad_grade: grade values"),
    (entry("bad_key", max="maximum = 10"), "bad_key: unknown keys maximum"),
    (entry("bad_variant", max='max = 10\nvariant_of = "nowhere"'), "bad_variant: variant_of unknown"),
    (GOOD + GOOD, "ok_count: duplicate id"),
])
def test_broken_vocabulary_is_rejected_naming_the_id(tmp_path, body, message):
    path = tmp_path / "indicators.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        _load(path)


def test_valid_file_loads(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert _load(path)["ok_count"].phrasings == (("ok",),)


def test_relations_are_declared_not_spelled():
    relations = load_relations()
    assert relations.range_ends("sw_caseload_average") == ("sw_caseload_min", "sw_caseload_max")
    assert relations.is_range_end("sw_caseload_max") and not relations.is_range_end("sw_caseload_average")
    assert relations.restating("sw_agency_rate", "count") == "sw_agency_count"
    assert relations.restating("cin_count", "count") is None


def test_a_relation_naming_an_unknown_indicator_or_a_wrong_unit_is_refused(tmp_path):
    head = (Path(__file__).parents[1] / "schemas" / "indicators.toml").read_text().split("\n[[range]]")[0]
    for relation, message in (('[[range]]\nof = "sw_caseload_average"\nmin = "nope"\nmax = "sw_caseload_max"\n', "unknown indicator"),
                              ('[[range]]\nof = "sw_caseload_average"\nmin = "cin_count"\nmax = "sw_caseload_max"\n', "must be in cases")):
        path = tmp_path / "v.toml"
        path.write_text(head + relation)
        with pytest.raises(ValueError, match=message):
            _relations(_read(path), _load(path))


def test_siblings_are_a_count_with_its_rate_and_a_percentage_with_its_restatements():
    from scrutiny.schemas.vocabulary import load_relations

    relations = load_relations()
    assert relations.siblings("cla_count") == {"cla_rate_per_10k"}
    assert relations.siblings("cla_rate_per_10k") == {"cla_count"}
    assert relations.siblings("sw_agency_rate") == {"sw_agency_count", "sw_agency_fte"}
    assert relations.siblings("sw_agency_fte") == {"sw_agency_rate"}
    assert relations.siblings("sw_turnover_rate") == set()
