"""What a hostile device sends, against the two things this server changed on 2026-12-04: the token
looked up outside a transaction (db.lookup) and answers written in the route's own thread
(middleware.JsonRoute). On both backends, over a real server:

- forged, revoked and malformed tokens, with compressed bodies, refused as JSON before the body
  is read, however many arrive at once beside real pushes and pulls (PostgreSQL: the pooled
  connections the lookups used still give the writes their transactions afterwards);
- refused values whose refusal names what the device sent (a lone surrogate as a field name, a
  record of another scope, a foreign id) answered as JSON verdicts, nothing stored.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
import requests
from sqlalchemy import text

from caseapp.ids import new_id
from sync import compress
from sync import protocol as p
from sync.replay import op_hash

from .conftest import COMMUNITY_B, GRID_A1, Device, Server
from .test_end_to_end import new_household
from .test_server_validates import create_op, server_fields, set_op

HEADERS = {"Content-Type": "application/json", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)}


def _post(server: Server, path: str, body: bytes, token: str, codec: str = "") -> requests.Response:
    # bytes: a token that is not Latin-1 goes out as a hostile client would write it (UTF-8)
    headers: dict[str, str | bytes] = {**HEADERS, "Authorization": f"Bearer {token}".encode()}
    if codec:
        headers["Content-Encoding"] = codec
        body = compress.encode(body, codec)
    return requests.post(f"{server.url}{p.API_PREFIX}{path}", data=body, headers=headers, timeout=60)


def _refusal(answer: requests.Response) -> tuple[int, str]:
    assert answer.headers["content-type"].startswith("application/json"), answer.text[:80]
    return answer.status_code, answer.json()["error"]


def _push_body(*ops: p.PushOp) -> bytes:
    # escaped: a lone surrogate goes out as a hostile device would write it
    return json.dumps({"ops": [op.model_dump(exclude_defaults=True) for op in ops]}, ensure_ascii=True).encode()


def test_forged_revoked_and_malformed_tokens_are_refused_as_json(device: Callable[[str], Device],
                                                                 server: Server) -> None:
    honest, stolen = device("worker1"), device("worker2")
    hid = new_household(honest)
    honest.sync()
    server.revoke(stolen.ws.device_id)
    revoked = stolen.ws.get_setting("sync.token")
    body = _push_body(set_op("household", hid, "phone", "13812345678"))
    pull = json.dumps({"cursor": ""}).encode()
    for codec in ("", "zstd", "gzip"):
        for path, data in (("/push", body), ("/pull", pull), ("/push/verdicts", b"{}")):
            assert _refusal(_post(server, path, data, "forged-" + new_id(), codec)) == (401, "sync.bad_token")
            assert _refusal(_post(server, path, data, revoked, codec)) == (403, "sync.device_revoked")
            assert _refusal(_post(server, path, data, "\u738b" * 3, codec)) == (401, "sync.bad_token")
    assert server_fields(server, hid)["phone"] != "13812345678"  # type: ignore[index]


def test_refusals_that_name_what_was_sent_are_answered_as_json_and_store_nothing(
        device: Callable[[str], Device], server: Server) -> None:
    a = device("worker1")
    hid = new_household(a)
    a.sync()
    before = server_fields(server, hid)
    odd_key = create_op("household", {"org_code": GRID_A1, "address": "东路1号", "\ud800": 1})
    nul_key = create_op("household", {"org_code": GRID_A1, "address": "东路4号", "a\x00b": 1})
    long_key = create_op("household", {"org_code": GRID_A1, "address": "东路2号", "x" * 5000: "y"})
    elsewhere = create_op("household", {"org_code": COMMUNITY_B + "01", "address": "西路3号"})
    foreign_id = set_op("member", new_id(), "name", "李四")
    bad_card = set_op("household", hid, "bank_account", "62220200\ud800")
    bad_phone = set_op("household", hid, "phone", "12345")
    ops = (odd_key, nul_key, long_key, elsewhere, foreign_id, bad_card, bad_phone)
    answer = _post(server, "/push", _push_body(*ops), a.ws.get_setting("sync.token"), "zstd")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    verdicts = p.PushOut.model_validate_json(answer.content).verdicts
    assert [v.verdict for v in verdicts] == [p.REJECTED] * len(ops), verdicts
    assert all(v.reason for v in verdicts)
    for op in (odd_key, nul_key, long_key, elsewhere):
        assert server_fields(server, op.row_id) is None
    assert server_fields(server, hid) == before
    # sent again under the same numbers: a replay, answered from the ledger as it was the first time
    again = _post(server, "/push", _push_body(*ops), a.ws.get_setting("sync.token"))
    assert p.PushOut.model_validate_json(again.content).verdicts == verdicts


def test_an_operation_with_a_key_json_cannot_write_has_a_hash_of_its_own() -> None:
    made = [create_op("household", {"org_code": GRID_A1, key: 1}, row_id="r1", hlc=5)
            for key in ("\ud800", "\udfff", "\ud800\udc00", "ok")]
    hashes = [op_hash(op) for op in made]
    assert len(set(hashes)) == len(hashes)
    assert hashes == [op_hash(op.model_copy(update={"seq": op.seq + 1})) for op in made]  # not the number


@pytest.mark.timeout(300)
def test_a_crowd_of_forged_requests_beside_real_work(device: Callable[[str], Device], server: Server) -> None:
    """Eight threads at once: forged and revoked tokens on every route, and two devices pushing
    and pulling for real. Every forged request is refused, every real edit is applied; then a
    failing write on each pooled connection still rolls back (the lookups' autocommit did not
    stay behind on PostgreSQL)."""
    one, two, gone = device("worker1"), device("worker2"), device("worker2")
    homes = {d.ws.device_id: new_household(d) for d in (one, two)}
    one.sync()
    two.sync()
    server.revoke(gone.ws.device_id)
    revoked = gone.ws.get_setting("sync.token")
    problems: list[str] = []
    applied: list[tuple[str, str]] = []
    lock = threading.Lock()

    def forger(token: str, expected: tuple[int, str]) -> None:
        for i in range(25):
            path, body = (("/push", _push_body(set_op("household", new_id(), "phone", "13800000000")))
                          if i % 2 else ("/pull", b'{"cursor": ""}'))
            got = _refusal(_post(server, path, body, token, "zstd" if i % 3 else ""))
            if got != expected:
                with lock:
                    problems.append(f"{path}: {got}")

    def worker(d: Device) -> None:
        token, hid = d.ws.get_setting("sync.token"), homes[d.ws.device_id]
        for i in range(15):
            phone = f"139{i:08d}"
            answer = _post(server, "/push", _push_body(set_op("household", hid, "phone", phone)), token)
            pulled = _post(server, "/pull", json.dumps({"cursor": ""}).encode(), token)
            with lock:
                if answer.status_code != 200 or pulled.status_code != 200:
                    problems.append(f"real work: {answer.status_code} {pulled.status_code}")
                elif p.PushOut.model_validate_json(answer.content).verdicts[0].verdict == p.REJECTED:
                    problems.append(f"refused: {answer.text[:120]}")
                else:
                    applied.append((hid, phone))

    threads = [threading.Thread(target=forger, args=("forged-" + new_id(), (401, "sync.bad_token"))) for _ in range(3)]
    threads += [threading.Thread(target=forger, args=(revoked, (403, "sync.device_revoked"))) for _ in range(3)]
    threads += [threading.Thread(target=worker, args=(d,)) for d in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in threads)
    assert problems == []
    assert len(applied) == 30
    for hid in homes.values():
        assert server_fields(server, hid)["phone"] == "13900000014"  # type: ignore[index]
    # every connection the pool holds, taken at once: a write that fails leaves nothing behind
    held = [server.db.engine.connect() for _ in range(4)]
    try:
        for conn in held:
            if not server.db.is_sqlite:
                assert conn.connection.driver_connection.autocommit is False
    finally:
        for conn in held:
            conn.close()
    for _ in range(4):
        with pytest.raises(RuntimeError), server.db.write(ordered=True) as conn:
            conn.execute(text("UPDATE users SET role = 'admin' WHERE name = 'worker1'"))
            raise RuntimeError("the push failed half-way")
    with server.db.read() as conn:
        assert conn.execute(text("SELECT role FROM users WHERE name = 'worker1'")).scalar() == "caseworker"
