"""`caseapp sync` against a server that misbehaves, and beside another sync of the same workspace,
through the real command line in a subprocess: each fault is retried where retrying is right, and
otherwise ends in one line and a documented exit status, with the outbox intact.

The misbehaving server is a small HTTP server on loopback: on its own it answers every request
badly (a Wi-Fi portal's page, JSON of another shape, a body cut off); as a proxy in front of the
real test server it passes requests through and spoils only the answers it is told to."""

from __future__ import annotations

import gzip
import http.client
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from caseapp.cli import Exit
from caseapp.domain import Household
from caseapp.messages import message
from caseapp.services import records
from caseapp.store.faults import WorkspaceBusyError
from caseapp.store.workspace import Workspace
from sync import run, settings
from tests.cli_proc import COMMAND, PASSPHRASE, caseapp, environment, make_workspace, outbox, outbox_now

from .conftest import FAST_RETRY, GRID_A1, PASSWORD, Server

WAIT_S = 120  # bound on every wait for the other side; nothing is timed


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    body: bytes = b"{}"
    cut: str = ""  # "length": fewer bytes than Content-Length; "chunked": a chunk left unfinished


#: spoil(path, upstream answer or None) -> the answer to send; None: pass the upstream one through
Spoiler = Callable[[str, Answer | None], Answer | None]


class FaultyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, spoil: Spoiler, upstream: str | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.spoil = spoil
        self.upstream = urlsplit(upstream) if upstream else None
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.hold_path = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FaultyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _any(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = urlsplit(self.path).path
        if self.server.hold_path and path.endswith(self.server.hold_path):
            self.server.arrived.set()
            assert self.server.release.wait(WAIT_S)
        upstream = self._forward(body) if self.server.upstream else None
        answer = self.server.spoil(path, upstream) or upstream
        assert answer is not None
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.cut == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n" % len(answer.body) + answer.body[: len(answer.body) // 2])
        else:
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body[: len(answer.body) // 2] if answer.cut else answer.body)
        if answer.cut:
            self.wfile.flush()
            self.close_connection = True

    do_GET = do_POST = do_PUT = _any

    def _forward(self, body: bytes) -> Answer:
        upstream = self.server.upstream
        assert upstream is not None and upstream.hostname and upstream.port
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=WAIT_S)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "accept-encoding")}
            conn.request(self.command, self.path, body=body, headers=headers)
            got = conn.getresponse()
            keep = {k: v for k, v in got.getheaders()
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server")}
            return Answer(got.status, keep, got.read())
        finally:
            conn.close()


@contextmanager
def faulty(spoil: Spoiler, upstream: str | None = None) -> Iterator[FaultyServer]:
    srv = FaultyServer(spoil, upstream)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(WAIT_S)


def with_work(path: Path, n: int = 3) -> Path:
    with Workspace.open(path, PASSPHRASE) as ws, ws.write() as session:
        for i in range(n):
            records.create(session, Household, {"org_code": GRID_A1, "address": "滨江东路", "phone": f"1380013800{i}"})
    return path


def pointed_at(path: Path, url: str) -> Path:
    """As after `caseapp login URL`: the server address and a token in the workspace."""
    with Workspace.open(path, PASSPHRASE) as ws:
        ws.set_setting(settings.SERVER_URL, url)
        ws.set_setting(settings.TOKEN, "a-token")
    return path


def logged_in(path: Path, url: str, user: str = "worker1") -> Path:
    with Workspace.open(path, PASSPHRASE) as ws:
        run.login(ws, url, user, PASSWORD, retry=FAST_RETRY)
    return path


def sync_env(tmp_path: Path, attempts: int = 3) -> dict[str, str]:
    return environment(tmp_path / "state", CASEAPP_SYNC_ATTEMPTS=str(attempts))


def en(key: str, **params: str) -> str:
    return message(key, "en", **params)


# -- answers cut off mid-body ------------------------------------------------------------------------

def _corrupt_gzip(body: bytes) -> bytes:
    """gzip whose deflate stream is garbled: requests raises ContentDecodingError."""
    packed = gzip.compress(body * 50)
    return packed[:10] + bytes(b ^ 0xFF for b in packed[10:20]) + packed[20:]


CUTS = {
    "content-length": lambda up: Answer(up.status, up.headers, up.body, cut="length"),
    "chunked": lambda up: Answer(up.status, up.headers, up.body, cut="chunked"),
    "corrupt-gzip": lambda up: Answer(up.status, {**up.headers, "Content-Encoding": "gzip"}, _corrupt_gzip(up.body)),
}


@pytest.mark.parametrize("how", sorted(CUTS))
def test_an_answer_cut_off_once_is_retried_and_the_sync_completes(server: Server, tmp_path: Path,
                                                                  how: str) -> None:
    """The push is applied on the server, its answer is cut off on the way back: the client sends
    it again (the server's ledger recognises it) and the sync finishes, nothing sent twice."""
    spoiled: list[str] = []

    def cut_first_push(path: str, up: Answer | None) -> Answer | None:
        if path.endswith("/push") and not spoiled and up is not None:
            spoiled.append(path)
            return CUTS[how](up)
        return None

    with faulty(cut_first_push, upstream=server.url) as proxy:
        a = logged_in(with_work(make_workspace(tmp_path / "a")), proxy.url)
        ran = caseapp(a, "sync", env=sync_env(tmp_path))
    assert spoiled, "the fault was never injected"
    assert ran.code == Exit.OK, ran.err
    assert "Sync done: pushed 3 (conflicts 0, rejected 0)" in ran.out
    assert outbox(a) == []
    b = logged_in(make_workspace(tmp_path / "b", "worker2"), server.url, "worker2")
    with Workspace.open(b, PASSPHRASE) as ws:
        report = run.sync(ws, run.connect(ws, retry=FAST_RETRY))
    assert report.pulled == 3  # the three households, once each


@pytest.mark.parametrize("how", sorted(CUTS))
def test_answers_always_cut_off_end_in_one_line_after_retrying(tmp_path: Path, how: str) -> None:
    seen: list[str] = []

    def always_cut(path: str, _up: Answer | None) -> Answer:
        seen.append(path)
        return CUTS[how](Answer(body=b'{"verdicts": [], "hlc": 1, "audit_ack": 0}'))

    path = with_work(make_workspace(tmp_path / "a"))
    before = outbox_now(path)
    with faulty(always_cut) as srv:
        pointed_at(path, srv.url)
        ran = caseapp(path, "sync", env=sync_env(tmp_path, attempts=3))
        assert ran.code == Exit.OFFLINE
        # torn compression is said as such (the answer could not be decompressed), a cut one as cut
        expected = en("sync.answer_undecodable") if how == "corrupt-gzip" else en("sync.answer_cut", url=srv.url)
        assert ran.line == expected
    assert len(seen) == 3  # retried, then gave up
    assert [e[0] for e in outbox(path)] == [e[0] for e in before]


# -- answers that are not a sync server's ------------------------------------------------------------

PORTAL = b"<!DOCTYPE html><html><body><h1>Guest Wi-Fi</h1><p>Please log in</p></body></html>"
BAD_ANSWERS = {
    "portal page 200": (Answer(200, {"Content-Type": "text/html; charset=utf-8"}, PORTAL), "sync.not_sync_server"),
    "proxy page 407": (Answer(407, {"Content-Type": "text/html"}, PORTAL), "sync.not_sync_server"),
    "plain text 200": (Answer(200, {"Content-Type": "text/plain"}, b"OK"), "sync.answer_not_json"),
    "not JSON, said to be": (Answer(200, {"Content-Type": "application/json"}, b"<html>"), "sync.answer_not_json"),
    "JSON of another shape": (Answer(200, {"Content-Type": "application/json"}, b'{"status": "ok"}'),
                              "sync.answer_wrong_shape"),
    "a JSON list": (Answer(200, {"Content-Type": "application/json"}, b"[1, 2]"), "sync.answer_wrong_shape"),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_an_answer_no_sync_server_would_send_is_one_line(tmp_path: Path, case: str) -> None:
    answer, key = BAD_ANSWERS[case]
    path = with_work(make_workspace(tmp_path / "a"))
    before = outbox_now(path)
    with faulty(lambda _path, _up: answer) as srv:
        pointed_at(path, srv.url)
        ran = caseapp(path, "sync", env=sync_env(tmp_path))
        assert ran.code == Exit.OFFLINE
        assert ran.line == en(key, url=srv.url)
    assert [e[0] for e in outbox(path)] == [e[0] for e in before]


def test_a_refusal_without_a_sync_error_says_the_status(tmp_path: Path) -> None:
    path = with_work(make_workspace(tmp_path / "a"))
    answer = Answer(403, {"Content-Type": "application/json"}, b'{"detail": "Forbidden"}')
    with faulty(lambda _path, _up: answer) as srv:
        pointed_at(path, srv.url)
        ran = caseapp(path, "sync", env=sync_env(tmp_path))
    assert ran.code == Exit.REFUSED
    assert ran.line == en("sync.refused_unknown", code="403")


def test_an_unreachable_server_is_exit_status_offline(tmp_path: Path) -> None:
    path = with_work(make_workspace(tmp_path / "a"))
    with faulty(lambda _path, _up: None) as srv:
        url = srv.url
    pointed_at(path, url)  # nothing listens there any more
    ran = caseapp(path, "sync", env=sync_env(tmp_path, attempts=2))
    assert ran.code == Exit.OFFLINE
    assert ran.line == en("sync.offline", url=url)


# -- two syncs of one workspace at once --------------------------------------------------------------

def test_a_second_sync_of_a_workspace_says_one_is_running(server: Server, tmp_path: Path) -> None:
    """While one `caseapp sync` waits on the server, a second one, and the desktop app's sync,
    stop at once with one line; the first completes, and the next sync runs as usual."""
    from ui.adapters import sync as desktop

    with faulty(lambda _path, _up: None, upstream=server.url) as proxy:
        path = logged_in(with_work(make_workspace(tmp_path / "a")), proxy.url)
        proxy.hold_path, proxy.arrived, proxy.release = "/push", threading.Event(), threading.Event()
        first = subprocess.Popen([*COMMAND, "--workspace", str(path), "sync"], env=sync_env(tmp_path),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 start_new_session=True)
        try:
            assert proxy.arrived.wait(WAIT_S), "the first sync never reached the server"
            second = caseapp(path, "sync", env=sync_env(tmp_path))
            assert second.code == Exit.BUSY
            assert second.line == en("workspace.sync_running")
            with Workspace.open(path, PASSPHRASE) as ws, pytest.raises(WorkspaceBusyError):
                desktop.sync_now(ws)
        finally:
            proxy.release.set()
            out, err = first.communicate(timeout=WAIT_S)
        assert first.returncode == Exit.OK, err.decode()
        assert b"Sync done: pushed 3" in out
        proxy.hold_path = ""
        assert outbox(path) == []
        again = caseapp(path, "sync", env=sync_env(tmp_path))
        assert again.code == Exit.OK, again.err
