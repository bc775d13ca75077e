"""Claims of docs/security.md that had no test of their own: content is stored only when it matches
its digest, the device token is in no plain file, a device id cannot be taken over, an id held in
another scope reveals nothing of its record, and what a device lying about the position it had seen
(``base_pos``) can and cannot do. Real server on loopback, SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Attachment, Household
from caseapp.services import records
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from sync import protocol as p
from sync import settings
from sync.client import SyncClient
from sync.errors import RefusedError
from sync.server import attachments, schema, trails
from sync.server.auth import token_hash
from tests.cli_proc import caseapp, environment, make_workspace

from .conftest import COMMUNITY_B, FAST_RETRY, GRID_A1, PASSPHRASE, PASSWORD, Device, Server
from .test_end_to_end import edit, new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op

GRID_B1 = COMMUNITY_B + "01"


def put(server: Server, dev: Device, digest: str, size: int, offset: int, data: bytes) -> requests.Response:
    return requests.put(f"{server.url}{p.API_PREFIX}/attachments/{digest}", data=data, timeout=60,
                        params={"size": size, "offset": offset},
                        headers={"Authorization": f"Bearer {dev.ws.get_setting(settings.TOKEN)}",
                                 p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)})


def attach(dev: Device, owner: str, org: str, digest: str, size: int) -> None:
    with dev.ws.write() as s:
        records.create(s, Attachment, {"org_code": org, "owner_entity": "household", "owner_id": owner,
                                       "digest": digest, "size": size, "kind": "id_scan", "filename": "scan.jpg"})


# --- uploads are checked against their digest -------------------------------------------------------

def test_content_that_does_not_match_its_digest_is_stored_for_nobody(device: Callable[[str], Device],
                                                                    server: Server) -> None:
    """The first to upload under a digest the server does not hold yet sends other bytes (a forger
    who read the digest off an export, or a damaged upload), across three chunks: the server takes
    the first two, refuses the last because the whole does not hash to the digest, stores nothing
    under it, and the owner's real content goes through afterwards."""
    forger, owner, colleague = device("worker3"), device("worker1"), device("worker2")
    scan = os.urandom(2 * p.ATTACHMENT_CHUNK + 17)
    digest = hashlib.sha256(scan).hexdigest()
    fake = scan[:-1] + bytes([scan[-1] ^ 0xFF])  # the same size, one byte off in the last chunk
    chunk = p.ATTACHMENT_CHUNK
    for offset in (0, chunk):
        taken = put(server, forger, digest, len(fake), offset, fake[offset:offset + chunk])
        assert taken.status_code == 200 and taken.json()["complete"] is False
    last = put(server, forger, digest, len(fake), 2 * chunk, fake[2 * chunk:])
    assert (last.status_code, last.json()["error"]) == (422, "sync.attachment_digest_mismatch")
    with server.db.read() as conn:
        assert attachments.content(conn, digest) is None
        assert conn.execute(select(schema.attachments.c.digest)).scalars().all() == []
    # A record pointing at the digest is refused as content the server lacks, for the forger...
    attach(forger, new_household(forger, GRID_B1), GRID_B1, digest, len(scan))
    assert forger.sync().push.reasons == ["sync.attachment_missing"]
    # ...while the owner, who holds the real bytes, uploads them and her record is accepted.
    owner.ws.attachments.put(scan)
    attach(owner, new_household(owner), GRID_A1, digest, len(scan))
    assert owner.sync().push.rejected == 0
    with server.db.read() as conn:
        assert attachments.content(conn, digest) == scan
    colleague.sync()
    client = colleague.client()
    try:
        assert client.download_attachment(digest, len(scan)) == scan
    finally:
        client.close()


# --- text no database can hold -------------------------------------------------------------------------

def test_a_lone_surrogate_in_a_pushed_value_is_refused_not_a_server_error(device: Callable[[str], Device],
                                                                         server: Server) -> None:
    """What tests/sync/test_round_trip_property.py's junk finds, as one fixed case: a hostile device
    pushes text no database can hold (an escaped lone surrogate) in text, code, phone, name and date
    fields. Each must be refused like any bad value (a 422 for the body, or a rejected verdict),
    and change nothing. The member's birth date is the case main's op_hash fix (dbac83c) leaves."""
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    before = server_fields(server, hid)
    new = create_op("household", {"org_code": GRID_A1, "address": "\ud800"})
    born = create_op("member", {"org_code": GRID_A1, "household_id": hid, "name": "李四", "birth_date": "\ud800"})
    ops = [new, born, *(set_op("household", hid, name, value) for name, value in (
        ("notes", "a\udfffb"), ("register_type", "\ud800"), ("phone", "\ud800"), ("head_name", "王\ud800")))]
    body = json.dumps({"ops": [op.model_dump(exclude_defaults=True) for op in ops]}, ensure_ascii=True)
    answer = requests.post(f"{server.url}{p.API_PREFIX}/push", data=body.encode("ascii"), timeout=30,
                           headers={"Authorization": f"Bearer {a.ws.get_setting(settings.TOKEN)}",
                                    "Content-Type": "application/json", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)})
    assert answer.status_code in (200, 422), answer.status_code
    if answer.status_code == 200:
        assert [v["verdict"] for v in answer.json()["verdicts"]] == ["rejected"] * len(ops)
    assert server_fields(server, new.row_id) is None and server_fields(server, born.row_id) is None
    assert server_fields(server, hid) == before


# --- the device token ---------------------------------------------------------------------------------

def needles(*secrets: str) -> list[bytes]:
    """Each secret in the encodings tests/core/test_plaintext.py scans for."""
    return [s.encode(encoding) for s in secrets for encoding in ("utf-8", "utf-16-le", "utf-16-be", "gb18030")]


def plain_hits(folders: list[Path], secrets: list[bytes]) -> list[str]:
    hits = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                hits += [f"{path.relative_to(folder.parent)}: {n[:8]!r}…" for n in secrets if n in data]
    return hits


def test_the_device_token_and_password_are_in_no_plain_file(server: Server, tmp_path: Path) -> None:
    """`caseapp login` and `caseapp sync` through the real command line, then every byte of every
    file of the workspace folder and of the command's own state folder (its error log) is scanned
    for the token and the password: while the workspace is open (its write-ahead log there) and
    after it is closed."""
    path = make_workspace(tmp_path / "ws")
    env = environment(tmp_path / "state", CASEAPP_PASSWORD=PASSWORD)
    assert caseapp(path, "login", server.url, "--user", "worker1", env=env).code == 0
    with Workspace.open(path, PASSPHRASE) as ws, ws.write() as s:
        records.create(s, Household, {"org_code": GRID_A1, "address": "滨江东路 5 号"})
    synced = caseapp(path, "sync", env=env)
    assert synced.code == 0 and "pushed 1" in synced.out, synced.err
    folders = [path, tmp_path / "state"]
    (tmp_path / "state").mkdir(exist_ok=True)
    ws = Workspace.open(path, PASSPHRASE)
    try:
        token = str(ws.get_setting(settings.TOKEN))
        with server.db.read() as conn:  # the token the workspace holds is the device's live one
            held = conn.execute(select(schema.devices.c.token_hash).where(schema.devices.c.id == ws.device_id))
            assert held.scalar_one() == token_hash(token)
        secrets = needles(token, PASSWORD)
        assert (path / "workspace.db-wal").exists()
        assert plain_hits(folders, secrets) == []
    finally:
        ws.close()
    assert plain_hits(folders, secrets) == []

    # The scan is not blind: the same token in a workspace stored without encryption is found.
    plain, _ = Workspace.create(tmp_path / "plain", PASSPHRASE, kdf=TEST_KDF, plain=True)
    plain.set_setting(settings.TOKEN, token)
    plain.close()
    assert plain_hits([tmp_path / "plain"], needles(token)) != []


# --- device ids -------------------------------------------------------------------------------------

def test_a_device_id_registered_by_another_user_cannot_be_taken_over(device: Callable[[str], Device],
                                                                     server: Server) -> None:
    """Another user who knows a laptop's device id (it is in exports, logs, audit trails) and logs in
    with her own right password under it gets no token for it; the laptop keeps its own."""
    laptop = device("worker1")
    taken = laptop.ws.device_id
    token = str(laptop.ws.get_setting(settings.TOKEN))
    client = SyncClient(server.url, retry=FAST_RETRY)
    try:
        for user in ("worker3", "worker2", "admin"):  # another community, the same one, the administrator
            with pytest.raises(RefusedError) as refused:
                client.login(user, PASSWORD, taken)
            assert (refused.value.status, refused.value.key) == (409, "sync.device_taken"), user
        with pytest.raises(RefusedError) as refused:  # without the password, not even that it is taken
            client.login("worker3", "not her password", taken)
        assert refused.value.key == "sync.bad_credentials"
    finally:
        client.close()
    with server.db.read() as conn:
        row = conn.execute(select(schema.devices).where(schema.devices.c.id == taken)).one()
    assert (row.user_name, row.token_hash, row.revoked) == ("worker1", token_hash(token), False)
    new_household(laptop)
    assert laptop.sync().push.pushed == 2  # its token still works


# --- ids held in another scope ------------------------------------------------------------------------

def test_an_id_held_in_another_scope_answers_alike_whatever_its_record(device: Callable[[str], Device],
                                                                       server: Server) -> None:
    """A caseworker of community B pushes creates and edits under the ids of A's household and member,
    each as a household and as a member: every one gets the same refusal, so the answer says that
    the id is taken (a create under it cannot be kept) but neither what record it is nor anything
    of it, and nothing of A's changes."""
    a, b = device("worker1"), device("worker3")
    hid = new_household(a)
    with a.ws.read() as s:
        (mid,) = s.scalars(select(JournalEntry.row_id).where(JournalEntry.entity == "member")).all()
    a.sync()
    before = {i: server_fields(server, i) for i in (hid, mid)}
    ops = []
    for row_id in (hid, mid):
        ops += [create_op("household", {"org_code": GRID_B1, "address": "一号"}, row_id=row_id),
                create_op("member", {"org_code": GRID_B1, "household_id": row_id, "name": "李四"}, row_id=row_id),
                set_op("household", row_id, "phone", "13800000009", base=1 << 40),
                set_op("member", row_id, "phone", "13800000009", base=1 << 40)]
    verdicts = raw_push(b, *ops)
    answers = {v.model_dump_json(exclude={"seq"}) for v in verdicts}
    assert len(answers) == 1, answers
    assert (verdicts[0].verdict, verdicts[0].reason) == ("rejected", "sync.id_unavailable")
    assert {i: server_fields(server, i) for i in (hid, mid)} == before


# --- what the server trusts: base_pos ---------------------------------------------------------------

def ledger_pos(server: Server, device_id: str, seq: int) -> int:
    with server.db.read() as conn:
        return int(conn.execute(select(schema.ledger.c.pos).where(schema.ledger.c.device_id == device_id,
                                                                  schema.ledger.c.seq == seq)).scalar_one())


def logged(server: Server, row_id: str) -> dict[int, dict[str, object]]:
    with server.db.read() as conn:
        return {pos: json.loads(fields) for pos, fields in conn.execute(
            select(schema.changes.c.pos, schema.changes.c.fields).where(schema.changes.c.row_id == row_id))}


def record_pos(server: Server, row_id: str) -> int:
    with server.db.read() as conn:
        return int(conn.execute(select(schema.records.c.pos).where(schema.records.c.id == row_id)).scalar_one())


def test_a_device_lying_about_what_it_had_seen_overwrites_only_in_its_scope_and_the_log_keeps_the_value(
        device: Callable[[str], Device], server: Server) -> None:
    """The server takes a device's word for the position its edit was based on. worker2's device
    claims to have seen worker1's newer phone number: its own replaces it without a conflict (the
    an edit sent with its true base, to the notes, conflicts). But the server names worker2 as the
    author, its change log keeps worker1's number at the position its ledger gives worker1's edit,
    worker1's own audit trail holds it too, and the same lie about a record of another community
    changes nothing."""
    a, liar, outsider = device("worker1"), device("worker2"), device("worker3")
    hid = new_household(a)
    a.sync()
    liar.sync()
    seen = record_pos(server, hid)  # what worker2's device really saw
    edit(a, hid, phone="13800000001", notes="一号机后改的")
    a.sync()
    with a.ws.read() as s:
        a_seq = s.scalars(select(JournalEntry.seq).where(JournalEntry.field == "phone")).one()
    at = ledger_pos(server, a.ws.device_id, a_seq)

    honest = set_op("household", hid, "notes", "二号机照实说", base=seen)
    lie = set_op("household", hid, "phone", "13900000002", base=record_pos(server, hid))
    told_honest, told_lie = raw_push(liar, honest, lie)
    assert told_honest.verdict in ("conflict", "merged") and told_honest.conflict_id
    assert (told_lie.verdict, told_lie.conflict_id) == ("applied", None)
    stored = server_fields(server, hid)
    assert stored is not None and (stored["phone"], stored["updated_by"]) == ("13900000002", "worker2")
    with server.db.read() as conn:
        about_phone = conn.execute(select(schema.conflicts.c.id).where(schema.conflicts.c.row_id == hid,
                                                                       schema.conflicts.c.field == "phone")).all()
        trail = trails.for_record(conn, hid)
    assert about_phone == []  # the colleague is not told: this is the trust

    log = logged(server, hid)
    assert log[at].get("phone") == "13800000001"  # worker1's number, at worker1's position
    assert log[ledger_pos(server, liar.ws.device_id, lie.seq)] == {"phone": "13900000002"}
    assert any(e["device_id"] == a.ws.device_id and e["intact"] and "13800000001" in str(e["changes"])
               for e in trail)

    (outside,) = raw_push(outsider, set_op("household", hid, "phone", "13700000003", base=1 << 40))
    assert (outside.verdict, outside.reason) == ("rejected", "sync.id_unavailable")
    assert server_fields(server, hid) == stored
