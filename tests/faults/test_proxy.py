"""The fault proxy itself, against a small counting HTTP server: each fault does what it says
(and only that), schedules are reproducible, holds stop where asked, shaping is accounted."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from .proxy import (
    AT_REQUEST,
    AT_RESPONSE,
    AT_SERVER,
    CUT_RESPONSE,
    DELAY,
    DROP_REQUEST,
    DROP_RESPONSE,
    DUPLICATE,
    KINDS,
    FaultProxy,
    RandomSchedule,
    Request,
)

BIG = bytes(range(256)) * 400  # 100 KiB: several slices at any bandwidth used here


class Upstream(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[str] = Counter()
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Upstream

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, body: bytes, chunked: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("X-Seen", self.headers.get("X-Marker", ""))
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 1000):
                part = body[start:start + 1000]
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.hits[self.path] += 1
            n = self.server.hits[self.path]
        if self.path.startswith("/big"):
            self._answer(BIG, chunked=self.path.endswith("chunked"))
        else:
            self._answer(f"{self.path} #{n}".encode())

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.hits[self.path] += 1
            self.server.bodies.append(body)
        self._answer(body[::-1])


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.url, timeout_s=20) as p:
        yield p


def test_relays_bodies_headers_and_keeps_the_connection(proxy: FaultProxy, upstream: Upstream) -> None:
    with requests.Session() as s:
        first = s.post(f"{proxy.url}/echo?x=1", data=b"abc\x00def", headers={"X-Marker": "m1"}, timeout=10)
        assert (first.status_code, first.content, first.headers["X-Seen"]) == (200, b"fed\x00cba", "m1")
        chunked = s.get(f"{proxy.url}/big-chunked", timeout=10)
        assert chunked.content == BIG  # re-framed with a Content-Length
        assert s.get(f"{proxy.url}/big", timeout=10).content == BIG
    assert upstream.bodies == [b"abc\x00def"]
    assert upstream.hits == Counter({"/echo?x=1": 1, "/big-chunked": 1, "/big": 1})
    assert proxy.received == Counter({"/echo": 1, "/big-chunked": 1, "/big": 1})
    assert proxy.total_injected() == 0


def test_dropped_request_never_reaches_the_server(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.script(DROP_REQUEST, "/echo")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"lost", timeout=10)
    assert upstream.hits["/echo"] == 0
    assert requests.post(f"{proxy.url}/echo", data=b"ok", timeout=10).content == b"ko"  # scripted once only
    assert proxy.injected == Counter({DROP_REQUEST: 1}) and proxy.log == [("/echo", DROP_REQUEST)]


def test_dropped_response_reached_the_server(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.script(DROP_RESPONSE, "/echo")
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{proxy.url}/echo", data=b"committed", timeout=10)
    assert upstream.bodies == [b"committed"]
    assert proxy.injected == Counter({DROP_RESPONSE: 1})


def test_duplicate_is_delivered_twice_and_answered_once(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.script(DUPLICATE, "/count")
    answer = requests.get(f"{proxy.url}/count", timeout=10)
    assert answer.content == b"/count #1"  # the first delivery's answer
    assert upstream.hits["/count"] == 2 and proxy.forwarded["/count"] == 2 and proxy.received["/count"] == 1


def test_cut_response_sends_headers_and_half_the_body(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.script(CUT_RESPONSE, "/big")
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{proxy.url}/big", timeout=10)
    with requests.get(f"{proxy.url}/big", timeout=10) as whole:
        assert whole.content == BIG
    proxy.script(CUT_RESPONSE, "/big")
    with socket.create_connection(("127.0.0.1", proxy.port)) as raw:
        raw.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        received = bytearray()
        while chunk := raw.recv(65536):
            received += chunk
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    assert f"Content-Length: {len(BIG)}".encode() in head.split(b"\r\n")
    assert body == BIG[:len(BIG) // 2]
    assert upstream.hits["/big"] == 3 and proxy.injected == Counter({CUT_RESPONSE: 2})


def test_delay_and_bandwidth_are_accounted_not_timed(upstream: Upstream) -> None:
    waits: list[float] = []
    with FaultProxy(upstream.url, bandwidth=50_000, latency_s=0.3, sleep=waits.append) as p:
        p.script(DELAY, "/big", delay_s=1.5)
        assert requests.get(f"{p.url}/big", timeout=10).content == BIG
        # one delay, the latency in two halves, and the body paced at 50,000 bytes/s
        assert waits.count(1.5) == 1 and waits.count(0.15) == 2
        assert sum(waits) == pytest.approx(1.5 + 0.3 + len(BIG) / 50_000, rel=0.01)
        waits.clear()
        assert requests.post(f"{p.url}/echo", data=BIG, timeout=10).content == BIG[::-1]
        assert sum(waits) == pytest.approx(0.3 + 2 * len(BIG) / 50_000, rel=0.01)  # both directions
        assert p.injected == Counter({DELAY: 1})


def test_random_schedule_is_reproducible_per_client_and_path() -> None:
    def draws(schedule: RandomSchedule, who: str, path: str) -> list[str | None]:
        request = Request("POST", path, (("Authorization", f"Bearer {who}"),), b"")
        return [(f.kind if (f := schedule.choose(request, n)) else None) for n in range(400)]

    a = RandomSchedule(seed=7, rate=0.5)
    assert draws(a, "t1", "/api/v1/push") == draws(RandomSchedule(seed=7, rate=0.5), "t1", "/api/v1/push")
    assert draws(a, "t1", "/api/v1/push") != draws(RandomSchedule(seed=8, rate=0.5), "t1", "/api/v1/push")
    assert draws(a, "t1", "/api/v1/push") != draws(a, "t2", "/api/v1/push")
    kinds = Counter(draws(a, "t1", "/api/v1/pull"))
    assert set(kinds) == {None, *KINDS} and 140 < kinds[None] < 260  # about half, every kind drawn
    assert set(draws(a, "t1", "/api/v1/login")) == {None}  # outside the schedule's paths
    assert set(draws(RandomSchedule(seed=7, rate=0.0), "t1", "/api/v1/push")) == {None}
    only = RandomSchedule(seed=1, rate=1.0, weights=((DUPLICATE, 1.0),))
    assert set(draws(only, "t1", "/api/v1/push")) == {DUPLICATE}


def test_schedule_faults_are_counted_per_kind(upstream: Upstream) -> None:
    schedule = RandomSchedule(seed=3, rate=0.6, paths=("/count",), max_delay_s=0.0)
    expected = Counter(f.kind for n in range(30)
                       if (f := schedule.choose(Request("GET", "/count", (), b""), n)) is not None)
    with FaultProxy(upstream.url, schedule=schedule) as p:
        failed = 0
        for _ in range(30):
            try:
                with requests.get(f"{p.url}/count", timeout=10) as r:
                    r.content  # noqa: B018 (read the body: a cut one raises here)
            except requests.RequestException:
                failed += 1
        assert p.injected == expected
        assert failed == expected[DROP_REQUEST] + expected[DROP_RESPONSE] + expected[CUT_RESPONSE]
        assert upstream.hits["/count"] == 30 - expected[DROP_REQUEST] + expected[DUPLICATE]


@pytest.mark.parametrize("at", [AT_REQUEST, AT_SERVER, AT_RESPONSE])
def test_hold_stops_the_nth_exchange_where_asked(proxy: FaultProxy, upstream: Upstream, at: str) -> None:
    hold = proxy.hold("/big", at=at, nth=2, fraction=0.25)
    assert requests.get(f"{proxy.url}/big", timeout=10).content == BIG  # the first passes
    got: list[bytes] = []
    worker = threading.Thread(target=lambda: got.append(requests.get(f"{proxy.url}/big", timeout=20).content))
    worker.start()
    assert hold.wait(10)
    if at != AT_REQUEST:  # forwarded: the server answers (the proxy has not read it yet)
        deadline = time.monotonic() + 10
        while upstream.hits["/big"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    assert upstream.hits["/big"] == (1 if at == AT_REQUEST else 2)
    assert worker.is_alive() and not got  # the client is still waiting
    hold.release()
    worker.join(10)
    assert got == [BIG] and proxy.injected["hold"] == 1


def test_holds_count_exchanges_independently(proxy: FaultProxy, upstream: Upstream) -> None:
    first, second = proxy.hold("/count", at=AT_REQUEST, nth=1), proxy.hold("/count", at=AT_REQUEST, nth=2)
    answers: list[bytes] = []
    workers = [threading.Thread(target=lambda: answers.append(requests.get(f"{proxy.url}/count", timeout=20).content))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    assert first.wait(10) and second.wait(10)  # both stopped at once: neither reached the server
    assert upstream.hits["/count"] == 0
    first.release()
    second.release()
    for worker in workers:
        worker.join(10)
    assert sorted(answers) == [b"/count #1", b"/count #2"]


def test_client_gone_during_a_hold_leaves_the_proxy_serving(proxy: FaultProxy, upstream: Upstream) -> None:
    hold = proxy.hold("/big", at=AT_RESPONSE, fraction=0.5)
    raw = socket.create_connection(("127.0.0.1", proxy.port))
    raw.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
    assert hold.wait(10)
    raw.close()  # as a killed client would
    hold.release()
    assert requests.get(f"{proxy.url}/big", timeout=10).content == BIG


def test_server_down_closes_the_client_connection(upstream: Upstream) -> None:
    with FaultProxy(upstream.url) as p:
        upstream.shutdown()
        upstream.server_close()
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{p.url}/count", timeout=10)
        assert p.upstream_failures == 1 and p.total_injected() == 0


def test_refuses_what_it_cannot_relay(proxy: FaultProxy) -> None:
    with socket.create_connection(("127.0.0.1", proxy.port)) as raw:
        raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert raw.recv(100) == b""  # closed without an answer
    with pytest.raises(ValueError):
        FaultProxy("https://127.0.0.1:1")
    with pytest.raises(ValueError):
        proxy.script("unplug")
