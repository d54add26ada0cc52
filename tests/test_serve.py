"""`scrutiny serve`: Datasette on the seeded store, its canned queries over HTTP and its page in headless Chromium."""
from __future__ import annotations

import html
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from scrutiny.schemas.vocabulary import load_vocabulary
from scrutiny.serve import chart_url, database_file, metadata
from scrutiny.store import models as m
from scrutiny.store.db import connect
from test_cli import one_error_line
from test_queries import WS_PAPER, run, seeded_url

SCRUTINY = Path(sys.executable).with_name("scrutiny")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
READY_SECONDS = 30


@pytest.fixture(scope="module")
def db(shared, tmp_path_factory) -> str:
    return seeded_url(shared, tmp_path_factory.getbasetemp())


def free_port() -> int:
    """A port nothing listens on at 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(db) -> Iterator[str]:
    """`scrutiny serve` on a free local port: the URL of its database page once it answers; stopped after the test."""
    port = free_port()
    process = subprocess.Popen([str(SCRUTINY), "serve", "--db", db, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"scrutiny serve exited with {process.returncode}: {process.stderr.read()}")
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"scrutiny serve did not answer within {READY_SECONDS} s")
                time.sleep(0.2)
        yield f"{base}/{database_file(connect(db)).stem}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def canned(base: str, query: str, **params: Any) -> list[dict[str, Any]]:
    """A canned query's rows as JSON objects."""
    url = f"{base}/{query}.json?" + urllib.parse.urlencode({**params, "_shape": "array"})
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_canned_queries_are_listed_and_answer_as_json(server, db):
    with urllib.request.urlopen(server, timeout=10) as response:
        page = response.read().decode()
    for title in ("Compare an indicator across authorities", "An indicator over time for one authority",
                  "Where one figure comes from"):
        assert title in page
    assert "<code>sw_vacancy_gap_rate</code>" in page and "latest_observations" in page

    compared = canned(server, "compare_indicator", indicator="sw_caseload_average")
    reported = [row for row in compared if row["source"] == "reported"]
    assert [(r["area_name"], r["value"], r["period_end"]) for r in reported] == [("Plymouth", 18.0, "2024-09-30")]
    assert compared[0]["source"] == "reported" and len(compared) > 100  # then the DfE figures of every area

    series = canned(server, "authority_series", indicator="sw_vacancy_gap_rate", authority="west sussex")
    assert [(r["qualifier"], r["period_end"], r["value"]) for r in series] == [
        ("actual", "2019-02-28", 18.5), ("actual", "2019-05-31", 14.9), ("actual", "2019-06-30", 8.8),
        ("actual", "2019-07-31", 6.9), ("actual", "2019-08-31", 5.2), ("actual", "2019-09-30", 1.8),
        ("forecast", "2020-02-29", -0.1)]
    assert canned(server, "authority_series", indicator="sw_vacancy_gap_rate", authority="938") == series

    [figure] = canned(server, "figure_provenance", id=series[0]["id"])
    with connect(db).connect() as conn:
        stored = conn.execute(text("SELECT page, evidence FROM observations WHERE id = :id"),
                              {"id": figure["id"]}).one()
    assert (figure["document"], figure["area_name"], figure["page"], figure["evidence"]) == \
        (WS_PAPER, "West Sussex", stored.page, stored.evidence)


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_the_home_page_renders_in_headless_chromium(server, tmp_path):
    page = html.unescape(chromium(server.rsplit("/", 1)[0] + "/", tmp_path / "profile", "--dump-dom").stdout)
    title = metadata("seeded")["title"]
    assert f"<title>{title}" in page and f"<h1>{title}</h1>" in page
    assert "observations" in page and "indicators" in page  # the tables are listed


def chromium(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium on ``url``, scripts given a few seconds of virtual time to draw."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--virtual-time-budget=15000", *args, url],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_the_series_and_compare_queries_draw_charts_in_the_page(server, tmp_path):
    base, database = server.rsplit("/", 1)
    queries = metadata(database)["databases"][database]["queries"]
    for name in ("authority_series", "compare_indicator"):
        spec = json.loads(resources.files("scrutiny.schemas").joinpath("datasette.json").read_text())
        chart = spec["database"]["queries"][name]["chart"]
        rows = canned(server, name, **chart["example"])
        assert rows and {chart["x_column"], chart["y_column"], chart["color_column"]} <= set(rows[0])
        url = base + chart_url(database, name, chart)
        assert html.escape(chart_url(database, name, chart)) in queries[name]["description_html"]
        page = chromium(url, tmp_path / "profile", "--dump-dom").stdout
        assert 'class="vega-embed"' in page, f"no chart on {url}"
        canvas = re.search(r'<canvas width="(\d+)" height="(\d+)" class="marks"', page)
        assert canvas and int(canvas[1]) > 100 and int(canvas[2]) > 100, f"no chart drawn on {url}"


def test_metadata_describes_every_column_and_indicator():
    data = metadata("seeded")
    database = data["databases"]["seeded"]
    documented = database["tables"]["observations"]["columns"]
    assert set(documented) == {column.name for column in m.Observation.__table__.columns}
    assert all(f"<code>{ident}</code>" in database["description_html"] for ident in load_vocabulary())
    assert set(database["queries"]) == {"compare_indicator", "authority_series", "figure_provenance",
                                        "inspection_history"}
    assert set(database["tables"]["documents"]["columns"]) <= {column.name for column in m.Document.__table__.columns}


def test_serve_needs_a_sqlite_file():
    assert "SQLite files only" in one_error_line(run("serve", "--db", "sqlite://"))
