"""A loopback HTTP proxy that injects faults between a real sync client and a real server.

Threads and the standard library only: one thread accepts, one thread serves each client
connection (keep-alive, as ``requests`` uses it), and every request is relayed over a fresh
upstream connection (``http.client``), its answer read whole, then written back. That keeps the
points where a fault can strike explicit:

- ``drop_request``: the request is read, then the connection closed; the server never sees it;
- ``drop_response``: forwarded, the server answers (it has committed), the connection is closed;
- ``duplicate``: forwarded twice, one after the other; the first answer is returned;
- ``cut_response``: the status line, the headers and half the body, then the connection closed;
- ``delay``: the request waits before it is forwarded.

Faults come from a schedule (``RandomSchedule``: seeded, drawn per client, path and request
number, so every device meets the same faults whichever order their requests interleave in) or
are scripted (``script``: the next matching requests get this fault). Independently of faults,
``bandwidth`` (bytes/s, both directions) and ``latency_s`` (added per round trip) slow every
exchange, and ``hold`` stops one exchange at a chosen point until the test releases it, so a test
can kill the client or the server at exactly that point. ``injected`` counts what was done, per
kind, for the tests' assertions and ``make fuzz``'s summary.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol
from urllib.parse import urlsplit

DROP_REQUEST = "drop_request"
DROP_RESPONSE = "drop_response"
DUPLICATE = "duplicate"
CUT_RESPONSE = "cut_response"
DELAY = "delay"
#: forwarded and answered by the server, whose answer the proxy drops for a 504 of its own (as
#: nginx answers when the upstream took longer than its read timeout)
GATEWAY_TIMEOUT = "gateway_timeout"
#: what a random schedule draws from
KINDS = (DROP_REQUEST, DROP_RESPONSE, DUPLICATE, CUT_RESPONSE, DELAY)
#: what a test may script (a gateway's answer is only ever scripted)
SCRIPTABLE = (*KINDS, GATEWAY_TIMEOUT)
#: the exchanges a schedule faults by default: the ones whose loss the sync design must survive
SYNC_PATHS = ("/api/v1/push", "/api/v1/pull")

# Hop-by-hop headers (RFC 9110 §7.6.1) and the framing the proxy redoes itself.
_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
                  "te", "trailer", "transfer-encoding", "upgrade", "content-length"})
_MAX_LINE = 65536
_MAX_HEADERS = 200


class ProxyError(Exception):
    """A client sent something the proxy cannot relay (the connection is closed)."""


@dataclass(frozen=True)
class Request:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def client_key(self) -> str:
        """Who is asking, without keeping the token: a short hash of the Authorization header."""
        auth = self.header("authorization")
        return hashlib.sha256(auth.encode()).hexdigest()[:12] if auth else "anonymous"


@dataclass(frozen=True)
class Fault:
    kind: str
    delay_s: float = 0.0


class Schedule(Protocol):
    def choose(self, request: Request, n: int) -> Fault | None:
        """The fault for the ``n``-th request (from 0) of this client to this path, or None."""


@dataclass(frozen=True)
class RandomSchedule:
    """A fault with probability ``rate`` on requests to ``paths`` (prefixes), its kind drawn with
    ``weights``. Each draw is seeded by (seed, client, path, n) alone."""

    seed: int
    rate: float = 0.3
    weights: tuple[tuple[str, float], ...] = tuple((k, 1.0) for k in KINDS)
    paths: tuple[str, ...] = SYNC_PATHS
    max_delay_s: float = 0.2

    def choose(self, request: Request, n: int) -> Fault | None:
        if not any(request.path.startswith(p) for p in self.paths):
            return None
        rng = random.Random(f"{self.seed}|{request.client_key}|{request.path}|{n}")
        if rng.random() >= self.rate:
            return None
        kinds, weights = zip(*self.weights, strict=True)
        kind = rng.choices(kinds, weights=weights)[0]
        return Fault(kind, rng.uniform(0.0, self.max_delay_s) if kind == DELAY else 0.0)


@dataclass
class _Scripted:
    fault: Fault
    path: str
    method: str | None
    left: int

    def matches(self, request: Request) -> bool:
        return request.path.startswith(self.path) and self.method in (None, request.method)


#: where a hold stops an exchange
AT_REQUEST = "request"    # read from the client, not forwarded: the server has not seen it
AT_SERVER = "server"      # forwarded, answer not yet read: the server is working on it
AT_RESPONSE = "response"  # answered; ``fraction`` of the body relayed to the client


@dataclass
class Hold:
    """Stops the ``nth`` (from 1) exchange matching ``path`` at ``at`` until ``release``.
    ``reached`` is set when the exchange gets there; the proxy waits at most ``timeout_s``."""

    path: str
    at: str = AT_RESPONSE
    nth: int = 1
    fraction: float = 0.0
    timeout_s: float = 120.0
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    seen: int = 0

    def wait(self, timeout: float = 120.0) -> bool:
        return self.reached.wait(timeout)

    def release(self) -> None:
        self.released.set()

    def _stop_here(self) -> None:
        self.reached.set()
        self.released.wait(self.timeout_s)


@dataclass
class _Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


class FaultProxy:
    """``FaultProxy(server_url)``; ``start()``, then point clients at ``url``; ``stop()``."""

    def __init__(self, upstream: str, *, schedule: Schedule | None = None, bandwidth: int | None = None,
                 latency_s: float = 0.0, timeout_s: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        parts = urlsplit(upstream)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream must be http://host:port, not {upstream!r}")
        self.upstream_host: str = parts.hostname
        self.upstream_port: int = parts.port
        self.schedule = schedule
        self.bandwidth = bandwidth
        self.latency_s = latency_s
        self.timeout_s = timeout_s
        self._sleep = sleep
        #: faults injected, per kind (and "hold" for exchanges stopped by a hold)
        self.injected: Counter[str] = Counter()
        #: requests received from clients, and requests that reached the server (duplicates twice), per path
        self.received: Counter[str] = Counter()
        self.forwarded: Counter[str] = Counter()
        #: exchanges that failed upstream (server down, killed, or it closed on us)
        self.upstream_failures = 0
        #: (path, fault kind) in the order injected
        self.log: list[tuple[str, str]] = []
        self._numbers: Counter[tuple[str, str]] = Counter()
        self._scripted: list[_Scripted] = []
        self._holds: list[Hold] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._clients: set[socket.socket] = set()
        self._stopping = threading.Event()
        self.port = 0

    # -- life cycle -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopping.clear()
        accept = threading.Thread(target=self._accept_loop, name="fault-proxy-accept", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for hold in self._holds:
                hold.release()
            clients = list(self._clients)
        if self._listener is not None:
            _shut(self._listener)  # close() alone does not wake a thread blocked in accept()
            self._listener = None
        for conn in clients:
            _shut(conn)
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what to inject -------------------------------------------------------------------------
    def script(self, kind: str, path: str = "", *, times: int = 1, method: str | None = None,
               delay_s: float = 0.0) -> None:
        """The next ``times`` requests whose path starts with ``path`` get this fault (before
        the schedule is asked)."""
        if kind not in SCRIPTABLE:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._scripted.append(_Scripted(Fault(kind, delay_s), path, method, times))

    def unscript(self) -> None:
        """Forget the scripted faults not yet injected."""
        with self._lock:
            self._scripted.clear()

    def hold(self, path: str, *, at: str = AT_RESPONSE, nth: int = 1, fraction: float = 0.0) -> Hold:
        if at not in (AT_REQUEST, AT_SERVER, AT_RESPONSE) or not 0.0 <= fraction <= 1.0 or nth < 1:
            raise ValueError("hold: at is request/server/response, 0 <= fraction <= 1, nth >= 1")
        hold = Hold(path, at, nth, fraction, self.timeout_s)
        with self._lock:
            self._holds.append(hold)
        return hold

    def total_injected(self) -> int:
        return sum(n for kind, n in self.injected.items() if kind in SCRIPTABLE)

    def _decide(self, request: Request) -> tuple[Fault | None, Hold | None]:
        with self._lock:
            self.received[request.path] += 1
            number_key = (request.client_key, request.path)
            n = self._numbers[number_key]
            self._numbers[number_key] += 1
            fault: Fault | None = None
            for scripted in self._scripted:
                if scripted.left > 0 and scripted.matches(request):
                    scripted.left -= 1
                    fault = scripted.fault
                    break
            schedule = self.schedule
            hold = None
            for candidate in self._holds:  # each hold counts every exchange matching it
                if request.path.startswith(candidate.path):
                    candidate.seen += 1
                    if hold is None and candidate.seen == candidate.nth:
                        hold = candidate
        if fault is None and schedule is not None:
            fault = schedule.choose(request, n)
        return fault, hold

    def _count(self, path: str, kind: str) -> None:
        with self._lock:
            self.injected[kind] += 1
            self.log.append((path, kind))

    # -- serving --------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        while not self._stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._clients.add(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="fault-proxy-conn", daemon=True)
            thread.start()
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            while not self._stopping.is_set():
                request = self._read_request(reader)
                if request is None or not self._exchange(conn, request):
                    return
        except (OSError, ProxyError, ValueError):
            return
        finally:
            reader.close()
            _shut(conn)
            with self._lock:
                self._clients.discard(conn)

    def _exchange(self, conn: socket.socket, request: Request) -> bool:
        """Relay one request; False when the client connection is to be closed."""
        fault, hold = self._decide(request)
        kind = fault.kind if fault is not None else None
        self._wait(self.latency_s / 2)
        if fault is not None and kind == DELAY:
            self._count(request.path, DELAY)
            self._wait(fault.delay_s)
        if kind == DROP_REQUEST:
            self._count(request.path, DROP_REQUEST)
            return False
        if hold is not None and hold.at == AT_REQUEST:
            self._count(request.path, "hold")
            hold._stop_here()
        try:
            answer = self._forward(request, hold if hold is not None and hold.at == AT_SERVER else None)
        except (OSError, http.client.HTTPException):
            with self._lock:
                self.upstream_failures += 1
            return False
        if kind == DUPLICATE:
            self._count(request.path, DUPLICATE)
            try:
                self._forward(request, None)
            except (OSError, http.client.HTTPException):
                with self._lock:
                    self.upstream_failures += 1
        if kind == DROP_RESPONSE:
            self._count(request.path, DROP_RESPONSE)
            return False
        if kind == GATEWAY_TIMEOUT:
            self._count(request.path, GATEWAY_TIMEOUT)
            page = b"<html><head><title>504 Gateway Time-out</title></head><body>nginx</body></html>"
            self._send(conn, b"HTTP/1.1 504 Gateway Time-out\r\nContent-Type: text/html\r\n"
                             b"Content-Length: " + str(len(page)).encode() + b"\r\n\r\n" + page)
            return (request.header("connection") or "").lower() != "close"
        self._wait(self.latency_s / 2)
        head = self._head(answer, request)
        body = answer.body
        if kind == CUT_RESPONSE:
            self._count(request.path, CUT_RESPONSE)
            self._send(conn, head + body[:len(body) // 2])
            return False
        if hold is not None and hold.at == AT_RESPONSE:
            cut = int(len(body) * hold.fraction)
            self._send(conn, head + body[:cut])
            self._count(request.path, "hold")
            hold._stop_here()
            self._send(conn, body[cut:])
        else:
            self._send(conn, head + body)
        return (request.header("connection") or "").lower() != "close"

    # -- HTTP/1.1 framing -----------------------------------------------------------------------
    def _read_request(self, reader: BinaryIO) -> Request | None:
        line = reader.readline(_MAX_LINE + 1)
        if not line:
            return None
        if len(line) > _MAX_LINE or not line.endswith(b"\r\n"):
            raise ProxyError("request line too long or cut")
        parts = line.decode("latin-1").rstrip("\r\n").split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise ProxyError(f"not an HTTP/1.x request line: {line[:80]!r}")
        method, target, _ = parts
        headers = _read_headers(reader)
        names = {k.lower(): v for k, v in headers}
        if "chunked" in names.get("transfer-encoding", "").lower():
            body = self._read_chunked(reader)
        else:
            body = self._read_exactly(reader, int(names.get("content-length", "0") or 0))
        return Request(method, target, tuple(headers), body)

    def _read_exactly(self, reader: BinaryIO, size: int) -> bytes:
        if size < 0:
            raise ProxyError("negative Content-Length")
        out = bytearray()
        while len(out) < size:
            chunk = reader.read(min(size - len(out), self._step()))
            if not chunk:
                raise ProxyError("body cut short")
            out += chunk
            self._pace(len(chunk))
        return bytes(out)

    def _read_chunked(self, reader: BinaryIO) -> bytes:
        out = bytearray()
        while True:
            size_line = reader.readline(_MAX_LINE)
            size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                _read_headers(reader)  # trailers
                return bytes(out)
            out += self._read_exactly(reader, size)
            if reader.read(2) != b"\r\n":
                raise ProxyError("bad chunk framing")

    def _forward(self, request: Request, hold: Hold | None) -> _Answer:
        upstream = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=self.timeout_s)
        try:
            upstream.putrequest(request.method, request.target, skip_host=True, skip_accept_encoding=True)
            for name, value in request.headers:
                if name.lower() not in _HOP:
                    upstream.putheader(name, value)
            if request.body or request.method in ("POST", "PUT", "PATCH"):
                upstream.putheader("Content-Length", str(len(request.body)))
            upstream.endheaders(request.body or None)
            with self._lock:
                self.forwarded[request.path] += 1
            if hold is not None:
                self._count(request.path, "hold")
                hold._stop_here()
            response = upstream.getresponse()
            body = response.read()
            return _Answer(response.status, response.reason, response.getheaders(), body)
        finally:
            upstream.close()

    def _head(self, answer: _Answer, request: Request) -> bytes:
        lines = [f"HTTP/1.1 {answer.status} {answer.reason}"]
        lines += [f"{k}: {v}" for k, v in answer.headers if k.lower() not in _HOP]
        if answer.status not in (204, 304) and not 100 <= answer.status < 200:
            lines.append(f"Content-Length: {len(answer.body)}")
        closing = (request.header("connection") or "").lower() == "close"
        lines.append("Connection: close" if closing else "Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # -- shaping --------------------------------------------------------------------------------
    def _step(self) -> int:
        # Twenty slices a second at the configured rate: smooth enough, few system calls.
        return max(512, (self.bandwidth or 0) // 20) if self.bandwidth else 1 << 16

    def _pace(self, size: int) -> None:
        if self.bandwidth:
            self._wait(size / self.bandwidth)

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    def _send(self, conn: socket.socket, data: bytes) -> None:
        step = self._step()
        for start in range(0, len(data), step):
            chunk = data[start:start + step]
            conn.sendall(chunk)
            self._pace(len(chunk))


def _read_headers(reader: BinaryIO) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while True:
        line = reader.readline(_MAX_LINE + 1)
        if not line:
            raise ProxyError("connection closed inside the headers")
        if line in (b"\r\n", b"\n"):
            return headers
        if len(headers) >= _MAX_HEADERS or len(line) > _MAX_LINE:
            raise ProxyError("too many or too long headers")
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise ProxyError(f"bad header line {line[:80]!r}")
        headers.append((name.strip(), value.strip()))


def _shut(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
    conn.close()
