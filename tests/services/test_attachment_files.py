"""Photos and scans: labelled as they are added, read back, saved out as a copy noted in the
audit trail, and removed without losing the fact that they were there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from caseapp.domain import Attachment, Household
from caseapp.errors import NotFoundError
from caseapp.services import access, attachment_files, records
from caseapp.services.lists import attachments_for
from caseapp.store.tables import AuditEntry
from caseapp.store.workspace import Workspace

GRID = "44010400100701"
SCAN = b"%PDF-1.4 a scanned hukou page\n" * 20


def _household(ws: Workspace) -> str:
    with ws.write() as s:
        return records.create(s, Household, {"org_code": GRID, "address": "龙庆北 12 号", "head_name": "陈秀英"}).id


def test_a_file_is_labelled_kept_encrypted_saved_out_with_a_note_and_removed(ws: Workspace, tmp_path: Path) -> None:
    hid = _household(ws)
    with ws.write() as s:
        added = attachment_files.add(ws, s, ("household", hid), SCAN, "户口本第二页.pdf", kind="hukou",
                                     caption="户主页")
        photo = attachment_files.add(ws, s, ("household", hid), b"\x89PNG fake", "门牌.png")
        assert (added.kind, added.caption, added.mime_type, added.org_code) == (
            "hukou", "户主页", "application/pdf", GRID)
        assert (photo.kind, photo.mime_type) == ("photo", "image/png")  # a picture is a photo until said
        added_id = added.id
    stored = [p.read_bytes() for p in (ws.path / "attachments").rglob("*") if p.is_file()]
    assert stored and not any(b"hukou page" in b for b in stored)

    target = tmp_path / "out" / "户口本.pdf"
    target.parent.mkdir()
    attachment_files.save_copy(ws, added_id, target)
    assert target.read_bytes() == SCAN and (target.stat().st_mode & 0o777) == 0o600
    with ws.read() as s:
        noted = s.scalars(select(AuditEntry).where(AuditEntry.row_id == added_id,
                                                   AuditEntry.action == access.EXPORT)).all()
    assert [json.loads(n.changes) for n in noted] == [{"saved": "hukou", "file": "户口本.pdf", "size": len(SCAN)}]

    with ws.write() as s:
        attachment_files.remove(s, added_id)
    with ws.read() as s:
        assert [a.filename for a in attachments_for(s, hid)] == ["门牌.png"]
        assert records.get(s, Attachment, added_id).archived  # the fact stays


def test_a_file_not_yet_on_this_device_says_so(ws: Workspace) -> None:
    hid = _household(ws)
    with ws.write() as s:
        added = attachment_files.add(ws, s, ("household", hid), SCAN, "扫描件.pdf")
        digest = added.digest
    for path in (ws.path / "attachments").rglob("*"):
        if path.is_file():
            path.unlink()  # as on a colleague's device before the file came down
    with ws.read() as s, pytest.raises(NotFoundError) as missing:
        attachment_files.content(ws, records.get(s, Attachment, added.id))
    assert missing.value.key == "attachment.not_here" and digest
