"""Open a database (for writing, or read-only), create its tables and seed the register and the vocabulary.

SQLite waits for another writer's lock rather than failing: each statement waits LOCK_WAIT
seconds, and ``retry_locked`` runs a whole transaction again while the lock stays held.
"""
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, select, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from ..schemas.authorities import load_register
from ..schemas.vocabulary import load_vocabulary
from . import DEFAULT_URL
from .models import Authority, Base, Indicator
from .views import create_views

LOCK_WAIT = 30.0  # seconds a SQLite statement waits for another writer's lock
LOCK_PATIENCE = 600.0  # seconds a transaction is retried while the lock stays held
T = TypeVar("T")


class StoreError(Exception):
    """The database cannot be used (bad URL, missing driver)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and let readers work while a writer commits."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def connect(url: str = DEFAULT_URL) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite gets WAL, foreign keys and a patient lock wait."""
    try:
        backend = make_url(url).get_backend_name()
        engine = create_engine(url, **({"connect_args": {"timeout": LOCK_WAIT}} if backend == "sqlite" else {}))
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise StoreError(f"cannot use database URL {url!r}: {err}") from err
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other databases and in-memory SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(f"cannot use database URL {url!r}: {err}") from err
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def connect_read_only(url: str = DEFAULT_URL) -> Engine:
    """An engine that reads an existing database and can write nothing.

    A SQLite file must exist (StoreError otherwise: nothing is created) and is opened with
    ``mode=ro``; in a folder nobody can write (a read-only mount), no writer can be at work,
    so it is opened ``immutable``, which needs no lock files. Other databases connect as usual.
    """
    path = sqlite_file(url)
    if path is None:
        return connect(url)
    if not path.is_file():
        raise StoreError(f"no database at {path} (check --db; read commands never create one)")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
        uri += "&immutable=1"
    return create_engine(url, creator=lambda: sqlite3.connect(uri, uri=True, timeout=LOCK_WAIT,
                                                               check_same_thread=False))


def open_store(url: str, write: bool) -> Engine:
    """An engine to write (tables created, register and vocabulary seeded when needed) or to read
    (a SQLite file read-only, and only if it exists)."""
    if not write and sqlite_file(url) is not None:
        return connect_read_only(url)
    engine = connect(url)
    init(engine)
    return engine


def locked(err: OperationalError) -> bool:
    """Whether a database error is another writer holding the lock."""
    return any(word in str(err.orig).lower() for word in ("database is locked", "database is busy"))


def retry_locked(work: Callable[[], T], patience: float = LOCK_PATIENCE) -> T:
    """``work()`` (one transaction), run again after a pause while another writer holds the lock;
    StoreError once it has been held for ``patience`` seconds."""
    deadline, pause = time.monotonic() + patience, 0.25
    while True:
        try:
            return work()
        except OperationalError as err:
            if not locked(err):
                raise
            if time.monotonic() > deadline:
                raise StoreError(f"the database stayed locked by another writer for over {patience:.0f} s") from err
        time.sleep(pause)
        pause = min(pause * 2, 5.0)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with Session(engine, expire_on_commit=False) as s, s.begin():
        yield s


INIT_LOCK = 0x5C2071  # PostgreSQL advisory lock: two ingests starting at once set up the schema one at a time


def init(engine: Engine) -> None:
    """Create missing tables and bring areas and indicators in line with the shipped register and vocabulary."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INIT_LOCK})
        Base.metadata.create_all(conn)
        _add_missing_columns(conn)
        create_views(conn)
        with Session(bind=conn) as s:
            _sync(s, Authority, "code", [_authority_row(a) for a in load_register().areas])
            _sync(s, Indicator, "id", [_indicator_row(i) for i in load_vocabulary().values()])
            s.flush()


def _add_missing_columns(conn: Connection) -> None:
    """Bring a database made by an earlier version up to the models: columns added since
    are added (empty or with their default); nothing is dropped or rewritten."""
    inspector = inspect(conn)
    for table in Base.metadata.sorted_tables:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in present:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            default = column.default.arg if column.default is not None and column.default.is_scalar else None
            fill = f" DEFAULT {_literal(default)}" if default is not None else ""
            conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{fill}'))


def _literal(value: Any) -> str:
    return str(value) if isinstance(value, (int, float)) else "'" + str(value).replace("'", "''") + "'"


def _authority_row(area: Any) -> dict[str, Any]:
    return {"code": area.code, "dfe_code": area.dfe_code, "name": area.name,
            "kind": area.kind, "region_code": area.region_code}


def _indicator_row(ind: Any) -> dict[str, Any]:
    return {"id": ind.id, "label": ind.label, "unit": ind.unit, "group": ind.group,
            "definition": ind.definition, "source": ind.source}


def _sync(s: Session, model: type[Base], key: str, rows: list[dict[str, Any]]) -> None:
    """Insert missing rows and update changed ones; the ORM writes nothing when all agree."""
    existing = {getattr(obj, key): obj for obj in s.scalars(select(model))}
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            s.add(model(**row))
            continue
        for name, value in row.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
