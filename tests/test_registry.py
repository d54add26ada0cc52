"""Parser versions for the unchanged-document check: read from the cache only while the parser files are unchanged."""
from __future__ import annotations

import json

from scrutiny.extract import registry


def test_versions_come_from_the_cache_only_while_the_parser_files_are_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    real = {name: cls.version for name, cls in registry.available().items()}
    assert registry.versions() == real
    cache = tmp_path / "scrutiny" / "parsers.json"
    stored = json.loads(cache.read_text())
    cache.write_text(json.dumps({**stored, "versions": {"generic": "9.9.9"}}))
    assert registry.versions() == {"generic": "9.9.9"}  # same files: the cache answers, no import needed
    stored["key"][0][2] += 1  # as if a parser module had been edited since
    cache.write_text(json.dumps({**stored, "versions": {"generic": "9.9.9"}}))
    assert registry.versions() == real


def test_an_unwritable_cache_still_gives_the_versions(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder should be
    assert registry.versions() == {name: cls.version for name, cls in registry.available().items()}
