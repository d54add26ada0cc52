"""Start-up and throughput benchmark, every figure measured in this one run.

    python bench/bench.py [--startup] [PDF_FOLDER]   (default ../shared/corpus/ofsted)

Prints first the start-up timings, each the median of five runs as a command: ``scrutiny --help``,
a query command (``scrutiny runs``) and an unchanged re-ingest of the five seed PDFs
(../shared/corpus/seeds); ``--startup`` stops there. Then: raw pdfplumber ``extract_text`` pages/s over the same pages; scrutiny's
pipeline pages/s with 1 worker and with every core (ingest runs timed in this process,
into fresh SQLite files), and ``scrutiny ingest --workers 1`` as a whole command; the time to re-ingest the unchanged set (and the same as a
command); peak RSS of the largest worker; and the ratios the issue asks for.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "ofsted"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
RUNS = 5
SCRUTINY = Path(sys.executable).with_name("scrutiny")


def raw_pdfplumber(files: list[Path]) -> tuple[int, float]:
    """Pages and seconds for pdfplumber's extract_text over every page of the readable files."""
    pages, start = 0, time.perf_counter()
    for path in files:
        try:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
                    pages += 1
        except Exception:  # the HTML page saved as .pdf, for instance
            continue
    return pages, time.perf_counter() - start


def ingest(url: str, files: list[Path], workers: int) -> tuple[float, float]:
    """Seconds for one ingest run in this process (engine set-up included, interpreter
    start-up not), and the largest worker's peak RSS in MB."""
    from scrutiny.ingest import run
    from scrutiny.manifest import Manifest
    from scrutiny.store.db import connect, init
    from scrutiny.store.load import RunCounts, start_run

    peak = 0.0

    def report(_outcome, rss: float) -> None:
        nonlocal peak
        peak = max(peak, rss)

    start = time.perf_counter()
    engine = connect(url)
    init(engine)
    counts = RunCounts()
    run(engine, files, Manifest({}), start_run(engine, []), counts=counts, workers=workers, report=report)
    engine.dispose()
    return time.perf_counter() - start, peak


def command_seconds(url: str, files: list[Path], *options: str) -> float:
    """Wall-clock seconds of ``scrutiny ingest`` as a command (interpreter start-up included)."""
    start = time.perf_counter()
    done = subprocess.run([str(SCRUTINY), "ingest", "--db", url, *options, *map(str, files)], capture_output=True)
    if done.returncode not in (0, 1):  # 1: some file failed, which the run records by name
        sys.exit(f"ingest ended with {done.returncode}: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def median_seconds(args: list[str]) -> float:
    """Median wall-clock seconds of ``RUNS`` runs of ``scrutiny ARGS``."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([str(SCRUTINY), *args], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup() -> None:
    """Print the start-up timings: help, a query command, an unchanged re-ingest of the seed PDFs."""
    seeds = sorted(SEEDS.glob("*.pdf"))
    if not seeds:
        sys.exit(f"no PDFs in {SEEDS}")
    print(f"start-up (median of {RUNS} runs as a command, interpreter start-up included):")
    line = "  {:<32}{:6.2f} s".format
    print(line("scrutiny --help:", median_seconds(["--help"])))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/seeds.sqlite"
        subprocess.run([str(SCRUTINY), "ingest", "--db", url, *map(str, seeds)], capture_output=True, check=True)
        print(line("scrutiny runs:", median_seconds(["runs", "--db", url])))
        again = median_seconds(["ingest", "--db", url, *map(str, seeds)])
        print(line(f"re-ingest of {len(seeds)} unchanged PDFs:", again))


def main(argv: list[str]) -> None:
    startup()
    if "--startup" in argv:
        return
    argv = [arg for arg in argv if arg != "--startup"]
    folder = Path(argv[0]) if argv else DEFAULT
    files = sorted(folder.glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {folder}")
    cores = os.cpu_count() or 1
    pages, seconds = raw_pdfplumber(files)
    raw_rate = pages / seconds
    with tempfile.TemporaryDirectory() as tmp:
        one, rss_one = ingest(f"sqlite:///{tmp}/one.sqlite", files, 1)
        one_command = command_seconds(f"sqlite:///{tmp}/one-command.sqlite", files, "--workers", "1")
        many, rss_many = ingest(f"sqlite:///{tmp}/many.sqlite", files, cores)
        again, _ = ingest(f"sqlite:///{tmp}/many.sqlite", files, cores)
        again_command = command_seconds(f"sqlite:///{tmp}/many.sqlite", files)
    rss = max(rss_one, rss_many)
    print(f"machine: {cores} cores, Python {sys.version.split()[0]}, {len(files)} PDFs, {pages} pages")
    print(f"raw pdfplumber extract_text: {raw_rate:6.1f} pages/s ({seconds:.1f} s)")
    print(f"pipeline, 1 worker:          {pages / one:6.1f} pages/s ({one:.1f} s)  = {pages / one / raw_rate:.1f}x raw")
    print(f"ingest --workers 1, command: {pages / one_command:6.1f} pages/s ({one_command:.1f} s)  = "
          f"{pages / one_command / raw_rate:.1f}x raw (interpreter start-up included)")
    print(f"pipeline, {cores} workers:         {pages / many:6.1f} pages/s ({many:.1f} s)  = {one / many:.2f}x one worker")
    print(f"re-ingest unchanged set:     {again:6.2f} s  = {many / again:.0f}x faster than the first ingest "
          f"({again_command:.2f} s as a command, interpreter start-up included)")
    print(f"peak RSS of a worker:        {rss:6.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
