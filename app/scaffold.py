"""New-parser scaffolding, the parser listing, and the check scaffolded tests run.

``new_parser`` writes a registered parser that finds nothing yet, a test that fails
until sample files and their expected figures are in place, and a fixture folder
README. ``fixture_problems`` is what that test runs: it parses every sample file in
the folder and compares the figures with ``expected.csv``.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from string import Template
from typing import Any

from .extract import registry
from .extract.observation import Context, Observation
from .schemas.authorities import load_register

NAME = re.compile(r"[a-z][a-z0-9_]*")
DOC_TYPE = re.compile(r"[a-z0-9][a-z0-9-]*")
EXPECTED = "expected.csv"
EXPECTED_COLUMNS = ("file", "indicator", "period_end", "value", "unit", "breakdown", "qualifier", "area_code")
NOT_SAMPLES = {EXPECTED, "README.md"}

PARSER = Template('''"""$summary

To fill in (see CONTRIBUTING.md):
- ``parse``: yield one Observation per figure the document states: an indicator id
  from schemas/indicators.toml, the value and unit, the period it covers, the page
  and the sentence or table row it comes from;
- ``handles``: override it only when "$applies" is not precise enough;
- the version in ``@register``: bump it whenever the figures found change, so that
  stored documents are parsed again.
The sample files and the figures they state are in tests/fixtures/$name/.
"""
from __future__ import annotations

from typing import Iterable

from ..model import Document
from ..observation import Context, Observation
from ..registry import AppliesTo, Parser, register


@register("$name", "0.1.0", AppliesTo($applies_to))
class $cls(Parser):
    """$summary"""

    def parse(self, document: Document, ctx: Context) -> Iterable[Observation]:
        yield from ()
''')

TEST = Template('''"""The $name parser against the sample files in tests/fixtures/$name/ and their expected.csv."""
from pathlib import Path

from scrutiny.scaffold import fixture_problems

FIXTURES = Path(__file__).parent / "fixtures" / "$name"


def test_${name}_parser_finds_the_expected_figures() -> None:
    problems = fixture_problems("$name", FIXTURES)
    assert not problems, "\\n".join(problems)
''')

README = Template('''# Samples for the $name parser

Put here one or more real reports the parser is for ($applies), as published
(PDF) or as a text/HTML conversion, and list in `expected.csv` every figure each states:

| column | meaning |
| --- | --- |
| file | the sample's file name |
| indicator | an id from `schemas/indicators.toml` |
| period_end | the month the figure's period ends, `YYYY-MM` |
| value | the number (`12.5`, no `%` or commas) or, for grades, the grade |
| unit | the indicator's unit |
| breakdown | blank for the whole authority, else the team or group as written |
| qualifier | `actual`, `target` or `forecast` (blank means actual) |
| area_code | blank for the reporting authority, else the comparator's code (`E92000001`) |

`tests/test_parser_$name.py` parses every file here (all but this README and
`expected.csv`) and fails listing each figure missing or unexpected.
''')


def new_parser(name: str, authority: str | None = None, doc_type: str | None = None,
               root: Path = Path(".")) -> list[Path]:
    """Write a parser for one council (``authority``: name or code) or one document type.

    Returns the files written; raises ValueError for a bad name or choice, LookupError
    for an unknown authority and FileExistsError rather than overwrite anything.
    """
    if not NAME.fullmatch(name):
        raise ValueError(f"parser name must be lower case letters, digits and _ (starting with a letter), not {name!r}")
    if (authority is None) == (doc_type is None):
        raise ValueError("give exactly one of an authority or a document type")
    if name in registry.available():
        raise ValueError(f"a parser named {name!r} is already registered")
    if authority is not None:
        area = load_register().lookup(authority)
        applies_to, applies, summary = (f'authorities=("{area.code}",)', f"authority {area.code}",
                                        f"Figures in {area.name}'s reports.")
    elif DOC_TYPE.fullmatch(doc_type or ""):
        applies_to, applies, summary = (f'doc_types=("{doc_type}",)', f"type {doc_type}",
                                        f"Figures in {doc_type} documents.")
    else:
        raise ValueError(f"document type must be lower case letters, digits and -, not {doc_type!r}")
    fields = dict(name=name, cls="".join(p.capitalize() for p in name.split("_")) + "Parser",
                  applies_to=applies_to, applies=applies, summary=summary)
    files = {root / "extract" / "parsers" / f"{name}.py": PARSER,
             root / "tests" / f"test_parser_{name}.py": TEST,
             root / "tests" / "fixtures" / name / "README.md": README}
    existing = [str(path) for path in files if path.exists()]
    if existing:
        raise FileExistsError(f"not overwriting {', '.join(existing)}")
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.substitute(fields), encoding="utf-8")
    return list(files)


def list_parsers() -> list[dict[str, Any]]:
    """Every registered parser: name, version, what it applies to and the package it comes from."""
    return [{"name": cls.name, "version": cls.version, "applies_to": cls.applies_to.describe(), "source": cls.source}
            for cls in sorted(registry.available().values(), key=lambda cls: cls.name)]


def fixture_problems(name: str, folder: Path) -> list[str]:
    """What stops the parser ``name`` from finding exactly the expected figures of the samples in ``folder``."""
    samples = sorted(p for p in folder.iterdir() if p.is_file() and p.name not in NOT_SAMPLES
                     and not p.name.startswith(".")) if folder.is_dir() else []
    expected = _expected(folder / EXPECTED)
    if not samples or not expected:
        return [f"to fill in: put a real sample report in {folder}/ and list the figures it states in "
                f"{folder / EXPECTED} (columns {', '.join(EXPECTED_COLUMNS)}; see the README there)"]
    from .extract.doctypes import classify
    from .extract.read import read  # here, so that listing parsers does not load the PDF reader

    parser = registry.get(name)()
    authority = next(iter(parser.applies_to.authorities), None)
    problems = [f"{file}: listed in {EXPECTED} but not in {folder}" for file in
                sorted({row[0] for row in expected} - {p.name for p in samples})]
    for sample in samples:
        document = read(sample)
        kind = classify(document)  # the document type ingest finds, so the test fails where ingest would not run it
        ctx = Context(authority_code=authority, doc_type=kind.doc_type, doc_kind=kind)
        if not parser.handles(document, ctx):
            problems.append(f"{sample.name}: {name}.handles() refuses it (read as document type {kind.doc_type})")
            continue
        found = {_key(sample.name, obs) for obs in parser.parse(document, ctx)}
        wanted = {row for row in expected if row[0] == sample.name}
        problems += [f"{sample.name}: missing {_show(row)}" for row in sorted(wanted - found)]
        problems += [f"{sample.name}: unexpected {_show(row)}" for row in sorted(found - wanted)]
    return problems


def _expected(path: Path) -> set[tuple[str, ...]]:
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as handle:
        return {tuple(_norm(column, row.get(column)) for column in EXPECTED_COLUMNS) for row in csv.DictReader(handle)}


def _key(file: str, obs: Observation) -> tuple[str, ...]:
    values = dict(file=file, indicator=obs.indicator, period_end=obs.period_end and obs.period_end.isoformat(),
                  value=obs.value, unit=obs.unit, breakdown=obs.breakdown, qualifier=obs.qualifier,
                  area_code=obs.area_code)
    return tuple(_norm(column, values[column]) for column in EXPECTED_COLUMNS)


def _norm(column: str, value: object) -> str:
    """One cell as compared: periods to the month, numbers to 4 decimals, text in lower case."""
    text = "" if value is None else str(value).strip()
    if column == "period_end":
        return text[:7]
    if column == "qualifier":
        return text.lower() or "actual"
    if column == "value":
        try:
            return str(round(float(text.replace(",", "")), 4))
        except ValueError:
            return text.lower()
    return text if column in ("file", "area_code") else text.lower()


def _show(row: tuple[str, ...]) -> str:
    return ", ".join(f"{column}={value}" for column, value in zip(EXPECTED_COLUMNS[1:], row[1:]) if value)
