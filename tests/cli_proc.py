"""The real `caseapp` command in a subprocess, run the way a caseworker's script runs it: no
terminal (its own session, so not even /dev/tty), stdin from /dev/null, the passphrase in the
environment, error logs kept inside the test's folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.tables import HELD, OUTBOX_STATES, REJECTED, JournalEntry
from caseapp.store.workspace import Workspace

PASSPHRASE = "correct horse battery staple"
_SCRIPT = Path(sys.executable).with_name("caseapp")
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "caseapp.cli"]
TIMEOUT_S = 180


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """stderr, which must be exactly one line and no traceback."""
        lines = self.err.splitlines()
        assert len(lines) == 1 and "Traceback" not in self.err, f"exit {self.code}, stderr:\n{self.err}"
        return lines[0]


def environment(state: Path, *, lang: str = "en", passphrase: str | None = PASSPHRASE,
                **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEAPP_")}
    env["CASEAPP_LANG"] = lang
    env["XDG_STATE_HOME"] = str(state)  # where platformdirs puts the error log on Linux
    if passphrase is not None:
        env["CASEAPP_PASSPHRASE"] = passphrase
    env.update(extra)
    return env


def caseapp(workspace: Path, *args: str, env: dict[str, str] | None = None, stdout: Any = subprocess.PIPE,
            preexec_fn: Callable[[], None] | None = None, command: list[str] | None = None) -> Ran:
    """``caseapp --workspace WORKSPACE ARGS…``; ``env`` defaults to :func:`environment` with the
    log folder beside the workspace."""
    result = subprocess.run([*(command or COMMAND), "--workspace", str(workspace), *args],
                            env=env or environment(workspace.parent / "state"), stdin=subprocess.DEVNULL,
                            stdout=stdout, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=preexec_fn, timeout=TIMEOUT_S)
    out = result.stdout.decode("utf-8", "replace") if isinstance(result.stdout, bytes) else ""
    return Ran(result.returncode, out, result.stderr.decode("utf-8", "replace"))


def make_workspace(path: Path, user: str = "worker1") -> Path:
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor=user)
    ws.close()
    return path


def outbox(workspace: Path, env: dict[str, str] | None = None) -> list[tuple[int, str, str]]:
    """(seq, entity, row id) of every change waiting to sync, read back through the command line,
    which also proves the workspace still opens."""
    ran = caseapp(workspace, "outbox", "--format", "json", env=env)
    assert ran.code == 0, ran.err
    return [(e["seq"], e["entity"], e["row_id"]) for e in json.loads(ran.out)]


def outbox_now(workspace: Path) -> list[tuple[int, str, str]]:
    """What :func:`outbox` lists (the states `caseapp outbox` shows), read in this process: the
    snapshot a test takes before its fault, where starting the command line (most of a second)
    would prove nothing that the :func:`outbox` after the fault, compared with it, does not."""
    with Workspace.open(workspace, PASSPHRASE) as ws, ws.read() as session:
        entries = session.scalars(select(JournalEntry)
                                  .where(JournalEntry.state.in_((*OUTBOX_STATES, REJECTED, HELD)))
                                  .order_by(JournalEntry.seq))
        return [(e.seq, e.entity, e.row_id) for e in entries]
