"""The sync commands of `caseapp`: login, sync, conflicts, resolve, outbox; one-line failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from caseapp.cli import Exit, main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace

from .conftest import GRID_A1, PASSPHRASE, PASSWORD, Server


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_PASSWORD", PASSWORD)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setenv("CASEAPP_SYNC_ATTEMPTS", "1")


def make_workspace(path: Path, user: str) -> Path:
    ws, _ = Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor=user)
    ws.close()
    return path


def cli(path: Path, *args: str) -> int:
    return main(["--workspace", str(path), *args])


def add_household(path: Path, **fields: str) -> str:
    with Workspace.open(path, PASSPHRASE) as ws, ws.write() as s:
        return records.create(s, Household, {"org_code": GRID_A1, "address": "滨江东路", **fields}).id


def set_phone(path: Path, hid: str, phone: str) -> None:
    with Workspace.open(path, PASSPHRASE) as ws, ws.write() as s:
        records.update(s, records.get(s, Household, hid), {"phone": phone})


def test_login_sync_conflicts_resolve_outbox(env: None, server: Server, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    a = make_workspace(tmp_path / "a", "worker1")
    b = make_workspace(tmp_path / "b", "worker2")
    assert cli(a, "login", server.url, "--user", "worker1") == 0
    assert cli(b, "login", server.url, "--user", "worker2") == 0
    hid = add_household(a)
    assert cli(a, "outbox", "--format", "json") == 0
    capsys.readouterr()
    assert cli(a, "sync") == 0
    assert cli(b, "sync") == 0
    set_phone(a, hid, "13800000001")
    set_phone(b, hid, "13900000002")
    for path in (a, b, a):
        assert cli(path, "sync") == 0
    capsys.readouterr()
    assert cli(b, "conflicts", "--format", "json") == 0
    (conflict,) = json.loads(capsys.readouterr().out)
    assert conflict["field"] == "phone"
    assert cli(a, "conflicts") == 0
    assert conflict["id"] in capsys.readouterr().out
    assert cli(a, "resolve", conflict["id"], "--value", "020-83561234") == 0
    capsys.readouterr()
    assert cli(a, "outbox", "--format", "json") == 0
    queued = json.loads(capsys.readouterr().out)
    assert [(e["op"], e["state"]) for e in queued] == [("set", "pending"), ("resolve", "pending")]
    for path in (a, b):
        assert cli(path, "sync") == 0
    capsys.readouterr()
    assert cli(b, "conflicts", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []
    with Workspace.open(b, PASSPHRASE) as ws, ws.read() as s:
        assert s.get(Household, hid).phone == "020-83561234"  # type: ignore[union-attr]
    assert cli(b, "outbox") == 0
    assert "No pending or rejected changes" in capsys.readouterr().out


def test_sync_says_why_in_one_line_when_offline_refused_or_revoked(
        env: None, server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_workspace(tmp_path / "a", "worker1")
    assert cli(a, "sync") == 1
    assert capsys.readouterr().err.strip() == (
        "This workspace is not logged in to a sync server; run caseapp login first")
    assert cli(a, "login", server.url, "--user", "worker1") == 0
    add_household(a)
    server.stop()
    capsys.readouterr()
    assert cli(a, "sync") == Exit.OFFLINE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Cannot reach the sync server")
    server.start()
    with Workspace.open(a, PASSPHRASE) as ws:
        server.revoke(ws.device_id)
    assert cli(a, "sync") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["This device has been revoked by an administrator and can no longer sync"]
    assert cli(a, "outbox", "--format", "json") == 0
    assert {e["state"] for e in json.loads(capsys.readouterr().out)} == {"sent"}  # kept, waiting


def test_login_with_wrong_password_fails_in_one_line(env: None, server: Server, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    a = make_workspace(tmp_path / "a", "worker1")
    monkeypatch.setenv("CASEAPP_PASSWORD", "wrong")
    assert cli(a, "login", server.url, "--user", "worker1") == 1
    assert capsys.readouterr().err.strip() == "Wrong user name or password"
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    assert cli(a, "login", server.url, "--user", "worker1") == 1
    assert capsys.readouterr().err.strip() == "用户名或密码不正确"


def test_sync_on_a_terminal_shows_how_far_it_has_got(env: None, server: Server, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    a = make_workspace(tmp_path / "a", "worker1")
    assert cli(a, "login", server.url, "--user", "worker1") == 0
    for n in range(3):
        add_household(a, head_name="王芳", phone=f"1380013800{n}")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli(a, "sync") == 0
    shown = terminal.getvalue()
    assert "Sending changes: 3 of 3" in shown and "Receiving changes: 3 of 3" in shown
    assert shown.endswith("\r\x1b[K")  # the progress line is cleared before the result is printed
    assert "Sync done" in capsys.readouterr().out
