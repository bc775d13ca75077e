"""`caseapp-server`: init, user add/scope/disable, device list/revoke, demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.server.cli import main


def test_server_cli_administers_users_and_devices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    monkeypatch.setenv("CASEAPP_PASSWORD", "a good password")
    assert main(["--db", db, "init"]) == 0
    assert main(["--db", db, "user", "add", "li", "--role", "caseworker", "--scope", "440105001001"]) == 0
    assert main(["--db", db, "user", "scope", "li", "--scope", "440105001002"]) == 0
    assert main(["--db", db, "user", "add", "x", "--role", "caseworker"]) == 1  # a caseworker needs a scope
    assert "at least one scope" in capsys.readouterr().err
    assert main(["--db", db, "user", "add", "y", "--role", "supervisor", "--scope", "44x"]) == 1
    assert main(["--db", db, "user", "disable", "li"]) == 0
    assert main(["--db", db, "user", "disable", "nobody"]) == 1
    assert main(["--db", db, "device", "revoke", "nothing"]) == 1
    assert main(["--db", db, "device", "list"]) == 0
    assert main(["--db", db, "demo"]) == 0
    assert "worker1" in capsys.readouterr().out
