"""The HTTP API (``/api/v1``): thin route handlers over the auth, merge, pull and attachment services.

The app holds no state of its own beyond its database handle: every fact (tokens, rate-limit
counters, the push ledger) is in the database, so several processes can serve one PostgreSQL.
Every refusal is a 4xx with ``{"error": key, "message": text}``; malformed input never reaches
the database.

No ``from __future__ import annotations`` here: FastAPI resolves the dependency aliases defined
inside ``create_app`` from the live annotations.
"""


from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from caseapp.domain import ENTITIES
from caseapp.messages import message
from caseapp.store import migrate
from caseapp.store.hlc import pack
from caseapp.validation.times import city_today
from sync import protocol as p
from sync.server import attachments, auth, merge, pull, quality, standards, trails, verdicts
from sync.server.auth import Principal
from sync.server.db import Database, is_busy, is_unavailable
from sync.server.errors import ApiError
from sync.server.middleware import PRINCIPAL, RETRY_AFTER_S, JsonRoute, RequestGate

#: The record schema this server validates pushes against (the handshake tells clients, so a newer
#: client holds changes to fields this server does not know instead of losing them to refusals).
RECORD_SCHEMA_VERSION = migrate.schema_version()
RECORD_FIELDS = {entity: cls.field_names() for entity, cls in ENTITIES.items()}


@dataclass(frozen=True)
class ServerConfig:
    #: oldest client protocol and workspace schema still served; older clients get 426 and keep
    #: their outbox until upgraded
    min_protocol: int = 1
    min_schema: int = 1
    #: oldest program release still served (older ones get 426, told which release they need) and
    #: the newest there is (clients below it tell their user); "" for none
    min_client: str = ""
    latest_client: str = ""

    def __post_init__(self) -> None:
        for release in (self.min_client, self.latest_client):
            if release and p.release_key(release) is None:
                raise ValueError(f"not a release number: {release!r} (say it as 1.2 or 1.2.3)")

    def release_headers(self) -> list[tuple[bytes, bytes]]:
        return [(name.lower().encode(), value.encode()) for name, value in (
            (p.MIN_CLIENT_HEADER, self.min_client), (p.LATEST_CLIENT_HEADER, self.latest_client)) if value]


class ReleaseHeaders:
    """Every answer names the oldest and newest program releases (plain ASGI, as middleware.py)."""

    def __init__(self, app: Callable[..., Any], headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": p.ErrorOut} for code in (400, 401, 403, 404, 409, 410, 413, 422, 426, 429)
}


def create_app(db: Database, config: ServerConfig | None = None, *, operations: bool = True) -> FastAPI:
    """The app over ``db``. ``operations``: health, readiness and metrics endpoints, request ids and
    JSON access logs (ops.py, with the ``server`` extra's prometheus-client); the desktop's
    built-in demo server goes without them, and without that extra."""
    config = config or ServerConfig()
    app = FastAPI(title="CaseApp sync server", version=str(p.PROTOCOL_VERSION),
                  openapi_url=f"{p.API_PREFIX}/openapi.json", docs_url=f"{p.API_PREFIX}/docs", redoc_url=None)
    # Tokens are checked, and bodies bounded and decoded, before any route runs (see middleware.py).
    app.router.route_class = JsonRoute

    def lookup(token: str) -> Principal:
        try:
            with db.lookup() as conn:
                return auth.principal_for(conn, token)
        except OperationalError as error:
            if is_unavailable(error):  # answered before any route: the same 503 as a route's
                raise ApiError(503, "sync.database_unavailable") from None
            raise

    app.add_middleware(RequestGate, authenticate=lookup)
    if config.release_headers():
        app.add_middleware(ReleaseHeaders, headers=config.release_headers())
    pushed: Callable[[list[p.Verdict]], None] = _uncounted
    pulled: Callable[[int], None] = _uncounted
    if operations:
        from sync.server import metrics
        from sync.server.ops import OpsGate

        # Outermost: health, readiness and metrics answer without a token; every request is timed,
        # counted and logged with its request id (see ops.py).
        app.add_middleware(OpsGate, db=db)
        pushed, pulled = metrics.pushed, metrics.pulled

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return _error_response(error.status, error.key, **error.params)

    @app.exception_handler(OperationalError)
    async def _database(request: Request, error: OperationalError) -> Response:
        # A SQLite write that waited out the busy timeout behind another process (an administrator's
        # command, a second ``serve --workers`` process): nothing was written, so the device may send
        # it again; anything else is the server's own failure.
        # PostgreSQL out of reach or out of connection slots, or the transaction rolled back by a
        # deadlock: nothing was written either, and it passes.
        if is_busy(error):
            key = "sync.server_busy"
        elif is_unavailable(error):
            key = "sync.database_unavailable"
        else:
            raise error
        busy = _error_response(503, key)
        busy.headers["Retry-After"] = str(RETRY_AFTER_S)
        return busy

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        where = ".".join(str(x) for x in error.errors()[0].get("loc", ())) if error.errors() else ""
        return _error_response(422, "sync.bad_request", where=where)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        key = {404: "sync.not_found", 405: "sync.method_not_allowed"}.get(error.status_code, "sync.bad_request")
        return _error_response(error.status_code, key, where="")

    # The two dependencies below only compare headers: ``async def`` runs them on the event loop,
    # where a plain ``def`` cost a hop to a worker thread and back for each, on every request
    # (two of the five hops a push made; bench/pair_cost.py).
    async def versions(
        protocol: Annotated[int | None, Header(alias=p.PROTOCOL_HEADER, ge=0, lt=1 << 31)] = None,
        schema_version: Annotated[int | None, Header(alias=p.SCHEMA_HEADER, ge=0, lt=1 << 31)] = None,
        client: Annotated[str | None, Header(alias=p.CLIENT_HEADER, max_length=40)] = None,
    ) -> None:
        if (protocol is not None and protocol < config.min_protocol) or (
                schema_version is not None and schema_version < config.min_schema):
            raise ApiError(426, "sync.client_too_old")
        if config.min_client and client is not None and (
                p.release_key(client) is None or p.older(client, config.min_client)):
            raise ApiError(426, "sync.client_release_too_old", release=client, min=config.min_client)

    async def principal(
        request: Request,
        # Declared for the OpenAPI document; the gate has checked it before the body was read.
        authorization: Annotated[str | None, Header(max_length=500)] = None,
        _: None = Depends(versions),
    ) -> Principal:
        checked = request.scope.get(PRINCIPAL)
        if not isinstance(checked, Principal):  # a route ROUTES calls public cannot ask who it is
            raise ApiError(401, "sync.auth_required")
        return checked

    Who = Annotated[Principal, Depends(principal)]
    DigestPath = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]

    @app.get(f"{p.API_PREFIX}/handshake", response_model=p.HandshakeOut, responses=ERROR_RESPONSES,
             dependencies=[Depends(versions)])
    def handshake() -> p.HandshakeOut:
        now = auth.now_ms()
        return p.HandshakeOut(protocol=p.PROTOCOL_VERSION, min_protocol=config.min_protocol,
                              min_schema=config.min_schema, server_time_ms=now, hlc=pack(now),
                              schema_version=RECORD_SCHEMA_VERSION, fields=RECORD_FIELDS,
                              min_client=config.min_client, latest_client=config.latest_client)

    @app.post(f"{p.API_PREFIX}/login", response_model=p.LoginOut, responses=ERROR_RESPONSES,
              dependencies=[Depends(versions)])
    def login(body: p.LoginIn, request: Request) -> p.LoginOut | JSONResponse:
        ip = request.client.host if request.client else "unknown"
        # Counted and committed before the password is hashed (see auth.claim_login).
        with db.write() as conn:
            wait_s = auth.claim_login(conn, body.user, ip, auth.now_ms())
        if wait_s:
            refused = _error_response(429, "sync.too_many_logins")
            refused.headers["Retry-After"] = str(wait_s)
            return refused
        with db.read() as conn:
            found = auth.authenticate_user(conn, body.user, body.password)
        if found is None:
            raise ApiError(401, "sync.bad_credentials")
        role, scopes = found
        with db.write() as conn:
            auth.login_succeeded(conn, body.user, ip)
        with db.write() as conn:
            token, expires = auth.register_device(conn, body.user, body.device_id, body.device_name)
        return p.LoginOut(token=token, expires_ms=expires, user=body.user, role=role, scopes=scopes)

    @app.get(f"{p.API_PREFIX}/me", responses=ERROR_RESPONSES)
    def me(who: Who) -> dict[str, object]:
        return {"user": who.user, "role": who.role, "device": who.device_id, "prefixes": list(who.prefixes)}

    @app.get(f"{p.API_PREFIX}/quality", responses=ERROR_RESPONSES)
    def quality_findings(who: Who, scope: Annotated[str, Query(pattern=r"^[0-9]{0,24}$")] = "") -> dict[str, object]:
        """The checks across records over every device's data in the supervisor's reach (or a scope
        in it): sync.server.quality."""
        with db.snapshot() as conn:
            standards.installed(conn)
            found = quality.listed(conn, who, scope, city_today())
        return {"findings": found}

    @app.get(f"{p.API_PREFIX}/standards", responses=ERROR_RESPONSES)
    def standards_listed(who: Who) -> dict[str, object]:
        """The figures administrators added (sync/server/standards.py), with who and when."""
        with db.read() as conn:
            return {"version": standards.version(conn), "standards": standards.listed(conn)}

    @app.post(f"{p.API_PREFIX}/standards", responses=ERROR_RESPONSES)
    def standards_add(body: dict[str, Any], who: Who) -> dict[str, object]:
        """Add a figure (administrators only); devices get it with their next pull."""
        with db.write() as conn:
            added = standards.add_as(conn, who, body)
            return {"id": added, "version": standards.version(conn)}

    @app.post(f"{p.API_PREFIX}/push", response_model=p.PushOut, responses=ERROR_RESPONSES)
    def push(body: p.PushIn, who: Who) -> p.PushOut:
        now = auth.now_ms()
        with db.write(ordered=True) as conn:
            standards.installed(conn)  # the amounts are checked against the table devices have
            if trails.diverged(conn, who, body.audit):
                raise ApiError(409, "sync.device_diverged")  # an older copy of this device: see merge.push
            verdicts = merge.push(conn, who, body.ops, now)
            audit_ack = trails.receive(conn, who, body.audit, now)
        pushed(verdicts)
        return p.PushOut(verdicts=verdicts, hlc=pack(auth.now_ms()), audit_ack=audit_ack)

    @app.post(f"{p.API_PREFIX}/push/verdicts", response_model=p.VerdictsOut, responses=ERROR_RESPONSES)
    def push_verdicts(body: p.VerdictsIn, who: Who) -> p.VerdictsOut:
        """The stored verdicts of this device's push whose answer was lost (sync.server.verdicts)."""
        with db.snapshot() as conn:  # the ledger and the audit trail as one commit left them
            found = verdicts.stored(conn, who, body)
        return p.VerdictsOut(held=found.held, verdicts=found.verdicts, hlc=pack(auth.now_ms()),
                             audit_ack=found.audit_ack)

    @app.post(f"{p.API_PREFIX}/device/fork", response_model=p.ForkOut, responses=ERROR_RESPONSES)
    def fork(body: p.ForkIn, who: Who) -> p.ForkOut:
        with db.write() as conn:
            device_id, token, expires = auth.fork_device(conn, who, body.audit_seq)
        return p.ForkOut(device_id=device_id, token=token, expires_ms=expires)

    @app.post(f"{p.API_PREFIX}/pull", response_model=p.PullOut, responses=ERROR_RESPONSES)
    def pull_changes(body: p.PullIn, who: Who) -> Response:
        with db.snapshot() as conn:
            page = pull.pull(conn, who, body)
        pulled(len(page.rows))
        # Assembled from the stored JSON text (see pull.Page); the shape is still PullOut.
        return Response(page.to_json(pack(auth.now_ms())), media_type="application/json")

    @app.post(f"{p.API_PREFIX}/attachments/missing", response_model=p.MissingOut, responses=ERROR_RESPONSES)
    def attachments_missing(body: p.MissingIn, who: Who) -> p.MissingOut:
        with db.read() as conn:
            return p.MissingOut(missing=attachments.missing(conn, who, body.digests))

    @app.get(f"{p.API_PREFIX}/attachments/{{digest}}", response_model=p.AttachmentStatus, responses=ERROR_RESPONSES)
    def attachment_status(digest: DigestPath, who: Who) -> p.AttachmentStatus:
        with db.read() as conn:
            found = attachments.status(conn, who, digest)
        if found is None:
            raise ApiError(404, "sync.attachment_missing")
        return found

    @app.put(f"{p.API_PREFIX}/attachments/{{digest}}", response_model=p.AttachmentStatus, responses=ERROR_RESPONSES,
             openapi_extra={"requestBody": {"content": {"application/octet-stream": {
                 "schema": {"type": "string", "format": "binary"}}}, "required": True}})
    async def attachment_upload(
        digest: DigestPath, who: Who, request: Request,
        size: Annotated[int, Query(ge=1, le=p.MAX_ATTACHMENT)],
        offset: Annotated[int, Query(ge=0, le=p.MAX_ATTACHMENT)] = 0,
    ) -> p.AttachmentStatus:
        data = await request.body()
        if len(data) > p.ATTACHMENT_CHUNK:
            raise ApiError(413, "sync.body_too_large")
        def store() -> p.AttachmentStatus:
            with db.write() as conn:
                return attachments.put_chunk(conn, who, digest, size, offset, data, auth.now_ms())

        return await run_in_threadpool(store)

    @app.get(f"{p.API_PREFIX}/attachments/{{digest}}/content", responses={
        **ERROR_RESPONSES, 200: {"content": {"application/octet-stream": {}}}})
    def attachment_download(
        digest: DigestPath, who: Who,
        offset: Annotated[int, Query(ge=0, le=p.MAX_ATTACHMENT)] = 0,
        length: Annotated[int, Query(ge=1, le=p.ATTACHMENT_CHUNK)] = p.ATTACHMENT_CHUNK,
    ) -> Response:
        with db.read() as conn:
            data = attachments.read(conn, who, digest, offset, length)
        return Response(content=data, media_type="application/octet-stream")

    return app


def _uncounted(_: object) -> None:
    """What push and pull report to when there are no metrics (``operations=False``)."""


def _error_response(status: int, key: str, **params: object) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": key, "message": message(key, "en", **params)})
