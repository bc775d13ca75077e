"""When records leave a device's scope, nothing personal about them stays on the laptop.

A caseworker covering communities A and B pulls A's households, their ID scans, a conflict about
them, and audit entries with their values; then A leaves her reach (her scope is cut to B, or the
household is moved to another community). After the next sync neither the database (every page,
decrypted, free ones too) nor the attachment store holds a name, ID number or phone number of A's
people, while B's records and the content they share stay, and the audit trail still verifies.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import select

from caseapp import cli
from caseapp.domain import Attachment, Household, Member
from caseapp.services import access, records
from caseapp.store import audit
from caseapp.store.paths import DB_FILE
from caseapp.store.tables import AuditEntry, ConflictRecord
from caseapp.validation.idnumber import id_check_char
from sync import run
from sync.server import trails

from .conftest import COMMUNITY_A, COMMUNITY_B, PASSPHRASE, STREET, Device, Server
from .test_end_to_end import edit

GRID_A1, GRID_B1 = COMMUNITY_A + "01", COMMUNITY_B + "01"
ELSEWHERE = STREET + "003" + "01"  # a third community, outside the caseworker's reach

A_HEAD, A_RIVALS, A_MEMBER = "欧阳秀兰", ("欧阳秀英", "欧阳修兰"), "欧阳振华"
A_ID = "44010519520315002" + id_check_char("44010519520315002")
A_PHONE = "13712340987"
B_HEAD, B_ID = "李建国", "44010519800101003" + id_check_char("44010519800101003")
A_SCAN = f"ID card scan {A_ID} {A_HEAD}".encode() * 40
SHARED_FORM = "低保申请表（空白）".encode() * 60  # the same blank form attached in both communities
B_SCAN = f"ID card scan {B_ID} {B_HEAD}".encode() * 40


def a_needles() -> list[str]:
    texts = [A_HEAD, *A_RIVALS, A_MEMBER, A_ID, A_ID[::-1], A_PHONE, A_PHONE[::-1], "ouyang"]
    return texts


def add_household(dev: Device, org: str, head: str, id_number: str, phone: str | None = None) -> str:
    with dev.ws.write() as s:
        h = records.create(s, Household, {"org_code": org, "address": "海珠区滨江东路 9 号", "head_name": head,
                                          "phone": phone})
        records.create(s, Member, {"org_code": org, "household_id": h.id, "name": head, "id_number": id_number})
        if head == A_HEAD:
            records.create(s, Member, {"org_code": org, "household_id": h.id, "name": A_MEMBER, "phone": A_PHONE})
        return h.id


def add_attachment(dev: Device, owner: str, org: str, content: bytes, name: str) -> str:
    digest = dev.ws.attachments.put(content)
    with dev.ws.write() as s:
        records.create(s, Attachment, {"org_code": org, "owner_entity": "household", "owner_id": owner,
                                       "digest": digest, "size": len(content), "filename": name})
    return digest


def database_text(dev: Device) -> str:
    """Every value of every table, as the decrypted database holds them."""
    out: list[str] = []
    with dev.ws.engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars().all()
        for table in tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}"'):
                out.append(f"{table}: {tuple(row)!r}")
    return "\n".join(out)


PAGE, RESERVE = 4096, 80  # SQLCipher 4 defaults: 4096-byte pages ending in 80 bytes of IV and HMAC


def _decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    body = page[16:PAGE - RESERVE] if first else page[:PAGE - RESERVE]  # page 1 starts with the salt
    iv = page[PAGE - RESERVE:PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_pages(path: Path, key: bytes) -> Iterator[bytes]:
    """Every page of a SQLCipher file, decrypted, free pages included: what deleted rows leave
    behind is in them."""
    data = path.read_bytes()
    for start in range(0, len(data), PAGE):
        yield _decrypt_page(data[start:start + PAGE], key, start == 0)


def decrypted_wal_frames(path: Path, key: bytes) -> Iterator[bytes]:
    """Every frame of the write-ahead log, decrypted (32-byte header, then 24-byte frame headers
    each followed by a page): older versions of pages stay in it until it is emptied."""
    data = path.read_bytes() if path.exists() else b""
    for start in range(32, len(data) - PAGE + 1, 24 + PAGE):
        page_no = int.from_bytes(data[start:start + 4], "big")
        yield _decrypt_page(data[start + 24:start + 24 + PAGE], key, page_no == 1)


def audit_verify_cli(dev: Device, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["--workspace", str(dev.ws.path), "audit", "verify"])
    return code, out.getvalue()


@pytest.mark.parametrize("leaves", ["scope_cut", "household_moved"])
def test_records_leaving_the_scope_leave_nothing_personal_behind(
        device: Callable[[str], Device], server: Server, monkeypatch: pytest.MonkeyPatch, leaves: str) -> None:
    server.add_user("worker_ab", "caseworker", [COMMUNITY_A, COMMUNITY_B])
    sup, other, laptop = device("supervisor"), device("worker1"), device("worker_ab")
    in_a = add_household(sup, GRID_A1, A_HEAD, A_ID, A_PHONE)
    in_b = add_household(sup, GRID_B1, B_HEAD, B_ID)
    a_scan = add_attachment(sup, in_a, GRID_A1, A_SCAN, f"{A_HEAD}身份证.jpg")
    shared = add_attachment(sup, in_a, GRID_A1, SHARED_FORM, "申请表.pdf")
    add_attachment(sup, in_b, GRID_B1, SHARED_FORM, "申请表.pdf")
    b_scan = add_attachment(sup, in_b, GRID_B1, B_SCAN, f"{B_HEAD}身份证.jpg")
    sup.sync()
    other.sync()
    laptop.sync()
    # A same-field clash about A's household: the laptop receives the conflict and the change.
    edit(sup, in_a, head_name=A_RIVALS[0])
    edit(other, in_a, head_name=A_RIVALS[1])
    sup.sync()
    other.sync()
    laptop.sync()
    # The laptop opens the household, prints its sheet, opens the scans.
    access.note(laptop.ws, access.VIEW, "household", in_a)
    access.note(laptop.ws, access.EXPORT, "household", in_a, {"printed": "household_sheet",
                                                              "file": f"{A_HEAD}-登记表.pdf"})
    client = laptop.client()
    for digest in (a_scan, shared, b_scan):
        run.fetch_attachment(laptop.ws, client, digest)
    client.close()
    edit(laptop, in_a, notes=f"已入户核对{A_HEAD}的情况")  # what the laptop itself typed, applied
    laptop.sync()  # its trail and its edit reach the server
    before = database_text(laptop)
    with laptop.ws.read() as s:
        assert s.scalars(select(ConflictRecord.row_id)).all() == [in_a]
    assert all(n in before for n in (A_HEAD, A_RIVALS[1], A_ID, A_ID[::-1], A_PHONE, "ouyang"))  # the scan sees
    assert laptop.ws.attachments.digests() == sorted([a_scan, shared, b_scan])

    if leaves == "scope_cut":
        server.set_scopes("worker_ab", [COMMUNITY_B])
    else:
        with sup.ws.write() as s:
            records.move_household(s, records.get(s, Household, in_a), ELSEWHERE)
        sup.sync()
    report = laptop.sync()
    assert report.resynced == (leaves == "scope_cut") and report.removed >= 5

    # Every leak, by where it is, so a failure names them all.
    text = database_text(laptop)
    leaks: dict[str, list[str]] = {"tables": [n for n in a_needles() if n in text]}
    with laptop.ws.read() as s:
        leaks["conflicts"] = [c.row_id for c in s.scalars(select(ConflictRecord))]
        trail_about_a = s.scalars(select(AuditEntry.id).where(AuditEntry.row_id == in_a)).all()
    leaks["attachment files"] = [d for d in laptop.ws.attachments.digests() if d not in (shared, b_scan)]
    leaks["attachment content"] = [n for d in laptop.ws.attachments.digests()
                                   for n in a_needles() if n in laptop.ws.attachments.get(d).decode()]
    with laptop.ws.engine.connect() as conn:
        leaks["audit verify"] = [f"{p.entry_id}: {p.problem}" for p in audit.verify(conn)]
    laptop.sync()  # the redactions reach the server as entries of the trail, which still checks out there
    with server.db.read() as conn:
        leaks["server's trail"] = [f"{t.broken} broken" for t in trails.verify(conn) if t.broken]
    key = laptop.ws._key
    frames = b"".join(decrypted_wal_frames(laptop.ws.path / f"{DB_FILE}-wal", key))
    leaks["log frames"] = [n for n in a_needles() if n.encode() in frames]
    laptop.ws.close()
    pages = b"".join(decrypted_pages(laptop.ws.path / DB_FILE, key))
    leaks["file pages"] = [n for n in a_needles() if n.encode() in pages]  # free pages included
    code, said = audit_verify_cli(laptop, monkeypatch)
    if code:
        leaks["caseapp audit verify"] = [said]
    assert leaks == {where: [] for where in leaks}
    # What stays in scope stays; the trail about A's household is redacted, not cut out.
    assert B_HEAD in text and B_ID in text and B_HEAD.encode() in pages
    assert sorted(laptop.ws.attachments.digests()) == sorted([shared, b_scan])
    assert trail_about_a != []

