"""Property-based convergence test (Hypothesis): the server and 2–4 devices with different scopes;
random creates, edits, archives, household moves between communities and scope changes; random
sync orders with injected faults (request lost, response lost after the server committed,
duplicate delivery, server restarted, client killed mid-apply and the workspace reopened, device
clocks ±2 days). After a final full sync:

- each device's data equals the server-side query for its scope (same export lines);
- devices with the same scope export byte-identical data;
- every acknowledged edit is in the final state, in a conflict record, or was overwritten by a
  write that had seen it (its base position was at or after it, or it came from the same device);
- every outbox is drained (only rejected entries remain, with their reasons);
- invalid operations a broken or hostile device journals (wrong types, codes no list has, far-past
  and far-future dates, illegal workflow moves, text no database can hold) are rejected, listed on
  the device with the value they carried, and never applied; and every device's export imports
  back into a fresh workspace unchanged.

CASEAPP_FUZZ_EXAMPLES bounds the scenarios per backend (a handful in CI; `make fuzz` runs thousands).
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, insert, select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household, Member
from caseapp.domain.codec import dumps
from caseapp.errors import CaseAppError
from caseapp.ids import new_id
from caseapp.services import records
from caseapp.services.exchange import EXPORT_ORDER, dump_line, export_bytes, import_rows, parse
from caseapp.store.hlc import HybridClock, wall_ms
from caseapp.store.tables import LEFT_SCOPE, AuditEntry, ConflictRecord, JournalEntry
from caseapp.store.workspace import Workspace
from sync import apply, conflicts, run
from sync import protocol as p
from sync.client import SyncClient
from sync.errors import OfflineError, SyncError
from sync.server import schema
from sync.server.auth import Principal, prefixes_for
from sync.server.pull import scope_rows

from .conftest import (
    COMMUNITY_A,
    COMMUNITY_B,
    FAST_RETRY,
    PASSPHRASE,
    PASSWORD,
    STREET,
    Server,
    fresh_database,
)

EXAMPLES = int(os.environ.get("CASEAPP_FUZZ_EXAMPLES", "4"))
# `make fuzz` runs thousands of examples: the default per-test timeout would cut it short.
pytestmark = pytest.mark.timeout(max(300, EXAMPLES * 30))
# CASEAPP_FUZZ_SHRINK=0 reports the first failing scenario as found (shrinking a long one can take hours).
PHASES = [ph for ph in Phase if ph is not Phase.explain
          and (ph is not Phase.shrink or os.environ.get("CASEAPP_FUZZ_SHRINK", "1") != "0")]
DAY_MS = 24 * 3600 * 1000
USERS = {"sup": ("supervisor", [STREET]), "w1": ("caseworker", [COMMUNITY_A]),
         "w2": ("caseworker", [COMMUNITY_A]), "w3": ("caseworker", [COMMUNITY_B])}
GRIDS = [COMMUNITY_A + "01", COMMUNITY_A + "02", COMMUNITY_B + "01"]
VALUES = {"phone": ["13800000001", "13900000002", "13700000003"], "address": ["一号", "二号", "三号"],
          "notes": ["甲", "乙", ""], "head_name": ["王芳", "李强"]}
FAULTS = ["none", "none", "lose_request", "lose_response", "duplicate", "restart_server", "kill_apply"]
SCENARIOS = {"count": 0, "conflicts": 0, "resolved": 0, "rejected": 0, "junk": 0}

dev_index = st.integers(0, 3)
actions = st.one_of(
    st.tuples(st.just("create"), dev_index, st.integers(0, len(GRIDS) - 1)),
    st.tuples(st.just("edit"), dev_index, st.integers(0, 7), st.sampled_from(sorted(VALUES)), st.integers(0, 2)),
    st.tuples(st.just("edit"), dev_index, st.integers(0, 1), st.sampled_from(["phone", "notes"]), st.integers(0, 2)),
    st.tuples(st.just("archive"), dev_index, st.integers(0, 7)),
    st.tuples(st.just("restore"), dev_index, st.integers(0, 7)),
    st.tuples(st.just("move"), dev_index, st.integers(0, 7), st.integers(0, len(GRIDS) - 1)),
    st.tuples(st.just("sync"), dev_index, st.sampled_from(FAULTS)),
    st.tuples(st.just("sync"), dev_index, st.sampled_from(FAULTS)),
    st.tuples(st.just("scope"), st.booleans()),
    st.tuples(st.just("skew"), dev_index, st.sampled_from([-2 * DAY_MS, 0, 2 * DAY_MS])),
    st.tuples(st.just("resolve"), dev_index, st.booleans()),
    # two devices edit the same field of the first household they both hold, differently
    st.tuples(st.just("race"), dev_index, st.integers(1, 3), st.sampled_from(["phone", "notes", "archived"])),
    # a broken or hostile device journals what no form would let through
    st.tuples(st.just("junk"), dev_index, st.integers(0, 7), st.integers(0, 10_000)),
)
#: (field, value) a device's own rules refuse; "create" makes a household of junk instead
JUNK = [("phone", "abc"), ("register_type", "bogus"), ("archived", "yes"), ("head_name", "王1芳"),
        ("org_code", "not-a-code!"), ("address", ""), ("notes", "a\x00b"), ("head_name", 12),
        ("notes", "长" * 100_001), ("create", {"address": "九号", "created_at": "0999-01-01T00:00:00Z",
                                              "phone": "12", "register_type": "x"}),
        ("create", {"address": "十号", "head_name": None, "archived": "no"}),
        ("status", "approved")]
JUNK_TX = "junk-"


class FaultyClient(SyncClient):
    """Injects one fault into the next push: the request lost, the response lost after the server
    committed, or the batch delivered twice."""

    fault = "none"

    def push(self, ops: list[p.PushOp], audit: list[p.AuditEntryIn] | None = None) -> p.PushOut:
        fault, self.fault = self.fault, "none"
        if fault == "lose_request":
            raise OfflineError(self.base_url)
        answer = super().push(ops, audit)
        if fault == "lose_response":
            raise OfflineError(self.base_url)
        if fault == "duplicate":
            again = super().push(ops, audit)
            assert again.verdicts == answer.verdicts
        return answer


@dataclass
class Dev:
    user: str
    path: Path
    ws: Workspace
    skew: int = 0
    households: list[str] = field(default_factory=list)

    def reopen(self) -> None:
        self.ws.close()
        self.ws = Workspace.open(self.path, PASSPHRASE)
        self.set_skew(self.skew)

    def set_skew(self, skew: int) -> None:
        self.skew = skew
        self.ws.clock = HybridClock(self.ws.clock.last, now=lambda: wall_ms() + skew)

    def local_households(self) -> list[str]:
        with self.ws.read() as s:
            return list(s.scalars(select(Household.id).order_by(Household.id)))


@contextmanager
def killed_mid_apply(ws: Workspace) -> Iterator[None]:
    """The process dies while a pulled page is being committed: the commit never happens."""
    real = apply.apply_page

    def dying(*args: Any, **kwargs: Any) -> Any:
        def boom(conn: Any) -> None:
            raise KeyboardInterrupt("killed")

        event.listen(ws.engine, "commit", boom)
        try:
            return real(*args, **kwargs)
        finally:
            event.remove(ws.engine, "commit", boom)

    apply.apply_page = dying
    try:
        yield
    finally:
        apply.apply_page = real


def do_sync(dev: Dev, server: Server, fault: str) -> None:
    url = dev.ws.get_setting("sync.server_url")
    client = FaultyClient(url, dev.ws.get_setting("sync.token"), schema_version=dev.ws.schema_version,
                          retry=FAST_RETRY)
    client.fault = fault
    try:
        if fault == "restart_server":
            server.restart()
        if fault == "kill_apply":
            try:
                with killed_mid_apply(dev.ws):
                    run.sync(dev.ws, client, page_size=3)
            except KeyboardInterrupt:
                pass
            dev.reopen()
            return
        with suppress(SyncError):  # offline (a fault): the next sync carries on
            run.sync(dev.ws, client, page_size=7)
    finally:
        client.close()


def act(action: tuple[Any, ...], devs: list[Dev], server: Server) -> None:
    kind = action[0]
    if kind == "scope":
        server.set_scopes("w1", [COMMUNITY_A, COMMUNITY_B] if action[1] else [COMMUNITY_A])
        return
    dev = devs[action[1] % len(devs)]
    if kind == "sync":
        do_sync(dev, server, action[2])
        return
    if kind == "skew":
        dev.set_skew(action[2])
        return
    if kind == "race":
        other = devs[(action[1] + action[2]) % len(devs)]
        shared = sorted(set(dev.local_households()) & set(other.local_households()))
        if other is dev or not shared:
            return
        for n, who in enumerate((dev, other)):
            try:
                with who.ws.write() as s:
                    h = records.get(s, Household, shared[0])
                    if action[3] == "archived":
                        if n == 0 and not h.archived:
                            records.archive(s, h)
                        elif n == 1 and not h.archived:
                            records.update(s, h, {"notes": "归档前的更新"})
                    else:
                        records.update(s, h, {action[3]: VALUES[action[3]][n]})
            except CaseAppError:
                pass
        return
    if kind == "resolve":
        found = conflicts.list_open(dev.ws)
        if found:
            with suppress(CaseAppError):
                conflicts.resolve(dev.ws, found[0].id, keep="mine" if action[2] else "theirs")
                SCENARIOS["resolved"] += 1
        return
    if kind == "junk":
        journal_junk(dev, action[2], action[3])
        return
    if kind == "create":
        with dev.ws.write() as s:
            h = records.create(s, Household, {"org_code": GRIDS[action[2]], "address": "初始", "head_name": "王芳"})
            records.create(s, Member, {"org_code": GRIDS[action[2]], "household_id": h.id, "name": "王芳"})
        return
    ids = dev.local_households()
    if not ids:
        return
    hid = ids[action[2] % len(ids)]
    try:
        with dev.ws.write() as s:
            h = records.get(s, Household, hid)
            if kind == "edit":
                records.update(s, h, {action[3]: VALUES[action[3]][action[4] % len(VALUES[action[3]])]})
            elif kind == "archive" and not h.archived:
                records.archive(s, h)
            elif kind == "restore" and h.archived:
                records.restore(s, h)
            elif kind == "move" and not h.archived:
                records.move_household(s, h, GRIDS[action[3]])
    except CaseAppError:
        pass  # e.g. editing an archived household: refused locally, as for a person


def journal_junk(dev: Dev, hint: int, pick: int) -> None:
    """An entry in the device's outbox that the device's own services would never write."""
    ids = dev.local_households()
    name, value = JUNK[pick % len(JUNK)]
    grid = GRIDS[2] if dev.user == "w3" else GRIDS[0]
    if name == "create" or not ids:
        entity, row_id, op, field_name = "household", new_id(), "create", None
        value = {"org_code": grid, **(value if isinstance(value, dict) else {})}
    elif name == "status":
        entity, row_id, op, field_name = "assistance_case", ids[hint % len(ids)], "set", "status"
    else:
        entity, row_id, op, field_name = "household", ids[hint % len(ids)], "set", name
    with dev.ws.engine.begin() as conn:
        conn.execute(insert(JournalEntry).values(
            tx_id=JUNK_TX + new_id()[:24], entity=entity, row_id=row_id, op=op, field=field_name, value=dumps(value),
            base_pos=None, hlc=dev.ws.clock.tick(), device_id=dev.ws.device_id, author=dev.user,
            schema_version=dev.ws.schema_version, state="pending"))


def check_junk(devs: list[Dev], server: Server, tmp: Path) -> None:
    """Junk was refused with a reason, stays visible with its value, and reached no record; and what
    each device holds imports back unchanged."""
    with server.db.read() as conn:
        stored = {r.id: json.loads(r.fields) for r in conn.execute(select(schema.records))}
    for dev in devs:
        with dev.ws.read() as s:
            junk = s.scalars(select(JournalEntry).where(JournalEntry.tx_id.startswith(JUNK_TX))).all()
        for entry in junk:
            assert entry.state == "rejected" and entry.reason, (entry.op, entry.field, entry.state)
            assert (entry.value and json.loads(entry.value) is not None) or entry.value == "null"
            if entry.op == "set" and entry.row_id in stored and entry.field in stored[entry.row_id]:
                assert dumps(stored[entry.row_id][entry.field]) != entry.value, "junk applied"
            if entry.op == "create":
                assert entry.row_id not in stored, "junk record created"
        SCENARIOS["junk"] += len(junk)
        data = export_bytes(dev.ws)
        fresh, _ = Workspace.create(tmp / f"fresh-{new_id()}", PASSPHRASE, kdf=TEST_KDF)
        try:
            import_rows(fresh, parse(data.decode("utf-8").splitlines()))
            assert export_bytes(fresh) == data, f"{dev.user}'s export does not import back unchanged"
        finally:
            fresh.close()


def server_lines(server: Server, user: str) -> list[str]:
    with server.db.read() as conn:
        row = conn.execute(select(schema.users).where(schema.users.c.name == user)).one()
        who = Principal(user, row.role, "-", prefixes_for(row.role, json.loads(row.scopes)))
        rows = scope_rows(conn, who)
    order = {e: i for i, e in enumerate(EXPORT_ORDER)}
    lines = []
    for r in sorted(rows, key=lambda r: (order[r.entity], r.id)):
        fields = json.loads(r.fields)
        out: dict[str, Any] = {"type": r.entity, "id": r.id}
        out.update((k, fields[k]) for k in sorted(fields) if k != "id")
        lines.append(dump_line(out))
    return lines


def check_acknowledged(devs: list[Dev], server: Server) -> None:
    writes: list[JournalEntry] = []
    for dev in devs:
        with dev.ws.read() as s:
            writes += s.scalars(select(JournalEntry).where(
                JournalEntry.op == "set", JournalEntry.entity != "conflict",
                JournalEntry.state.in_(("applied", "conflict", "merged")),
                JournalEntry.reason.is_distinct_from(LEFT_SCOPE))).all()
    with server.db.read() as conn:
        current = {r.id: json.loads(r.fields) for r in conn.execute(select(schema.records))}
        kept: dict[tuple[str, str], set[str]] = {}
        for c in conn.execute(select(schema.conflicts)):
            kept.setdefault((c.row_id, c.field), set()).update({c.winner_value, c.loser_value})
    written = [w for w in writes if w.state in ("applied", "conflict")]
    for w in writes:
        key = (w.row_id, str(w.field))
        if w.value in kept.get(key, set()):
            continue
        assert w.state != "merged", f"lost value not kept in a conflict record: {w.row_id} {w.field}"
        if json.dumps(current[w.row_id][w.field], ensure_ascii=False, separators=(",", ":")) == w.value:
            continue
        overwritten = any(
            o.row_id == w.row_id and o.field == w.field and (o.server_pos or 0) > (w.server_pos or 0)
            and (o.device_id == w.device_id or abs(o.base_pos or 0) >= (w.server_pos or 0))
            for o in written)
        assert overwritten, f"acknowledged edit silently lost: {w.row_id} {w.field}={w.value}"


def check_conflicts(devs: list[Dev], server: Server) -> None:
    """Each device holds exactly the server's conflict records for the records it holds, in the
    same state (a resolution made anywhere has closed it everywhere)."""
    with server.db.read() as conn:
        on_server = {(c.id, c.row_id, c.status) for c in conn.execute(select(schema.conflicts))}
        SCENARIOS["conflicts"] += len(on_server)
        SCENARIOS["rejected"] += conn.execute(select(func.count()).select_from(schema.ledger)
                                              .where(schema.ledger.c.verdict == "rejected")).scalar_one()
    for dev in devs:
        with dev.ws.read() as s:
            held = set(s.scalars(select(Household.id))) | set(s.scalars(select(Member.id)))
            local = {(c.id, c.row_id, c.status) for c in s.scalars(select(ConflictRecord))}
        assert local == {c for c in on_server if c[1] in held}, f"conflicts differ on {dev.user}'s device"


def check_trails(devs: list[Dev], server: Server) -> None:
    """Each device's audit trail reached the server intact, faults notwithstanding: the server's
    copy is the device's own trail (all of it but what the last pull added), every link checked."""
    for dev in devs:
        with server.db.read() as conn:
            shipped = [(r.seq, r.hash, r.intact) for r in conn.execute(
                select(schema.device_audit).where(schema.device_audit.c.device_id == dev.ws.device_id)
                .order_by(schema.device_audit.c.seq))]
        with dev.ws.read() as s:
            local = [(e.id, e.hash, True) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert shipped and shipped == local[:len(shipped)], f"{dev.user}'s audit trail differs on the server"


def scenario(tmp: Path, backend: str, users: list[str], steps: list[tuple[Any, ...]]) -> None:
    SCENARIOS["count"] += 1
    with fresh_database(backend, tmp) as db:
        server = Server(db)
        server.start()
        devs: list[Dev] = []
        try:
            for name, (role, scopes) in USERS.items():
                server.add_user(name, role, list(scopes))
            for n, user in enumerate(users):
                path = tmp / f"s{SCENARIOS['count']}-d{n}"
                ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor=user)
                run.login(ws, server.url, user, PASSWORD, retry=FAST_RETRY)
                devs.append(Dev(user, path, ws))
            # Shared ground: every device creates a household in its own area and all sync, so
            # devices with overlapping scopes hold the same households before the random steps.
            for n, dev in enumerate(devs):
                act(("create", n, 2 if dev.user == "w3" else 0), devs, server)
            for _ in range(2):
                for dev in devs:
                    do_sync(dev, server, "none")
            for step in steps:
                act(step, devs, server)
            for _ in range(3):  # a full sync: quiescent after a few rounds
                for dev in devs:
                    do_sync(dev, server, "none")
            # People settle what was flagged (two of them may settle one conflict differently:
            # that is itself a concurrent edit and must surface again, not vanish).
            for n, dev in enumerate(devs):
                for c in conflicts.list_open(dev.ws):
                    with suppress(CaseAppError):
                        conflicts.resolve(dev.ws, c.id, keep="mine" if n % 2 else "theirs")
                        SCENARIOS["resolved"] += 1
            for _ in range(3):  # the final full sync
                for dev in devs:
                    do_sync(dev, server, "none")
            exports: dict[str, bytes] = {}
            for dev in devs:
                local = export_bytes(dev.ws).decode("utf-8").splitlines()
                wanted = server_lines(server, dev.user)
                assert local == wanted, f"device of {dev.user} differs from its scope:\n" + "\n".join(
                    list(difflib.unified_diff(wanted, local, "server", "device", lineterm="", n=0))[:12])
                if dev.user in exports:
                    assert export_bytes(dev.ws) == exports[dev.user]
                exports[dev.user] = export_bytes(dev.ws)
                with dev.ws.read() as s:
                    left = s.scalars(select(JournalEntry.state).where(JournalEntry.state.in_(("pending", "sent"))))
                    assert list(left) == [], "outbox not drained"
            check_acknowledged(devs, server)
            check_conflicts(devs, server)
            check_trails(devs, server)
            check_junk(devs, server, tmp)
        finally:
            for dev in devs:
                dev.ws.close()
            server.stop()


def test_convergence(backend: str, tmp_path_factory: pytest.TempPathFactory,
                     capsys: pytest.CaptureFixture[str]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=PHASES)
    @given(users=st.lists(st.sampled_from(sorted(USERS)), min_size=2, max_size=4),
           steps=st.lists(actions, min_size=4, max_size=18))
    def run_scenario(users: list[str], steps: list[tuple[Any, ...]]) -> None:
        try:
            scenario(tmp_path_factory.mktemp("conv"), backend, users, steps)
        except AssertionError:
            print(f"the scenario that failed: users={users!r}, steps={steps!r}")
            raise

    before = dict(SCENARIOS)
    run_scenario()
    ran = {k: SCENARIOS[k] - before[k] for k in SCENARIOS}
    with capsys.disabled():  # shown even without -s: how much was actually explored
        print(f"\nconvergence: {ran['count']} scenarios on {backend} ({ran['conflicts']} conflicts, "
              f"{ran['resolved']} resolved, {ran['rejected']} operations rejected, {ran['junk']} of them junk "
              "journaled by a broken device, every export imported back)")
