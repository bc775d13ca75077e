"""Faults a caseworker meets that must end in a retry or one clear line, never a traceback:
(i) two syncs of one workspace at once (the desktop app's timer and a `caseapp sync` in a
terminal, say), and an answer cut off mid-body by the network. Either way nothing is lost."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from caseapp.services import demo
from tests.sync.conftest import GRID_A1, Server

from . import tally
from .checks import audit_edits, outbox_left, replica_differences
from .devices import CliDevice, Run, make_device
from .marks import SQLITE_THEN_POSTGRES_LONG
from .proxy import AT_RESPONSE, CUT_RESPONSE, FaultProxy


def office_with_work(server: Server, tmp_path: Path) -> None:
    office = make_device(tmp_path, "admin", server.url, name="ws-office")
    with office.workspace() as ws:
        demo.generate(ws, 100, seed=2)
    office.in_process_sync()


def retried_or_one_line(run: Run) -> bool:
    return run.rc == 0 or run.one_line_failure


def converged_nothing_lost(laptop: CliDevice, server: Server) -> None:
    final = laptop.sync()
    assert final.rc == 0, final
    assert outbox_left(laptop) == [] and replica_differences([laptop], server.db) == []
    assert laptop.run("audit", "verify").rc == 0
    edits = audit_edits([laptop], server.db)
    assert edits.lost == [] and edits.rejected == [] and edits.checked >= 2


@SQLITE_THEN_POSTGRES_LONG
def test_two_syncs_of_one_workspace_at_once(backend: str, server: Server, tmp_path: Path,
                                            make_proxy: Callable[..., FaultProxy]) -> None:
    office_with_work(server, tmp_path)
    proxy = make_proxy(server.url)
    laptop = make_device(tmp_path, "admin", proxy.url)
    laptop.new_household(GRID_A1, notes="两次同步之前录入的")
    # One sync is held mid-pull, with the first page's answer on its way: the other, started at the
    # same moment, must stop at once with one line (it never waits for the first), not later.
    hold = proxy.hold("/api/v1/pull", at=AT_RESPONSE, nth=1)
    started = [laptop.start("sync"), laptop.start("sync")]
    reached = hold.wait(180)
    deadline = time.monotonic() + 60
    while all(p.proc.poll() is None for p in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    stopped_while_held = any(p.proc.poll() is not None for p in started)
    hold.release()
    runs = [p.wait() for p in started]
    tally.record("two syncs at once", notes={"one-line or ok": sum(map(retried_or_one_line, runs))})
    assert reached and stopped_while_held, runs
    converged_nothing_lost(laptop, server)
    assert all(map(retried_or_one_line, runs)), "\n".join(map(str, runs))
    assert any(r.rc == 0 for r in runs), "\n".join(map(str, runs))


@SQLITE_THEN_POSTGRES_LONG
@pytest.mark.parametrize("path", [pytest.param("/api/v1/push", marks=pytest.mark.faults_long), "/api/v1/pull"])
def test_answer_cut_mid_body_is_retried(backend: str, server: Server, tmp_path: Path,
                                        make_proxy: Callable[..., FaultProxy], path: str) -> None:
    proxy = make_proxy(server.url)
    laptop = make_device(tmp_path, "worker1", proxy.url)
    laptop.new_household(GRID_A1, notes="网络断断续续时录入的")
    proxy.script(CUT_RESPONSE, path)
    cut = laptop.sync()  # two attempts (CASEAPP_SYNC_ATTEMPTS=2): the retry gets a whole answer
    tally.record("answer cut mid-body", injected=proxy.injected)
    converged_nothing_lost(laptop, server)
    assert cut.rc == 0, cut
