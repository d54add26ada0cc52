"""The command line on real SQLite files: help everywhere, one-line errors, and each command's output."""
from __future__ import annotations

import csv
import io
import json

import pytest
import typer
from typer.testing import CliRunner

from sqlalchemy import func, select

from scrutiny.cli import app
from scrutiny.store import models as m
from scrutiny.store.db import connect, init, session
from scrutiny.store.load import store_result
from scrutiny.store.queries import EXPORT_COLUMNS, review_queue, runs, show
from test_store import caseloads, wolverhampton

runner = CliRunner(env={"COLUMNS": "250"})


def commands(group, path=()) -> list[tuple[str, ...]]:
    """Every command path registered under ``group``, nested groups included."""
    found = []
    for name, command in group.commands.items():
        found.append((*path, name))
        found += commands(command, (*path, name)) if hasattr(command, "commands") else []
    return found


ALL = commands(typer.main.get_command(app))


@pytest.fixture
def db(tmp_path) -> str:
    """A database URL holding three stored papers."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = connect(url)
    init(engine)
    for item in [wolverhampton(), *caseloads()]:
        store_result(engine, item, None)
    return url


def run(*args: str):
    return runner.invoke(app, list(args))


def one_error_line(result) -> str:
    """The single stderr line of a failed command."""
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def test_all_expected_commands_are_registered():
    assert {path[0] for path in ALL} >= {"ingest", "export", "compare", "show", "indicators", "authorities",
                                         "runs", "failures", "review", "evaluate"}


@pytest.mark.parametrize("path", ALL, ids="-".join)
def test_every_command_answers_help_and_documents_its_parameters(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert command.help, f"{' '.join(path)} has no help text"
    undocumented = [p.name for p in command.params if not getattr(p, "help", None) and p.name != "help"]
    assert not undocumented, f"{' '.join(path)}: parameters without help: {undocumented}"


def test_no_command_prints_the_help():
    result = run()
    assert result.exit_code == 0 and "ingest" in result.output


@pytest.mark.parametrize("url", ["nonsense", "nosuchdialect://x", "sqlite:////no/such/folder/x.sqlite"])
def test_a_bad_db_url_is_one_clean_error_line(url):
    line = one_error_line(run("export", "--db", url))
    assert "nonsense" in line or "nosuchdialect" in line or "no database at" in line


def test_usage_errors_are_one_line():
    assert "indicator" in one_error_line(run("compare")).lower()
    assert "--format" in one_error_line(run("export", "--format", "xml"))


def test_export_csv_to_stdout_and_json_to_a_file(db, tmp_path):
    result = run("export", "--db", db, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert {"document": "000_878a8a15beb185f7.pdf", "indicator": "cin_count", "value": "821",
            "period_end": "2019-03-31"}.items() <= next(r for r in rows if r["value"] == "821").items()

    out = tmp_path / "export.json"
    assert run("export", "--db", db, "--format", "json", "--out", str(out), "--include-review").exit_code == 0
    data = json.loads(out.read_text())
    assert len(data) == len(rows) + 1 and data[0]["period_end"][4] == "-"


def test_compare_prints_actuals_and_targets_separately(db):
    result = run("compare", "sw_caseload_average", "--db", db)
    assert result.exit_code == 0, result.output
    actuals, targets = result.stdout.split("targets")
    assert "Plymouth" in actuals and "18 cases" in actuals and "2024-09" in actuals
    assert "16" not in actuals and "West Sussex" not in actuals
    assert "West Sussex" in targets and "experienced" in targets


def test_compare_for_a_month_and_the_errors(db):
    result = run("compare", "sw_caseload_average", "--db", db, "--period", "2024-07")
    assert result.exit_code == 0 and "18.4" in result.stdout
    assert "sw_caseload_average" in one_error_line(run("compare", "sw_caseload", "--db", db))
    assert "YYYY-MM" in one_error_line(run("compare", "sw_caseload_average", "--db", db, "--period", "July"))


def test_show_prints_metadata_and_evidence(db):
    result = run("show", "000_878a8a15beb185f7", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Wolverhampton" in result.stdout and "2019-06-20" in result.stdout
    assert "[approx.]" in result.stdout  # evidence is text, not rich markup
    assert "no stored document" in one_error_line(run("show", "absent.pdf", "--db", db))


def test_review_lists_accepts_and_rejects(db, tmp_path):
    listed = run("review", "--db", db)
    assert listed.exit_code == 0 and "caseloads of around 17" in listed.stdout
    [obs] = review_queue(connect(db))
    assert obs.notes and obs.notes in " ".join(listed.stdout.split())  # each figure says why it waits
    assert obs.notes in run("review", "--db", db, "--format", "csv").stdout
    result = run("review", "accept", str(obs.id), "--db", db)
    assert result.exit_code == 0 and "accepted" in result.stdout
    assert review_queue(connect(db)) == []
    assert "no observation" in one_error_line(run("review", "reject", "999999", "--db", db))
    assert one_error_line(run("review", "accept", "--db", db))


def test_indicators_and_authorities(db):
    assert "sw_caseload_average" in run("indicators").stdout
    result = run("authorities", "--region", "South West")
    assert result.exit_code == 0 and "Plymouth" in result.stdout and "Wolverhampton" not in result.stdout
    assert "south west" in one_error_line(run("authorities", "--region", "Sout West"))


def test_evaluate_scores_the_store_against_a_gold_file(db, tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "document,authority_code,indicator,period_end,value,unit,breakdown,qualifier,tolerance_months,evidence\n"
        "000_878a8a15beb185f7,E08000031,cin_count,2019-03,821,count,,actual,0,e\n"
        "000_878a8a15beb185f7,E08000031,cpp_count,2018-03,379,count,,actual,0,e\n")
    result = run("evaluate", "--gold", str(gold), "--db", db, "--docs-suffix", ".pdf")
    assert result.exit_code == 0, result.output
    assert "Misses (1)" in result.stdout and "379" in result.stdout
    assert "0.5" in result.stdout  # recall: one of two gold rows found
    assert one_error_line(run("evaluate", "--gold", str(tmp_path / "absent.csv"), "--db", db))


def test_runs_and_failures_without_runs(db):
    assert run("runs", "--db", db).exit_code == 0
    result = run("failures", "--db", db)
    assert result.exit_code == 0 and "no ingest runs yet" in result.stdout
    assert "no ingest run 7" in one_error_line(run("failures", "7", "--db", db))


def store_count(url: str) -> tuple[int, int]:
    """(documents stored ok, observations) in a database."""
    with session(connect(url)) as s:
        documents = s.scalar(select(func.count()).select_from(m.Document).where(m.Document.status == "ok"))
        return documents, s.scalar(select(func.count()).select_from(m.Observation))


def test_manifest_rows_become_overrides(tmp_path):
    from scrutiny.manifest import load_manifest

    report = tmp_path / "papers" / "report.pdf"
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url,authority,meeting_date,title\n"
                        f"{report},https://example.org/r.pdf,West Sussex County Council,2019-11-12,Caseloads\n"
                        "other.txt,,,,\n")
    rows = load_manifest(manifest)
    found = rows.overrides_for(report)
    assert (found.url, found.authority, found.meeting_date.isoformat(), found.title) == \
        ("https://example.org/r.pdf", "E10000032", "2019-11-12", "Caseloads")
    assert rows.overrides_for(tmp_path / "elsewhere" / "other.txt").authority is None
    assert rows.overrides_for(tmp_path / "unlisted.pdf").url is None


@pytest.mark.parametrize("line, message", [
    ("a.pdf,,Westt Sussex,,", "West Sussex"),
    ("a.pdf,,,12/11/2019,", "YYYY-MM-DD"),
    (",,,,", "blank path"),
])
def test_a_bad_manifest_line_is_named(tmp_path, line, message):
    from scrutiny.manifest import ManifestError, load_manifest

    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"path,url,authority,meeting_date,title\n{line}\n")
    with pytest.raises(ManifestError, match=message) as raised:
        load_manifest(manifest)
    assert f"{manifest}:2" in str(raised.value)


def test_ingest_applies_the_manifest(shared, tmp_path):
    seed = shared / "corpus" / "seeds" / "004_ab3d313a01f42dff.txt"
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url,authority,meeting_date,title\n"
                        f"{seed.name},https://example.org/ws.pdf,Plymouth,2019-11-12,\n")
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    result = run("ingest", "--db", url, "--manifest", str(manifest), str(seed))
    assert result.exit_code == 0, result.output
    doc = show(connect(url), seed.name)
    assert (doc.url, doc.authority_code, doc.meeting_date.isoformat()) == \
        ("https://example.org/ws.pdf", "E06000026", "2019-11-12")


def test_ingest_seeds_and_bad_inputs_end_to_end(shared, bad_inputs, tmp_path):
    url = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    seeds = sorted((shared / "corpus" / "seeds").glob("*.pdf"))
    expected = bad_inputs.expected()
    bad = sorted(expected)
    args = ["ingest", "--db", url, *map(str, seeds), *map(str, bad)]

    first = run(*args)
    assert first.exit_code == 1, first.output
    assert "Traceback" not in first.output
    lines = first.stderr.strip().splitlines()
    for path in bad:
        named = [line for line in lines if line.startswith(f"{path}: ")]
        assert len(named) == 1 and named[0].startswith(f"{path}: {expected[path]}"), (path, lines)
    assert len(lines) == len(bad)
    documents, observations = store_count(url)
    assert documents == len(seeds) == 5 and observations > 0
    assert all(show(connect(url), seed.name).status == "ok" for seed in seeds)

    failed = run("failures", "--db", url)
    assert all(path.name in failed.stdout for path in bad)

    again = run(*args)
    assert again.exit_code == 1
    assert store_count(url) == (documents, observations)
    [latest, earlier] = runs(connect(url))
    assert (latest.seen, latest.skipped, latest.failed, latest.stored) == (len(seeds) + len(bad), 5, len(bad), 0)
    assert earlier.stored == 5 and earlier.figures == observations


def test_export_never_clobbers_an_existing_file_or_the_database(db, tmp_path):
    out = tmp_path / "figures.csv"
    out.write_text("keep me\n")
    line = one_error_line(run("export", "--db", db, "--out", str(out)))
    assert "exists" in line and "--force" in line and out.read_text() == "keep me\n"

    database = tmp_path / "cli.sqlite"
    before = database.read_bytes()
    (tmp_path / "link.csv").symlink_to(database)
    for target in (database, tmp_path / "." / "cli.sqlite", tmp_path / "cli.sqlite-wal", tmp_path / "link.csv"):
        line = one_error_line(run("export", "--db", db, "--out", str(target), "--force"))
        assert "is the database" in line
    assert database.read_bytes() == before

    assert "not a folder" in one_error_line(run("export", "--db", db, "--out", str(tmp_path / "no" / "x.csv")))
    assert "folder" in one_error_line(run("export", "--db", db, "--out", str(tmp_path)))

    assert run("export", "--db", db, "--out", str(out), "--force").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows and tuple(rows[0]) == EXPORT_COLUMNS
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_export_to_a_dash_is_standard_output(db):
    result = run("export", "--db", db, "--out", "-")
    assert result.exit_code == 0 and result.stdout.startswith(",".join(EXPORT_COLUMNS))


def test_a_reader_that_stops_early_ends_the_export_quietly(shared, tmp_path_factory):
    import subprocess
    import sys
    from pathlib import Path

    from test_queries import seeded_url

    url = seeded_url(shared, tmp_path_factory.getbasetemp())  # the official table: megabytes of CSV
    scrutiny = Path(sys.executable).with_name("scrutiny")
    export = subprocess.Popen([str(scrutiny), "export", "--db", url, "--source", "both"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout.readline().startswith(b"document,")
    export.stdout.close()  # as `head -1` does
    assert export.wait(timeout=120) == 0
    assert export.stderr.read() == b""


QUERIES = {
    "compare": ("sw_caseload_average",), "series": ("sw_caseload_average", "--authority", "Plymouth"),
    "show": ("000_878a8a15beb185f7",), "runs": (), "failures": (), "review": (), "crosscheck": (),
    "indicators": (), "authorities": (), "parsers": (),
}


def test_every_query_command_takes_the_shared_format_option():
    group = typer.main.get_command(app)
    with_format = {name for name, command in group.commands.items()
                   if any(p.name == "fmt" and "--format" in p.opts for p in command.params)}
    assert set(QUERIES) <= with_format


@pytest.mark.parametrize("name", QUERIES)
def test_query_commands_write_the_same_records_as_csv_and_json(db, name):
    args = [name, *QUERIES[name]]
    args += ["--db", db] if name not in ("indicators", "authorities", "parsers") else []
    as_json = run(*args, "--format", "json")
    as_csv = run(*args, "--format", "csv")
    assert as_json.exit_code == 0 and as_csv.exit_code == 0, as_json.output + as_csv.output
    records = json.loads(as_json.stdout)
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        assert row.keys() == record.keys()
        assert all(row[k] == ("" if v is None else str(v)) for k, v in record.items() if not isinstance(v, float))


def modules_loaded(*args: str) -> set[str]:
    """The top-level modules a command loads, run as its own process ("<forkserver>" if it started one)."""
    import subprocess
    import sys

    code = ("import sys\nfrom multiprocessing import forkserver\nstarted = []\n"
            "start = forkserver.ForkServer.ensure_running\n"
            "forkserver.ForkServer.ensure_running = lambda self: (started.append(1), start(self))[1]\n"
            "from scrutiny.cli import main\nsys.argv = ['scrutiny', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "loaded = {name.split('.')[0] for name in sys.modules} | ({'<forkserver>'} if started else set())\n"
            "print(' '.join(sorted(loaded)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    return set(done.stderr.strip().splitlines()[-1].split())


def test_commands_load_only_what_they_use(shared, db, tmp_path):
    """Start-up cost is imports: help loads no database, rich or pydantic; a query loads no reader;
    a re-ingest with nothing changed reads no file and starts no worker."""
    readers = {"pdfplumber", "pypdfium2", "spacy", "pyarrow", "matplotlib"}
    assert not modules_loaded("--help") & {"sqlalchemy", "rich", "pydantic", *readers}
    assert not modules_loaded("runs", "--db", db) & {"rich", "pydantic", *readers}
    url = f"sqlite:///{tmp_path / 'again.sqlite'}"
    seeds = [str(p) for p in sorted((shared / "corpus" / "seeds").glob("*.txt"))]
    assert run("ingest", "--db", url, "--workers", "1", *seeds).exit_code == 0
    assert not modules_loaded("ingest", "--db", url, *seeds) & {"rich", "pydantic", "<forkserver>", *readers}
    assert "<forkserver>" in modules_loaded("ingest", "--db", url, "--force", "--workers", "2", seeds[0])
