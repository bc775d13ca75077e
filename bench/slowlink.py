"""A loopback proxy that makes a slow, lossy link between a sync client and a real server.

asyncio and the standard library only. It listens on 127.0.0.1 and relays HTTP/1.1 exchanges to the
server, message by message, each over a fresh upstream connection (the client's own connections
are kept alive):

- each direction is a link of ``rate_bps`` bits per second, shared by every connection (one
  device's line): a message takes its length in bits over the rate, after the messages before it;
- every message arrives ``rtt_s / 2`` after it left, and a new connection costs one round trip
  before its first request (the TCP handshake);
- a share ``drop_rate`` of answers is lost: the request reaches the server, which answers (and has
  committed), then the client's connection is closed instead of the answer reaching it. Which
  answers are lost comes from a generator seeded with ``seed``, drawn once per answer in the order
  they come, so a sequential sync meets the same losses on every run.

Bytes are counted each way as they cross (the HTTP framing included, bodies as compressed on the
wire), with every exchange kept (path, sizes, a digest of the request body, lost or not) so a
benchmark can tell how many bytes went twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

_MAX_HEAD = 65536


@dataclass
class Link:
    """What the link does; may be changed while the proxy runs (e.g. shaped only once set up)."""

    rate_bps: float = 64_000.0
    rtt_s: float = 0.4
    drop_rate: float = 0.05
    seed: int = 13
    #: shape and delay at all (False: a plain relay, still counting)
    shaped: bool = True


@dataclass(frozen=True)
class Exchange:
    path: str
    request_bytes: int
    response_bytes: int
    #: SHA-256 of the request body: the same body sent again has the same
    body_digest: str
    dropped: bool


@dataclass
class Tally:
    #: bytes client → server and server → client (an answer lost is not counted as received)
    sent: int = 0
    received: int = 0
    requests: int = 0
    dropped: int = 0
    #: exchanges the server did not answer (it closed on the proxy): the client's connection is closed
    upstream_failures: int = 0
    exchanges: list[Exchange] = field(default_factory=list)

    def resent_bytes(self) -> int:
        """Bytes of requests whose body had already been sent once (a repeat after a lost answer)."""
        seen: set[tuple[str, str]] = set()
        again = 0
        for e in self.exchanges:
            key = (e.path, e.body_digest)
            if key in seen:
                again += e.request_bytes
            seen.add(key)
        return again

    def reset(self) -> None:
        self.sent = self.received = self.requests = self.dropped = self.upstream_failures = 0
        self.exchanges.clear()


class _Direction:
    """One direction of the link: messages queue for the line, then travel half a round trip."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.free_at = 0.0

    async def carry(self, size: int, extra_s: float = 0.0) -> None:
        if not self.link.shaped:
            return
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + size * 8 / self.link.rate_bps
        await asyncio.sleep(max(0.0, self.free_at + self.link.rtt_s / 2 + extra_s - now))


class ProxyError(Exception):
    """Something the proxy cannot relay; the connection is closed."""


async def _read_message(reader: asyncio.StreamReader, *, response: bool,
                        head_only: bool = False) -> tuple[bytes, bytes]:
    """(head, body) of one HTTP/1.1 message exactly as it came (chunked bodies kept chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > _MAX_HEAD:
        raise ProxyError("head too large")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if head_only:
        return head, b""
    if response:
        status = int(lines[0].split(" ", 2)[1])
        if status < 200 or status in (204, 304):
            return head, b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        parts = []
        while True:
            size_line = await reader.readuntil(b"\r\n")
            parts.append(size_line)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    trailer = await reader.readuntil(b"\r\n")
                    parts.append(trailer)
                    if trailer == b"\r\n":
                        return head, b"".join(parts)
            parts.append(await reader.readexactly(size + 2))
    if "content-length" in headers:
        return head, await reader.readexactly(int(headers["content-length"]))
    if response:  # delimited by the end of the connection
        return head, await reader.read()
    return head, b""


class SlowLinkProxy:
    """The proxy; ``running()`` serves it from a thread of its own for synchronous callers."""

    def __init__(self, upstream_host: str, upstream_port: int, link: Link | None = None) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.link = link or Link()
        self.tally = Tally()
        self.port = 0
        self._rng = random.Random(self.link.seed)
        self._up = _Direction(self.link)
        self._down = _Direction(self.link)
        self._clients: set[asyncio.StreamWriter] = set()
        self._handlers: set[asyncio.Task[None]] = set()

    def reseed(self, seed: int | None = None) -> None:
        self._rng = random.Random(self.link.seed if seed is None else seed)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        first = True
        self._clients.add(writer)
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        try:
            while True:
                try:
                    head, body = await _read_message(reader, response=False)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request = head + body
                path = head.split(b" ", 2)[1].decode("latin-1").split("?", 1)[0]
                self.tally.sent += len(request)
                self.tally.requests += 1
                # the TCP handshake of a new connection: one round trip before the request leaves
                await self._up.carry(len(request), self.link.rtt_s if first and self.link.shaped else 0.0)
                first = False
                # A fresh upstream connection per request: one kept while the line is busy for
                # longer than the server's keep-alive would be closed under the request.
                upstream = await asyncio.open_connection(*self.upstream)
                upstream[1].write(request)
                await upstream[1].drain()
                method = head.split(b" ", 1)[0]
                try:
                    rhead, rbody = await _read_message(upstream[0], response=True, head_only=method == b"HEAD")
                except (asyncio.IncompleteReadError, ConnectionError):
                    self.tally.upstream_failures += 1
                    raise
                finally:
                    upstream[1].close()
                    upstream = None
                answer = rhead + rbody
                digest = hashlib.sha256(body).hexdigest()
                if self._rng.random() < self.link.drop_rate:
                    self.tally.dropped += 1
                    self.tally.exchanges.append(Exchange(path, len(request), len(answer), digest, True))
                    if self.link.shaped:
                        await asyncio.sleep(self.link.rtt_s / 2)
                    return  # the answer never arrives: the client's connection closes instead
                await self._down.carry(len(answer))
                self.tally.received += len(answer)
                self.tally.exchanges.append(Exchange(path, len(request), len(answer), digest, False))
                writer.write(answer)
                await writer.drain()
                if b"connection: close" in rhead.lower():
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ProxyError):
            return
        finally:
            self._clients.discard(writer)
            if task is not None:
                self._handlers.discard(task)
            for w in (writer, upstream[1] if upstream else None):
                if w is not None:
                    w.close()
                    with contextlib.suppress(Exception):
                        await w.wait_closed()

    @contextlib.contextmanager
    def running(self) -> Iterator[SlowLinkProxy]:
        """Serve on 127.0.0.1 (a free port) from a thread until the block ends."""
        loop = asyncio.new_event_loop()
        started = threading.Event()
        stop: asyncio.Future[None] | None = None
        failure: list[BaseException] = []

        async def main() -> None:
            nonlocal stop
            server = await asyncio.start_server(self._serve_client, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            stop = loop.create_future()
            started.set()
            async with server:
                await stop
                for client in list(self._clients):  # idle keep-alive connections end with the proxy
                    client.close()
                # and their handlers with it, before the loop closes under them
                handlers = list(self._handlers)
                for handler in handlers:
                    handler.cancel()
                await asyncio.gather(*handlers, return_exceptions=True)

        def run() -> None:
            try:
                loop.run_until_complete(main())
            except BaseException as error:  # reported to the caller
                failure.append(error)
                started.set()
            finally:
                loop.close()

        thread = threading.Thread(target=run, name="slowlink-proxy", daemon=True)
        thread.start()
        started.wait(10)
        if failure:
            raise failure[0]
        try:
            yield self
        finally:
            if stop is not None:
                loop.call_soon_threadsafe(stop.set_result, None)
            thread.join(10)
