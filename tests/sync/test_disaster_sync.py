"""The server holds disaster report series to the device's rule (caseapp.services.disaster): a
续报 or 核报 joins a series that has its 初报 and no 核报 yet, lives where the 初报 lives, and
stays in its series; on SQLite and PostgreSQL, through the server's merge and through a device."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import select, text

from caseapp.domain import DisasterReport
from caseapp.services import disaster, records
from sync import protocol as p
from sync.server import schema
from sync.server.auth import Principal
from sync.server.db import Database, _alembic_config

from .conftest import Device, fresh_database
from .test_trees import A1, A2, B1, create, push, put, rid

WORKER = Principal("worker1", "caseworker", "dev-w1", (A1[:12],))
FIGURES = {"disaster_type": "typhoon", "occurred_at": "2026-09-16T01:30:00Z", "place": "龙凤街道"}


def report(seq: int, key: str, stage: str, series: str | None = None, org: str = A1, **more: Any) -> p.PushOp:
    extra = {"series_id": rid(series)} if series else {}
    return create(seq, "disaster_report", key, org_code=org, stage=stage,
                  reported_at=f"2026-09-16T0{min(seq, 9)}:00:00Z", **FIGURES, **extra, **more)


def verdicts(db: Database, *ops: p.PushOp) -> list[tuple[str, str | None]]:
    return [(v.verdict, v.reason) for v in push(db, WORKER, *ops)]


def test_the_server_accepts_a_series_in_order_and_nothing_after_its_final(server_db: Database) -> None:
    assert verdicts(server_db, report(1, "first", "initial", affected=120),
                    report(2, "second", "update", "first", affected=150),
                    report(3, "last", "final", "first", affected=151)) == [("applied", None)] * 3
    assert verdicts(server_db, report(4, "late", "update", "first"), report(5, "again", "final", "first")) == [
        ("rejected", "workflow.series_closed"), ("rejected", "workflow.series_closed")]


def test_the_server_refuses_a_series_without_its_initial_report(server_db: Database) -> None:
    assert verdicts(server_db, report(1, "first", "initial"), report(2, "second", "update", "first")) == [
        ("applied", None)] * 2
    assert verdicts(server_db,
                    report(3, "orphan", "update"),  # names no series
                    report(4, "chained", "update", "second"),  # names an update, not the initial report
                    report(5, "odd", "initial", "first"),  # an initial report inside a series
                    ) == [("rejected", "workflow.series_missing"), ("rejected", "workflow.series_missing"),
                          ("rejected", "workflow.initial_has_series")]


def test_a_follow_up_lives_where_its_initial_report_lives_and_stays_in_its_series(server_db: Database) -> None:
    push(server_db, WORKER, report(1, "first", "initial"), report(2, "other", "initial"))
    assert verdicts(server_db, report(3, "second", "update", "first", org=A2)) == [("applied", None)]
    with server_db.read() as conn:
        row = conn.execute(select(schema.records).where(schema.records.c.id == rid("second"))).one()
    assert (row.org_code, row.root_id) == (A1, rid("first"))
    assert verdicts(server_db, put(4, "disaster_report", "second", "series_id", rid("other"), None)) == [
        ("rejected", "disaster_report.fixed")]
    assert verdicts(server_db, put(5, "disaster_report", "second", "stage", "final", None)) == [
        ("rejected", "disaster_report.fixed")]


def test_a_series_typed_on_a_device_syncs_and_a_second_final_typed_offline_stays_refused(
        device: Callable[[str], Device]) -> None:
    one, two = device("worker1"), device("worker2")
    with one.ws.write() as s:
        first = records.create(s, DisasterReport, {**_local(), "stage": "initial", "affected": 80})
        records.create(s, DisasterReport, disaster.follow_up(s, first, "update", "worker1"))
    one.sync()
    two.sync()
    with two.ws.write() as s:
        held = records.get(s, DisasterReport, first.id)
        records.create(s, DisasterReport, disaster.follow_up(s, held, "final", "worker2"))
    with one.ws.write() as s:  # offline, not knowing of two's final report
        records.create(s, DisasterReport, disaster.follow_up(s, records.get(s, DisasterReport, first.id),
                                                             "final", "worker1"))
    two.sync()
    report_one = one.sync()
    assert report_one.push.rejected == 1
    with one.ws.read() as s:
        from caseapp.store.tables import JournalEntry
        refused = s.scalars(select(JournalEntry).where(JournalEntry.state == "rejected")).all()
        assert [(e.entity, e.op, e.reason) for e in refused] == [("disaster_report", "create",
                                                                  "workflow.series_closed")]
        assert refused[0].value and json.loads(refused[0].value)["stage"] == "final"  # kept, with its value
        stages = [r.stage for r in disaster.series(s, records.get(s, DisasterReport, first.id))]
    assert stages == ["initial", "update", "final"]


def _local() -> dict[str, Any]:
    import datetime as dt
    return {"org_code": A1, "disaster_type": "typhoon", "place": "龙凤街道",
            "occurred_at": dt.datetime(2026, 9, 16, 1, 30, tzinfo=dt.UTC),
            "reported_at": dt.datetime(2026, 9, 16, 2, 0, tzinfo=dt.UTC)}


def test_reports_stored_before_s0009_find_their_series(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as db:
        push(db, WORKER, report(1, "first", "initial"), report(2, "second", "update", "first"))
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "s0008")
            conn.execute(text("UPDATE records SET root_id = id WHERE entity = 'disaster_report'"))
        db.migrate()
        with db.read() as conn:
            roots = {r.id: r.root_id for r in conn.execute(select(schema.records.c.id, schema.records.c.root_id)
                                                           .where(schema.records.c.entity == "disaster_report"))}
        assert roots == {rid("first"): rid("first"), rid("second"): rid("first")}
        assert verdicts(db, report(3, "last", "final", "first"), report(4, "again", "final", "first")) == [
            ("applied", None), ("rejected", "workflow.series_closed")]


def test_a_hostile_device_cannot_join_a_series_it_cannot_see(server_db: Database) -> None:
    """A follow-up naming another community's 初报 is refused as naming nothing, and the series
    there is untouched."""
    other = Principal("worker3", "caseworker", "dev-w3", (B1[:12],))
    assert [v.verdict for v in push(server_db, other, report(1, "theirs", "initial", org=B1))] == ["applied"]
    assert verdicts(server_db, report(2, "intruder", "final", "theirs", org=A1)) == [
        ("rejected", "sync.parent_missing")]
    with server_db.read() as conn:
        assert conn.execute(select(schema.records.c.id).where(schema.records.c.root_id == rid("theirs"))
                            ).scalars().all() == [rid("theirs")]


def test_two_finals_pushed_at_the_same_moment_one_is_kept(device: Callable[[str], Device]) -> None:
    """Two devices file a 核报 for the same series offline and sync at the same moment (parallel
    requests, PostgreSQL included): the server lets exactly one in; the other stays on its device,
    refused with its reason and its value."""
    one, two = device("worker1"), device("worker2")
    with one.ws.write() as s:
        first = records.create(s, DisasterReport, {**_local(), "stage": "initial"})
    one.sync()
    two.sync()
    for dev, who in ((one, "worker1"), (two, "worker2")):
        with dev.ws.write() as s:
            records.create(s, DisasterReport, disaster.follow_up(s, records.get(s, DisasterReport, first.id),
                                                                 "final", who))
    barrier = threading.Barrier(2)
    reports: dict[str, Any] = {}

    def sync(dev: Device, name: str) -> None:
        barrier.wait(timeout=30)
        reports[name] = dev.sync()

    threads = [threading.Thread(target=sync, args=(d, n)) for d, n in ((one, "one"), (two, "two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(r.push.rejected for r in reports.values()) == [0, 1]
    with one.server.db.read() as conn:
        finals = [json.loads(f) for f in conn.execute(select(schema.records.c.fields).where(
            schema.records.c.entity == "disaster_report")).scalars() if json.loads(f)["stage"] == "final"]
    assert len(finals) == 1
    loser = one if reports["one"].push.rejected else two
    with loser.ws.read() as s:
        from caseapp.store.tables import JournalEntry
        refused = s.scalars(select(JournalEntry).where(JournalEntry.state == "rejected")).one()
        assert refused.reason == "workflow.series_closed" and json.loads(refused.value or "{}")["stage"] == "final"
