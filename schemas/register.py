"""Build ``schemas/authorities.json``, the register of English areas, from la_lookup.csv.

Usage: ``python -m scrutiny.schemas.register SRC.csv OUT.json``

One record per current English local authority (kind "authority"), per region
("region") and for England ("country"). Rows without a GSS code are historic
authorities (Cumbria, Northamptonshire, Poole) and are left out. Where the source
disagrees with itself the record follows the rule stated at each helper.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
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
            "type": None, "neighbours": [], "population_0_25": None}


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
    claims = Counter(alias.casefold() for record in records for alias in set(record["aliases"]))
    for record in records:
        record["aliases"] = [a for a in record["aliases"] if claims[a.casefold()] == 1 and a != record["name"]]
    return records


def build(src: Path) -> list[dict[str, Any]]:
    """All register records from the lookup CSV, sorted by code."""
    with open(src, newline="", encoding="utf-8-sig") as fh:
        rows = [row for row in csv.DictReader(fh)
                if row["country"] == "England" and row["la_code_new"].startswith(tuple(TYPES))]
    region_codes = _region_codes(rows)
    regions = _regions(rows, region_codes)
    records = _authorities(rows, region_codes)
    region_names = {region["code"]: region["name"] for region in regions}
    for record in records:
        record["region_name"] = region_names[record["region_code"]]
    records += regions
    records.append(_area(ENGLAND["code"], ENGLAND["name"], "country", []))
    known = {record["code"] for record in records}
    for record in records:
        record["neighbours"] = [code for code in record["neighbours"] if code in known]
    return sorted(records, key=lambda record: record["code"])


def write(records: list[dict[str, Any]], out: Path) -> None:
    """Write the register as stable, indented JSON."""
    out.write_text(json.dumps(records, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                   encoding="utf-8")


def main(argv: list[str]) -> int:
    """Command-line entry point: SRC.csv OUT.json."""
    if len(argv) != 2:
        print("usage: python -m scrutiny.schemas.register SRC.csv OUT.json", file=sys.stderr)
        return 2
    records = build(Path(argv[0]))
    write(records, Path(argv[1]))
    print(f"wrote {len(records)} areas to {argv[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
