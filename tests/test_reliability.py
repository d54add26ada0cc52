"""Nothing lost, nothing left running: workers that die, signals, re-parses that fail, locks and
read-only databases, all through the real command on real SQLite files and files made here."""
from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from conftest import make_pdf, text_stream

from scrutiny.ingest import run
from scrutiny.manifest import Manifest
from scrutiny.store.db import connect, init
from scrutiny.store.load import RunCounts, start_run

SCRUTINY = Path(sys.executable).with_name("scrutiny")
SENTENCE = "In {month} 2019 the average caseload of social workers was {value} cases per worker."
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September")


def scrutiny(*args: str, **options) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRUTINY), *args], capture_output=True, text=True, timeout=300, **options)


def stored(url: str) -> tuple[int, int]:
    """(documents stored ok, observations) in a database file."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        docs = conn.execute("select count(*) from documents where status = 'ok'").fetchone()[0]
        figures = conn.execute("select count(*) from observations").fetchone()[0]
    return docs, figures


def report_text(n: int, lines: int = 40) -> str:
    """A small committee paper of distinct caseload sentences; ``n`` makes its content unique."""
    body = [SENTENCE.format(month=MONTHS[i % len(MONTHS)], value=f"{10 + (n * 7 + i) % 15}.{i % 10}")
            for i in range(lines)]
    return f"Children's services performance report {n}\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> Path:
    """Thirty distinct text reports, and the counts one clean ingest of them stores."""
    folder = tmp_path_factory.mktemp("thirty")
    for n in range(30):
        (folder / f"paper_{n:02}.txt").write_text(report_text(n, lines=30), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def clean_counts(thirty: Path, tmp_path_factory) -> tuple[int, int]:
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.sqlite'}"
    done = scrutiny("ingest", "--db", url, "--workers", "2", str(thirty))
    assert done.returncode == 0, done.stderr
    counts = stored(url)
    assert counts[0] == 30 and counts[1] > 30
    return counts


def children(pid: int) -> list[int]:
    """Direct children of a process, from /proc."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def stored_so_far(url: str) -> int:
    try:
        return stored(url)[0]
    except sqlite3.Error:
        return 0


def test_a_killed_worker_costs_only_its_document(thirty: Path, clean_counts, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    proc = subprocess.Popen([str(SCRUTINY), "ingest", "--db", url, "--workers", "2", str(thirty)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    busy = []

    def a_busy_worker() -> bool:  # workers are the forkserver's children: the main process's grandchildren
        busy[:] = [w for c in children(proc.pid) for w in children(c) if state(w) == "R"]
        return stored_so_far(url) >= 2 and bool(busy)

    assert wait_for(a_busy_worker, 120), "no worker was ever busy"
    os.kill(busy[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    killed = [line for line in err.splitlines() if "worker killed by signal 9" in line]
    assert len(killed) == 1 and "paper_" in killed[0], err
    assert stored(url)[0] == 29
    listed = scrutiny("failures", "--db", url, env={**os.environ, "COLUMNS": "300"})
    assert "worker killed by signal 9" in listed.stdout
    again = scrutiny("ingest", "--db", url, "--workers", "2", str(thirty))
    assert again.returncode == 0, again.stderr
    assert stored(url) == clean_counts


def test_sigterm_stops_the_batch_and_every_child(thirty: Path, clean_counts, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    proc = subprocess.Popen([str(SCRUTINY), "ingest", "--db", url, "--workers", "2", str(thirty)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert wait_for(lambda: stored_so_far(url) >= 2 and len(children(proc.pid)) >= 2, 120)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=10)
    assert wait_for(lambda: not group_alive(proc.pid), 10), "a child of the ingest outlived it"
    assert proc.returncode == 128 + signal.SIGTERM
    lines = [line for line in err.splitlines() if line.strip()]
    assert len([line for line in lines if "interrupted" in line]) == 1 and "SIGTERM" in err
    assert 2 <= stored(url)[0] < 30
    runs = scrutiny("runs", "--db", url, env={**os.environ, "COLUMNS": "300"})
    assert "interrupted" in runs.stdout
    again = scrutiny("ingest", "--db", url, "--workers", "2", str(thirty))
    assert again.returncode == 0, again.stderr
    assert stored(url) == clean_counts


def test_workers_exit_when_the_ingest_is_killed_outright(thirty: Path, tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    proc = subprocess.Popen([str(SCRUTINY), "ingest", "--db", url, "--workers", "2", str(thirty)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    assert wait_for(lambda: stored_so_far(url) >= 1 and len(children(proc.pid)) >= 2, 120)
    proc.kill()
    proc.wait()
    assert wait_for(lambda: not group_alive(proc.pid), 10), "workers, forkserver or tracker outlived kill -9"


def ingest_here(url: str, paths: list[Path]) -> RunCounts:
    """Ingest in this process (no worker start-up), as the library does."""
    engine = connect(url)
    init(engine)
    counts = run(engine, paths, Manifest({}), start_run(engine, []), counts=RunCounts())
    engine.dispose()
    return counts


def test_a_failed_reparse_keeps_the_stored_figures(tmp_path: Path):
    paper = tmp_path / "long_paper.txt"  # long enough that reading it takes well over a second
    paper.write_text("\n\n".join(report_text(n, lines=50) for n in range(20)), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert ingest_here(url, [paper]).stored == 1
    before = stored(url)
    assert before[1] > 0
    again = scrutiny("ingest", "--db", url, "--workers", "1", "--force", "--timeout", "1", str(paper),
                     env={**os.environ, "COLUMNS": "300"})
    assert again.returncode == 1 and "long_paper.txt: took longer than the time limit" in again.stderr
    assert stored(url) == before
    listed = scrutiny("failures", "--db", url, env={**os.environ, "COLUMNS": "300"})
    assert "long_paper.txt" in listed.stdout and "time limit" in listed.stdout


def pdf(content: bytes, compressed: bool = False) -> bytes:
    """A one-page PDF drawing ``content``, its stream zlib-compressed when asked (the offsets of the
    cross-reference table are then off, which readers repair)."""
    plain = make_pdf([b"PLACEHOLDER"])
    if not compressed:
        return make_pdf([content])
    stream = zlib.compress(content, 9)
    return plain.replace(b"<< /Length 11 >>\nstream\nPLACEHOLDER",
                         b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream)


def text_ops(lines: list[str]) -> bytes:
    return text_stream([(72, 60 + 14 * i, line) for i, line in enumerate(lines)])


def test_a_decompression_bomb_fails_as_too_large_under_the_cap(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    inflater_food = text_ops(["Caseloads were 18.4 in March 2019."]) + b"\n" + b" " * (300 << 20)
    (folder / "bomb.pdf").write_bytes(pdf(inflater_food, compressed=True))
    (folder / "fine.txt").write_text(report_text(1), encoding="utf-8")
    assert (folder / "bomb.pdf").stat().st_size < 2 << 20
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    done = scrutiny("ingest", "--db", url, "--workers", "1", "--max-memory", "1024", str(folder),
                    env={**os.environ, "COLUMNS": "200"})
    assert done.returncode == 1
    assert re.search(r"bomb\.pdf: too large", done.stderr), done.stderr
    assert stored(url)[0] == 1
    peak = int(re.search(r"peak worker RSS \(MB\)\s+(\d+)", done.stdout).group(1))
    assert peak < 1024


ESCAPES = "evil\x1b]0;owned\x07\x1b[2J.txt"  # a name that would retitle and clear a terminal


def bound_by_file_modes() -> list[str]:
    """A command prefix under which file modes bind, root included: root loses the capabilities
    that let it read and write any file. None needed when not root."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be made to bind")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def hostile_batch(folder: Path) -> dict[str, str | None]:
    """Files no reader should store as a report with figures, each with the reason it should fail
    for; None for the ones that are reports, read by their content."""
    cookie = ("<!doctype html><html><body><p>Skip to main content</p><p>Tell us whether you accept cookies."
              " We use cookies to collect information about how you use this website.</p>"
              "<p>Page not found</p><p>Sorry, the document you requested no longer exists.</p></body></html>")
    (folder / "cookie_page.pdf").write_text(cookie, encoding="utf-8")
    report = f"<!doctype html><html><body><h1>Performance report</h1><p>{SENTENCE.format(month='May', value='17.2')}</p></body></html>"
    (folder / "report_page.pdf").write_text(report, encoding="utf-8")
    good = pdf(text_ops([SENTENCE.format(month="June", value="16.5")[:70], "Children's services"] * 20))
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 2])
    (folder / "header_only.pdf").write_bytes(good[:400])
    raw = " ".join(f"BT /F2 12 Tf 1 0 0 1 {340.99 + i} 700 Tm (18.{i}) Tj ET" for i in range(12))
    (folder / "operators.pdf").write_bytes(pdf(text_ops([raw[k:k + 90] for k in range(0, len(raw), 90)])))
    (folder / "wide.txt").write_bytes(("\ufeff" + report_text(2)).encode("utf-16-le"))
    (folder / "one_line.txt").write_text(SENTENCE.format(month="July", value="18.1") * (50_000_000 // 90 + 1))
    tiny = "\n".join(f"BT /F1 2 Tf 1 0 0 1 {20 + (i % 250) * 2.2:.1f} {830 - (i // 250) * 2.0:.1f} Tm ({i % 10}) Tj ET"
                     for i in range(100_000))
    (folder / "confetti.pdf").write_bytes(pdf(tiny.encode("latin-1")))
    os.mkfifo(folder / "pipe.txt")
    (folder / "locked.txt").write_text(report_text(3), encoding="utf-8")
    (folder / "locked.txt").chmod(0)
    (folder / ESCAPES).write_bytes(b"")
    return {ESCAPES: "empty file", "locked.txt": "Permission denied", "cookie_page.pdf": "not a report", "report_page.pdf": None, "truncated.pdf": "corrupt PDF",
            "header_only.pdf": "corrupt PDF", "operators.pdf": "not a report", "wide.txt": None,
            "one_line.txt": "too large", "confetti.pdf": "no text", "pipe.txt": "not a regular file",
            "missing.txt": "file not found"}


def test_hostile_files_each_fail_in_one_line_and_the_batch_goes_on(tmp_path: Path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    expected = hostile_batch(folder)
    url = f"sqlite:///{folder / 'h.sqlite'}"
    started = time.monotonic()
    done = subprocess.run([*bound_by_file_modes(), str(SCRUTINY), "ingest", "--db", url, "--workers", "2", "--timeout", "120",
                           *(str(folder / name) for name in expected)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "300"})
    elapsed = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "\x1b" not in done.stderr + done.stdout and "\x07" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    for name, reason in expected.items():
        shown = name.encode("unicode_escape").decode("ascii")
        about = [line for line in lines if f"{shown}:" in line]
        if reason is None:
            assert not about or all("warning" in line for line in about), about
        else:
            assert len(about) == 1 and reason in about[0], (name, about)
    assert any("report_page.pdf: warning: HTML page named .pdf: read by its content" in line for line in lines)
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        ok = {Path(path).name: figures for path, figures in conn.execute(
            "select d.path, count(o.id) from documents d left join observations o on o.document_id = d.id"
            " where d.status = 'ok' group by d.id")}
    assert set(ok) == {name for name, reason in expected.items() if reason is None}
    assert all(figures > 0 for figures in ok.values())
    assert elapsed < 120


def test_a_mistyped_database_is_one_line_and_nothing_is_created(tmp_path: Path):
    for command in (["runs"], ["export"]):
        done = scrutiny(*command, "--db", "sqlite:///missing/typo.sqlite", cwd=tmp_path)
        assert done.returncode != 0
        assert done.stderr.strip().splitlines() == ["error: no database at missing/typo.sqlite "
                                                    "(check --db; read commands never create one)"]
    assert list(tmp_path.iterdir()) == []


def read_only_mount(folder: Path) -> list[str] | None:
    """A command prefix running under a read-only bind mount of ``folder`` (even root cannot write
    there), or None when mounts cannot be made here."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return None
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount --bind -o ro '{folder}' '{folder}'"],
                           capture_output=True)
    return ["unshare", "-m", "sh", "-c", f"mount --bind -o ro '{folder}' '{folder}' && exec \"$@\"", "sh"] \
        if probe.returncode == 0 else None


def test_read_commands_work_on_a_read_only_database(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    paper = tmp_path / "paper.txt"
    paper.write_text(report_text(5), encoding="utf-8")
    db = folder / "store.sqlite"
    assert ingest_here(f"sqlite:///{db}", [paper]).stored == 1
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    prefix = read_only_mount(folder)
    if prefix is None:  # no mounts here: a file and folder whose modes forbid writing, and bind
        db.chmod(0o444)
        folder.chmod(0o555)
        prefix = bound_by_file_modes()
    write = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
    assert write.returncode != 0, "the folder can be written"
    env = {**os.environ, "COLUMNS": "300"}
    for command in (["runs"], ["export", "--include-review"], ["show", "paper"]):
        done = subprocess.run([*prefix, str(SCRUTINY), *command, "--db", f"sqlite:///{db}"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, (command, done.stderr)
        assert "paper" in done.stdout or command == ["runs"], (command, done.stdout)
    folder.chmod(0o755)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_writer_holding_the_lock_for_seconds_does_not_abort_the_batch(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    engine = connect(url)
    init(engine)
    papers = []
    for n in range(2):
        papers.append(tmp_path / f"p{n}.txt")
        papers[-1].write_text(report_text(n), encoding="utf-8")
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        release.wait(7)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait()
    started = time.monotonic()
    counts = run(engine, papers, Manifest({}), start_run(engine, []), counts=RunCounts())
    holder.join()
    assert time.monotonic() - started >= 6.5, "the lock was never waited for"
    assert (counts.stored, counts.failed) == (2, 0)
