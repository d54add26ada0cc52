"""Where an export goes: a file written whole or not at all, an existing one only when asked, never the database."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_SIDE_FILES = ("", "-wal", "-shm", "-journal")  # SQLite's file and the ones beside it


class TargetError(ValueError):
    """The export would overwrite something it must not."""


def check_target(target: Path, force: bool, database: Path | None) -> None:
    """TargetError when ``target`` is the database (or one of its side files), a folder, in no
    folder, or an existing file without ``force``."""
    if database is not None and _is_database(target, database):
        raise TargetError(f"{target} is the database being exported; write the export to another file")
    if target.is_dir():
        raise TargetError(f"{target} is a folder; give a file name")
    if not target.parent.is_dir():
        raise TargetError(f"{target.parent} is not a folder")
    if target.exists() and not force:
        raise TargetError(f"{target} exists; give --force to replace it")


def _is_database(target: Path, database: Path) -> bool:
    for suffix in DATABASE_SIDE_FILES:
        side = database.with_name(database.name + suffix)
        if target.resolve() == side.resolve() or (target.exists() and side.exists() and target.samefile(side)):
            return True
    return False


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` to write; it becomes ``target`` only if the block succeeds."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    part = Path(name)
    try:
        umask = os.umask(0)
        os.umask(umask)
        part.chmod(0o666 & ~umask)  # the permissions an ordinary new file gets, not mkstemp's 0600
        yield part
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
