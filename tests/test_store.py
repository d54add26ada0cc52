"""The store on real SQLite files: idempotent storage, transactions, export, compare and review decisions."""
from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from scrutiny.extract.model import BBox, Document, Page, Paragraph
from scrutiny.extract.observation import Context, Observation
from scrutiny.pipeline import Result
from scrutiny.store import models as m
from scrutiny.store.db import StoreError, connect, connect_read_only, init, session
from scrutiny.store.load import (RunCounts, already_stored, finish_run, observation_key, record_decision,
                                 start_run, store_failure, store_rejections, store_result)
from scrutiny.store.queries import EXPORT_COLUMNS, compare, export_rows, failures, review_queue, runs, show

WOLVERHAMPTON, PLYMOUTH, WEST_SUSSEX, ENGLAND = "E08000031", "E06000026", "E10000032", "E92000001"
FY18 = (date(2017, 4, 1), date(2018, 3, 31))
FY19 = (date(2018, 4, 1), date(2019, 3, 31))


def figure(indicator: str, value: float | str, unit: str, period: tuple[date, date], evidence: str,
           **extra) -> Observation:
    """A figure as the generic parser would yield it."""
    return Observation(indicator=indicator, value=value, unit=unit, period_start=period[0],
                       period_end=period[1], evidence=evidence, page=extra.pop("page", 2),
                       bbox=BBox(72.0, 100.0, 520.0, 130.0), parser="generic", parser_version="1.0", **extra)


def result(name: str, authority: str, figures: list[Observation], meeting: date = date(2019, 6, 20)) -> Result:
    """A processed document: a sha256 derived from the name, one page, the given figures."""
    sha = hashlib.sha256(name.encode()).hexdigest()
    page = Page(1, [Paragraph("Children's services performance report", 1)])
    doc = Document(path=f"/corpus/{name}", sha256=sha, kind="pdf", pages=[page, Page(2)], title="Performance")
    ctx = Context(meeting_date=meeting, authority_code=authority, committee="Children's Scrutiny Panel")
    return Result(doc, ctx, figures)


def wolverhampton() -> Result:
    cin = "Children in need numbers have reduced from 1,037 in 2017-2018 to 821 in 2018-2019"
    return result("000_878a8a15beb185f7.pdf", WOLVERHAMPTON, [
        figure("cin_count", 1037.0, "count", FY18, cin),
        figure("cin_count", 821.0, "count", FY19, cin),
        figure("cpp_count", 330.0, "count", FY19, "have reduced from 379 to 330"),
        figure("ofsted_overall_effectiveness", "good", "grade", (date(2019, 6, 1), date(2019, 6, 30)),
               'achieved a "Good" Ofsted judgement', confidence=0.7),
        figure("cin_rate_per_10k", 330.1, "rate_per_10k", FY19, "national average (330.1)", area_code=ENGLAND),
        figure("sw_caseload_average", 17.0, "cases", FY19, "caseloads of around 17, [approx.]", confidence=0.5),
    ])


@pytest.fixture
def engine(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'store.sqlite'}")
    init(engine)
    return engine


def count(engine, model) -> int:
    with session(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def test_init_seeds_once_and_is_idempotent(engine):
    areas, indicators = count(engine, m.Authority), count(engine, m.Indicator)
    init(engine)
    assert (count(engine, m.Authority), count(engine, m.Indicator)) == (areas, indicators)
    assert areas > 150 and indicators >= 60
    with session(engine) as s:
        assert s.get(m.Authority, WEST_SUSSEX).name == "West Sussex"
        assert s.scalar(select(func.count()).select_from(m.Authority).where(m.Authority.kind == "region")) == 9


def test_sqlite_enforces_foreign_keys_and_uses_wal(engine):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_storing_twice_keeps_one_document_and_the_same_figures(engine):
    first = store_result(engine, wolverhampton(), None)
    second = store_result(engine, wolverhampton(), None)
    assert first == second == 6
    assert count(engine, m.Document) == 1
    assert count(engine, m.Observation) == 6
    assert already_stored(engine, wolverhampton().document.sha256)


def test_document_metadata_and_bbox_are_stored(engine):
    store_result(engine, wolverhampton(), None, url="https://wolverhampton.moderngov.co.uk/doc.pdf")
    doc = show(engine, "000_878a8a15beb185f7")
    assert (doc.name, doc.pages, doc.kind, doc.authority_code) == ("000_878a8a15beb185f7.pdf", 2, "pdf", WOLVERHAMPTON)
    assert doc.meeting_date == date(2019, 6, 20) and doc.url.endswith("doc.pdf")
    obs = next(o for o in doc.observations if o.indicator_id == "cpp_count")
    assert (obs.x0, obs.top, obs.x1, obs.bottom, obs.page) == (72.0, 100.0, 520.0, 130.0, 2)
    assert show(engine, doc.sha256[:8]).id == doc.id


def test_a_failing_store_rolls_back_and_leaves_earlier_documents_intact(engine):
    store_result(engine, wolverhampton(), None)
    bad = result("bad.pdf", PLYMOUTH, [figure("cin_count", 2.0, "count", FY19, "x"),
                                       figure("no_such_indicator", 1.0, "count", FY19, "y")])
    with pytest.raises(IntegrityError):
        store_result(engine, bad, None)
    assert not already_stored(engine, bad.document.sha256)
    assert count(engine, m.Document) == 1 and count(engine, m.Observation) == 6


def test_a_failed_file_is_recorded_and_retried(engine):
    run = start_run(engine, ["/corpus"])
    store_result(engine, wolverhampton(), run)
    plymouth = result("002_5b351067a8cd401d.pdf", PLYMOUTH, [
        figure("sw_caseload_average", 18.4, "cases", (date(2024, 7, 1), date(2024, 7, 31)), "ALL CYPFS 18.4")])
    store_failure(engine, plymouth.document.path, plymouth.document.sha256, "corrupt PDF", run)
    store_failure(engine, "/corpus/missing.pdf", None, "file not found", run)
    finish_run(engine, run, RunCounts(seen=3, stored=1, failed=2))
    assert not already_stored(engine, plymouth.document.sha256)
    run_id, events = failures(engine)
    assert run_id == run
    assert [(e.path, e.reason) for e in events] == [(plymouth.document.path, "corrupt PDF"),
                                                    ("/corpus/missing.pdf", "file not found")]
    assert runs(engine)[0].failed == 2
    assert show(engine, "000_878a8a15beb185f7.pdf").status == "ok"
    assert show(engine, "002_5b351067a8cd401d.pdf").status == "failed"

    store_result(engine, plymouth, start_run(engine, ["/corpus"]))
    assert show(engine, "002_5b351067a8cd401d.pdf").status == "ok"
    assert count(engine, m.Document) == 2 and count(engine, m.Observation) == 7


def test_a_failed_reparse_keeps_the_stored_figures_and_notes_the_failure(engine):
    stored_doc = wolverhampton()
    store_result(engine, stored_doc, start_run(engine, ["/corpus"]))
    again = start_run(engine, ["/corpus"])
    store_failure(engine, stored_doc.document.path, stored_doc.document.sha256, "took longer than the time limit", again)
    store_failure(engine, stored_doc.document.path, stored_doc.document.sha256, "worker killed by signal 9", again)
    doc = show(engine, "000_878a8a15beb185f7.pdf")
    assert doc.status == "ok" and count(engine, m.Observation) == 6
    assert doc.error == "re-parse failed, earlier figures kept: worker killed by signal 9"
    assert already_stored(engine, stored_doc.document.sha256)
    assert [e.reason for e in failures(engine, again)[1]] == ["took longer than the time limit",
                                                              "worker killed by signal 9"]
    store_result(engine, stored_doc, start_run(engine, ["/corpus"]))
    assert show(engine, "000_878a8a15beb185f7.pdf").error is None and count(engine, m.Observation) == 6


def test_an_interrupted_run_is_shown_as_interrupted(engine):
    done, stopped, killed = (start_run(engine, [name]) for name in ("a", "b", "c"))
    finish_run(engine, done, RunCounts(seen=1, stored=1))
    finish_run(engine, stopped, RunCounts(seen=2, stored=2, duplicates=1), interrupted_by="SIGTERM")
    assert {r.id: r.status for r in runs(engine)} == {done: "finished", stopped: "interrupted", killed: "unfinished"}
    assert [r.seen for r in runs(engine) if r.id == stopped] == [2]


def test_a_read_only_engine_reads_and_cannot_write(engine, tmp_path):
    store_result(engine, wolverhampton(), None)
    engine.dispose()
    reader = connect_read_only(f"sqlite:///{tmp_path / 'store.sqlite'}")
    assert count(reader, m.Observation) == 6
    with pytest.raises(OperationalError, match="readonly"), reader.begin() as conn:
        conn.execute(delete(m.Observation))
    assert count(reader, m.Observation) == 6
    with pytest.raises(StoreError, match="no database at"):
        connect_read_only(f"sqlite:///{tmp_path / 'typo.sqlite'}")
    assert not (tmp_path / "typo.sqlite").exists()


def test_rejected_figures_are_logged(engine):
    run = start_run(engine, ["x"])
    fig = figure("sw_agency_rate", 140.0, "percent", FY19, "agency rate 140%")
    store_rejections(engine, run, "/corpus/a.pdf", [(fig, "percentage above 100")])
    with session(engine) as s:
        event = s.scalars(select(m.RunEvent)).one()
    assert (event.level, event.reason, event.run_id) == ("rejected", "percentage above 100", run)
    assert "sw_agency_rate" in event.detail


def test_areas_neighbour_groups_are_added_and_unknown_areas_rejected(engine):
    run = start_run(engine, ["x"])
    sussex = result("004_ab3d313a01f42dff.pdf", WEST_SUSSEX, [
        figure("sw_vacancy_rate", 16.5, "percent", FY19, "statistical neighbours 16.5%", area_code=f"SN-{WEST_SUSSEX}"),
        figure("sw_vacancy_rate", 9.0, "percent", FY19, "in Atlantis 9%", area_code="X99999999"),
        figure("sw_vacancy_rate", 12.0, "percent", FY19, "our vacancy rate is 12%"),
    ])
    assert store_result(engine, sussex, run) == 2
    with session(engine) as s:
        group = s.get(m.Authority, f"SN-{WEST_SUSSEX}")
        assert (group.kind, group.name) == ("group", "West Sussex statistical neighbours")
        assert s.scalars(select(m.RunEvent.reason)).all() == ["unknown area X99999999"]
    assert {r["authority_code"] for r in export_rows(engine)} == {f"SN-{WEST_SUSSEX}", WEST_SUSSEX}
    assert store_result(engine, sussex, run) == 2  # the group exists now; storing again still works


def test_figures_without_an_authority_need_review(engine):
    store_result(engine, result("anon.txt", None, [figure("cin_count", 5.0, "count", FY19, "5 children")]), None)
    assert export_rows(engine) == []
    [row] = export_rows(engine, include_review=True)
    assert (row["authority_code"], row["status"]) == ("", "needs_review")


def test_export_has_the_columns_in_order_with_iso_dates(engine):
    store_result(engine, wolverhampton(), None)
    rows = export_rows(engine)
    assert all(tuple(row) == EXPORT_COLUMNS for row in rows)
    cin = next(r for r in rows if r["indicator"] == "cin_count" and r["value"] == 821)
    assert (cin["period_start"], cin["period_end"]) == ("2018-04-01", "2019-03-31")
    assert (cin["document"], cin["authority_code"], cin["authority_name"]) == \
        ("000_878a8a15beb185f7.pdf", WOLVERHAMPTON, "Wolverhampton")
    grade = next(r for r in rows if r["unit"] == "grade")
    assert grade["value"] == "good"
    england = next(r for r in rows if r["indicator"] == "cin_rate_per_10k")
    assert (england["authority_code"], england["value"]) == (ENGLAND, 330.1)
    assert "sw_caseload_average" not in {r["indicator"] for r in rows}  # low confidence: needs review
    assert len(export_rows(engine, include_review=True)) == len(rows) + 1


def caseloads() -> list[Result]:
    """Two Plymouth papers and a West Sussex one, with actuals, a breakdown and a target."""
    jul, sep = (date(2024, 7, 1), date(2024, 7, 31)), (date(2024, 9, 1), date(2024, 9, 30))
    oct19 = (date(2019, 10, 1), date(2019, 10, 31))
    return [
        result("plymouth-july.pdf", PLYMOUTH, [
            figure("sw_caseload_average", 18.4, "cases", jul, "ALL CYPFS 18.4")], meeting=date(2024, 8, 1)),
        result("plymouth-nov.pdf", PLYMOUTH, [
            figure("sw_caseload_average", 18.0, "cases", sep, "ALL CYPFS 18"),
            figure("sw_caseload_average", 14.8, "cases", (date(2024, 10, 1), date(2024, 10, 31)),
                   "Initial Response Service 14.8", breakdown="Initial Response Service"),
            figure("sw_caseload_average", 16.0, "cases", sep, "a target of 16 cases", qualifier="target"),
        ], meeting=date(2024, 11, 7)),
        result("004_ab3d313a01f42dff.pdf", WEST_SUSSEX, [
            figure("sw_caseload_average", 18.0, "cases", oct19, "a target of up to 18 cases",
                   breakdown="experienced", qualifier="target")], meeting=date(2019, 11, 1)),
    ]


def add_official(engine, area: str, indicator: str, value: float, end: date) -> None:
    """An official statistic, stored as the DfE import stores it."""
    with session(engine) as s:
        doc = m.Document(sha256="f" * 64, path="dfe.csv", name="dfe.csv", status="ok")
        doc.observations.append(m.Observation(area_code=area, indicator_id=indicator, period_end=end, value=value,
                                              unit="cases", source="official", parser="dfe-official"))
        s.add(doc)


def test_compare_picks_the_latest_whole_authority_figure_and_keeps_targets_apart(engine):
    for item in caseloads():
        store_result(engine, item, None)
    add_official(engine, PLYMOUTH, "sw_caseload_average", 19.0, date(2025, 9, 30))
    [row] = compare(engine, "sw_caseload_average")
    assert (row.area_code, row.value, row.period_end, row.breakdown, row.document) == \
        (PLYMOUTH, 18, date(2024, 9, 30), "", "plymouth-nov.pdf")
    assert row.qualifier == "actual"
    assert compare(engine, "sw_caseload_average", latest=True) == [row]
    targets = compare(engine, "sw_caseload_average", qualifier="target")
    assert [(t.area_code, t.value, t.breakdown) for t in targets] == [(PLYMOUTH, 16, ""), (WEST_SUSSEX, 18, "experienced")]


def test_compare_for_a_period_matches_the_month_it_ends(engine):
    for item in caseloads():
        store_result(engine, item, None)
    [row] = compare(engine, "sw_caseload_average", "2024-07")
    assert (row.value, row.document) == (18.4, "plymouth-july.pdf")
    [row] = compare(engine, "sw_caseload_average", "2024-10")
    assert row.breakdown == "Initial Response Service"
    assert compare(engine, "sw_caseload_average", "2023-07") == []


def test_compare_rejects_unknown_indicators_and_bad_periods(engine):
    with pytest.raises(LookupError, match="sw_caseload_average"):
        compare(engine, "sw_caseload_avg")
    with pytest.raises(ValueError, match="YYYY-MM"):
        compare(engine, "sw_caseload_average", "2024-13")
    with pytest.raises(ValueError):
        compare(engine, "sw_caseload_average", "2024-07", latest=True)


def review_ids(engine) -> dict[str, int]:
    return {o.evidence: o.id for o in review_queue(engine)}


def test_review_decisions_survive_restoring_the_document(engine):
    doubtful = [figure("cla_count", 512.0, "count", FY19, "around 512 children", confidence=0.5),
                figure("cla_count", 5120.0, "count", FY19, "5120 children?", confidence=0.45, breakdown="typo")]
    item = result("walsall.pdf", "E08000030", doubtful)
    store_result(engine, item, None)
    ids = review_ids(engine)
    assert set(ids) == {"around 512 children", "5120 children?"}
    assert record_decision(engine, ids["around 512 children"], "accept").decision == "accepted"
    record_decision(engine, ids["5120 children?"], "reject")
    assert review_queue(engine) == []
    assert [r["value"] for r in export_rows(engine, include_review=True)] == [512]

    assert store_result(engine, item, None) == 1
    assert review_queue(engine) == []
    [row] = export_rows(engine)
    assert (row["value"], row["status"]) == (512, "ok")


def test_review_of_a_missing_observation_is_a_lookup_error(engine):
    with pytest.raises(LookupError, match="42"):
        record_decision(engine, 42, "accept")


def test_observation_keys_are_stable_and_distinguish_facts():
    a = figure("cin_count", 821.0, "count", FY19, "821", breakdown="Over 18")
    same = figure("cin_count", 821.0, "count", FY19, "stated again", breakdown="over 18", page=5)
    other = figure("cin_count", 821.0, "count", FY19, "821", breakdown="over 18", qualifier="target")
    assert observation_key(a) == observation_key(same) == "|cin_count|2019-03-31|821.0000|over 18|actual"
    assert observation_key(other) != observation_key(a)


def test_show_reports_ambiguous_and_unknown_names(engine):
    store_result(engine, result("report.pdf", PLYMOUTH, []), None)
    store_result(engine, result("report.txt", PLYMOUTH, []), None)
    with pytest.raises(LookupError, match="several"):
        show(engine, "report")
    assert show(engine, "report.txt").name == "report.txt"
    with pytest.raises(LookupError, match="no stored document"):
        show(engine, "nothing.pdf")


def test_a_new_parser_version_reparses_the_documents_it_produced(tmp_path):
    from scrutiny.store.db import connect, init
    from scrutiny.store.load import already_stored
    from scrutiny.store import models as m
    from scrutiny.store.db import session

    engine = connect(f"sqlite:///{tmp_path / 'v.sqlite'}")
    init(engine)
    with session(engine) as s:
        s.add(m.Document(sha256="a" * 64, path="p.txt", name="p.txt", status="ok", parsers="generic@0.1.0"))
    assert already_stored(engine, "a" * 64, {"generic": "0.1.0", "ofsted": "1.0.0"})
    assert not already_stored(engine, "a" * 64, {"generic": "0.2.0", "ofsted": "1.0.0"})
    assert not already_stored(engine, "b" * 64, {"generic": "0.1.0"})
