"""The code's shape: stages import in one direction, reference data imports no stage, modules stay small."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each top-level folder of the package and the folders it may import from (besides itself).
ALLOWED = {
    "schemas": set(),                                  # reference data: the ground floor
    "extract": {"schemas"},                            # read, classify, parse
    "normalise": {"schemas", "extract"},               # raw figures → observations
    "store": {"schemas", "extract", "normalise"},      # observations → database
    "app": {"schemas", "extract", "normalise", "store"},
}
MAX_LINES = 500


def modules(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def imported_folders(path: Path, folder: str) -> set[str]:
    """The package folders a module imports, resolving relative imports against its place."""
    below = len(path.relative_to(ROOT / folder).parts) - 1 + (folder != "app")  # packages below scrutiny
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.level - 1 < below:
                found.add(folder)
            else:
                found.add(_folder_of((node.module or "").split(".")[0]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found.update(_folder_of(n.split(".")[1]) for n in names if n.startswith("scrutiny."))
    return found


def _folder_of(name: str) -> str:
    """The folder of a name imported from the package root: a stage's folder, else app's own module."""
    return name if name in ALLOWED else "app"


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_stages_import_in_one_direction(folder):
    wrong = {str(p.relative_to(ROOT)): sorted(imported_folders(p, folder) - ALLOWED[folder] - {folder})
             for p in modules(folder)}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_no_module_is_over_the_size_limit():
    long = {str(p.relative_to(ROOT)): n for folder in ALLOWED for p in modules(folder)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_checker_sees_an_import_against_the_direction(tmp_path):
    module = ROOT / "schemas" / "_probe_for_test.py"
    module.write_text("from ..store import models\n")
    try:
        assert imported_folders(module, "schemas") == {"store"}
    finally:
        module.unlink()
