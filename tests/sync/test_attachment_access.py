"""Attachment content is reachable only by those who may see it, and uploads cannot be squatted.

Knowing a digest proves nothing: it is on every device in the record's scope, in exports and logs.
So a device may see content only through an attachment record in its scope, or after proving it
holds the bytes by uploading them; for every other digest the server answers exactly as for
content it does not hold. Uploads belong to their uploader until complete, so another user's bytes
at offset 0 block nobody, and concurrent uploads of one digest end in one stored copy, no 5xx.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests
from sqlalchemy import func, select, update

from caseapp.domain import Attachment
from caseapp.services import records
from sync import protocol as p
from sync import run
from sync.client import SyncClient
from sync.server import attachments, schema

from .conftest import COMMUNITY_B, FAST_RETRY, GRID_A1, PASSWORD, Device, Server
from .test_end_to_end import new_household

GRID_B1 = COMMUNITY_B + "01"


def attach(dev: Device, owner: str, org: str, content: bytes | None = None, *, digest: str | None = None,
           size: int | None = None) -> str:
    """An attachment record on ``dev`` (its content stored locally when given); returns its id."""
    if content is not None:
        digest = dev.ws.attachments.put(content)
        size = len(content)
    with dev.ws.write() as s:
        return records.create(s, Attachment, {"org_code": org, "owner_entity": "household", "owner_id": owner,
                                              "digest": digest, "size": size, "kind": "id_scan",
                                              "filename": "身份证.jpg"}).id


def raw(server: Server, token: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}
    return requests.request(method, f"{server.url}{p.API_PREFIX}{path}", headers=headers, timeout=60, **kwargs)


def token_of(dev: Device) -> str:
    return str(dev.ws.get_setting("sync.token"))


def stored_chunks(server: Server) -> int:
    with server.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.attachment_chunks)).scalar_one())


def test_a_digest_from_another_community_is_neither_confirmed_attached_nor_downloaded(
        device: Callable[[str], Device], server: Server) -> None:
    a, b = device("worker1"), device("worker3")  # community A, community B
    scan = b"ID scan of a resident of A " + os.urandom(3 * p.ATTACHMENT_CHUNK // 2)
    digest = hashlib.sha256(scan).hexdigest()
    attach(a, new_household(a), GRID_A1, scan)
    assert a.sync().push.rejected == 0
    never = hashlib.sha256(b"content nobody uploaded").hexdigest()

    # B knows the digest (read off a screen, an export, a log) but not the bytes: to her the server
    # answers for A's scan exactly as for content it never had: no size, no "present".
    for probe in (digest, never):
        for method, path, kwargs in (("GET", f"/attachments/{probe}", {}),
                                     ("GET", f"/attachments/{probe}/content", {}),
                                     ("POST", "/attachments/missing", {"json": {"digests": [probe]}})):
            answer = raw(server, token_of(b), method, path, **kwargs)
            answer_never = raw(server, token_of(b), method, path.replace(probe, never),
                               **({"json": {"digests": [never]}} if kwargs else {}))
            assert (answer.status_code, answer.content.replace(probe.encode(), b"D")) == (
                answer_never.status_code, answer_never.content.replace(never.encode(), b"D")), (method, path)
    client = b.client()
    assert client.attachment_status(digest) is None
    assert client.missing_attachments([digest]) == [digest]
    client.close()

    # An attachment record in B's own scope pointing at A's scan is refused, so it opens nothing.
    theft = attach(b, new_household(b, GRID_B1), GRID_B1, digest=digest, size=len(scan))
    report = b.sync()
    assert report.push.reasons == ["sync.attachment_missing"]
    assert raw(server, token_of(b), "GET", f"/attachments/{digest}/content").status_code == 404
    with server.db.read() as conn:
        assert conn.execute(select(schema.records.c.id).where(schema.records.c.id == theft)).first() is None

    # A caseworker who does hold the bytes proves it by uploading them: the server checks them against
    # the digest, keeps the one copy it has, and accepts her record; she can then read it back.
    chunks_before = stored_chunks(server)
    c = device("worker3")
    attach(c, new_household(c, GRID_B1), GRID_B1, scan)
    assert c.sync().push.rejected == 0
    assert stored_chunks(server) == chunks_before
    client = c.client()
    assert client.download_attachment(digest, len(scan)) == scan
    client.close()


def test_wrong_bytes_for_a_known_digest_prove_nothing(device: Callable[[str], Device], server: Server) -> None:
    a, b = device("worker1"), device("worker3")
    scan = os.urandom(5000)
    digest = hashlib.sha256(scan).hexdigest()
    attach(a, new_household(a), GRID_A1, scan)
    a.sync()
    forged = raw(server, token_of(b), "PUT", f"/attachments/{digest}", data=os.urandom(5000),
                 params={"size": 5000, "offset": 0})
    assert forged.status_code == 422 and forged.json()["error"] == "sync.attachment_digest_mismatch"
    attach(b, new_household(b, GRID_B1), GRID_B1, digest=digest, size=len(scan))
    assert b.sync().push.reasons == ["sync.attachment_missing"]


def test_a_squatted_partial_upload_does_not_block_the_owner(device: Callable[[str], Device], server: Server) -> None:
    a, b, squatter = device("worker1"), device("worker2"), device("worker3")
    photo = os.urandom(2 * p.ATTACHMENT_CHUNK + 17)
    digest = hashlib.sha256(photo).hexdigest()
    # Another community's user learns the digest first and leaves one byte at offset 0 (and another
    # upload with a different size): the owner's upload is hers alone and goes through.
    assert raw(server, token_of(squatter), "PUT", f"/attachments/{digest}", data=b"x",
               params={"size": 10, "offset": 0}).status_code == 200
    attach(a, new_household(a), GRID_A1, photo)
    assert a.sync().push.rejected == 0
    assert a.sync().push.rejected == 0  # and every later sync too
    b.sync()
    client = b.client()
    assert run.fetch_attachment(b.ws, client, digest) == photo
    client.close()
    # The squatter's own upload is still only hers, and shows her nothing of the owner's.
    status = raw(server, token_of(squatter), "GET", f"/attachments/{digest}").json()
    assert status == {"digest": digest, "size": 10, "received": 1, "complete": False}


def test_stale_incomplete_uploads_expire_as_new_ones_arrive(device: Callable[[str], Device], server: Server) -> None:
    a = device("worker1")
    old, new = os.urandom(3000), os.urandom(3000)
    for content in (old, new):
        digest = hashlib.sha256(content).hexdigest()
        assert raw(server, token_of(a), "PUT", f"/attachments/{digest}", data=content[:1000],
                   params={"size": 3000, "offset": 0}).status_code == 200
        if content is old:  # a day and a bit later, the next upload starts
            with server.db.write() as conn:
                conn.execute(update(schema.attachment_uploads).values(
                    updated_ms=schema.attachment_uploads.c.updated_ms - attachments.UPLOAD_TTL_MS - 1))
    with server.db.read() as conn:
        left = conn.execute(select(schema.attachment_uploads.c.digest)).scalars().all()
    assert left == [hashlib.sha256(new).hexdigest()]
    assert stored_chunks(server) == 1  # the stale upload's bytes went with it
    assert a.client().attachment_status(hashlib.sha256(old).hexdigest()) is None


def test_upload_recovers_from_an_answer_it_did_not_expect(device: Callable[[str], Device], server: Server) -> None:
    """A chunk whose answer was lost arrived anyway, or another sync of this workspace sent it: the
    next chunk's offset is refused, and the client asks where the server is and goes on from there."""
    a = device("worker1")
    photo = os.urandom(2 * p.ATTACHMENT_CHUNK + 5)
    digest = hashlib.sha256(photo).hexdigest()
    client = a.client()
    client._request("PUT", f"/attachments/{digest}", raw=photo[:p.ATTACHMENT_CHUNK],
                    params={"size": len(photo), "offset": 0})
    stale = client.attachment_status(digest)  # one chunk in
    client._request("PUT", f"/attachments/{digest}", raw=photo[p.ATTACHMENT_CHUNK:2 * p.ATTACHMENT_CHUNK],
                    params={"size": len(photo), "offset": p.ATTACHMENT_CHUNK})
    asked: list[str] = []
    real = client.attachment_status

    def first_answer_stale(d: str) -> p.AttachmentStatus | None:
        asked.append(d)
        return stale if len(asked) == 1 else real(d)

    client.attachment_status = first_answer_stale
    client.upload_attachment(digest, photo)
    assert len(asked) == 2  # asked again after the refusal
    client.attachment_status = real
    assert client.attachment_status(digest) == p.AttachmentStatus(digest=digest, size=len(photo),
                                                                  received=len(photo), complete=True)
    client.close()


def _login_devices(server: Server, n: int) -> list[str]:
    client = SyncClient(server.url, retry=FAST_RETRY)
    tokens = [client.login("worker1" if i % 2 else "worker2", PASSWORD, f"racer-{i}").token for i in range(n)]
    client.close()
    return tokens


def test_forty_concurrent_uploads_of_one_digest_no_5xx_and_one_correct_copy(server: Server) -> None:
    content = os.urandom(2 * p.ATTACHMENT_CHUNK + 1234)
    digest = hashlib.sha256(content).hexdigest()
    tokens = _login_devices(server, 40)
    start = threading.Barrier(len(tokens))
    statuses: list[int] = []

    def upload(token: str) -> None:
        start.wait(timeout=60)
        offset = 0
        for _ in range(20):  # bounded: a refused offset is answered with where to go on
            answer = raw(server, token, "PUT", f"/attachments/{digest}",
                         data=content[offset:offset + p.ATTACHMENT_CHUNK],
                         params={"size": len(content), "offset": offset})
            statuses.append(answer.status_code)
            if answer.status_code != 200:
                current = raw(server, token, "GET", f"/attachments/{digest}")
                offset = current.json()["received"] if current.status_code == 200 else 0
                continue
            if answer.json()["complete"]:
                return
            offset = answer.json()["received"]

    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(upload, tokens))
    assert [s for s in statuses if s >= 500] == []
    for token in tokens:  # every uploader proved possession
        assert raw(server, token, "GET", f"/attachments/{digest}").json()["complete"] is True
    assert stored_chunks(server) == 3  # one copy
    with server.db.read() as conn:
        assert attachments.content(conn, digest) == content


def test_forty_concurrent_chunks_at_one_offset_no_5xx(server: Server) -> None:
    content = os.urandom(p.ATTACHMENT_CHUNK + 99)
    digest = hashlib.sha256(content).hexdigest()
    token = _login_devices(server, 1)[0]
    start = threading.Barrier(40)

    def first_chunk(_: int) -> int:
        start.wait(timeout=60)
        return raw(server, token, "PUT", f"/attachments/{digest}", data=content[:p.ATTACHMENT_CHUNK],
                   params={"size": len(content), "offset": 0}).status_code

    with ThreadPoolExecutor(40) as pool:
        codes = list(pool.map(first_chunk, range(40)))
    assert [c for c in codes if c >= 500] == [] and 200 in codes
    done = raw(server, token, "PUT", f"/attachments/{digest}", data=content[p.ATTACHMENT_CHUNK:],
               params={"size": len(content), "offset": p.ATTACHMENT_CHUNK})
    assert done.status_code == 200 and done.json()["complete"] is True
    with server.db.read() as conn:
        assert attachments.content(conn, digest) == content
