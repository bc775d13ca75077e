"""Devices for the fault scenarios: a real encrypted workspace driven through the real command line
(``.venv/bin/caseapp`` in a subprocess, passphrase and password from the environment), plus the
in-process edits a person would make in the app between syncs.

Workspaces are created and logged in in-process (cheap test KDF, no prompt): that is set-up, not
what the scenarios are about. Every sync, outbox, conflicts and resolve goes through a subprocess,
so a kill is a real SIGKILL of a real process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ENTITIES, Household, Member
from caseapp.services import records
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import run as sync_run
from tests.sync.conftest import FAST_RETRY, PASSPHRASE, PASSWORD

BIN = Path(sys.executable).parent
CASEAPP = BIN / "caseapp"
CASEAPP_SERVER = BIN / "caseapp-server"
#: runs the command line with an in-process fault (clock offset, full disk); see fault_cli.py
FAULT_CLI = Path(__file__).with_name("fault_cli.py")
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_S = 240

_DONE = re.compile(r"Sync done: pushed (\d+) \(conflicts (\d+), rejected (\d+)\), pulled (\d+), removed (\d+); "
                   r"open conflicts (\d+)")


def base_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CASEAPP_", "FAULTS_"))}
    env.update(CASEAPP_PASSPHRASE=PASSPHRASE, CASEAPP_PASSWORD=PASSWORD, CASEAPP_LANG="en",
               CASEAPP_SYNC_ATTEMPTS="2", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


@dataclass
class Run:
    args: tuple[str, ...]
    rc: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.err

    @property
    def one_line_failure(self) -> bool:
        """Failed the way the command line promises: a non-zero exit and one line saying why."""
        return self.rc != 0 and len(self.err_lines) == 1 and not self.traceback

    def counts(self) -> dict[str, int] | None:
        found = _DONE.search(self.out)
        if found is None:
            return None
        keys = ("pushed", "conflicts", "rejected", "pulled", "removed", "open_conflicts")
        return dict(zip(keys, map(int, found.groups()), strict=True))

    @property
    def quiet(self) -> bool:
        """A successful sync that had nothing to send and nothing to receive."""
        c = self.counts()
        return self.rc == 0 and c is not None and c["pushed"] == 0 and c["pulled"] == 0 and c["removed"] == 0

    def __str__(self) -> str:
        return f"caseapp {' '.join(self.args)} → {self.rc}\n{self.out}{self.err}"


@dataclass
class CliDevice:
    """One laptop: a workspace folder, its user, and the environment its processes get."""

    path: Path
    user: str
    env: dict[str, str] = field(default_factory=base_env)

    # -- the real command line ------------------------------------------------------------------
    def command(self, *args: str, wrapped: bool = False) -> list[str]:
        program = [sys.executable, str(FAULT_CLI)] if wrapped else [str(CASEAPP)]
        return [*program, "--workspace", str(self.path), *args]

    def run(self, *args: str, env: Mapping[str, str] | None = None, wrapped: bool = False,
            timeout: float = TIMEOUT_S) -> Run:
        done = subprocess.run(self.command(*args, wrapped=wrapped), env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout, check=False)
        return Run(tuple(args), done.returncode, done.stdout, done.stderr)

    def start(self, *args: str, env: Mapping[str, str] | None = None, wrapped: bool = False) -> Process:
        proc = subprocess.Popen(self.command(*args, wrapped=wrapped), env={**self.env, **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return Process(tuple(args), proc)

    def sync(self, **kwargs: Any) -> Run:
        return self.run("sync", **kwargs)

    def outbox(self) -> list[dict[str, Any]]:
        done = self.run("outbox", "--format", "json")
        assert done.rc == 0, done
        rows: list[dict[str, Any]] = json.loads(done.out)
        return rows

    def conflicts(self) -> list[dict[str, Any]]:
        done = self.run("conflicts", "--format", "json")
        assert done.rc == 0, done
        rows: list[dict[str, Any]] = json.loads(done.out)
        return rows

    # -- what a person does in the app between syncs (in-process) --------------------------------
    @contextmanager
    def workspace(self) -> Iterator[Workspace]:
        ws = Workspace.open(self.path, PASSPHRASE)
        try:
            yield ws
        finally:
            ws.close()

    def edit(self, row_id: str, entity: str = "household", **fields: Any) -> None:
        with self.workspace() as ws, ws.write() as s:
            records.update(s, records.get(s, ENTITIES[entity], row_id), fields)

    def new_household(self, org: str, **fields: Any) -> str:
        with self.workspace() as ws, ws.write() as s:
            h = records.create(s, Household, {"org_code": org, "address": "海珠区滨江东路 1 号", "head_name": "王芳",
                                              **fields})
            records.create(s, Member, {"org_code": org, "household_id": h.id, "name": "王芳"})
            return h.id

    def move(self, household_id: str, org: str) -> None:
        with self.workspace() as ws, ws.write() as s:
            records.move_household(s, records.get(s, Household, household_id), org)

    def households(self) -> list[str]:
        with self.workspace() as ws, ws.read() as s:
            return list(s.scalars(select(Household.id).order_by(Household.id)))

    def journal(self) -> list[JournalEntry]:
        with self.workspace() as ws, ws.read() as s:
            return list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))

    def in_process_sync(self) -> sync_run.SyncReport:
        """Set-up only (shared ground before a scenario): the same engine, without a process start."""
        with self.workspace() as ws:
            client = sync_run.connect(ws, retry=FAST_RETRY)
            try:
                return sync_run.sync(ws, client)
            finally:
                client.close()


@dataclass
class Process:
    args: tuple[str, ...]
    proc: subprocess.Popen[str]

    def kill(self) -> Run:
        """SIGKILL, as a power cut or the task manager would: no handler, no cleanup."""
        self.proc.send_signal(signal.SIGKILL)
        return self.wait()

    def wait(self, timeout: float = TIMEOUT_S) -> Run:
        out, err = self.proc.communicate(timeout=timeout)
        return Run(self.args, self.proc.returncode, out, err)


def make_device(folder: Path, user: str, url: str, *, name: str | None = None, login: bool = True) -> CliDevice:
    path = folder / (name or f"ws-{user}")
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor=user)
    try:
        if login:
            sync_run.login(ws, url, user, PASSWORD, retry=FAST_RETRY)
    finally:
        ws.close()
    return CliDevice(path, user)
