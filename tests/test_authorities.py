"""The authority register: generated file, lookups, and authority detection on real reports."""
from __future__ import annotations

import json
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
    assert shipped == build(shared("data/la_lookup.csv"))


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


def test_historic_authorities_are_left_out():
    register = load_register()
    for text in ("909", "928", "836", "Cumbria", "Northamptonshire", "Poole"):
        with pytest.raises(LookupError):
            register.lookup(text)


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
