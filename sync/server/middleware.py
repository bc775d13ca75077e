"""ASGI middleware: bounded request bodies, request decompression, response compression.

Plain ASGI rather than Starlette's BaseHTTPMiddleware, which buffers differently and is known to
interfere with streaming and background tasks. Responses are small JSON pages, so buffering one
whole response to compress it is fine.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from caseapp.messages import message
from sync import compress

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY = 32 << 20


class CompressionMiddleware:
    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        body = bytearray()
        more = True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body += msg.get("body", b"")
            more = msg.get("more_body", False)
            if len(body) > MAX_BODY:
                await _error(send, 413, "sync.body_too_large")
                return
        encoding = headers.get("content-encoding", "")
        try:
            data = compress.decode(bytes(body), encoding, limit=MAX_BODY)
        except compress.TooLarge:
            await _error(send, 413, "sync.body_too_large")
            return
        except ValueError:
            await _error(send, 400, "sync.bad_encoding")
            return
        if encoding:
            scope = dict(scope)
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
        if codec is None:
            await self.app(scope, replay, send)
            return
        await self.app(scope, replay, _Compressing(send, codec))


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
            body = compress.encode(body, self.codec)
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers += [(b"content-length", str(len(body)).encode()),
                        (b"content-encoding", self.codec.encode()), (b"vary", b"Accept-Encoding")]
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


async def _error(send: Send, status: int, key: str) -> None:
    body = json.dumps({"error": key, "message": message(key, "en")}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body, "more_body": False})
