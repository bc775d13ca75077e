"""The wire protocol shared by client and server (``/api/v1``): versions, limits and message shapes.

Messages are pydantic models so the server validates every request before touching the database
and the OpenAPI schema documents exactly what is accepted. Values of record fields travel in the
canonical wire form of ``caseapp.domain.codec`` (JSON scalars).
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# the order of the releases the release headers name
from caseapp.release import older as older
from caseapp.release import release_key as release_key

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"

# Headers every request carries so the server can refuse a client too old to talk to it safely.
PROTOCOL_HEADER = "X-CaseApp-Protocol"
SCHEMA_HEADER = "X-CaseApp-Schema"
# The program's release (caseapp.__version__) on every request, and on every answer the oldest
# release the server still serves and the newest there is, as its operator set them (empty: not
# set): a client below the oldest gets 426 and keeps its outbox; one below the newest says so.
CLIENT_HEADER = "X-CaseApp-Client"
MIN_CLIENT_HEADER = "X-CaseApp-Client-Min"
LATEST_CLIENT_HEADER = "X-CaseApp-Client-Latest"



MAX_PUSH_OPS = 1000
DEFAULT_PAGE = 2000
MAX_PAGE = 5000
MAX_REFETCH = 1000
MAX_AUDIT = 1000
ATTACHMENT_CHUNK = 1 << 20  # 1 MiB: small enough to retry cheaply on a bad connection
MAX_ATTACHMENT = 64 << 20

# Stamps further ahead of the server's clock than this are clamped (and the verdict says so).
MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000

# Verdicts a pushed operation can get.
APPLIED: Final = "applied"
MERGED: Final = "merged"  # recorded in a conflict record, but the other device's value won
CONFLICT: Final = "conflict"  # applied as the default winner; a conflict record was opened
REJECTED: Final = "rejected"
VERDICTS = (APPLIED, MERGED, CONFLICT, REJECTED)
VerdictName = Literal["applied", "merged", "conflict", "rejected"]

#: the roles a user can hold (the user_role dictionary of the reference data): who may take which
#: workflow step is the workflow's rule (caseapp.services.workflows)
ROLES = ("caseworker", "supervisor", "approver", "admin")

# Text that can go into any database: no NUL (PostgreSQL refuses it in text), bounded length.
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00]+$")]
RowId = Annotated[str, Field(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9_-]+$")]
FieldName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z_][a-z0-9_]*$")]
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Stamp = Annotated[int, Field(ge=0, lt=1 << 62)]
Position = Annotated[int, Field(ge=0, lt=1 << 62)]
JsonScalar = None | bool | int | float | str


class Model(BaseModel):
    """What a client sends: the server refuses anything it does not expect."""

    model_config = ConfigDict(extra="forbid")


class Answer(BaseModel):
    """What the server answers: a client ignores what a newer server adds, so servers can be
    upgraded before their clients."""

    model_config = ConfigDict(extra="ignore")


T = TypeVar("T")
#: A list in an answer: validation stops at its first bad item, so a hostile server's page of a
#: million bad rows costs one error, not millions (3 MB of them made 2 GB of errors).
Answers = Annotated[list[T], Field(fail_fast=True)]


class ErrorOut(Answer):
    error: str
    message: str


class HandshakeOut(Answer):
    protocol: int
    min_protocol: int
    min_schema: int
    server_time_ms: int
    hlc: int
    #: the record schema the server validates against: its workspace schema version, and the fields
    #: of every record type it knows. A newer client holds changes to fields the server does not
    #: know until the server is upgraded, instead of having them refused.
    schema_version: int = 0
    fields: dict[str, list[str]] = {}
    #: the oldest program release served and the newest there is ("" where the operator set none)
    min_client: str = ""
    latest_client: str = ""


class LoginIn(Model):
    user: Name
    password: Annotated[str, Field(min_length=1, max_length=256, pattern=r"^[^\x00]+$")]
    device_id: RowId
    device_name: Annotated[str, Field(max_length=120, pattern=r"^[^\x00]*$")] = ""


class LoginOut(Answer):
    token: str
    expires_ms: int
    user: str
    role: str
    scopes: list[str]


class PushOp(Model):
    """One journal entry: a record created (``value`` is its full wire row), a field set, or a
    conflict resolved (entity ``conflict``, op ``resolve``, ``value`` the chosen wire value)."""

    seq: Annotated[int, Field(ge=1, lt=1 << 62)]
    tx_id: Annotated[str, Field(max_length=36, pattern=r"^[A-Za-z0-9_-]*$")] = ""
    entity: FieldName
    row_id: RowId
    op: Literal["create", "set", "resolve"]
    field: FieldName | None = None
    value: Any = None
    base_pos: Position | None = None
    hlc: Stamp
    author: Annotated[str, Field(max_length=64, pattern=r"^[^\x00]*$")] = ""
    schema_version: Annotated[int, Field(ge=0, lt=1 << 31)] = 0


Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Text64 = Annotated[str, Field(max_length=64, pattern=r"^[^\x00]*$")]


class AuditEntryIn(Model):
    """One entry of the device's hash-chained audit trail, exactly as stored and hashed on the
    device (``changes`` is its JSON text, ``at`` its text form), so the server can check the chain."""

    seq: Annotated[int, Field(ge=1, lt=1 << 62)]
    at: Annotated[str, Field(max_length=40, pattern=r"^[0-9T:.Z+-]+$")]
    actor: Text64
    device: Text64
    entity: Annotated[str, Field(max_length=32, pattern=r"^[^\x00]*$")]
    row_id: Annotated[str, Field(max_length=36, pattern=r"^[^\x00]*$")]
    action: Annotated[str, Field(max_length=12, pattern=r"^[a-z_]+$")]
    changes: Annotated[str, Field(max_length=1_000_000, pattern=r"^[^\x00]*$")]
    prev_hash: Hash
    hash: Hash


class PushIn(Model):
    ops: Annotated[list[PushOp], Field(max_length=MAX_PUSH_OPS)]
    #: the device's audit entries the server does not hold yet, oldest first
    audit: Annotated[list[AuditEntryIn], Field(max_length=MAX_AUDIT)] = []


class Verdict(Answer):
    seq: int
    verdict: VerdictName
    #: for a refusal: the message key, the field it concerns and the message's parameters
    reason: str | None = None
    field: str | None = None
    params: dict[str, JsonScalar] = {}
    pos: int | None = None
    clamped: bool = False
    conflict_id: str | None = None
    #: the server took the operation exactly as sent: the record, as the device holds it once it takes
    #: this verdict's position and the operation's stamp as ``updated_at``, is the server's (the pull
    #: does not send it back, ``PullIn.own_through``)
    echo: bool = False


class PushOut(Answer):
    verdicts: Answers[Verdict]
    hlc: int
    #: the highest audit sequence number the server holds for this device
    audit_ack: int = 0


Seq = Annotated[int, Field(ge=1, lt=1 << 62)]


class VerdictsIn(Model):
    """A device whose push answer was lost asks for the verdicts the server stored for that push
    (``sync.server.verdicts``) instead of sending the whole batch again."""

    #: the batch's sequence numbers as (first, last) runs, at most MAX_PUSH_OPS numbers in all
    ranges: Annotated[list[tuple[Seq, Seq]], Field(max_length=MAX_PUSH_OPS)]
    #: ``sync.replay.batch_digest`` of the batch as pushed: the verdicts are given only for exactly
    #: these operations
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    #: the last audit entry the push carried (0 and "": none); the push counts as held only if the
    #: server holds this entry too
    audit_seq: Annotated[int, Field(ge=0, lt=1 << 62)] = 0
    audit_hash: Annotated[str, Field(pattern=r"^([0-9a-f]{64})?$")] = ""

    @field_validator("ranges")
    @classmethod
    def _bounded(cls, value: list[tuple[int, int]]) -> list[tuple[int, int]]:
        if any(first > last for first, last in value):
            raise ValueError("a range ends before it starts")
        if sum(last - first + 1 for first, last in value) > MAX_PUSH_OPS:
            raise ValueError(f"more than {MAX_PUSH_OPS} sequence numbers")
        return value

    @model_validator(mode="after")
    def _something(self) -> VerdictsIn:
        if not self.ranges and not self.audit_seq:
            raise ValueError("neither operations nor an audit entry")
        return self

    def seqs(self) -> list[int]:
        return sorted({seq for first, last in self.ranges for seq in range(first, last + 1)})


class VerdictsOut(Answer):
    #: whether the server holds that push: a verdict for every one of its operations, the same
    #: operations (the digest), and its last audit entry. Not held: send the push again.
    held: bool
    verdicts: Answers[Verdict] = []
    hlc: int
    audit_ack: int = 0


class ForkIn(Model):
    """A copy of this device asks to carry on as a device of its own (see ``sync.server.merge.push``)."""

    #: the last of its audit entries the server acknowledged: where its trail parted from the original's
    audit_seq: Annotated[int, Field(ge=0, lt=1 << 62)] = 0


class ForkOut(Answer):
    device_id: str
    token: str
    expires_ms: int


class RecordRef(Model):
    entity: FieldName
    id: RowId


class PullIn(Model):
    cursor: Annotated[str, Field(max_length=200, pattern=r"^[A-Za-z0-9._-]*$")] = ""
    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE
    #: ids whose server state the device must be sent again (its own edit to them was refused or lost)
    refetch: Annotated[list[RecordRef], Field(max_length=MAX_REFETCH)] = []
    #: also count the in-scope changes from the cursor on (the first request of a sync asks, so
    #: the device can show how far it has got; counting on every page would cost a scan each)
    count: bool = False
    #: the version of the administrator's standards the device holds ("" none): a different one is
    #: answered with ``PullOut.standards``; not given (an older client), never
    standards: Annotated[str, Field(max_length=40, pattern=r"^[0-9]*$")] | None = None
    #: every operation of this device numbered up to this one has its verdict here: a record whose
    #: changes past the cursor are all echoes (``Verdict.echo``) of those operations is not sent.
    #: Not given (an older client, a re-pull of the whole scope), every record is sent; a restored
    #: copy of a workspace lacks the later verdicts, so it claims less and is sent what it lacks.
    own_through: Annotated[int, Field(ge=0, lt=1 << 62)] | None = None


class ConflictOut(Answer):
    id: str
    entity: str
    row_id: str
    field: str
    org_code: str
    base_value: JsonScalar
    winner_value: JsonScalar
    loser_value: JsonScalar
    winner_author: str
    loser_author: str
    winner_device: str
    loser_device: str
    winner_hlc: int
    loser_hlc: int
    created_ms: int
    status: str
    resolved_by: str | None
    resolution: JsonScalar


class RowOut(Answer):
    entity: str
    id: str
    pos: int
    fields: dict[str, JsonScalar]
    conflicts: Answers[ConflictOut] = []

    @field_validator("fields", mode="before")
    @classmethod
    def _scalars_only(cls, value: Any) -> Any:
        # Stops at the first bad value, as Answers do: a row of a million bad fields is one error.
        if isinstance(value, dict) and not all(v is None or isinstance(v, bool | int | float | str)
                                               for v in value.values()):
            raise ValueError("field values must be JSON scalars")
        return value


class PullOut(Answer):
    rows: Answers[RowOut]
    removals: Answers[RecordRef]
    cursor: str
    has_more: bool
    hlc: int
    #: records in the device's scope, sent with the last page so the device can check its copy
    scope_count: int | None = None
    #: when the request asked to count: the in-scope changes after its cursor, this page's included
    total: int | None = None
    #: the administrator's standards, when the device's version (``PullIn.standards``) is not the
    #: server's: {"version": str, "rows": [rows of caseapp.refdata.check_entry's form]}
    standards: dict[str, Any] | None = None


class AttachmentStatus(Answer):
    digest: str
    size: int
    received: int
    complete: bool


class MissingIn(Model):
    digests: Annotated[list[Digest], Field(max_length=1000)]


class MissingOut(Answer):
    missing: Answers[str]
