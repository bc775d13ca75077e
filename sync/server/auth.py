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
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from caseapp.crypto import passwords
from caseapp.domain import orgs
from caseapp.errors import ValidationError
from caseapp.ids import new_id
from sync.protocol import ROLES
from sync.server import db, schema
from sync.server.errors import ApiError

# OWASP's recommended Argon2id floor (19 MiB, 2 passes, 1 lane): ~30 ms a login on a server core.
ARGON_MEMORY_KIB = 19 * 1024
ARGON_ITERATIONS = 2
ARGON_LANES = 1

TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000
STREET_CODE_LENGTH = orgs.STREET_CODE_LENGTH
DISTRICT_CODE_LENGTH = orgs.DISTRICT_CODE_LENGTH


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
    return orgs.reach(role, scopes)


def check_scopes(role: str, scopes: list[str]) -> None:
    if role not in ROLES:
        raise ApiError(400, "sync.bad_role", role=role)
    for code in scopes:
        if not code.isdigit() or not 6 <= len(code) <= 24:
            raise ApiError(400, "sync.bad_scope", code=code)
    if role != "admin" and not scopes:
        raise ApiError(400, "sync.scope_required")


# --- users -------------------------------------------------------------------------------------
#
# Every change to an account says what it did and is undone only by the command that says so: adding
# never touches an existing user (it would re-enable a disabled one and bring its old logins back);
# a new password and disabling both end every login of the user's devices, which then log in again
# (their outboxes are untouched); enabling brings the account back, not the ended logins.

def check_password_policy(name: str, password: str) -> None:
    """The one password policy (caseapp.crypto.passwords), at the length for accounts reachable
    from the network; raises a 400 naming the reason."""
    try:
        passwords.check(password, min_length=passwords.MIN_ACCOUNT_PASSWORD_LENGTH, user=name)
    except ValidationError as error:
        key = "password.too_short" if error.key == "workspace.passphrase_too_short" else error.key
        raise ApiError(400, key, **error.params) from None


def add_user(conn: Connection, name: str, password: str, role: str, scopes: list[str]) -> None:
    """Create a user; an existing name is refused (409) and left as it was."""
    check_scopes(role, scopes)
    check_password_policy(name, password)
    created = conn.execute(db.insert_for(conn, schema.users).values(
        name=name, password_hash=hash_password(password), role=role, scopes=json.dumps(scopes), disabled=False,
        created_ms=now_ms()).on_conflict_do_nothing(index_elements=["name"]).returning(schema.users.c.name)).first()
    if created is None:
        raise ApiError(409, "sync.user_exists", user=name)


def user_exists(conn: Connection, name: str) -> bool:
    return conn.execute(select(schema.users.c.name).where(schema.users.c.name == name)).first() is not None


def set_password(conn: Connection, name: str, password: str) -> int:
    """A new password; every device of the user must log in again with it. Returns how many
    devices' logins were ended."""
    check_password_policy(name, password)
    done = conn.execute(update(schema.users).where(schema.users.c.name == name)
                        .values(password_hash=hash_password(password)))
    if not done.rowcount:
        raise ApiError(404, "sync.unknown_user", user=name)
    return _end_logins(conn, name, "password")


def set_scopes(conn: Connection, name: str, scopes: list[str]) -> None:
    """Change a user's scopes; the reach they had is remembered up to the log's current position,
    so work they typed before the change is still recognised as theirs to have typed (merge.py)."""
    row = conn.execute(select(schema.users.c.role, schema.users.c.scopes)
                       .where(schema.users.c.name == name)).first()
    if row is None:
        raise ApiError(404, "sync.unknown_user", user=name)
    check_scopes(row.role, scopes)
    before = prefixes_for(row.role, list(json.loads(row.scopes)))
    if before != prefixes_for(row.role, scopes):
        top = conn.execute(select(func.max(schema.changes.c.pos))).scalar_one() or 0
        conn.execute(insert(schema.scope_history).values(user_name=name, prefixes=json.dumps(list(before)),
                                                         until_pos=int(top), until_ms=now_ms()))
    conn.execute(update(schema.users).where(schema.users.c.name == name).values(scopes=json.dumps(scopes)))


def prefixes_at(conn: Connection, user: str, pos: int) -> tuple[str, ...] | None:
    """The reach ``user`` had at log position ``pos``, if their scopes changed since; else None
    (the current reach applies)."""
    h = schema.scope_history.c
    found = conn.execute(select(h.prefixes).where(h.user_name == user, h.until_pos >= pos)
                         .order_by(h.until_pos, h.id).limit(1)).scalar()
    return tuple(json.loads(found)) if found is not None else None


def disable_user(conn: Connection, name: str) -> int:
    """Disable a user and end their devices' logins (so enabling later does not revive them).
    Returns how many devices' logins were ended."""
    done = conn.execute(update(schema.users).where(schema.users.c.name == name).values(disabled=True))
    if not done.rowcount:
        raise ApiError(404, "sync.unknown_user", user=name)
    return _end_logins(conn, name, "disabled")


def enable_user(conn: Connection, name: str) -> bool:
    """Enable a disabled user; False if it was not disabled. Its devices log in again."""
    if not user_exists(conn, name):
        raise ApiError(404, "sync.unknown_user", user=name)
    done = conn.execute(update(schema.users).where(schema.users.c.name == name, schema.users.c.disabled.is_(True))
                        .values(disabled=False))
    return bool(done.rowcount)


def _end_logins(conn: Connection, name: str, why: str) -> int:
    d = schema.devices.c
    done = conn.execute(update(schema.devices).where(d.user_name == name, d.revoked.is_(False), d.token_ended.is_(None))
                        .values(token_ended=why, expires_ms=0))
    return int(done.rowcount)


# --- login back-off ----------------------------------------------------------------------------
#
# Counted per (user name as typed, client address), in one INSERT … ON CONFLICT DO UPDATE … RETURNING
# committed BEFORE the password is hashed: concurrent logins each take their turn on the row, so no
# more than LOGIN_FREE_ATTEMPTS are ever checked at once, and the (slow, on purpose) hash check
# cannot be raced. After the free attempts each further one waits twice as long as the one before
# (LOGIN_FIRST_DELAY_MS, doubling, at most LOGIN_MAX_DELAY_MS) and is answered 429 with Retry-After
# until then; a refused attempt changes nothing but the row's age. A success from that address
# clears its row; a row untouched for LOGIN_FORGET_MS starts afresh.
#
# Keyed by the pair, not the user name alone, so that a stranger failing five times cannot lock the
# real "admin" out: their failures slow only their own address. There is no per-user ceiling across
# addresses: any such ceiling is a lever for strangers to lock a named user out from everywhere,
# which is the attack this replaces. What a guesser with many addresses gets is bounded instead by
# the password policy (no account password is among the 10,000 commonest, nor the user name) and
# by Argon2id: each address gets about 25 guesses in its first day and then one an hour.

LOGIN_FREE_ATTEMPTS = 5
LOGIN_FIRST_DELAY_MS = 60_000
LOGIN_MAX_DELAY_MS = 3_600_000
LOGIN_FORGET_MS = 24 * 3_600_000


def login_delay_ms(attempts: int) -> int:
    """How long after the ``attempts``-th counted login from one address the next may come."""
    if attempts < LOGIN_FREE_ATTEMPTS:
        return 0
    return min(LOGIN_FIRST_DELAY_MS * 2 ** (attempts - LOGIN_FREE_ATTEMPTS), LOGIN_MAX_DELAY_MS)


def _delay_after(attempts: ColumnElement[int]) -> ColumnElement[int]:
    """login_delay_ms in SQL (no portable power function: the few doubling steps are spelled out)."""
    steps = []
    k = LOGIN_FREE_ATTEMPTS
    while login_delay_ms(k) < LOGIN_MAX_DELAY_MS:
        steps.append((attempts == k, login_delay_ms(k)))
        k += 1
    return case((attempts < LOGIN_FREE_ATTEMPTS, 0), *steps, else_=LOGIN_MAX_DELAY_MS)


def claim_login(conn: Connection, user: str, address: str, now: int) -> int:
    """Count this login before its password is checked: 0 if it may go on, else the seconds to
    wait. Commit before checking the password, so concurrent logins see each other's counts."""
    t = schema.login_throttle.c
    nonce = secrets.token_hex(16)
    stale = t.updated_ms < now - LOGIN_FORGET_MS
    # The free attempts are free whatever the clock says: concurrent requests take the row lock in
    # an order that need not be the order of their `now`, and a later lock-taker with an earlier
    # `now` must not be refused while the count is still below LOGIN_FREE_ATTEMPTS.
    due = or_(stale, t.attempts < LOGIN_FREE_ATTEMPTS, t.next_ms <= now)
    first = db.insert_for(conn, schema.login_throttle).values(
        user_name=user, address=address, attempts=1, next_ms=now + login_delay_ms(1), grant_id=nonce, updated_ms=now)
    stmt = first.on_conflict_do_update(index_elements=["user_name", "address"], set_={
        "attempts": case((stale, 1), (due, t.attempts + 1), else_=t.attempts),
        "next_ms": case((stale, now + login_delay_ms(1)),
                        (due, literal(now, BigInteger) + _delay_after(t.attempts + 1)), else_=t.next_ms),
        "grant_id": case((due, nonce), else_=t.grant_id),
        "updated_ms": now,
    }).returning(t.grant_id, t.next_ms)
    row = conn.execute(stmt).one()
    if row.grant_id == nonce:
        return 0
    return max(1, -(-(row.next_ms - now) // 1000))


def login_succeeded(conn: Connection, user: str, address: str) -> None:
    """The right password from this address: its count starts again."""
    t = schema.login_throttle.c
    conn.execute(delete(schema.login_throttle).where(t.user_name == user, t.address == address))


def authenticate_user(conn: Connection, user: str, password: str) -> tuple[str, list[str]] | None:
    row = conn.execute(select(schema.users).where(schema.users.c.name == user)).first()
    if row is None:
        # Spend the same time as a real check, so response times do not reveal which users exist.
        check_password(password, _DUMMY_HASH)
        return None
    if not check_password(password, row.password_hash) or row.disabled:
        return None
    return row.role, list(json.loads(row.scopes))


def reach_of(conn: Connection, name: str) -> tuple[str, ...] | None:
    """The org-code prefixes an active user reaches (what syncs to them); None when there is no
    such user or the account is disabled (a task assigned to them would reach no one)."""
    row = conn.execute(select(schema.users.c.role, schema.users.c.scopes, schema.users.c.disabled)
                       .where(schema.users.c.name == name)).first()
    if row is None or row.disabled:
        return None
    return prefixes_for(row.role, list(json.loads(row.scopes)))


def register_device(conn: Connection, user: str, device_id: str, name: str) -> tuple[str, int]:
    """Issue a new token for this device (replacing its old one). A revoked device stays revoked,
    and a device id registered by another user cannot be taken over.

    No check-then-insert: concurrent first logins of one new device id (a double click, a retried
    request) would both find no row and one insert would fail. The insert does nothing if the id
    exists, and the update then only touches a row of this user that is not revoked."""
    token = secrets.token_urlsafe(32)
    now = now_ms()
    expires = now + TOKEN_LIFETIME_MS
    values = {"user_name": user, "name": name, "token_hash": token_hash(token), "expires_ms": expires,
              "last_seen_ms": now, "token_ended": None}
    d = schema.devices.c
    created = conn.execute(db.insert_for(conn, schema.devices).values(id=device_id, revoked=False, created_ms=now,
                                                                       **values)
                           .on_conflict_do_nothing(index_elements=["id"]).returning(d.id)).first()
    # (RETURNING, not rowcount: psycopg reports -1 rows for an INSERT … ON CONFLICT DO NOTHING)
    if created is not None:
        return token, expires
    renewed = conn.execute(update(schema.devices).where(d.id == device_id, d.user_name == user, d.revoked.is_(False))
                           .values(**values))
    if renewed.rowcount:
        return token, expires
    row = conn.execute(select(d.revoked).where(d.id == device_id)).first()
    if row is not None and row.revoked:
        raise ApiError(403, "sync.device_revoked")
    raise ApiError(409, "sync.device_taken")


#: Every request's token lookup, built once: building it and working out its cache key each time
#: took about 190 of its 510 µs of CPU (PostgreSQL; the commit that made it says how it was measured).
_BY_TOKEN = (select(schema.devices, schema.users.c.role, schema.users.c.scopes, schema.users.c.disabled)
             .join(schema.users, schema.users.c.name == schema.devices.c.user_name)
             .where(schema.devices.c.token_hash == bindparam("token_hash")))


def principal_for(conn: Connection, token: str) -> Principal:
    row = conn.execute(_BY_TOKEN, {"token_hash": token_hash(token)}).first()
    if row is None:
        raise ApiError(401, "sync.bad_token")
    if row.revoked:
        raise ApiError(403, "sync.device_revoked")
    if row.disabled:
        raise ApiError(403, "sync.user_disabled")
    if row.token_ended:
        raise ApiError(401, "sync.password_changed")
    if row.expires_ms < now_ms():
        raise ApiError(401, "sync.token_expired")
    return Principal(row.user_name, row.role, row.id, prefixes_for(row.role, list(json.loads(row.scopes))))


def revoke_device(conn: Connection, device_id: str) -> None:
    done = conn.execute(update(schema.devices).where(schema.devices.c.id == device_id).values(revoked=True))
    if not done.rowcount:
        raise ApiError(404, "sync.unknown_device", device=device_id)


_DUMMY_HASH = hash_password("not a real password")


def fork_device(conn: Connection, who: Principal, audit_seq: int, name: str = "") -> tuple[str, str, int]:
    """A new device id, and its token, for a copy of ``who``'s device whose work has parted from
    the device's (``merge.push``): the copy carries on as a device of its own, its audit trail
    continuing from the last entry the two share (at most ``audit_seq``). The original keeps its id
    and token, so both laptops go on working."""
    d, t = schema.devices.c, schema.device_audit.c
    held = conn.execute(select(func.max(t.seq)).where(t.device_id == who.device_id)).scalar() or 0
    original = conn.execute(select(d.name).where(d.id == who.device_id)).scalar() or ""
    device_id = new_id()
    token = secrets.token_urlsafe(32)
    now = now_ms()
    expires = now + TOKEN_LIFETIME_MS
    conn.execute(insert(schema.devices).values(
        id=device_id, user_name=who.user, name=(name or original)[:120], token_hash=token_hash(token),
        expires_ms=expires, revoked=False, created_ms=now, last_seen_ms=now, token_ended=None,
        forked_from=who.device_id, fork_audit_seq=min(max(audit_seq, 0), int(held))))
    return device_id, token, expires
