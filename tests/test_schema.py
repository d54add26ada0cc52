"""The database schema on real SQLite files: an earlier version's database is brought up to date."""
from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import inspect, select, text

from scrutiny.extract.model import Document, Page
from scrutiny.extract.observation import Context, Observation
from scrutiny.normalise.observations import Result
from scrutiny.store import models as m
from scrutiny.store.db import connect, init, session
from scrutiny.store.load import store_result


def noted_result() -> Result:
    doc = Document(path="/corpus/noted.pdf", sha256=hashlib.sha256(b"noted").hexdigest(), kind="pdf", pages=[Page(1)])
    fig = Observation("cin_count", 512.0, "count", date(2024, 4, 1), date(2025, 3, 31), "512 children in need", 1,
                      parser="generic", parser_version="1", notes=["period from the paragraph", "owner assumed"])
    return Result(doc, Context(authority_code="E08000031"), [fig])


def test_a_database_missing_a_newer_column_gets_it_and_keeps_its_rows(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'old.sqlite'}")
    init(engine)
    store_result(engine, noted_result(), None)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE observations DROP COLUMN notes"))  # as an earlier version made it
    assert "notes" not in {c["name"] for c in inspect(engine).get_columns("observations")}
    init(engine)
    with session(engine) as s:
        rows = s.scalars(select(m.Observation)).all()
    assert [(r.value, r.notes) for r in rows] == [(512.0, "")]


def test_a_parsers_notes_are_stored_with_its_figure(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'notes.sqlite'}")
    init(engine)
    store_result(engine, noted_result(), None)
    with session(engine) as s:
        assert s.scalar(select(m.Observation.notes)) == "period from the paragraph; owner assumed"
