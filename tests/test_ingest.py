"""Batch ingest: interrupted batches finish on a re-run with exact counts, and files that
vanish mid-batch are reported while the batch goes on."""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from scrutiny.ingest import run
from scrutiny.manifest import Manifest
from scrutiny.store import models as m
from scrutiny.store.db import connect, init
from scrutiny.store.load import RunCounts, start_run

SCRUTINY = Path(sys.executable).with_name("scrutiny")


def counts(url: str) -> tuple[int, int]:
    engine = connect(url)
    with engine.connect() as conn:
        docs = conn.scalar(select(func.count()).select_from(m.Document).where(m.Document.status == "ok"))
        figures = conn.scalar(select(func.count()).select_from(m.Observation))
    engine.dispose()
    return docs, figures


def stored_so_far(url: str) -> int:
    """Documents stored by a running ingest, 0 while it is still creating the tables."""
    try:
        return counts(url)[0]
    except OperationalError:
        return 0


@pytest.fixture
def batch(shared: Path, tmp_path: Path) -> Path:
    """The seed papers, in every format, copied into a folder of their own."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in sorted((shared / "corpus" / "seeds").iterdir()):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT])
def test_a_stopped_batch_finishes_on_a_rerun_with_exact_counts(batch: Path, tmp_path: Path, stop):
    whole = f"sqlite:///{tmp_path / 'whole.sqlite'}"
    subprocess.run([str(SCRUTINY), "ingest", "--db", whole, "--workers", "1", str(batch)], check=True,
                   capture_output=True)
    expected = counts(whole)
    assert expected[0] == len(list(batch.iterdir())), "every seed file is a readable report"
    url = f"sqlite:///{tmp_path / 'stopped.sqlite'}"
    proc = subprocess.Popen([str(SCRUTINY), "ingest", "--db", url, "--workers", "1", str(batch)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if stored_so_far(url) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(stop)
    proc.wait(timeout=60)
    docs, _ = counts(url)
    assert 2 <= docs < expected[0], "the batch was not stopped part-way"
    again = subprocess.run([str(SCRUTINY), "ingest", "--db", url, "--workers", "1", str(batch)],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert counts(url) == expected


def test_a_file_that_vanishes_mid_batch_is_reported_and_the_batch_goes_on(batch: Path, tmp_path: Path):
    files = sorted(batch.glob("*.txt"))
    engine = connect(f"sqlite:///{tmp_path / 'v.sqlite'}")
    init(engine)
    seen = []

    def report(outcome, _rss):
        seen.append(outcome)
        if len(seen) == 1:
            files[3].unlink()  # hashed already, gone before it is read

    counts_ = RunCounts()
    run(engine, files, Manifest({}), start_run(engine, []), counts=counts_, report=report)
    assert (counts_.stored, counts_.failed) == (4, 1)
    failed = [o for o in seen if o.status == "failed"]
    assert failed[0].path == files[3] and failed[0].reason == "file not found"


def test_the_same_content_under_two_names_is_one_document(batch: Path, tmp_path: Path):
    paper = sorted(batch.glob("*.txt"))[0]
    copy = tmp_path / "renamed copy.txt"
    shutil.copy(paper, copy)
    engine = connect(f"sqlite:///{tmp_path / 'd.sqlite'}")
    init(engine)
    seen = []
    done = run(engine, [paper, copy], Manifest({}), start_run(engine, []), counts=RunCounts(),
               report=lambda outcome, _rss: seen.append(outcome))
    assert (done.seen, done.stored, done.duplicates) == (1, 1, 1)
    assert [(o.path, o.status) for o in seen] == [(copy, "duplicate"), (paper, "stored")]
    assert seen[0].reason == f"same content as {paper}"
