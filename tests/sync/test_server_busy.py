"""A push the server's SQLite database cannot take in time (another process holds its write lock: an
administrator's ``caseapp-server`` command, a second ``serve --workers`` process) is answered 503 with
Retry-After and its own message, never a 500: nothing was written, the device keeps its changes and
says so in one line, and the same push goes in once the database is free.

A real uvicorn server on 127.0.0.1 over a SQLite file, its busy timeout shortened to keep the test short.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from caseapp.messages import message
from caseapp.store.tables import JournalEntry
from sync import protocol as p
from sync import settings
from sync.errors import ServerFailedError
from sync.server import db as server_db_module

from .conftest import GRID_A1, Device
from .test_end_to_end import new_household


@pytest.fixture(autouse=True)
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_db_module, "BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def backend() -> str:
    return "sqlite"  # PostgreSQL takes row locks and waits: there is no "database is locked"


def _file(dev: Device) -> Path:
    url = dev.server.db.engine.url
    assert url.database is not None
    return Path(url.database)


def test_a_push_the_database_cannot_take_is_503_and_goes_in_later(device: Callable[[str], Device]) -> None:
    one = device("worker1")
    new_household(one, GRID_A1, head_name="区伯")
    holder = sqlite3.connect(_file(one), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write, as far as SQLite can tell
    try:
        with pytest.raises(ServerFailedError) as refused:
            one.sync()
        assert refused.value.key == "sync.server_busy" and refused.value.params == {"status": 503}
        said = message(refused.value.key, "zh", **refused.value.params)
        assert "\n" not in said and "未做任何改动" in said
        # as the wire has it: 503, a time to come back, the reason by its key
        token = one.ws.get_setting(settings.TOKEN)
        answer = requests.post(f"{one.server.url}{p.API_PREFIX}/push", json={"ops": [], "audit": []}, timeout=10,
                               headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "5" and answer.json()["error"] == "sync.server_busy"
    finally:
        holder.rollback()
        holder.close()
    with one.ws.read() as s:
        assert s.query(JournalEntry).count() > 0  # kept
    report = one.sync()
    assert report.push.rejected == 0 and report.push.applied > 0
