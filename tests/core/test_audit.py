"""The audit trail detects any edit, removal or truncation (`caseapp audit verify`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from caseapp.cli import Exit, main
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store import audit
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import household, member


def filled(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
        member(s, h.id, name="李娜", id_number="360426199101010071")
    with ws.write() as s:
        records.update(s, s.get(Household, h.id), {"phone": "13800138000"})
    with ws.write() as s:
        records.archive(s, s.get(Household, h.id))


def test_intact_trail_verifies(ws: Workspace) -> None:
    filled(ws)
    with ws.engine.connect() as conn:
        assert audit.verify(conn) == []
        rows = conn.execute(text("SELECT action, actor FROM audit ORDER BY id")).all()
    assert [r.action for r in rows] == ["create", "create", "update", "archive"]
    assert {r.actor for r in rows} == {"tester"}


TAMPERINGS: dict[str, tuple[Callable[[Connection], None], str]] = {
    "edit-changes": (lambda c: c.execute(text(
        "UPDATE audit SET changes = replace(changes, '13800138000', '13900000000') WHERE id = 3")), "hash_mismatch"),
    "edit-actor": (lambda c: c.execute(text("UPDATE audit SET actor = 'mallory' WHERE id = 1")), "hash_mismatch"),
    "remove-middle": (lambda c: c.execute(text("DELETE FROM audit WHERE id = 2")), "missing_entry"),
    "remove-last": (lambda c: c.execute(text("DELETE FROM audit WHERE id = 4")), "head_mismatch"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_tampering_is_detected(ws: Workspace, name: str) -> None:
    filled(ws)
    tamper, expected = TAMPERINGS[name]
    with ws.engine.begin() as conn:
        tamper(conn)
    with ws.engine.connect() as conn:
        problems = audit.verify(conn)
    assert expected in {p.problem for p in problems}


def test_cli_audit_verify_exit_codes(ws_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from caseapp.crypto.keyfile import TEST_KDF

    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    filled(ws)
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    assert main(["--workspace", str(ws_path), "audit", "verify"]) == 0
    assert "4 entries" in capsys.readouterr().out
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE audit SET actor = 'mallory' WHERE id = 2"))
    ws.close()
    assert main(["--workspace", str(ws_path), "audit", "verify"]) == Exit.DAMAGED
    err = capsys.readouterr().err
    assert "Audit entry 2" in err and "tampered" in err
    assert os.environ["CASEAPP_LANG"] == "en"
