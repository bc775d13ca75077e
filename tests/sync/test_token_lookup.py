"""A request's token is looked up in one statement outside any transaction (db.lookup): on
PostgreSQL nothing is left open around it, the pooled connection goes back to transactions for
the next request that takes it, and a change to the device or its user counts from the very next
request (the statement is its own snapshot, on both backends)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from sync.server import auth
from sync.server.db import Database
from sync.server.errors import ApiError

PASSWORD = "a good password 2026"


def _device(db: Database) -> tuple[str, str]:
    with db.write() as conn:
        auth.add_user(conn, "lookup-user", PASSWORD, "caseworker", ["440105001001"])
    device_id = str(uuid.uuid4())
    with db.write() as conn:
        token, _ = auth.register_device(conn, "lookup-user", device_id, "laptop")
    return device_id, token


def test_a_lookup_opens_no_transaction_and_leaves_none_behind(server_db: Database) -> None:
    _, token = _device(server_db)
    for _ in range(3):  # the same pooled connection, taken again and again
        with server_db.lookup() as conn:
            assert auth.principal_for(conn, token).user == "lookup-user"
            if not server_db.is_sqlite:
                from psycopg.pq import TransactionStatus

                assert conn.connection.driver_connection.info.transaction_status == TransactionStatus.IDLE
        # the next request's transaction is a transaction: what it wrote goes when it fails
        with pytest.raises(RuntimeError), server_db.write() as conn:
            conn.execute(text("UPDATE users SET role = 'supervisor' WHERE name = 'lookup-user'"))
            if not server_db.is_sqlite:
                assert conn.connection.driver_connection.autocommit is False
            raise RuntimeError("the request failed")
        with server_db.read() as conn:
            assert conn.execute(text("SELECT role FROM users WHERE name = 'lookup-user'")).scalar() == "caseworker"


def test_a_revoked_device_or_a_changed_scope_counts_from_the_next_lookup(server_db: Database) -> None:
    device_id, token = _device(server_db)
    with server_db.lookup() as conn:
        assert auth.principal_for(conn, token).prefixes == ("440105001001",)
    with server_db.write() as conn:
        auth.set_scopes(conn, "lookup-user", ["440105002"])
    with server_db.lookup() as conn:
        assert auth.principal_for(conn, token).prefixes == ("440105002",)
    with server_db.write() as conn:
        auth.revoke_device(conn, device_id)
    with server_db.lookup() as conn, pytest.raises(ApiError) as refused:
        auth.principal_for(conn, token)
    assert (refused.value.status, refused.value.key) == (403, "sync.device_revoked")
