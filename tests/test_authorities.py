"""The authority register: generated file, lookups, and authority detection on real reports."""
from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from scrutiny.schemas.authorities import load_register, name_key
from scrutiny.schemas.register import build

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = {
    "000_878a8a15beb185f7": "E08000031",  # Wolverhampton
    "001_6189d4c3eea649f8": "E08000030",  # Walsall
    "002_5b351067a8cd401d": "E06000026",  # Plymouth
    "003_077c65c1b7a2f02c": "E09000017",  # Hillingdon
    "004_ab3d313a01f42dff": "E10000032",  # West Sussex
}


def shared(relative: str) -> Path:
    """A path under ../shared, skipping the test when the shared material is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"shared material not found: {path}")
    return path


@pytest.mark.parametrize("stem, code", SEEDS.items())
def test_seed_reports_are_detected(stem, code):
    text = shared(f"corpus/seeds/{stem}.txt").read_text(encoding="utf-8")
    found = load_register().detect(text)
    assert found is not None and found.code == code


def test_shipped_register_matches_a_fresh_build():
    shipped = json.loads((resources.files("scrutiny.schemas") / "authorities.json").read_text(encoding="utf-8"))
    assert shipped == build(shared("data/la_lookup.csv"), shared("data/dfe"))


@pytest.mark.parametrize("text, code", [
    ("E10000032", "E10000032"), ("e08000030", "E08000030"), ("938", "E10000032"),
    ("West Sussex", "E10000032"), ("west sussex county council", "E10000032"), ("WSCC", "E10000032"),
    ("London Borough of Hillingdon", "E09000017"), ("Bristol, City of", "E06000023"),
    ("Bristol City Council", "E06000023"), ("Hull", "E06000010"), ("St Helens", "E08000013"),
    ("Brighton & Hove", "E06000043"), ("County Durham", "E06000047"), ("Southend", "E06000033"),
    ("BCP", "E06000058"), ("LBBD", "E09000002"), ("England", "E92000001"),
    ("Yorkshire and the Humber", "E12000003"),
])
def test_lookup(text, code):
    assert load_register().lookup(text).code == code


def test_unknown_name_suggests_close_matches():
    with pytest.raises(LookupError, match="Wolverhampton") as info:
        load_register().lookup("Wolverhamton")
    assert "Wolverhamton" in str(info.value)


@pytest.mark.parametrize("name, day, code", [
    ("Cumbria", date(2015, 3, 31), "E10000006"), ("Cumbria County Council", None, "E10000006"),
    ("909", None, "E10000006"), ("Poole", date(2018, 3, 31), "E06000029"), ("836", None, "E06000029"),
    ("Northamptonshire", date(2020, 3, 31), "E10000021"),
    ("Dorset", date(2015, 3, 31), "E10000009"), ("Dorset", date(2020, 3, 31), "E06000059"),
    ("Dorset", None, "E06000059"),  # no date: today's authority
    ("North Yorkshire", date(2022, 9, 30), "E10000023"), ("North Yorkshire", date(2023, 9, 30), "E06000065"),
    ("815", date(2016, 3, 31), "E10000023"), ("815", None, "E06000065"),
    ("Somerset County Council", date(2019, 3, 31), "E10000027"),
])
def test_former_authorities_keep_the_code_of_their_time(name, day, code):
    assert load_register().lookup(name, on=day).code == code


def test_former_authorities_end_and_hand_over():
    register = load_register()
    cumbria = register.get("E10000006")
    assert cumbria.kind == "former" and cumbria.valid_to == date(2023, 3, 31)
    assert set(cumbria.successors) == {"E06000063", "E06000064"}
    assert register.get("E06000029").successors == ("E06000058",)
    assert register.get("E06000058").valid_from == date(2019, 4, 1)
    assert not cumbria.valid_on(date(2023, 4, 1)) and register.get("E06000063").valid_on(date(2023, 4, 1))
    assert {"E06000029", "E10000009", "E10000021", "E10000006"} <= {area.code for area in register.former()}


def test_detection_takes_the_authority_of_the_papers_date():
    text = "Dorset County Council. Report of the Director of Children's Services to Dorset County Council."
    assert load_register().detect(text, on=date(2016, 6, 1)).code == "E10000009"
    assert load_register().detect(text, on=date(2024, 6, 1)).code == "E06000059"
    assert load_register().detect("Cumbria County Council children's services report").code == "E10000006"


def test_records_follow_the_stated_rules():
    register = load_register()
    assert register.get("E06000060").region_code == "E12000008"  # source says E12000004
    assert register.get("E10000013").region_code == "E12000009"  # source says E12000003
    cumberland = register.get("E06000063")
    assert cumberland.type == "Unitary Authority" and cumberland.population_0_25 is None
    assert register.get("E10000029").domain == "suffolk.gov.uk"
    assert len(register.authorities()) == 153


def test_aliases_belong_to_one_authority():
    seen: dict[str, str] = {}
    for area in load_register().authorities():
        for name in (area.name, *area.aliases):
            assert seen.setdefault(name_key(name), area.code) == area.code, name


def test_areas_neighbours_regions_england():
    register = load_register()
    neighbours = register.neighbours("E10000032")
    assert len(neighbours) == 10 and neighbours[0].name == "Gloucestershire"
    assert all(area.kind == "authority" for area in neighbours)
    assert [r.code for r in register.regions()] == [f"E120000{n:02d}" for n in range(1, 10)]
    assert register.england().code == "E92000001"
    assert register.neighbours("E99999999") == []


@pytest.mark.parametrize("text, code", [
    ("Contact: jo.bloggs@walsall.gov.uk", "E08000030"),
    ("Papers at https://democracy.plymouth.gov.uk/ieListDocuments", "E06000026"),
    ("See www.birminghamchildrenstrust.co.uk", "E08000025"),
    ("Report to West Sussex County Council. East Sussex is a neighbour. West Sussex", "E10000032"),
    ("City of London Corporation: City of London", "E09000001"),
    ("KENT COUNTY COUNCIL", "E10000016"),
])
def test_detect(text, code):
    found = load_register().detect(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", [
    "",
    "Sussex Police and Sussex Partnership work across Sussex. Sussex.",
    "Services across London. London. London.",
    "reading, reading and more reading; kcc",
    "Comparisons with Walsall Council and Dudley Council",
    "Contact: someone@notwalsall.gov.uk, someone@example.org",
    "Plymouth" + " " * 4000,
])
def test_detect_returns_none_without_convincing_evidence(text):
    assert load_register().detect(text) is None
