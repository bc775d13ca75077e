"""A push whose answer is lost costs one small question, not the batch again (``/push/verdicts``).

A real server on loopback (SQLite and PostgreSQL), the fault proxy of tests/faults between it and
the device: the request reaches the server, which commits and answers, and the answer never
arrives. Every operation must still end with the server's own verdict, nothing may be lost or
applied twice, the server answers a device about its own pushes only, and a restored copy of a
workspace is still told apart from the device it was copied from.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.services.exchange import export_bytes
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import outbox, replay, run
from sync import protocol as p
from sync.client import RetryPolicy
from sync.errors import SyncError
from sync.server import middleware, schema
from sync.server.app import ServerConfig, create_app
from sync.server.db import Database
from tests.faults.proxy import CUT_RESPONSE, DROP_RESPONSE, GATEWAY_TIMEOUT, FaultProxy, RandomSchedule
from tests.sync import conftest

from .conftest import FAST_RETRY, GRID_A1, PASSPHRASE, PASSWORD, Device, Server, add_standard_users
from .test_convergence import server_lines

PUSH = "/api/v1/push"
VERDICTS = "/api/v1/push/verdicts"
ACKNOWLEDGED = (p.APPLIED, p.MERGED, p.CONFLICT, p.REJECTED)


@pytest.fixture
def proxy(server: Server) -> Iterator[FaultProxy]:
    with FaultProxy(server.url) as relay:
        yield relay


def _through(tmp_path: Path, relay: FaultProxy, server: Server, user: str = "worker1") -> Device:
    """A device logged in through the proxy."""
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor=user)
    run.login(ws, relay.url, user, PASSWORD, retry=FAST_RETRY)
    return Device(ws, server)


def _households(dev: Device, n: int, rnd: random.Random | None = None) -> list[str]:
    rnd = rnd or random.Random(0)
    made = []
    with dev.ws.write() as s:
        for i in range(n):
            h = records.create(s, Household, {"org_code": GRID_A1, "address": f"江南大道中 {i} 号",
                                              "head_name": "欧阳明", "phone": f"138{rnd.randint(0, 99_999_999):08d}"})
            made.append(h.id)
    return made


def _edit(dev: Device, hid: str, **values: str) -> None:
    with dev.ws.write() as s:
        records.update(s, records.get(s, Household, hid), values)


def _every_entry_judged(ws: Workspace) -> list[JournalEntry]:
    with ws.read() as s:
        entries = list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))
    assert entries and all(e.state in ACKNOWLEDGED for e in entries), {e.seq: e.state for e in entries}
    return entries


def _ledger(server: Server, device_id: str) -> dict[int, tuple[str, int | None]]:
    with server.db.read() as conn:
        rows = conn.execute(select(schema.ledger.c.seq, schema.ledger.c.verdict, schema.ledger.c.pos)
                            .where(schema.ledger.c.device_id == device_id)).all()
    return {r.seq: (r.verdict, r.pos) for r in rows}


def _matches_ledger(dev: Device, server: Server) -> None:
    """Every operation's verdict on the device is the one the server's ledger holds, and every
    position the ledger handed out was handed out once (nothing applied twice)."""
    entries = _every_entry_judged(dev.ws)
    ledger = _ledger(server, dev.ws.device_id)
    assert {e.seq: (e.state, e.server_pos) for e in entries} == ledger
    positions = [pos for _, pos in ledger.values() if pos is not None]
    assert len(positions) == len(set(positions))


def _ask(ops: list[p.PushOp], audit: list[p.AuditEntryIn] | None = None) -> p.VerdictsIn:
    return p.VerdictsIn(ranges=replay.ranges(o.seq for o in ops),
                        digest=replay.batch_digest((o.seq, replay.op_hash(o)) for o in ops),
                        audit_seq=audit[-1].seq if audit else 0, audit_hash=audit[-1].hash if audit else "")


@pytest.mark.parametrize("lost", [DROP_RESPONSE, GATEWAY_TIMEOUT])
def test_a_lost_push_answer_is_recovered_by_asking_not_by_sending_the_batch_again(
        server: Server, proxy: FaultProxy, tmp_path: Path, lost: str) -> None:
    """The answer dropped on the way, or replaced by a gateway's 504 (nginx's answer when the server
    took longer than its read timeout; 502 when the connection to it broke): the server may have
    committed the batch all the same, so the device asks what became of it instead of sending the
    whole batch again as it does after a 503."""
    dev = _through(tmp_path, proxy, server)
    _households(dev, 30)
    proxy.script(lost, PUSH, method="POST")
    report = run.sync(dev.ws, (client := dev.client()), push_batch=10)
    client.close()
    assert proxy.injected[lost] == 1
    # three batches, each sent once; one question for the batch whose answer was lost
    assert proxy.received[PUSH] == 3 and proxy.received[VERDICTS] == 1, proxy.received
    assert proxy.forwarded[PUSH] == 3, proxy.forwarded
    assert outbox.pending_count(dev.ws) == 0
    assert report.push.pushed == len(_every_entry_judged(dev.ws))
    _matches_ledger(dev, server)
    assert export_bytes(dev.ws).decode("utf-8").splitlines() == server_lines(server, "worker1")
    dev.ws.close()


def test_a_cut_answer_is_recovered_the_same_way(server: Server, proxy: FaultProxy, tmp_path: Path) -> None:
    dev = _through(tmp_path, proxy, server)
    _households(dev, 5)
    proxy.script(CUT_RESPONSE, PUSH, method="POST")
    dev.sync()
    assert proxy.received[PUSH] == 1 and proxy.received[VERDICTS] == 1, proxy.received
    assert outbox.pending_count(dev.ws) == 0
    _matches_ledger(dev, server)
    dev.ws.close()


def test_a_push_that_never_reached_the_server_is_sent_again(server: Server, proxy: FaultProxy,
                                                            tmp_path: Path) -> None:
    dev = _through(tmp_path, proxy, server)
    _households(dev, 5)
    proxy.script("drop_request", PUSH, method="POST")  # read by the proxy, never forwarded
    dev.sync()
    assert proxy.forwarded[PUSH] == 1 and proxy.received[VERDICTS] == 1, (proxy.received, proxy.forwarded)
    assert outbox.pending_count(dev.ws) == 0
    _matches_ledger(dev, server)
    dev.ws.close()


def test_the_server_gives_a_device_only_its_own_verdicts_and_only_for_the_same_operations(
        device: Callable[[str], Device]) -> None:
    one, other = device("worker1"), device("worker1")  # the same user, another device
    _households(one, 4)
    ops = [outbox.to_op(e) for e in outbox.pending(one.ws, 100)]
    client = one.client()
    answer = client.push(ops)
    mine = client.push_verdicts(_ask(ops))
    assert mine.held and mine.verdicts == answer.verdicts
    theirs = other.client()
    assert not theirs.push_verdicts(_ask(ops)).held  # the other device's ledger holds nothing
    # other operations under the same numbers (a copy of the device) get no verdicts
    changed = [ops[0].model_copy(update={"value": {**ops[0].value, "address": "别处"}}), *ops[1:]]
    assert not client.push_verdicts(_ask(changed)).held
    assert not client.push_verdicts(_ask([*ops[:2], ops[2].model_copy(update={"seq": 999})])).held
    # a push holding an audit entry the server does not have was not taken
    audit = [e.model_copy(update={"hash": "0" * 64}) for e in _audit_of(one)[:1]]
    assert not client.push_verdicts(_ask(ops, audit)).held
    client.close()
    theirs.close()


def _audit_of(dev: Device) -> list[p.AuditEntryIn]:
    from sync import trail

    return trail.unsent(dev.ws, 0)


def test_a_restored_copy_is_still_told_apart_when_its_answers_are_lost(
        server: Server, proxy: FaultProxy, tmp_path: Path) -> None:
    laptop = _through(tmp_path, proxy, server)
    first, second = _households(laptop, 2)
    laptop.sync()
    path = Path(laptop.ws.path)
    laptop.ws.close()
    shutil.copytree(path, tmp_path / "backup")  # the backup
    laptop = Device(Workspace.open(path, PASSPHRASE), laptop.server)
    _edit(laptop, first, notes="备份之后的走访记录")
    laptop.sync()
    original = laptop.ws.device_id
    laptop.ws.close()
    shutil.rmtree(path)
    shutil.copytree(tmp_path / "backup", path)  # restored: the same sequence numbers, other work
    restored = Device(Workspace.open(path, PASSPHRASE), laptop.server)
    _edit(restored, second, notes="恢复之后的走访记录")
    proxy.script(DROP_RESPONSE, PUSH, method="POST")  # the 409 never arrives: the question cannot stand in for it
    report = restored.sync()
    assert report.forked and restored.ws.device_id != original
    # the restored copy's own edit was judged as the new device's, by the server
    entries = {e.seq: (e.state, e.server_pos) for e in _every_entry_judged(restored.ws)}
    ledger = _ledger(server, restored.ws.device_id)
    assert ledger and all(entries[seq] == verdict for seq, verdict in ledger.items())
    lines = server_lines(server, "worker1")
    assert any("恢复之后的走访记录" in line for line in lines) and any("备份之后的走访记录" in line for line in lines)
    restored.ws.close()


@pytest.mark.parametrize("seed", range(4))
def test_answers_lost_at_random_every_operation_ends_with_the_servers_verdict(
        server: Server, tmp_path: Path, seed: int) -> None:
    """Random edits and syncs, with a third of push, question and pull answers lost or cut: each
    operation ends with the verdict the server's ledger holds, applied once, the copies equal."""
    rnd = random.Random(seed)
    lossy = RandomSchedule(seed=seed, rate=0.35, weights=((DROP_RESPONSE, 3.0), (CUT_RESPONSE, 1.0)),
                           paths=(PUSH, "/api/v1/pull"))
    retry = RetryPolicy(attempts=3, base_s=0.01, cap_s=0.02)
    with FaultProxy(server.url, schedule=lossy) as relay:
        dev = _through(tmp_path, relay, server)
        made: list[str] = []
        for _ in range(6):  # bounded
            made += _households(dev, rnd.randint(1, 8), rnd)
            for hid in rnd.sample(made, min(len(made), rnd.randint(0, 6))):
                _edit(dev, hid, phone=f"139{rnd.randint(0, 99_999_999):08d}")
            client = run.connect(dev.ws, retry=retry)
            try:
                run.sync(dev.ws, client, push_batch=rnd.choice((3, 7, 500)))
            except SyncError:
                pass  # lost too often in a row: the next sync carries on
            finally:
                client.close()
        assert relay.injected[DROP_RESPONSE] + relay.injected[CUT_RESPONSE] > 0
        relay.schedule = None  # the faults are over
        dev.sync()
    assert outbox.pending_count(dev.ws) == 0
    _matches_ledger(dev, server)
    with server.db.read() as conn:
        stored = conn.execute(select(func.count()).select_from(schema.ledger)
                              .where(schema.ledger.c.device_id == dev.ws.device_id)).scalar()
    assert stored == len(_every_entry_judged(dev.ws))
    assert export_bytes(dev.ws).decode("utf-8").splitlines() == server_lines(server, "worker1")
    dev.ws.close()


def test_an_older_server_without_the_question_is_sent_the_batch_again(
        server_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def older_app(db: Database, config: ServerConfig | None = None) -> FastAPI:
        app = create_app(db, config)
        app.router.routes = [r for r in app.router.routes if getattr(r, "path", "") != VERDICTS]
        return app

    monkeypatch.setattr(conftest, "create_app", older_app)
    monkeypatch.setattr(middleware, "_MATCHERS", [m for m in middleware._MATCHERS if not m[1].match(VERDICTS)])
    older = Server(server_db)
    older.start()
    try:
        add_standard_users(older)
        with FaultProxy(older.url) as relay:
            dev = _through(tmp_path, relay, older)
            _households(dev, 6)
            relay.script(DROP_RESPONSE, PUSH, method="POST")
            dev.sync()
            assert relay.received[PUSH] == 2 and relay.received[VERDICTS] == 1, relay.received
        assert outbox.pending_count(dev.ws) == 0
        _matches_ledger(dev, older)
        dev.ws.close()
    finally:
        older.stop()


@pytest.mark.parametrize("value", [None, 0, 1.5, -2.0, 10 ** 18, True, "", "欧阳明\u00e9", "\ud800",
                                   {"a": [1, 2.5, None]}])
def test_the_device_hashes_an_operation_as_the_server_ledger_does(value: object) -> None:
    from sync.server import merge

    op = p.PushOp(seq=7, entity="household", row_id="h1", op="set", field="notes", value=value, hlc=5)
    again = p.PushOp.model_validate(json.loads(json.dumps(op.model_dump(exclude_defaults=True))))  # as sent, read
    assert replay.op_hash(op) == merge.op_hash(again) == replay.op_hash(again)
    assert replay.ranges([5, 3, 4, 9, 10, 12]) == [(3, 5), (9, 10), (12, 12)]


def test_a_gateways_answer_to_every_try_ends_the_sync_with_the_entries_still_queued(
        server: Server, proxy: FaultProxy, tmp_path: Path) -> None:
    """A gateway that answers 504 however often it is asked: the sync stops with a typed error
    (the server failed), and what the server did take is known at the next sync."""
    dev = _through(tmp_path, proxy, server)
    _households(dev, 5)
    proxy.script(GATEWAY_TIMEOUT, PUSH, method="POST", times=FAST_RETRY.attempts * 3)
    proxy.script(GATEWAY_TIMEOUT, VERDICTS, method="POST", times=FAST_RETRY.attempts * 3)
    with pytest.raises(SyncError):
        run.sync(dev.ws, (client := dev.client()))
    client.close()
    assert outbox.pending_count(dev.ws) == 5  # no verdict came: all five creates wait for theirs
    proxy.unscript()
    dev.sync()
    assert outbox.pending_count(dev.ws) == 0
    _matches_ledger(dev, server)
    dev.ws.close()
