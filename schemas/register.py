"""Build ``schemas/authorities.json``, the register of English areas, from la_lookup.csv.

Usage: ``python -m scrutiny.schemas.register SRC.csv OUT.json [DFE_DIR]``

One record per current English local authority (kind "authority"), per region
("region") and for England ("country"). With the official DfE tables (DFE_DIR, CSVs
with ``time_period``, ``new_la_code``, ``old_la_code`` and ``la_name`` columns for
reporting years to 31 March), each authority's codes are dated: an authority whose
code the tables stop using before their latest year is a former authority (kind
"former": Poole and Dorset county until 2019, Northamptonshire until 2021, Cumbria
until 2023, ...) with ``valid_to``, the ``successors`` that started the next day, and a
current authority first seen after the tables' first year gets ``valid_from``. Names
shared by a former and a current authority (Dorset) are kept by both: their years do
not overlap. Where the source disagrees with itself the record follows the rule stated
at each helper.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from dataclasses import dataclass
from typing import Any

from .areas import ENGLAND as ENGLAND_CODE, ENGLAND_NAME

ENGLAND = {"code": ENGLAND_CODE, "name": ENGLAND_NAME}

# Authority type by GSS prefix; the source still calls three 2023 unitaries "County".
TYPES = {"E06": "Unitary Authority", "E08": "Metropolitan District",
         "E09": "London Borough", "E10": "County"}

# The council's own domain where the source gives a children's trust, a shared-service
# or a wrong domain; trust domains used by one authority only are kept as other domains.
DOMAIN_FIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "E08000025": ("birmingham.gov.uk", ("birminghamchildrenstrust.co.uk",)),
    "E06000038": ("reading.gov.uk", ("brighterfuturesforchildren.org",)),
    "E06000039": ("slough.gov.uk", ("scstrust.co.uk",)),
    "E08000024": ("sunderland.gov.uk", ("togetherforchildren.org.uk",)),
    "E10000034": ("worcestershire.gov.uk", ("worcschildrenfirst.org.uk",)),
    "E06000040": ("rbwm.gov.uk", ()),
    "E09000032": ("wandsworth.gov.uk", ()),
    "E08000022": ("northtyneside.gov.uk", ()),
    "E10000029": ("suffolk.gov.uk", ()),
}

_MINOR_WORDS = {"and", "of", "upon", "on", "the", "with", "city"}


def _split(raw: str) -> list[str]:
    """A comma-separated cell as a list of stripped, non-empty items."""
    return [item.strip() for item in raw.split(",") if item.strip()]


def _display_name(name: str) -> str:
    """ONS "Bristol, City of" becomes "Bristol"; other names are unchanged."""
    return re.sub(r",\s*(City|County) of$", "", name)


def _listed_aliases(raw: str, name: str) -> list[str]:
    """Parse an ``also_known_as`` cell such as "[BCP, Bournemouth, Christchurch & Poole]".

    A form of the full name may itself contain commas, so it is taken out whole first.
    """
    inner = raw.strip().strip("[]")
    found = []
    for form in (name, name.replace(" and ", " & ")):
        if form in inner:
            found.append(form)
            inner = inner.replace(form, "")
    return found + _split(inner)


def _short_forms(name: str) -> list[str]:
    """Forms derivable from the name: "Southend-on-Sea" -> "Southend", "Bedford Borough" -> "Bedford"."""
    forms = [re.sub(r"(\s+upon|-on)[\s-]\S+$", "", name, flags=re.I),
             re.sub(r"\s+Borough$", "", name)]
    return [form for form in forms if form != name]


def _initials(name: str) -> str:
    """Capital initials of the significant words: "Barking and Dagenham" -> "BD"."""
    return "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w.lower() not in _MINOR_WORDS)


def _council_forms(base: str, prefix: str) -> list[str]:
    """The usual council styles for a base name, by authority type."""
    forms = [base, f"{base} Council"]
    if base.startswith(("City of ", "County ")) or base.endswith(" Borough"):
        return forms
    if prefix in ("E06", "E10"):
        forms += [f"{base} County Council"]
    if prefix in ("E06", "E08", "E09"):
        forms += [f"City of {base}", f"{base} City Council"]
    if prefix in ("E06", "E08"):
        forms += [f"{base} Borough Council"]
    if prefix == "E08":
        forms += [f"{base} Metropolitan Borough Council"]
    if prefix in ("E06", "E09"):
        forms += [f"Royal Borough of {base}"]
    if prefix == "E09":
        forms += [f"London Borough of {base}"]
    return forms


def _acronyms(name: str, prefix: str) -> list[str]:
    """Initialisms by rule: WSCC (county council), LBBD / RBKC (London borough), SMBC."""
    initials = _initials(name)
    return {"E10": [f"{initials}CC"], "E09": [f"LB{initials}", f"RB{initials}"],
            "E08": [f"{initials}MBC"]}.get(prefix, [])


def _aliases(row: dict[str, str], unique_utla: bool) -> list[str]:
    """Every name an authority may go by, before ambiguous ones are removed.

    Short forms are derived only when the source lists no aliases of its own
    (Hull is listed; "Kingston" would be wrong for it).
    """
    name = _display_name(row["local_authority_ons_name"])
    prefix = row["la_code_new"][:3]
    listed = _listed_aliases(row["also_known_as"], name)
    bases = [name, *(listed or _short_forms(name))]
    if unique_utla:
        bases.append(_display_name(row["utla23nm"]))
    aliases = [row["local_authority_ons_name"]]
    for base in dict.fromkeys(bases):
        aliases += [base] if base.isupper() else _council_forms(base, prefix)
    return list(dict.fromkeys(aliases + _acronyms(name, prefix)))


def _domains(code: str, domain: str) -> tuple[str, list[str]]:
    """The council's web domain and any other domains its reports may use."""
    main, others = DOMAIN_FIXES.get(code, (domain.strip().lower(), ()))
    return main, list(others)


def _region_codes(rows: list[dict[str, str]]) -> dict[str, str]:
    """Region name (case-folded) -> its E12 code, by majority: a few rows carry a wrong rgn22cd."""
    votes: dict[str, Counter[str]] = {}
    for row in rows:
        votes.setdefault(row["rgn22nm"].casefold(), Counter())[row["rgn22cd"]] += 1
    return {name: counter.most_common(1)[0][0] for name, counter in votes.items()}


def _area(code: str, name: str, kind: str, aliases: list[str]) -> dict[str, Any]:
    """A record with every key, so all kinds share one shape."""
    return {"code": code, "dfe_code": None, "name": name, "kind": kind, "aliases": aliases,
            "domain": None, "other_domains": [], "region_code": None, "region_name": None,
            "type": None, "neighbours": [], "population_0_25": None,
            "valid_from": None, "valid_to": None, "successors": []}


def _regions(rows: list[dict[str, str]], region_codes: dict[str, str]) -> list[dict[str, Any]]:
    """One record per region, named by its most common ONS spelling."""
    spellings: dict[str, Counter[str]] = {}
    for row in rows:
        code = region_codes[row["rgn22nm"].casefold()]
        spellings.setdefault(code, Counter()).update([row["rgn22nm"], row["region_name"]])
    records = []
    for code, counter in spellings.items():
        names = [name for name, _ in counter.most_common()]
        records.append(_area(code, names[0], "region", names[1:]))
    return records


def _authorities(rows: list[dict[str, str]], region_codes: dict[str, str]) -> list[dict[str, Any]]:
    """One record per current authority; aliases shared by two authorities are dropped."""
    utla_counts = Counter(row["utla23nm"] for row in rows)
    population_counts = Counter(row["ons_population_0-25"] for row in rows)
    records = []
    for row in rows:
        code = row["la_code_new"]
        record = _area(code, _display_name(row["local_authority_ons_name"]), "authority",
                       _aliases(row, utla_counts[row["utla23nm"]] == 1))
        record["domain"], record["other_domains"] = _domains(code, row["domain"])
        population = row["ons_population_0-25"]
        record.update(
            dfe_code=row["la_code"],
            region_code=region_codes[row["rgn22nm"].casefold()],
            type=TYPES[code[:3]],
            neighbours=_split(row["stat_neighbours_la_code"]),
            # a figure repeated for several authorities (Cumbria's, after its split) is nobody's
            population_0_25=int(population) if population and population_counts[population] == 1 else None,
        )
        records.append(record)
    return records


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two records' years of existence meet (open ends meet everything)."""
    return (a["valid_to"] or "9999") >= (b["valid_from"] or "0000") and (b["valid_to"] or "9999") >= (a["valid_from"] or "0000")


def _unique_aliases(records: list[dict[str, Any]]) -> None:
    """Drop each alias claimed by two authorities that existed at the same time."""
    claims: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        for alias in {a.casefold() for a in record["aliases"]} | {record["name"].casefold()}:
            claims.setdefault(alias, []).append(record)
    for record in records:
        record["aliases"] = [a for a in record["aliases"] if a != record["name"] and not any(
            other is not record and _overlap(record, other) for other in claims[a.casefold()])]


def build(src: Path, dfe_dir: Path | None = None) -> list[dict[str, Any]]:
    """All register records from the lookup CSV (and the DfE tables' dated codes), sorted by code."""
    with open(src, newline="", encoding="utf-8-sig") as fh:
        rows = [row for row in csv.DictReader(fh)
                if row["country"] == "England" and row["la_code_new"].startswith(tuple(TYPES))]
    region_codes = _region_codes(rows)
    regions = _regions(rows, region_codes)
    records = _authorities(rows, region_codes)
    if dfe_dir is not None:
        records += _date_codes(records, _official_years(dfe_dir))
    _unique_aliases(records)
    region_names = {region["code"]: region["name"] for region in regions}
    for record in records:
        record["region_name"] = region_names.get(record["region_code"])
    records += regions
    records.append(_area(ENGLAND["code"], ENGLAND["name"], "country", []))
    known = {record["code"] for record in records}
    for record in records:
        record["neighbours"] = [code for code in record["neighbours"] if code in known]
    return sorted(records, key=lambda record: record["code"])


@dataclass
class CodeYears:
    """The reporting years (to 31 March) in which one official table uses an authority code."""
    name: str
    dfe_code: str
    region_code: str
    years: set[int]


def _official_years(dfe_dir: Path) -> list[tuple[dict[str, CodeYears], int, int]]:
    """Per DfE table of reporting years: code -> its years, and the table's first and last year."""
    tables = []
    for path in sorted(dfe_dir.glob("*.csv")):
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not {"time_period", "new_la_code", "old_la_code", "la_name"} <= set(reader.fieldnames or ()):
                continue
            codes: dict[str, CodeYears] = {}
            years: set[int] = set()
            for row in reader:
                year = int(row["time_period"][:4])
                years.add(year)
                code = row["new_la_code"].strip()
                if row.get("geographic_level") != "Local authority" or not re.fullmatch(r"E\d{8}", code):
                    continue  # combined areas ("E06000061 / E06000062") are nobody's
                found = codes.setdefault(code, CodeYears(row["la_name"].strip(), row["old_la_code"].strip(),
                                                         row.get("region_code", "").strip(), set()))
                found.years.add(year)
        if codes:
            tables.append((codes, min(years), max(years)))
    return tables


def _majority(values: list[int]) -> int:
    """The value most tables agree on (the earliest of a tie); tables that carry a code
    list forward unchanged are outvoted by those that follow each year's codes."""
    counts = Counter(values).most_common()
    return min(v for v, n in counts if n == counts[0][1])


def _date_codes(records: list[dict[str, Any]], tables) -> list[dict[str, Any]]:
    """Give current records ``valid_from`` and return the former authorities' records."""
    current = {record["code"]: record for record in records}
    first_seen: dict[str, list[int]] = {}
    last_seen: dict[str, list[int]] = {}
    about: dict[str, CodeYears] = {}
    for codes, first, last in tables:
        for code, found in codes.items():
            if min(found.years) > first:
                first_seen.setdefault(code, []).append(min(found.years))
            if code not in current and max(found.years) < last:
                last_seen.setdefault(code, []).append(max(found.years))
                about.setdefault(code, found)
    for code, years in first_seen.items():
        if code in current and len(years) * 2 > len(tables):
            current[code]["valid_from"] = date(_majority(years) - 1, 4, 1).isoformat()
    former = []
    for code, years in last_seen.items():
        found = about[code]
        record = _area(code, found.name, "former", _council_forms(found.name, code[:3]))
        record.update(dfe_code=found.dfe_code, region_code=found.region_code or None, type=TYPES.get(code[:3]),
                      valid_to=date(_majority(years), 3, 31).isoformat())
        record["successors"] = _successors(record, records)
        former.append(record)
    return former


def _successors(former: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    """Authorities of the same region that started the day after ``former`` ended: those
    whose names contain its name, else all of them."""
    ended = date.fromisoformat(former["valid_to"])
    started = [r for r in records if r["valid_from"] and r["region_code"] == former["region_code"]
               and (date.fromisoformat(r["valid_from"]) - ended).days == 1]
    named = [r for r in started if any(former["name"].casefold() in n.casefold() for n in (r["name"], *r["aliases"]))]
    return sorted(r["code"] for r in (named or started))


def write(records: list[dict[str, Any]], out: Path) -> None:
    """Write the register as stable, indented JSON."""
    out.write_text(json.dumps(records, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                   encoding="utf-8")


def main(argv: list[str]) -> int:
    """Command-line entry point: SRC.csv OUT.json."""
    if len(argv) not in (2, 3):
        print("usage: python -m scrutiny.schemas.register SRC.csv OUT.json [DFE_DIR]", file=sys.stderr)
        return 2
    records = build(Path(argv[0]), Path(argv[2]) if len(argv) == 3 else None)
    write(records, Path(argv[1]))
    print(f"wrote {len(records)} areas to {argv[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
