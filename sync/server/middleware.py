"""What stands between the network and the routes: who is asking, how much they may send, compression.

Every request goes through ``RequestGate`` in this order, before any route sees it:

1. ``ROUTES`` says whether its route needs a device token and how large its decoded body may be;
   paths not listed need a token and may carry no body.
2. A route that needs a token gets its 401 or 403 before one byte of the body is read: the token is
   looked up in the database in a worker thread, and the principal is handed on to the route.
3. The body is read up to the route's cap (a larger Content-Length is refused unread) and decoded by
   ``sync.compress``, which stops at the cap, so 3 KB of zstd cannot become 32 MiB here.
4. Decoding and JSON parsing of large bodies run in worker threads (``in_worker``), at most
   ``BODY_WORKERS`` at a time, so a big push neither holds up the event loop that answers every other
   request nor lets many pushes at once multiply their memory. JSON bodies are parsed and validated
   there by ``JsonRoute``, the routes' class; FastAPI then receives the validated model.

Responses are small JSON pages, buffered whole and compressed when worth it (large ones in a
worker thread too). Plain ASGI rather than Starlette's BaseHTTPMiddleware, which buffers differently
and is known to interfere with streaming and background tasks.
"""

from __future__ import annotations

import email.message
import functools
import inspect
import json
import re
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.lowlevel import RunVar
from fastapi import Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from starlette.concurrency import run_in_threadpool

from caseapp.messages import message
from sync import compress
from sync import protocol as p
from sync.server.errors import ApiError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
T = TypeVar("T")

#: where the gate leaves the principal it checked, for the route's ``principal`` dependency
PRINCIPAL = "caseapp.principal"

KIB = 1 << 10
#: JSON punctuation and field names around a body's list of items
ENVELOPE = 4 * KIB
#: the average size one pushed operation, and one audit entry, may have. Real ones are 0.8 and 1 KB
#: (a demo district's largest: 1.3 and 1.8 KB); 8 KiB leaves room for long notes on every record
#: of a full batch. A batch past the cap is refused whole (413), so this errs on the large side.
PUSH_ITEM = 8 * KIB
#: user name (64 characters), password (256), device id (36) and name (120), even with every
#: character \\u-escaped as a surrogate pair (12 bytes), is under 6 KB
LOGIN = 8 * KIB
#: one {"entity": ..., "id": ...} of a pull's refetch list (64 and 36 ASCII characters at most)
RECORD_REF = 256
#: one quoted hexadecimal digest and its comma
DIGEST = 96
#: one [first, last] run of sequence numbers (two numbers below 2**62) and its comma
RANGE = 48
#: JSON bodies may hold at most one value (object, array, or list item) per this many bytes of the
#: route's cap: parsing turns each into a Python object of some 60 bytes, so a body of nothing but
#: "{}," would otherwise grow 25-fold in memory. Real pushes have one per 19 bytes of body.
BYTES_PER_VALUE = 16
#: bodies (and responses) at least this large are decoded, parsed and compressed in worker threads;
#: smaller ones take well under a millisecond on the event loop
INLINE = 64 * KIB
#: worker threads decoding or parsing bodies at once (the machine's cores; more would only queue on
#: the GIL, while each held its body in memory)
BODY_WORKERS = 2


@dataclass(frozen=True)
class Limit:
    """How much one route accepts: decoded body bytes, and whether a device token is needed."""

    max_body: int
    public: bool = False


def _max_items(model: type[BaseModel], field: str) -> int:
    return next(int(m.max_length) for m in model.model_fields[field].metadata if hasattr(m, "max_length"))


#: Every route, its decoded-body cap and whether it is open without a token. A route not listed
#: needs a token and takes no body (tests/sync/test_limits.py checks this table against the app).
ROUTES: dict[tuple[str, str], Limit] = {
    ("GET", "/handshake"): Limit(0, public=True),
    ("POST", "/login"): Limit(LOGIN, public=True),
    ("GET", "/me"): Limit(0),
    ("GET", "/quality"): Limit(0),
    ("GET", "/standards"): Limit(0),
    ("POST", "/standards"): Limit(ENVELOPE),
    ("POST", "/push"): Limit((p.MAX_PUSH_OPS + p.MAX_AUDIT) * PUSH_ITEM + ENVELOPE),
    ("POST", "/push/verdicts"): Limit(p.MAX_PUSH_OPS * RANGE + ENVELOPE),
    ("POST", "/pull"): Limit(p.MAX_REFETCH * RECORD_REF + ENVELOPE),
    ("POST", "/device/fork"): Limit(ENVELOPE),
    ("POST", "/attachments/missing"): Limit(_max_items(p.MissingIn, "digests") * DIGEST + ENVELOPE),
    ("GET", "/attachments/{digest}"): Limit(0),
    ("PUT", "/attachments/{digest}"): Limit(p.ATTACHMENT_CHUNK),
    ("GET", "/attachments/{digest}/content"): Limit(0),
    ("GET", "/openapi.json"): Limit(0, public=True),
    ("GET", "/docs"): Limit(0, public=True),
}
UNLISTED = Limit(0)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(p.API_PREFIX) + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(template)) + "$")


_MATCHERS = [(method, _pattern(template), limit) for (method, template), limit in ROUTES.items()]


def limit_for(method: str, path: str) -> Limit:
    method = "GET" if method == "HEAD" else method
    return next((limit for m, pattern, limit in _MATCHERS if m == method and pattern.match(path)), UNLISTED)


_workers: RunVar[CapacityLimiter] = RunVar("caseapp_body_workers")


async def in_worker(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in one of the ``BODY_WORKERS`` threads of this event loop."""
    try:
        limiter = _workers.get()
    except LookupError:
        limiter = CapacityLimiter(BODY_WORKERS)
        _workers.set(limiter)
    return await anyio.to_thread.run_sync(fn, *args, limiter=limiter)


class RequestGate:
    """Authenticates, bounds and decodes request bodies (see the module docstring); compresses answers.

    ``authenticate(token)`` returns the principal or raises ApiError; it runs in a worker thread."""

    def __init__(self, app: App, authenticate: Callable[[str], object]) -> None:
        self.app = app
        self.authenticate = authenticate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path, root = scope["path"], scope.get("root_path", "")
        limit = limit_for(scope["method"], path.removeprefix(root) if root else path)
        scope = dict(scope)
        try:
            if not limit.public:
                scope[PRINCIPAL] = await self._principal(headers.get("authorization", ""))
            encoding = headers.get("content-encoding", "")
            raw = await _read_body(receive, headers, limit.max_body)
            if raw is None:
                return  # the client went away
            data = raw if compress.is_identity(encoding) else await _decode(raw, encoding, limit.max_body)
            if _is_json(headers.get("content-type")):
                await _maybe_in_worker(len(data), _check_values, data, limit.max_body)
        except ApiError as error:
            await _error(send, error.status, error.key, **error.params)
            return
        if not compress.is_identity(encoding):
            scope["headers"] = [(k, v) for k, v in scope["headers"]
                                if k.lower() not in (b"content-encoding", b"content-length")]
            scope["headers"].append((b"content-length", str(len(data)).encode()))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": data, "more_body": False}

        codec = compress.choose(headers.get("accept-encoding", ""))
        await self.app(scope, replay, send if codec is None else _Compressing(send, codec))

    async def _principal(self, authorization: str) -> object:
        if not authorization.startswith("Bearer "):
            raise ApiError(401, "sync.auth_required")
        token = authorization.removeprefix("Bearer ").strip()
        if not token or len(token) > 500:
            raise ApiError(401, "sync.bad_token")
        return await run_in_threadpool(self.authenticate, token)


async def _read_body(receive: Receive, headers: dict[str, str], cap: int) -> bytes | None:
    """The body as sent (at most ``cap`` bytes: no encoding makes a sync body larger), or None."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise ApiError(413, "sync.body_too_large")
    body = bytearray()
    more = True
    while more:
        msg = await receive()
        if msg["type"] == "http.disconnect":
            return None
        body += msg.get("body", b"")
        more = msg.get("more_body", False)
        if len(body) > cap:
            raise ApiError(413, "sync.body_too_large")
    return bytes(body)


async def _decode(raw: bytes, encoding: str, cap: int) -> bytes:
    try:
        return await _maybe_in_worker(cap, compress.decode, raw, encoding, cap)
    except compress.TooLarge:
        raise ApiError(413, "sync.body_too_large") from None
    except ValueError:
        raise ApiError(400, "sync.bad_encoding") from None


def _check_values(data: bytes, cap: int) -> None:
    if compress.json_values(data) > max(cap // BYTES_PER_VALUE, 64):
        raise ApiError(413, "sync.body_too_large")


async def _maybe_in_worker(size: int, fn: Callable[..., T], *args: Any) -> T:
    return await in_worker(fn, *args) if size >= INLINE else fn(*args)


def _is_json(content_type: str | None) -> bool:
    """The test FastAPI applies before it parses a body as JSON."""
    if not content_type:
        return False
    parsed = email.message.Message()
    parsed["content-type"] = content_type
    subtype = parsed.get_content_subtype()
    return parsed.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


class JsonRoute(APIRoute):
    """A route whose JSON body is parsed and validated in a worker thread when it is large, and
    whose answer is written as JSON in the thread that made it.

    FastAPI would parse and validate the body on the event loop; here the validated model is put
    where FastAPI looks for the parsed body (Starlette caches it on the request), and FastAPI's own
    validation of a model instance returns it as it is. Errors read as FastAPI's own (422).

    A plain ``def`` route that returns its declared answer model: FastAPI would validate that model
    again in one more hop to a worker thread (0.9 ms for a push's 500 verdicts) before writing it;
    the route's own thread writes it instead (``_answered``), so the model the route built is the
    one sent, and the OpenAPI document still names it."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        model = kwargs.get("response_model")
        if (isinstance(model, type) and issubclass(model, BaseModel) and not inspect.iscoroutinefunction(endpoint)
                and kwargs.get("status_code") in (None, 200)
                and isinstance(kwargs.get("response_class", DefaultPlaceholder(None)), DefaultPlaceholder)
                and not any(kwargs.get(option) for option in _SHAPING)
                and kwargs.get("response_model_by_alias", True)):
            endpoint = _answered(endpoint, model)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        model = self.body_field.field_info.annotation if self.body_field is not None else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or self._embed_body_fields:
            return handler
        body_model: type[BaseModel] = model

        async def handle(request: Request) -> Response:
            if _is_json(request.headers.get("content-type")):
                raw = await request.body()
                if raw:
                    request._json = await _maybe_in_worker(len(raw), _parse, body_model, raw)
            return await handler(request)

        return handle


#: a route's options that shape its answer beyond the model: FastAPI's own writing honours them,
#: so a route that sets one is left to it
_SHAPING = ("response_model_include", "response_model_exclude", "response_model_exclude_unset",
            "response_model_exclude_defaults", "response_model_exclude_none")


def _answered(endpoint: Callable[..., Any], model: type[BaseModel]) -> Callable[..., Any]:
    """``endpoint``, answering an instance of exactly ``model`` as its JSON (anything else, an
    error response say, passes to FastAPI as before). Its signature is the endpoint's own
    (``functools.wraps``), which is what FastAPI reads the parameters and dependencies from."""

    @functools.wraps(endpoint)
    def answer(*args: Any, **kwargs: Any) -> Any:
        out = endpoint(*args, **kwargs)
        if type(out) is model:
            # by alias, as FastAPI writes a response model (response_model_by_alias defaults on)
            return Response(out.model_dump_json(by_alias=True), media_type="application/json")
        return out

    return answer


def _parse(model: type[BaseModel], raw: bytes) -> BaseModel:
    # pydantic's own JSON reader first: a push batch of 500 operations and 1,000 audit entries
    # (1.4 MB) took 6.3 ms against 12.9 ms through json.loads and model_validate
    try:
        return model.model_validate_json(raw)
    except PydanticValidationError as error:
        if not any(e["type"] == "json_invalid" for e in error.errors(include_url=False)):
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                          for e in error.errors(include_url=False)]) from None
    # Not JSON as that reader takes it (a lone surrogate, which a hostile device's value may hold and
    # the rules then refuse operation by operation; nesting past its limit; not JSON at all): read
    # by the standard library, as every body was before, so the answer is the same as it was.
    try:
        return model.model_validate(json.loads(raw))
    except json.JSONDecodeError as error:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body", error.pos), "msg": "JSON decode error",
                                       "input": {}, "ctx": {"error": error.msg}}]) from None
    except (UnicodeDecodeError, RecursionError):
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "JSON decode error",
                                       "input": {}}]) from None
    except PydanticValidationError as error:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])}
                                      for e in error.errors(include_url=False)]) from None


class _Compressing:
    """Buffers one response and compresses it when it is JSON and worth it."""

    def __init__(self, send: Send, codec: str) -> None:
        self.send = send
        self.codec = codec
        self.start: Message | None = None
        self.body = bytearray()

    async def __call__(self, msg: Message) -> None:
        if msg["type"] == "http.response.start":
            self.start = msg
            return
        if msg["type"] != "http.response.body" or self.start is None:
            await self.send(msg)
            return
        self.body += msg.get("body", b"")
        if msg.get("more_body", False):
            return
        headers = [(k, v) for k, v in self.start.get("headers", [])]
        ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
        body = bytes(self.body)
        if ctype.startswith(b"application/json") and len(body) >= compress.MIN_SIZE:
            body = await _maybe_in_worker(len(body), compress.encode, body, self.codec)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers += [(b"content-length", str(len(body)).encode()),
                        (b"content-encoding", self.codec.encode()), (b"vary", b"Accept-Encoding")]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


#: how long a device is told to wait after a 503 (the database busy or out of reach)
RETRY_AFTER_S = 5


async def _error(send: Send, status: int, key: str, **params: Any) -> None:
    body = json.dumps({"error": key, "message": message(key, "en", **params)}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 503:
        headers.append((b"retry-after", str(RETRY_AFTER_S).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
