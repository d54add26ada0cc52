"""Parsers as plugins: an installed out-of-tree parser is listed and stores its figures;
unknown names are refused; a scaffolded parser's test fails until it is filled in."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from scrutiny.extract import registry
from scrutiny.scaffold import new_parser

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SCRUTINY = Path(sys.executable).parent / "scrutiny"


def run(args: list[str], cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin package installed into a folder of its own (never the project's venv)."""
    tmp = tmp_path_factory.mktemp("plugin")
    source = shutil.copytree(FIXTURES / "plugin_pkg", tmp / "src")  # pip builds in place: keep tests/ clean
    site = tmp / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                           str(source)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site


def test_installed_plugin_is_registered(plugin_site: Path, tmp_path: Path) -> None:
    code = "import json; from scrutiny.scaffold import list_parsers; print(json.dumps(list_parsers()))"
    done = run([sys.executable, "-c", code], tmp_path, plugin_site)
    assert done.returncode == 0, done.stderr
    listed = {p["name"]: p for p in json.loads(done.stdout)}
    assert listed["plugin_example"] == {"name": "plugin_example", "version": "2.3.0",
                                        "applies_to": "type plugin-example-return",
                                        "source": "scrutiny_plugin_example"}
    assert {"generic", "ofsted"} <= set(listed)


def test_cli_lists_installed_plugin(plugin_site: Path, tmp_path: Path) -> None:
    done = run([str(SCRUTINY), "parsers"], tmp_path, plugin_site)
    assert done.returncode == 0, done.stderr
    assert "plugin_example" in done.stdout and "2.3.0" in done.stdout


def test_plugin_figures_are_stored_with_its_name_and_version(plugin_site: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'plugin.sqlite'}"
    ingest = run([str(SCRUTINY), "ingest", "--db", db, str(FIXTURES / "plugin_sample.txt")], tmp_path, plugin_site)
    assert ingest.returncode == 0, ingest.stderr
    out = tmp_path / "export.csv"
    export = run([str(SCRUTINY), "export", "--db", db, "--format", "csv", "--out", str(out)], tmp_path, plugin_site)
    assert export.returncode == 0, export.stderr
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8")) if r["indicator"] == "cla_count"]
    # the specific parser's children-in-care figures supersede the generic parser's
    assert [(r["value"], r["period_end"], r["parser"], r["parser_version"]) for r in rows] == [
        ("412", "2024-03-31", "plugin_example", "2.3.0")]


def test_unknown_parser_names_the_available_ones() -> None:
    with pytest.raises(registry.UnknownParser) as raised:
        registry.get("no_such_parser")
    assert "no_such_parser" in str(raised.value)
    assert "generic" in str(raised.value) and "ofsted" in str(raised.value)


def importable_copy(tmp: Path) -> tuple[Path, Path]:
    """A copy of the project and, beside it, a ``scrutiny`` package made of links into the copy
    (the package-dir mapping of pyproject.toml), so that the copy's parsers are the ones imported."""
    project = tmp / "project"
    project.mkdir()
    for name in ("pyproject.toml", "app", "extract", "normalise", "store", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    site = tmp / "site"
    mapping = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    (site / "scrutiny").mkdir(parents=True)
    for entry in (project / mapping["scrutiny"]).iterdir():
        (site / "scrutiny" / entry.name).symlink_to(entry)
    for package, folder in mapping.items():
        target = site.joinpath(*package.split("."))
        if not target.exists():
            target.symlink_to(project / folder)
    return project, site


FILLED_IN = '''
        for m in re.finditer(r"Average caseload in (\\w+ \\d{4}): ([\\d.]+)", document.text()):
            end = datetime.strptime(m[1], "%B %Y").date()
            yield Observation(indicator="sw_caseload_average", value=float(m[2]), unit="cases",
                              period_start=end, period_end=end, evidence=m[0], page=1)
'''


def test_scaffolded_parser_test_fails_until_filled_in(tmp_path: Path) -> None:
    project, site = importable_copy(tmp_path)
    written = new_parser("demo_kpi", authority="Barnet", root=project)
    assert [p.relative_to(project).as_posix() for p in written] == [
        "extract/parsers/demo_kpi.py", "tests/test_parser_demo_kpi.py", "tests/fixtures/demo_kpi/README.md"]
    # -P: the copy's "scrutiny" folder (no subpackages inside) must not shadow the linked package
    pytest_args = [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "tests/test_parser_demo_kpi.py"]

    before = run(pytest_args, project, site)
    assert before.returncode == 1, before.stdout + before.stderr
    assert "to fill in: put a real sample report in" in before.stdout
    assert "expected.csv" in before.stdout

    parser = project / "extract" / "parsers" / "demo_kpi.py"
    code = parser.read_text().replace("from typing import Iterable",
                                      "import re\nfrom datetime import datetime\nfrom typing import Iterable")
    parser.write_text(code.replace("\n        yield from ()\n", FILLED_IN))
    fixture = project / "tests" / "fixtures" / "demo_kpi"
    (fixture / "sample.txt").write_text("Barnet Council\n\nChildren's services performance\n\n"
                                        "Average caseload in March 2024: 16.5\n")
    (fixture / "expected.csv").write_text("file,indicator,period_end,value,unit,breakdown,qualifier,area_code\n"
                                          "sample.txt,sw_caseload_average,2024-03,16.5,cases,,actual,\n")
    after = run(pytest_args, project, site)
    assert after.returncode == 0, after.stdout + after.stderr


def test_scaffold_refuses_bad_requests(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        new_parser("demo", root=tmp_path)
    with pytest.raises(ValueError, match="already registered"):
        new_parser("ofsted", doc_type="ofsted-inspection", root=tmp_path)
    with pytest.raises(LookupError):
        new_parser("demo", authority="Atlantis", root=tmp_path)
    new_parser("demo", doc_type="budget-monitoring", root=tmp_path)
    with pytest.raises(FileExistsError):
        new_parser("demo", doc_type="budget-monitoring", root=tmp_path)
