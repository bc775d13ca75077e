"""The server's tables (SQLAlchemy Core; migrated by ``sync/server/migrations``).

Records are stored generically, one row per record whatever its type, with every field's wire
value in ``fields`` and, per field, the log position, stamp, device and author of the write that
set it (``meta``): the merge needs exactly that, and a new record type needs no server migration.
``changes`` is the commit-ordered log devices pull from.

Integers that hold positions, stamps or epoch milliseconds are BigInteger: an HLC stamp is about
2^57 today.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
    select,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    #: JSON list of org codes (community or grid codes; a supervisor's are cut to the street)
    Column("scopes", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_ms", BigInteger, nullable=False),
)

devices = Table(
    "devices", metadata,
    #: the workspace's own device id, which its journal entries carry
    Column("id", String(64), primary_key=True),
    Column("user_name", String(64), nullable=False, index=True),
    Column("name", String(120), nullable=False, default=""),
    #: SHA-256 of the bearer token: a stolen database copy yields no usable token
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_ms", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("last_seen_ms", BigInteger, nullable=False),
    #: why the token was ended before its expiry ("password": the user's password changed,
    #: "disabled": the user was disabled); the device may log in again, unlike a revoked one
    Column("token_ended", String(16), nullable=True),
    #: a copy of another device (a restored workspace) continues under its own id: the device it was
    #: copied from, and the last audit entry the two share
    Column("forked_from", String(64), nullable=True),
    Column("fork_audit_seq", BigInteger, nullable=True),
)

records = Table(
    "records", metadata,
    Column("id", String(36), primary_key=True),
    Column("entity", String(32), nullable=False),
    #: indexed below for prefix matches (a device's scope)
    Column("org_code", String(24), nullable=False),
    #: JSON object: field -> wire value (every field, stamps included)
    Column("fields", Text, nullable=False),
    #: JSON object: field -> [pos, hlc, device, author] of the write that set it
    Column("meta", Text, nullable=False),
    Column("pos", BigInteger, nullable=False),
    Column("created_pos", BigInteger, nullable=False),
    Column("origin_device", String(64), nullable=False),
    Column("archived", Boolean, nullable=False, default=False),
    #: the root of the record's tree (caseapp.domain.tree): its own id for a root; everything with
    #: one root lives in the root's org unit and moves with it
    Column("root_id", String(36), nullable=True, index=True),
    #: a member record's resident ID number (its ``id_number`` field), so the one record of a person
    #: is found without reading every member (caseapp.services.members: one person, one record)
    Column("person_id", String(18), nullable=True, index=True),
    #: a second org unit that holds this one record and nothing else of its tree: a sent referral's
    #: receiving centre (caseapp.services.referrals), whose devices get the referral's own fields
    Column("shared_org", String(24), nullable=True),
)
# Scopes are matched by prefix (LIKE 'code%'): on PostgreSQL only an index with the pattern operator
# class serves that outside the C collation (s0013; SQLite has no operator classes).
Index("ix_records_org_code", records.c.org_code, postgresql_ops={"org_code": "varchar_pattern_ops"})
Index("ix_records_shared_org", records.c.shared_org, postgresql_ops={"shared_org": "varchar_pattern_ops"})

#: the scopes a user had until a change (``until_pos``: the last log position under them), so work
#: typed while a record was in the user's scope is recognised after the scope changed
scope_history = Table(
    "scope_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(64), nullable=False, index=True),
    #: JSON list of the org-code prefixes the user reached (``Principal.prefixes``)
    Column("prefixes", Text, nullable=False),
    Column("until_pos", BigInteger, nullable=False),
    Column("until_ms", BigInteger, nullable=False),
)

changes = Table(
    "changes", metadata,
    Column("pos", BigInteger, primary_key=True, autoincrement=False),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("org_code", String(24), nullable=False),
    #: the record's org unit before this change, when the change moved it (devices there remove it)
    Column("old_org_code", String(24), nullable=True),
    #: the record's ``shared_org`` at this change (devices there get the record too)
    Column("shared_org", String(24), nullable=True),
    #: JSON object of the fields this change set (wire values); "{}" when only a conflict changed
    Column("fields", Text, nullable=False),
    #: set when this change is exactly one device's operation, as that device holds it after its
    #: verdict (``merge.echo``): the device and the operation's sequence number. A pull skips a
    #: record for that device when every change it would send is such an echo of the device's own
    #: (``pull.pull``); NULL for everything the server made or changed on the way.
    Column("echo_device", String(64), nullable=True),
    Column("echo_seq", BigInteger, nullable=True),
)

#: the log's top position: where a push's positions continue (merge) and past which no pull serves
LOG_TOP = select(func.max(changes.c.pos))

conflicts = Table(
    "conflicts", metadata,
    Column("id", String(36), primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("field", String(64), nullable=False),
    Column("org_code", String(24), nullable=False),
    # values as JSON text of the wire value
    Column("base_value", Text, nullable=False),
    Column("winner_value", Text, nullable=False),
    Column("loser_value", Text, nullable=False),
    Column("winner_author", String(64), nullable=False),
    Column("loser_author", String(64), nullable=False),
    Column("winner_device", String(64), nullable=False),
    Column("loser_device", String(64), nullable=False),
    Column("winner_hlc", BigInteger, nullable=False),
    Column("loser_hlc", BigInteger, nullable=False),
    Column("created_ms", BigInteger, nullable=False),
    Column("status", String(10), nullable=False, default="open"),
    Column("resolved_by", String(64), nullable=True),
    Column("resolution", Text, nullable=True),
)

ledger = Table(
    "push_ledger", metadata,
    Column("device_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("verdict", String(10), nullable=False),
    Column("reason", String(64), nullable=True),
    Column("pos", BigInteger, nullable=True),
    Column("clamped", Boolean, nullable=False, default=False),
    Column("conflict_id", String(36), nullable=True),
    Column("at_ms", BigInteger, nullable=False),
    #: JSON: the field a refusal concerns and its message parameters
    Column("detail", Text, nullable=True),
    #: SHA-256 of the operation as pushed: a different operation under a seen (device, seq) is not a replay
    Column("op_hash", String(64), nullable=True),
    #: the operation's change is an echo (``changes.echo_device``): the verdict says so on a replay too
    Column("echo", Boolean, nullable=False, default=False, server_default=false()),
    PrimaryKeyConstraint("device_id", "seq"),
)

device_audit = Table(
    "device_audit", metadata,
    Column("device_id", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    #: as hashed on the device: the text form of the time and of the changes
    Column("at", String(40), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("action", String(12), nullable=False),
    Column("changes", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    #: False when the entry's hash, its link to the previous entry, its device or its actor did not
    #: check out; ``problem`` says which ("hash", "link", "device", "actor")
    Column("intact", Boolean, nullable=False),
    Column("received_ms", BigInteger, nullable=False),
    #: the authenticated user of the device that shipped it, decided by the server (``actor`` is
    #: what the device claims); NULL for entries received before the server recorded it
    Column("user_name", String(64), nullable=True),
    Column("problem", String(16), nullable=True),
    PrimaryKeyConstraint("device_id", "seq"),
)

login_throttle = Table(
    "login_throttle", metadata,
    #: the user name as typed (whether or not such a user exists) and the client's address: the
    #: back-off is per pair, so nobody elsewhere can lock a named user out (see auth.claim_login)
    Column("user_name", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    #: logins let through since the last success here (each counted before its password is checked)
    Column("attempts", Integer, nullable=False),
    #: the next login from here is let through no earlier than this
    Column("next_ms", BigInteger, nullable=False),
    #: the nonce of the request let through last: how a request learns from RETURNING that it was
    Column("grant_id", String(32), nullable=False),
    Column("updated_ms", BigInteger, nullable=False),
    PrimaryKeyConstraint("user_name", "address"),
)

#: content the server holds, complete and checked against its digest: stored once, whoever uploaded it
attachments = Table(
    "attachments", metadata,
    Column("digest", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    #: the chunks holding it (``attachment_chunks.blob``): those of the upload that completed it first
    Column("blob", String(64), nullable=False),
    Column("stored_ms", BigInteger, nullable=False),
)

#: uploads in progress, one per uploader and digest: nobody else's bytes get in their way
attachment_uploads = Table(
    "attachment_uploads", metadata,
    #: also the ``blob`` its chunks are stored under (32 hex digits; never a digest's 64)
    Column("id", String(32), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    #: last chunk received: uploads idle for longer than attachments.UPLOAD_TTL_MS are dropped
    Column("updated_ms", BigInteger, nullable=False, index=True),
    UniqueConstraint("digest", "user_name", "device_id"),
)

attachment_chunks = Table(
    "attachment_chunks", metadata,
    Column("blob", String(64), nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("blob", "offset"),
)

#: who proved they hold some content by uploading all of it (see sync.server.attachments)
attachment_grants = Table(
    "attachment_grants", metadata,
    Column("digest", String(64), nullable=False),
    Column("user_name", String(64), nullable=False),
    Column("device_id", String(64), nullable=False),
    Column("granted_ms", BigInteger, nullable=False),
    PrimaryKeyConstraint("digest", "user_name", "device_id"),
)

server_meta = Table(
    "server_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

#: figures an administrator added to the standards (caseapp.refdata: 低保 standard, 特困 support…):
#: devices get them on sync (``PullOut.standards``) and use them over the packaged ones. Rows are
#: only added; the table's version is its newest id (sync/server/standards.py).
standards = Table(
    "standards", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    #: the 6-digit district code, or NULL for the whole city
    Column("district", String(6), nullable=True),
    Column("effective_from", String(10), nullable=False),
    #: the row in canonical JSON (caseapp.refdata.check_entry), as devices receive it
    Column("row", Text, nullable=False),
    Column("added_by", String(64), nullable=False),
    Column("added_ms", BigInteger, nullable=False),
)
