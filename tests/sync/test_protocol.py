"""Protocol guarantees: replay deduplication, clock clamping, attachments, login limits, clean 4xx."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from caseapp.domain import Attachment
from caseapp.ids import new_id
from caseapp.services import records
from caseapp.services.exchange import export_bytes
from caseapp.store.hlc import HybridClock, pack, wall_ms
from caseapp.store.tables import JournalEntry
from sync import protocol as p
from sync import run
from sync.client import SyncClient
from sync.errors import RefusedError
from sync.server import schema

from .conftest import FAST_RETRY, GRID_A1, PASSWORD, Device, Server
from .test_end_to_end import edit, household, new_household

DAY_MS = 24 * 3600 * 1000


def changes_count(server: Server) -> int:
    with server.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.changes)).scalar_one())


def test_replayed_batch_gets_stored_verdicts_and_applies_nothing_twice(device: Callable[[str], Device],
                                                                       server: Server) -> None:
    a = device("worker1")
    hid = new_household(a)
    edit(a, hid, phone="13800000001")
    from sync import outbox

    entries = outbox.pending(a.ws, 100)
    ops = [outbox.to_op(e) for e in entries]
    client = a.client()
    first = client.push(ops)
    after_first = changes_count(server)
    again = client.push(ops)  # the response was "lost": the device sends the same batch again
    assert again.verdicts == first.verdicts
    assert changes_count(server) == after_first
    # A batch mixing replayed and new operations applies only the new ones.
    edit(a, hid, address="新地址")
    more = [outbox.to_op(e) for e in outbox.pending(a.ws, 100)]
    mixed = client.push(more)
    assert mixed.verdicts[:len(first.verdicts)] == first.verdicts
    assert changes_count(server) == after_first + 1
    client.close()
    a.sync()
    b = device("worker2")
    b.sync()
    assert export_bytes(a.ws) == export_bytes(b.ws)


def test_clocks_days_off_still_converge_and_far_future_is_clamped(device: Callable[[str], Device]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    a.ws.clock = HybridClock(a.ws.clock.last, now=lambda: wall_ms() + 2 * DAY_MS)  # two days fast
    b.ws.clock = HybridClock(0, now=lambda: wall_ms() - 2 * DAY_MS)  # two days slow
    edit(a, hid, phone="13800000001")
    edit(b, hid, phone="13900000002")
    ra = a.sync()
    rb = b.sync()
    a.sync()
    assert ra.push.clamped == 1 and rb.push.clamped == 0
    assert rb.push.conflicts == 1
    assert export_bytes(a.ws) == export_bytes(b.ws)
    # The slow device's next stamp sorts after the server's time: its clock moved forward on sync.
    assert b.ws.clock.tick() > pack(wall_ms() - 60_000)


def test_attachment_uploads_first_resumes_and_downloads_on_first_open(device: Callable[[str], Device],
                                                                       server: Server) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    photo = os.urandom(int(2.5 * p.ATTACHMENT_CHUNK))
    digest = a.ws.attachments.put(photo)
    with a.ws.write() as s:
        records.create(s, Attachment, {"org_code": GRID_A1, "owner_entity": "household", "owner_id": hid,
                                       "digest": digest, "size": len(photo), "mime_type": "image/jpeg",
                                       "filename": "门牌.jpg"})
    # A first upload breaks off after one chunk; the next sync resumes from the server's offset.
    client = a.client()
    client._request("PUT", f"/attachments/{digest}", raw=photo[:p.ATTACHMENT_CHUNK],
                    params={"size": len(photo), "offset": 0})
    assert client.attachment_status(digest) == p.AttachmentStatus(digest=digest, size=len(photo),
                                                                  received=p.ATTACHMENT_CHUNK, complete=False)
    client.close()
    report = a.sync()
    assert report.push.rejected == 0
    b.sync()
    assert not b.ws.attachments.has(digest)  # records sync, content waits until opened
    client = b.client()
    assert run.fetch_attachment(b.ws, client, digest) == photo
    client.close()
    assert b.ws.attachments.get(digest) == photo  # kept, encrypted, in B's store
    # Another community's caseworker cannot download it.
    c = device("worker3")
    client = c.client()
    with pytest.raises(RefusedError):
        client.download_attachment(digest, len(photo))
    client.close()


def test_attachment_record_without_content_is_rejected(device: Callable[[str], Device]) -> None:
    a = device("worker1")
    hid = new_household(a)
    with a.ws.write() as s:
        records.create(s, Attachment, {"org_code": GRID_A1, "owner_entity": "household", "owner_id": hid,
                                       "digest": "ab" * 32, "size": 10})
    report = a.sync()
    assert report.push.reasons == ["sync.attachment_missing"]


def test_login_is_rate_limited(server: Server) -> None:
    client = SyncClient(server.url, retry=FAST_RETRY)
    for _ in range(5):
        with pytest.raises(RefusedError) as refused:
            client.login("worker1", "wrong password", "dev-x")
        assert refused.value.key == "sync.bad_credentials"
    with pytest.raises(RefusedError) as refused:
        client.login("worker1", PASSWORD, "dev-x")  # even the right password waits now
    assert refused.value.status == 429 and refused.value.key == "sync.too_many_logins"
    client.close()


BAD_REQUESTS: list[tuple[str, str, dict[str, object]]] = [
    ("GET", "/api/v1/nothing-here", {}),
    ("POST", "/api/v1/login", {"data": b"{not json"}),
    ("POST", "/api/v1/login", {"json": {"user": "", "password": "x", "device_id": "d"}}),
    ("POST", "/api/v1/login", {"json": {"user": "a\u0000b", "password": "x", "device_id": "d"}}),
    ("POST", "/api/v1/login", {"json": {"user": "nobody", "password": "x", "device_id": "d/../x"}}),
    ("POST", "/api/v1/push", {"json": {"ops": []}}),
    ("POST", "/api/v1/push", {"json": {"ops": []}, "headers": {"Authorization": "Bearer nope"}}),
    ("POST", "/api/v1/pull", {"json": {}, "headers": {"Authorization": "Basic abc"}}),
    ("POST", "/api/v1/pull", {"data": b"\x28\xb5\x2f\xfd garbage", "headers": {"Content-Encoding": "zstd"}}),
    ("POST", "/api/v1/pull", {"data": b"x", "headers": {"Content-Encoding": "br"}}),
    ("GET", "/api/v1/handshake", {"headers": {p.PROTOCOL_HEADER: "0"}}),
    ("GET", "/api/v1/handshake", {"headers": {p.PROTOCOL_HEADER: "not a number"}}),
    ("GET", "/api/v1/attachments/xyz", {}),
    ("DELETE", "/api/v1/push", {}),
]


def test_malformed_and_unauthorised_requests_get_a_clean_4xx(server: Server) -> None:
    for method, path, kwargs in BAD_REQUESTS:
        response = requests.request(method, server.url + path, timeout=10, **kwargs)  # type: ignore[arg-type]
        assert 400 <= response.status_code < 500, (method, path, response.status_code, response.text)
        body = response.json()
        assert set(body) == {"error", "message"} and body["error"].startswith("sync."), body


def test_authorised_garbage_operations_are_rejected_one_by_one(device: Callable[[str], Device],
                                                               server: Server) -> None:
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    client = a.client()
    base: dict[str, Any] = {"hlc": 1, "base_pos": 0}
    ops = [
        p.PushOp(seq=10_001, entity="household", row_id=hid, op="set", field="phone", value=12, **base),
        p.PushOp(seq=10_002, entity="household", row_id=hid, op="set", field="nope", value="x", **base),
        p.PushOp(seq=10_003, entity="nothing", row_id=hid, op="set", field="phone", value="x", **base),
        p.PushOp(seq=10_004, entity="household", row_id="missing", op="set", field="phone", value="x", **base),
        p.PushOp(seq=10_005, entity="household", row_id=hid, op="set", field="author", value="x", **base),
        p.PushOp(seq=10_006, entity="household", row_id=new_id(), op="create", value={"address": "x"}, **base),
        p.PushOp(seq=10_007, entity="household", row_id=hid, op="set", field="org_code", value="999", **base),
        p.PushOp(seq=10_008, entity="member", row_id=new_id(), op="create",
                 value={"org_code": GRID_A1, "household_id": new_id(), "name": "张三"}, **base),
        p.PushOp(seq=10_009, entity="household", row_id=hid, op="set", field="notes", value="ok", **base),
    ]
    before = changes_count(server)
    verdicts = client.push(ops).verdicts
    client.close()
    assert [v.verdict for v in verdicts] == ["rejected"] * 8 + ["applied"]
    # Each refusal names the field and says why, in the device's own words (its message keys).
    assert [(v.reason, v.field) for v in verdicts[:8]] == [
        ("record.bad_type", "phone"), ("record.unknown_field", "nope"), ("sync.unknown_entity", None),
        ("sync.unknown_record", None), ("sync.bad_field", "author"), ("record.org_required", "org_code"),
        ("record.bad_org_code", "org_code"), ("sync.parent_missing", "household_id")]
    assert changes_count(server) == before + 1
    assert household(a, hid) is not None


def test_create_of_an_existing_id_is_treated_as_edits(device: Callable[[str], Device], server: Server) -> None:
    """A device restored from an old backup re-sends creates: they can conflict, never overwrite."""
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    edit(b, hid, phone="13900000002")
    b.sync()
    from sync import outbox

    with a.ws.read() as s:
        create = s.scalars(select(JournalEntry).where(JournalEntry.row_id == hid, JournalEntry.op == "create")).one()
    replay = outbox.to_op(create).model_copy(update={"seq": 90_000, "base_pos": None})
    replay.value = {**replay.value, "phone": "13800000001"}
    client = a.client()
    (verdict,) = client.push([replay]).verdicts
    client.close()
    assert verdict.verdict in ("conflict", "merged") and verdict.conflict_id
    a.sync()
    b.sync()
    assert export_bytes(a.ws) == export_bytes(b.ws)
    (c,) = conflicts_of(a)
    assert {c.winner, c.loser} == {"13800000001", "13900000002"}


def conflicts_of(dev: Device) -> list[Any]:
    from sync import conflicts

    return conflicts.list_open(dev.ws)


def test_tls_failure_is_a_clear_refusal(server: Server) -> None:
    client = SyncClient(server.url.replace("http://", "https://"), retry=FAST_RETRY)
    with pytest.raises(RefusedError) as refused:
        client.handshake()
    assert refused.value.key == "sync.tls_failed"
    client.close()
