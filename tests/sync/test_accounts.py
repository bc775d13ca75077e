"""Accounts on the server, attacked from outside: a disabled user brought back by `user add`, old
logins surviving a password change, racing the login limit, locking the real admin out from
elsewhere, weak passwords, concurrent first logins of one device, and an audit trail naming
someone else. Over SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from caseapp.cli import main as caseapp_main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household
from caseapp.services import records
from caseapp.store.workspace import Workspace
from sync import protocol as p
from sync import run
from sync.errors import RefusedError
from sync.protocol import ROLES
from sync.server import auth, schema
from sync.server.cli import main as server_cli
from sync.server.db import Database

from .conftest import COMMUNITY_A, FAST_RETRY, GRID_A1, PASSPHRASE, PASSWORD, Device, Server

CONCURRENT = 30


def new_household(dev: Device) -> str:
    with dev.ws.write() as s:
        return records.create(s, Household, {"org_code": GRID_A1, "address": "滨江东路 1 号"}).id


def login_body(user: str, password: str, device_id: str | None = None) -> bytes:
    return json.dumps({"user": user, "password": password, "device_id": device_id or str(uuid.uuid4()),
                       "device_name": "test"}).encode()


def post_login(server: Server, body: bytes, source: str = "127.0.0.1") -> tuple[int, dict[str, str], dict[str, object]]:
    """One raw login from a chosen loopback source address (the server sees it as the client's)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", f"{p.API_PREFIX}/login", body=body,
                     headers={"Content-Type": "application/json", p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION)})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"{}")
    finally:
        conn.close()


def all_at_once(n: int, job: Callable[[int], object]) -> list[object]:
    """Run job(0..n-1) in n threads released together; every thread is joined (bounded)."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run_one(i: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[i] = job(i)
        except Exception as error:
            results[i] = error

    threads = [threading.Thread(target=run_one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def admin(server: Server, *args: str) -> int:
    return server_cli(["--db", server.db.url, *args])


# --- 1. disabling, enabling, re-adding, new passwords -------------------------------------------

def test_user_add_never_revives_a_disabled_user_and_enabling_says_what_it_did(
        server: Server, device: Callable[..., Device], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    a = device("worker1")
    new_household(a)
    a.sync()
    assert admin(server, "user", "disable", "worker1") == 0
    with pytest.raises(RefusedError) as refused:
        a.sync()
    assert refused.value.key == "sync.user_disabled"
    out = capsys.readouterr().out
    assert "disabled" in out and "user enable worker1" in out

    # Re-adding the name is refused, changes nothing, and says which command does what was meant.
    monkeypatch.setenv("CASEAPP_PASSWORD", "another long password")
    assert admin(server, "user", "add", "worker1", "--role", "caseworker", "--scope", COMMUNITY_A) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "user passwd worker1" in err and "user enable worker1" in err
    with pytest.raises(RefusedError) as refused:
        a.sync()
    assert refused.value.key == "sync.user_disabled"  # still disabled, old token still dead

    # Enabling brings the account back, not the old login: the device logs in again.
    assert admin(server, "user", "enable", "worker1") == 0
    assert "enabled again" in capsys.readouterr().out
    with pytest.raises(RefusedError) as refused:
        a.sync()
    assert (refused.value.key, refused.value.status) == ("sync.password_changed", 401)
    run.login(a.ws, server.url, "worker1", PASSWORD, retry=FAST_RETRY)
    assert a.sync().push.pushed == 0
    assert admin(server, "user", "enable", "worker1") == 0
    assert "not disabled" in capsys.readouterr().out
    assert admin(server, "user", "enable", "nobody") == 1


def test_a_new_password_ends_every_login_and_the_device_says_log_in_again(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setenv("CASEAPP_SYNC_ATTEMPTS", "1")
    monkeypatch.setenv("CASEAPP_PASSWORD", PASSWORD)
    paths = []
    for n in range(2):  # two laptops of one caseworker
        path = tmp_path / f"laptop{n}"
        Workspace.create(path, PASSPHRASE, kdf=TEST_KDF, actor="worker1")[0].close()
        assert caseapp_main(["--workspace", str(path), "login", server.url, "--user", "worker1"]) == 0
        paths.append(path)
    with Workspace.open(paths[0], PASSPHRASE) as ws, ws.write() as s:
        records.create(s, Household, {"org_code": GRID_A1, "address": "滨江东路 2 号"})
    capsys.readouterr()

    monkeypatch.setenv("CASEAPP_PASSWORD", "a brand new password")
    assert admin(server, "user", "passwd", "worker1") == 0
    assert "2 devices" in capsys.readouterr().out
    for path in paths:
        assert caseapp_main(["--workspace", str(path), "sync"]) == 1
        captured = capsys.readouterr()
        assert captured.err.strip().count("\n") == 0 and "Traceback" not in captured.err  # one line
        assert "log in again" in captured.err and "caseapp login" in captured.err
    assert caseapp_main(["--workspace", str(paths[0]), "outbox", "--format", "json"]) == 0
    queued = json.loads(capsys.readouterr().out)
    assert len(queued) == 1 and queued[0]["state"] in ("pending", "sent")  # still queued: nothing lost

    monkeypatch.setenv("CASEAPP_PASSWORD", PASSWORD)  # the old password no longer works
    assert caseapp_main(["--workspace", str(paths[0]), "login", server.url, "--user", "worker1"]) == 1
    monkeypatch.setenv("CASEAPP_PASSWORD", "a brand new password")
    assert caseapp_main(["--workspace", str(paths[0]), "login", server.url, "--user", "worker1"]) == 0
    assert caseapp_main(["--workspace", str(paths[0]), "sync"]) == 0
    assert "pushed 1" in capsys.readouterr().out
    assert admin(server, "user", "passwd", "nobody") == 1


# --- 3. password policy -------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "why"), [
    ("x", "at least 10"), ("short1!", "at least 10"), ("password123", "most common"),
    ("qwertyuiop", "most common"), ("woaini1314", "most common"), ("1234567890", "most common"),
    ("Worker7-2026", "user name"), ("worker7worker7", "user name"), ("7rekrow!!!", "user name"),
])
def test_the_server_refuses_weak_passwords(server: Server, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str], password: str, why: str) -> None:
    monkeypatch.setenv("CASEAPP_PASSWORD", password)
    assert admin(server, "user", "add", "worker7", "--role", "caseworker", "--scope", COMMUNITY_A) == 1
    assert why in capsys.readouterr().err
    if why != "user name":  # (it is not worker1's name)
        assert admin(server, "user", "passwd", "worker1") == 1
    with server.db.read() as conn:
        assert not auth.user_exists(conn, "worker7")
    monkeypatch.setenv("CASEAPP_PASSWORD", "a long and unusual password")
    assert admin(server, "user", "add", "worker7", "--role", "caseworker", "--scope", COMMUNITY_A) == 0


# --- 2. the login limit -------------------------------------------------------------------------

def test_thirty_concurrent_wrong_logins_cannot_race_the_limit_and_the_admin_still_gets_in(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    lock = threading.Lock()
    real_check = auth.check_password

    def counting(password: str, encoded: str) -> bool:
        with lock:
            checked.append(password)
        return real_check(password, encoded)

    monkeypatch.setattr(auth, "check_password", counting)
    answers = all_at_once(CONCURRENT, lambda i: post_login(server, login_body("admin", f"guess number {i}")))
    statuses = sorted(a[0] for a in answers)  # type: ignore[index]
    assert len(checked) <= 5, f"{len(checked)} passwords were checked"
    assert auth.LOGIN_FREE_ATTEMPTS == 5
    assert statuses.count(401) == len(checked)
    assert statuses.count(429) == CONCURRENT - len(checked)
    refused = next(a for a in answers if a[0] == 429)  # type: ignore[index]
    assert int(refused[1]["retry-after"]) >= 1 and refused[2]["error"] == "sync.too_many_logins"  # type: ignore[index]

    # Even the right password waits from the guesser's address...
    assert post_login(server, login_body("admin", PASSWORD))[0] == 429
    # ...but the real admin, elsewhere, is not locked out; nor is another user at the same address.
    assert post_login(server, login_body("admin", PASSWORD), source="127.0.0.2")[0] == 200
    assert post_login(server, login_body("worker1", PASSWORD))[0] == 200


def test_the_wait_grows_with_each_failure_and_a_success_clears_it(server_db: Database) -> None:
    assert [auth.login_delay_ms(k) // 1000 for k in range(1, 13)] == [0, 0, 0, 0, 60, 120, 240, 480, 960, 1920,
                                                                       3600, 3600]
    db = server_db
    user, address, now = "someone", "192.0.2.7", 1_000_000_000
    with db.write() as conn:
        waits = [auth.claim_login(conn, user, address, now) for _ in range(7)]
        assert waits == [0, 0, 0, 0, 0, 60, 60]
        assert auth.claim_login(conn, user, address, now + 60_000) == 0  # the sixth, after its wait
        assert auth.claim_login(conn, user, address, now + 61_000) == 119  # the seventh waits twice as long
        assert auth.claim_login(conn, user, "192.0.2.8", now) == 0  # another address is not held back
        auth.login_succeeded(conn, user, address)
        assert auth.claim_login(conn, user, address, now + 62_000) == 0
        # Concurrent logins take the row in any order: one that read the clock earlier but came
        # second is not refused while the free attempts last.
        late = [auth.claim_login(conn, "racer", address, now + 5 - i) for i in range(6)]
        assert late == [0, 0, 0, 0, 0, 61]  # (the fifth came at now + 1 ms)
        # A row left alone for a day starts afresh.
        for _ in range(6):
            auth.claim_login(conn, "other", address, now)
        assert auth.claim_login(conn, "other", address, now + auth.LOGIN_FORGET_MS + 1) == 0


# --- 7. concurrent first logins of one device -----------------------------------------------------

def test_concurrent_first_logins_of_one_new_device_never_fail(server: Server) -> None:
    for _round in range(3):
        device_id = str(uuid.uuid4())
        body = login_body("worker1", PASSWORD, device_id)
        # From 30 addresses, so that every one reaches the device registration at once.
        answers = all_at_once(CONCURRENT, lambda i, body=body: post_login(server, body, source=f"127.0.0.{10 + i}"))
        statuses = [a[0] if isinstance(a, tuple) else repr(a) for a in answers]
        assert statuses == [200] * CONCURRENT, statuses
        with server.db.read() as conn:
            rows = conn.execute(select(schema.devices).where(schema.devices.c.id == device_id)).all()
        assert len(rows) == 1 and rows[0].user_name == "worker1"
        # The last token issued is the device's; a revoked device stays revoked under the same race.
    server.revoke(device_id)
    answers = all_at_once(10, lambda i: post_login(server, login_body("worker1", PASSWORD, device_id),
                                                   source=f"127.0.1.{10 + i}"))
    assert [a[0] for a in answers] == [403] * 10  # type: ignore[index]


# --- 5. the audit actor -------------------------------------------------------------------------

def test_an_audit_actor_other_than_the_logged_in_user_is_not_stored_as_intact(
        server: Server, device: Callable[..., Device], capsys: pytest.CaptureFixture[str]) -> None:
    a, b = device("worker1"), device("worker2")
    hid = new_household(a)
    a.sync()
    b.sync()
    with a.ws.write() as s:
        records.update(s, records.get(s, Household, hid), {"address": "滨江东路 3 号"})
    a.sync()
    b.sync()  # b applies a's edit: a "remote" entry naming worker1, its real author
    # b's laptop is doctored to write what it does in worker1's name, then pushes for real.
    b.ws.actor = "worker1"
    with b.ws.write() as s:
        records.update(s, records.get(s, Household, hid), {"phone": "13800000009"})
    # ...and an entry claiming a remote change by someone the server never heard of.
    with b.ws.write(remote=True) as s:
        s.add(Household(id=str(uuid.uuid4()), org_code=GRID_A1, address="假地址", author="cwA", updated_by="cwA"))
    b.sync()
    t = schema.device_audit.c
    with server.db.read() as conn:
        rows = conn.execute(select(schema.device_audit).where(t.device_id == b.ws.device_id)
                            .order_by(t.seq)).mappings().all()
        a_rows = conn.execute(select(schema.device_audit).where(t.device_id == a.ws.device_id)).mappings().all()
    remote_ok = [r for r in rows if r["action"] == "remote" and r["actor"] == "worker1"]
    assert remote_ok and all(r["intact"] for r in remote_ok)  # a pulled change carries its author
    forged = [r for r in rows if r["action"] != "remote" and r["actor"] == "worker1"]
    assert forged and not any(r["intact"] for r in forged)
    unknown = [r for r in rows if r["actor"] == "cwA"]
    assert unknown and not any(r["intact"] for r in unknown)
    assert all(r["problem"] == "actor" for r in forged + unknown)
    assert all(r["user_name"] == "worker2" for r in rows)  # who shipped it, as the server knows
    assert a_rows and all(r["intact"] and r["user_name"] == "worker1" for r in a_rows)
    capsys.readouterr()
    assert admin(server, "audit", "verify") == 1
    assert f"{len(forged) + len(unknown)} actor" in capsys.readouterr().out
    assert admin(server, "audit", "record", hid) == 0
    assert "worker1 (via worker2)" in capsys.readouterr().out


def test_every_role_can_be_given_from_the_command_line(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_PASSWORD", "a long and unusual password")
    for n, role in enumerate(ROLES):
        scope = [] if role == "admin" else ["--scope", COMMUNITY_A]
        assert admin(server, "user", "add", f"person{n}", "--role", role, *scope) == 0
    with server.db.read() as conn:
        held = {r.name: r.role for r in conn.execute(select(schema.users.c.name, schema.users.c.role))}
    assert [held[f"person{n}"] for n in range(len(ROLES))] == list(ROLES)
