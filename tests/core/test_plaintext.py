"""No plaintext of any record reaches disk: database, WAL, journal, temp files, attachments, backups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Attachment, CareVisit, ElderProfile
from caseapp.services import exchange, records
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import ORG, household, member

# Distinctive values that cannot occur in ciphertext by chance.
NAME = "欧阳慧敏"
ADDRESS = "越秀区洪桥街道小北路一百二十八号"
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"
NOTE = "老人独居，患有高血压，需要每周探访"
PHOTO = b"JPEG-BYTES-OF-A-CONSENT-FORM-" + "同意书".encode() * 50


def needles() -> list[bytes]:
    found = []
    for text in (NAME, ADDRESS, ID_NUMBER, PHONE, NOTE):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030"):
            found.append(text.encode(encoding))
    found.append(PHOTO[:40])
    return found


def scan(folder: Path) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {n[:12]!r}" for n in needles() if n in data]
    return hits


def fill(ws: Workspace) -> None:
    digest = ws.attachments.put(PHOTO)
    with ws.write() as s:
        h = household(s, address=ADDRESS, head_name=NAME, phone=PHONE)
        m = member(s, h.id, name=NAME, id_number=ID_NUMBER, phone=PHONE)
        elder = records.create(s, ElderProfile, {"org_code": ORG, "household_id": h.id, "member_id": m.id,
                                                 "notes": NOTE})
        records.create(s, CareVisit, {"org_code": ORG, "elder_id": elder.id, "notes": NOTE,
                                      "visited_at": dt.datetime.now(dt.UTC)})
        records.create(s, Attachment, {"org_code": ORG, "owner_entity": "household", "owner_id": h.id,
                                       "digest": digest, "filename": "consent.jpg", "size": len(PHOTO)})


@pytest.mark.parametrize("close", [False, True], ids=["while-open", "after-close"])
def test_no_plaintext_anywhere_under_the_workspace(ws_path: Path, close: bool) -> None:
    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    fill(ws)
    # exercise sorts and temp structures, which must stay in memory
    with ws.read() as s:
        s.connection().exec_driver_sql("SELECT * FROM members ORDER BY name, phone").fetchall()
    assert exchange.export_bytes(ws).count(NAME.encode()) >= 1  # the data really is there
    if close:
        ws.close()
    try:
        assert scan(ws_path) == []
        assert list(ws_path.glob("workspace.db-journal")) == []
    finally:
        if not close:
            ws.close()


def test_the_scan_would_see_plaintext(tmp_path: Path) -> None:
    """The scanner is not blind: the same data in a plain SQLite workspace is found."""
    ws, _ = Workspace.create(tmp_path / "plain", PASSPHRASE, kdf=TEST_KDF, plain=True)
    fill(ws)
    ws.close()
    assert any("workspace.db" in hit for hit in scan(tmp_path / "plain"))


def test_migration_backup_is_encrypted(ws_path: Path) -> None:
    from caseapp.store.workspace import backup

    ws, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF)
    fill(ws)
    ws.close()
    copy = backup(ws_path, "test")
    assert copy.exists()
    assert scan(ws_path) == []
