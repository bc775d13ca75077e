"""Users, devices and who may see what.

Passwords are hashed with Argon2id (RFC 9106) through ``cryptography``, which the project already
depends on for the workspace key file, so the server needs no second crypto library; hashes are
stored in the PHC string format, so parameters can be raised later without invalidating old hashes.
Device tokens are 256-bit random strings; only their SHA-256 is stored (a token is already
high-entropy, so a fast hash is enough and lookups stay indexable).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from sqlalchemy import Connection, delete, func, insert, select, update

from sync.protocol import ROLES
from sync.server import schema
from sync.server.errors import ApiError

# OWASP's recommended Argon2id floor (19 MiB, 2 passes, 1 lane): ~30 ms a login on a server core.
ARGON_MEMORY_KIB = 19 * 1024
ARGON_ITERATIONS = 2
ARGON_LANES = 1

TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000
LOGIN_WINDOW_MS = 60_000
LOGIN_MAX_FAILURES = 5
STREET_CODE_LENGTH = 9


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def hash_password(password: str) -> str:
    kdf = Argon2id(salt=os.urandom(16), length=32, iterations=ARGON_ITERATIONS, lanes=ARGON_LANES,
                   memory_cost=ARGON_MEMORY_KIB)
    return kdf.derive_phc_encoded(password.encode("utf-8"))


def check_password(password: str, encoded: str) -> bool:
    try:
        Argon2id.verify_phc_encoded(password.encode("utf-8"), encoded)
    except (InvalidKey, ValueError):
        return False
    return True


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """The authenticated device and its user's reach: org-code prefixes ("" = everything)."""

    user: str
    role: str
    device_id: str
    prefixes: tuple[str, ...]

    def covers(self, org_code: str | None) -> bool:
        return org_code is not None and any(org_code.startswith(p) for p in self.prefixes)

    @property
    def everything(self) -> bool:
        return "" in self.prefixes

    def scope_tag(self) -> str:
        """Changes whenever the reach changes, so cursors taken under another scope are refused."""
        return hashlib.sha256("|".join(sorted(self.prefixes)).encode()).hexdigest()[:8]


def prefixes_for(role: str, scopes: list[str]) -> tuple[str, ...]:
    if role == "admin":
        return ("",)
    if role == "supervisor":
        return tuple(sorted({s[:STREET_CODE_LENGTH] for s in scopes}))
    return tuple(sorted(set(scopes)))


def check_scopes(role: str, scopes: list[str]) -> None:
    if role not in ROLES:
        raise ApiError(400, "sync.bad_role", role=role)
    for code in scopes:
        if not code.isdigit() or not 6 <= len(code) <= 24:
            raise ApiError(400, "sync.bad_scope", code=code)
    if role != "admin" and not scopes:
        raise ApiError(400, "sync.scope_required")


# --- users -------------------------------------------------------------------------------------

def add_user(conn: Connection, name: str, password: str, role: str, scopes: list[str]) -> None:
    check_scopes(role, scopes)
    exists = conn.execute(select(schema.users.c.name).where(schema.users.c.name == name)).first()
    values = {"password_hash": hash_password(password), "role": role, "scopes": json.dumps(scopes),
              "disabled": False}
    if exists:
        conn.execute(update(schema.users).where(schema.users.c.name == name).values(**values))
    else:
        conn.execute(insert(schema.users).values(name=name, created_ms=now_ms(), **values))


def set_scopes(conn: Connection, name: str, scopes: list[str]) -> None:
    row = conn.execute(select(schema.users.c.role).where(schema.users.c.name == name)).first()
    if row is None:
        raise ApiError(404, "sync.unknown_user", user=name)
    check_scopes(row.role, scopes)
    conn.execute(update(schema.users).where(schema.users.c.name == name).values(scopes=json.dumps(scopes)))


def disable_user(conn: Connection, name: str) -> None:
    done = conn.execute(update(schema.users).where(schema.users.c.name == name).values(disabled=True))
    if not done.rowcount:
        raise ApiError(404, "sync.unknown_user", user=name)


# --- login and devices -------------------------------------------------------------------------

def _recent_failures(conn: Connection, key: str, now: int) -> int:
    return int(conn.execute(select(func.count()).select_from(schema.login_failures).where(
        schema.login_failures.c.key == key, schema.login_failures.c.at_ms > now - LOGIN_WINDOW_MS)).scalar_one())


def check_rate(conn: Connection, user: str, ip: str) -> None:
    """Refuse (429) before even hashing when this user or this address failed too often lately."""
    now = now_ms()
    for key in (f"user:{user}", f"ip:{ip}"):
        if _recent_failures(conn, key, now) >= LOGIN_MAX_FAILURES:
            raise ApiError(429, "sync.too_many_logins")


def record_failure(conn: Connection, user: str, ip: str) -> None:
    now = now_ms()
    conn.execute(insert(schema.login_failures), [{"key": f"user:{user}", "at_ms": now},
                                                 {"key": f"ip:{ip}", "at_ms": now}])
    # Keep the table small: failures older than the window no longer count for anything.
    conn.execute(delete(schema.login_failures).where(schema.login_failures.c.at_ms < now - 10 * LOGIN_WINDOW_MS))


def authenticate_user(conn: Connection, user: str, password: str) -> tuple[str, list[str]] | None:
    row = conn.execute(select(schema.users).where(schema.users.c.name == user)).first()
    if row is None:
        # Spend the same time as a real check, so response times do not reveal which users exist.
        check_password(password, _DUMMY_HASH)
        return None
    if not check_password(password, row.password_hash) or row.disabled:
        return None
    return row.role, list(json.loads(row.scopes))


def register_device(conn: Connection, user: str, device_id: str, name: str) -> tuple[str, int]:
    """Issue a new token for this device (replacing its old one). A revoked device stays revoked,
    and a device id registered by another user cannot be taken over."""
    row = conn.execute(select(schema.devices).where(schema.devices.c.id == device_id)).first()
    if row is not None and row.revoked:
        raise ApiError(403, "sync.device_revoked")
    if row is not None and row.user_name != user:
        raise ApiError(409, "sync.device_taken")
    token = secrets.token_urlsafe(32)
    now = now_ms()
    expires = now + TOKEN_LIFETIME_MS
    values = {"user_name": user, "name": name, "token_hash": token_hash(token), "expires_ms": expires,
              "last_seen_ms": now}
    if row is None:
        conn.execute(insert(schema.devices).values(id=device_id, revoked=False, created_ms=now, **values))
    else:
        conn.execute(update(schema.devices).where(schema.devices.c.id == device_id).values(**values))
    return token, expires


def principal_for(conn: Connection, token: str) -> Principal:
    row = conn.execute(
        select(schema.devices, schema.users.c.role, schema.users.c.scopes, schema.users.c.disabled)
        .join(schema.users, schema.users.c.name == schema.devices.c.user_name)
        .where(schema.devices.c.token_hash == token_hash(token))
    ).first()
    if row is None:
        raise ApiError(401, "sync.bad_token")
    if row.revoked:
        raise ApiError(403, "sync.device_revoked")
    if row.disabled:
        raise ApiError(403, "sync.user_disabled")
    if row.expires_ms < now_ms():
        raise ApiError(401, "sync.token_expired")
    return Principal(row.user_name, row.role, row.id, prefixes_for(row.role, list(json.loads(row.scopes))))


def revoke_device(conn: Connection, device_id: str) -> None:
    done = conn.execute(update(schema.devices).where(schema.devices.c.id == device_id).values(revoked=True))
    if not done.rowcount:
        raise ApiError(404, "sync.unknown_device", device=device_id)


_DUMMY_HASH = hash_password("not a real password")
