"""The store and ingest on a real PostgreSQL server (started by .ci/run; URL in SCRUTINY_TEST_PG_URL)."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from scrutiny.store import models as m
from scrutiny.store.db import connect

BASE_URL = os.environ.get("SCRUTINY_TEST_PG_URL")
pytestmark = pytest.mark.skipif(not BASE_URL, reason="no PostgreSQL server: set SCRUTINY_TEST_PG_URL (.ci/run starts one)")
SCRUTINY = Path(sys.executable).with_name("scrutiny")


@pytest.fixture
def pg_url():
    """A fresh database on the test server, dropped afterwards."""
    name = f"scrutiny_{uuid.uuid4().hex[:10]}"
    admin = create_engine(BASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield BASE_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def ingest(url: str, files: list[Path], *extra: str) -> subprocess.Popen:
    return subprocess.Popen([str(SCRUTINY), "ingest", "--db", url, "--workers", "1", *extra, *map(str, files)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def counts(url: str) -> tuple[int, int, int]:
    engine = connect(url)
    with engine.connect() as conn:
        docs = conn.scalar(select(func.count()).select_from(m.Document))
        distinct = conn.scalar(select(func.count(func.distinct(m.Document.sha256))))
        figures = conn.scalar(select(func.count()).select_from(m.Observation))
    engine.dispose()
    return docs, distinct, figures


def test_ingest_is_idempotent_on_postgresql(pg_url, shared):
    seeds = sorted((shared / "corpus" / "seeds").glob("*.txt"))
    first = ingest(pg_url, seeds)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    stored = counts(pg_url)
    assert stored[0] == 5 and stored[2] > 100
    again = ingest(pg_url, seeds)
    assert again.wait(timeout=300) == 0
    assert counts(pg_url) == stored


def test_two_ingests_at_once_store_each_document_once(pg_url, shared):
    seeds = sorted((shared / "corpus" / "seeds").glob("*.txt"))
    one, two = ingest(pg_url, seeds[:4]), ingest(pg_url, seeds[1:])
    assert one.wait(timeout=300) == 0, one.stderr.read()
    assert two.wait(timeout=300) == 0, two.stderr.read()
    docs, distinct, figures = counts(pg_url)
    assert docs == distinct == 5
    alone = ingest(pg_url, seeds, "--force")  # the same files stored afresh give the same figure count
    assert alone.wait(timeout=300) == 0
    assert counts(pg_url) == (5, 5, figures)


def test_an_earlier_versions_database_gets_the_newer_columns(pg_url):
    from scrutiny.store.db import init
    engine = connect(pg_url)
    init(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE observations DROP COLUMN notes"))
    init(engine)
    with engine.connect() as conn:
        columns = {row[0] for row in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'observations'"))}
    engine.dispose()
    assert "notes" in columns
