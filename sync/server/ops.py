"""What operators and their tools ask of a server process, outside the sync API.

    GET /healthz   200 while the process runs (a liveness probe: restart it if this fails)
    GET /readyz    200 when the database answers and its schema is the one this server knows;
                   503 otherwise (a readiness probe: send it no traffic until this passes)
    GET /metrics   Prometheus text format (see metrics.py)

``OpsGate`` sits outermost: it answers those three itself, and for every other request sets the
request id, times the answer, counts it and writes the access log line (see logs.py).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import protocol as p
from sync.server import auth, metrics
from sync.server.db import Database
from sync.server.logs import ACCESS_LOGGER, REQUEST_ID
from sync.server.middleware import ROUTES, _pattern

HEALTH, READY, METRICS = "/healthz", "/readyz", "/metrics"
REQUEST_ID_HEADER = "x-request-id"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_ROUTES = [(method, _pattern(template), p.API_PREFIX + template) for method, template in ROUTES]
log = logging.getLogger(ACCESS_LOGGER)


def route_of(method: str, path: str) -> str:
    """The route template a path belongs to, so labels and logs never carry ids or digests."""
    if path in (HEALTH, READY, METRICS):
        return path
    method = "GET" if method == "HEAD" else method
    return next((template for m, pattern, template in _ROUTES if m == method and pattern.match(path)), "other")


def readiness(db: Database) -> tuple[int, dict[str, object]]:
    try:
        state = db.schema_state()
    except Exception as error:  # any failure to reach the database means "not ready"
        return 503, {"status": "unavailable", "reason": "database", "error": type(error).__name__}
    if not state.at_head:
        return 503, {"status": "unavailable", "reason": "schema", "schema": state.current, "expected": state.head}
    return 200, {"status": "ready", "schema": state.current}


class OpsGate:
    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db
        self.devices = metrics.DeviceCollector(db, auth.now_ms)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        given = headers.get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        method = scope["method"]
        path = scope["path"].removeprefix(scope.get("root_path", "") or "")
        route = route_of(method, path)
        started = time.perf_counter()
        status = 500

        async def answer(msg: Message) -> None:
            nonlocal status
            if msg["type"] == "http.response.start":
                status = int(msg["status"])
                msg = {**msg, "headers": [*msg.get("headers", []), (REQUEST_ID_HEADER.encode(), request_id.encode())]}
            await send(msg)

        try:
            if method in ("GET", "HEAD") and path in (HEALTH, READY, METRICS):
                await self._ops(path, answer)
            else:
                await self.app(scope, receive, answer)
        finally:
            elapsed = time.perf_counter() - started
            metrics.REQUESTS.labels(method, route, str(status)).inc()
            metrics.LATENCY.labels(method, route).observe(elapsed)
            log.info("request", extra={"method": method, "route": route, "status": status,
                                       "duration_ms": round(elapsed * 1000, 2)})
            REQUEST_ID.reset(token)

    async def _ops(self, path: str, send: Send) -> None:
        if path == HEALTH:
            await _reply(send, 200, json.dumps({"status": "ok"}).encode(), b"application/json")
        elif path == READY:
            code, body = await run_in_threadpool(readiness, self.db)
            await _reply(send, code, json.dumps(body).encode(), b"application/json")
        else:
            text = await run_in_threadpool(metrics.exposition, self.devices)
            await _reply(send, 200, text, metrics.CONTENT_TYPE.encode())


async def _reply(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
