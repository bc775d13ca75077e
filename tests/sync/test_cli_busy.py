"""`caseapp sync` holds the sync lock; a database locked a moment by another program opening the
workspace (a second sync about to stop, the desktop app) is tried again shortly, not given up: the
one sync that runs finishes. A second sync while one runs still stops at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from caseapp.cli import main as caseapp_main
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.faults import WorkspaceBusyError
from caseapp.store.lock import sync_lock
from sync import commands

from .conftest import GRID_A1, PASSPHRASE, Device


@pytest.fixture
def laptop(device: Callable[[str], Device], monkeypatch: pytest.MonkeyPatch) -> Path:
    dev = device("worker1")
    with dev.ws.write() as s:
        records.create(s, Household, {"org_code": GRID_A1, "address": "龙庆北 12 号", "head_name": "陈秀英"})
    path = dev.ws.path
    dev.ws.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setattr(commands, "BUSY_PAUSE_S", 0.01)
    return path


def test_a_database_locked_for_a_moment_is_tried_again(laptop: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    real, calls = commands.run.sync, []

    def locked_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise WorkspaceBusyError()  # "workspace.busy": the database was locked
        return real(*args, **kwargs)

    monkeypatch.setattr(commands.run, "sync", locked_once)
    assert caseapp_main(["--workspace", str(laptop), "sync"]) == 0
    assert len(calls) == 2 and "pushed 1" in capsys.readouterr().out


def test_a_database_that_stays_locked_says_so_in_one_line(laptop: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    calls: list[int] = []

    def always(*_args: Any, **_kwargs: Any) -> Any:
        calls.append(1)
        raise WorkspaceBusyError()

    monkeypatch.setattr(commands.run, "sync", always)
    assert caseapp_main(["--workspace", str(laptop), "sync"]) == 3
    assert len(calls) == commands.BUSY_RETRIES + 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "database is locked" in err


def test_a_second_sync_still_stops_at_once(laptop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sync_lock(laptop):
        assert caseapp_main(["--workspace", str(laptop), "sync"]) == 3
    assert "already running" in capsys.readouterr().err
