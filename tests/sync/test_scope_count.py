"""The count of records in scope that ends every pull (``PullOut.scope_count``: a device whose own
count differs pulls its scope again) is always the true count, although the server remembers it
between pulls that find nothing new in the scope (sync.server.pull._counted).

Households are created in three communities, moved between them and shared by none; after every
step each of four devices (a community's worker, a street's supervisor, an administrator and a
worker whose scope holds nothing) pulls from its cursor, and the count it is told is checked
against counting the records anew in the same database (hypothesis, on SQLite and PostgreSQL).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import protocol as p
from sync.server import merge, pull
from sync.server.auth import Principal
from sync.server.db import Database

from .conftest import COMMUNITY_A, COMMUNITY_B, STREET, fresh_database

COMMUNITY_C = STREET + "003"
GRIDS = (COMMUNITY_A + "01", COMMUNITY_B + "01", COMMUNITY_C + "01")
READERS = (
    Principal("worker", "worker", "device-a", (COMMUNITY_A,)),
    Principal("supervisor", "supervisor", "device-street", (COMMUNITY_A, COMMUNITY_B)),
    Principal("admin", "admin", "device-admin", ("",)),
    Principal("nobody", "worker", "device-none", ()),
)

STEPS = st.lists(st.tuples(st.sampled_from(["create", "move", "quiet"]), st.integers(0, 2), st.integers(0, 10_000)),
                 min_size=1, max_size=12)


@pytest.fixture
def db(backend: str, tmp_path: Path) -> Iterator[Database]:
    with fresh_database(backend, tmp_path) as made:
        yield made


class Log:
    """What the pusher has written: each household's id, grid and position, and its next seq."""

    def __init__(self) -> None:
        self.homes: list[tuple[str, str, int]] = []
        self.seq = 0
        self.who = Principal("admin", "admin", f"pusher-{uuid.uuid4().hex[:8]}", ("",))  # its own numbers

    def push(self, db: Database, op: p.PushOp) -> p.Verdict:
        with db.write(ordered=True) as conn:
            verdict = merge.push(conn, self.who, [op], int(time.time() * 1000))[0]
        assert verdict.verdict == p.APPLIED, verdict
        return verdict

    def next_op(self, **fields: object) -> p.PushOp:
        self.seq += 1
        return p.PushOp(seq=self.seq, hlc=self.seq, **fields)  # type: ignore[arg-type]


def _step(db: Database, log: Log, kind: str, grid: int, pick: int) -> None:
    if kind == "create" or (kind == "move" and not log.homes):
        row_id = str(uuid.uuid4())
        verdict = log.push(db, log.next_op(entity="household", row_id=row_id, op="create", value={
            "org_code": GRIDS[grid], "address": f"滨江东路 {pick} 号", "head_name": "王芳"}))
        assert verdict.pos is not None
        log.homes.append((row_id, GRIDS[grid], verdict.pos))
    elif kind == "move":
        index = pick % len(log.homes)
        row_id, _, pos = log.homes[index]
        verdict = log.push(db, log.next_op(entity="household", row_id=row_id, op="set", field="org_code",
                                           value=GRIDS[grid], base_pos=pos))
        assert verdict.pos is not None
        log.homes[index] = (row_id, GRIDS[grid], verdict.pos)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_every_pull_is_told_the_true_count(db: Database, steps: list[tuple[str, int, int]]) -> None:
    log = Log()
    cursors = {who.device_id: "" for who in READERS}
    for kind, grid, pick in steps:
        _step(db, log, kind, grid, pick)
        for who in READERS:
            for _ in range(2):  # the second pull finds nothing new: the remembered count
                while True:
                    with db.snapshot() as conn:
                        page = pull.pull(conn, who, p.PullIn(cursor=cursors[who.device_id], limit=3))
                        truth = pull._scope_count(conn, who)
                    cursors[who.device_id] = page.cursor
                    if not page.has_more:
                        break
                assert page.scope_count == truth, (who.user, kind)


def test_counts_stay_true_while_pushes_and_pulls_run_at_once(db: Database) -> None:
    """Two devices push households into the three communities while three devices pull over and
    over (PostgreSQL: separate connections, REPEATABLE READ pulls against committing pushes): every
    page's count is the count in the pull's own snapshot, whoever remembered it last."""
    errors: list[str] = []
    stop = threading.Event()

    def pusher(n: int) -> None:
        log, rnd = Log(), random.Random(n)
        try:
            for i in range(25):
                _step(db, log, rnd.choice(["create", "create", "move"]), rnd.randrange(3), i)
        except Exception as error:  # reported below: a thread cannot fail the test itself
            errors.append(f"push {n}: {error!r}")

    def puller(who: Principal) -> None:
        cursor, pulls = "", 0
        try:
            while (not stop.is_set() or pulls < 3) and pulls < 400:
                with db.snapshot() as conn:
                    page = pull.pull(conn, who, p.PullIn(cursor=cursor, limit=5))
                    truth = pull._scope_count(conn, who)
                cursor, pulls = page.cursor, pulls + 1
                if not page.has_more and page.scope_count != truth:
                    errors.append(f"{who.user}: told {page.scope_count}, holds {truth}")
        except Exception as error:
            errors.append(f"pull {who.user}: {error!r}")

    pullers = [threading.Thread(target=puller, args=(who,)) for who in READERS[:3]]
    pushers = [threading.Thread(target=pusher, args=(n,)) for n in range(2)]
    for thread in pullers + pushers:
        thread.start()
    for thread in pushers:
        thread.join(120)
    stop.set()
    for thread in pullers:
        thread.join(120)
    assert not errors, errors[:5]
