"""A hostile or broken server cannot take the device's memory: every answer is decoded by the client
itself, up to its route's limit, and one past it is a typed error that the command line prints as
one line. A fake server on loopback answers every request with a compression bomb.

Memory is asserted on the decoders themselves (``bombs.decoder_spy``), never by timing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests
from pydantic import ValidationError

from caseapp.cli import main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.workspace import Workspace
from sync import client as sync_client
from sync import compress, settings
from sync import protocol as p
from sync.client import SyncClient
from sync.errors import AnswerTooLargeError, AnswerUndecodableError

from .bombs import MIB, DecoderSpy, decoder_spy, gzip_bomb, zstd_bomb
from .conftest import FAST_RETRY, PASSPHRASE

__all__ = ["decoder_spy"]  # the fixture, used by name

HANDSHAKE = (b'{"protocol":1,"min_protocol":1,"min_schema":1,"server_time_ms":1700000000000,'
             b'"hlc":111411200000000000,"padding":"' + b"x" * 600 + b'"}')


class Hostile:
    """What the fake server answers to every request: body, Content-Encoding, extra headers."""

    def __init__(self) -> None:
        self.body = b"{}"
        self.encoding = ""
        self.length: int | None = None  # a Content-Length other than the body's
        self.url = ""


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    answer = Hostile()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if answer.encoding:
                self.send_header("Content-Encoding", answer.encoding)
            self.send_header("Content-Length", str(answer.length if answer.length is not None else len(answer.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading
                self.wfile.write(answer.body)
            self.close_connection = True

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    answer.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield answer
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.mark.parametrize("codec", ["gzip", "zstd"])
def test_a_bomb_stops_at_the_answer_limit(hostile: Hostile, decoder_spy: DecoderSpy, codec: str) -> None:
    """The issue's 1 MB gzip answer became 9.6 GB of client memory; zstd stopped at 256 MiB."""
    hostile.body, hostile.encoding = (gzip_bomb(512 * MIB) if codec == "gzip" else zstd_bomb(512 * MIB)), codec
    client = SyncClient(hostile.url, "token", retry=FAST_RETRY)
    try:
        limit = sync_client.ANSWER_LIMITS["/pull"]
        with pytest.raises(AnswerTooLargeError) as refused:
            client.pull("")
        assert 0 < decoder_spy.produced <= limit + 1
        assert refused.value.key == "sync.answer_too_large"
        decoder_spy.reset()
        with pytest.raises(AnswerTooLargeError):
            client.handshake()  # a handshake answer is a few hundred bytes: its limit is 64 KiB
        assert decoder_spy.produced <= sync_client.ANSWER_ENVELOPE + 1  # gzip's: refused by its size alone
    finally:
        client.close()


def test_answers_are_decoded_within_their_limits_and_counted_as_sent(hostile: Hostile) -> None:
    client = SyncClient(hostile.url, "token", retry=FAST_RETRY)
    try:
        for codec in ("", "gzip", "zstd"):
            hostile.body, hostile.encoding = (compress.encode(HANDSHAKE, codec) if codec else HANDSHAKE), codec
            client.bytes_received = 0
            assert client._raw_json("GET", "/handshake") == HANDSHAKE
            assert client.bytes_received == len(hostile.body)  # on the wire, not decoded
        # A plain answer longer than its limit is refused from its Content-Length, unread.
        hostile.body, hostile.encoding = b"[" + b"0," * (40 * 1024) + b"0]", ""
        with pytest.raises(AnswerTooLargeError):
            client.handshake()
        hostile.length = 10 * 1024 * MIB
        with pytest.raises(AnswerTooLargeError):
            client.handshake()
    finally:
        client.close()


def test_an_answer_of_empty_objects_is_refused_before_it_is_parsed(hostile: Hostile) -> None:
    """12 MB of "{}," is under a pull page's limit, but parsed it would be a gigabyte of objects."""
    hostile.body, hostile.encoding = compress.encode(b'{"rows":[' + b"{}," * (4 << 20) + b'{}]}', "zstd"), "zstd"
    client = SyncClient(hostile.url, "token", retry=FAST_RETRY)
    try:
        with pytest.raises(AnswerTooLargeError):
            client.pull("")
    finally:
        client.close()


def test_an_answer_of_bad_rows_stops_at_the_first() -> None:
    """Under that bound, 3 MB of bad rows gave 4 million validation errors: 2 GB and 12 s."""
    tail = b'],"removals":[],"cursor":"","has_more":false,"hlc":1}'
    bad_fields = b'{"entity":"household","id":"h1","pos":1,"fields":{' + b",".join(
        b'"f%d":{}' % i for i in range(300_000)) + b"}}"
    bad_conflicts = b'{"entity":"household","id":"h1","pos":1,"fields":{},"conflicts":[' + b"{}," * MIB + b"{}]}"
    for rows in (b"{}," * MIB + b"{}", bad_fields, bad_conflicts):
        with pytest.raises(ValidationError) as refused:
            p.PullOut.model_validate_json(b'{"rows":[' + rows + tail)
        assert refused.value.error_count() <= len(p.ConflictOut.model_fields)  # one item's at most


@pytest.mark.parametrize(("encoding", "body"), [("br", b"\x1b\x00"), ("gzip", b"\x1f\x8b not gzip"),
                                                ("zstd", b"\x28\xb5\x2f\xfd garbage"),
                                                ("gzip", compress.encode(HANDSHAKE, "gzip")[:-20])])
def test_an_answer_that_cannot_be_decoded_is_a_typed_error(hostile: Hostile, encoding: str, body: bytes) -> None:
    hostile.body, hostile.encoding = body, encoding
    client = SyncClient(hostile.url, "token", retry=FAST_RETRY)
    try:
        with pytest.raises(AnswerUndecodableError):
            client.handshake()
    finally:
        client.close()


@pytest.mark.parametrize("codec", ["", "gzip", "zstd"])
def test_a_cut_answer_is_still_the_connection_error_requests_raises(hostile: Hostile, codec: str) -> None:
    """Reading through the cap keeps urllib3's read errors as requests' own, so retries still see them."""
    hostile.body = compress.encode(HANDSHAKE, codec) if codec else HANDSHAKE
    hostile.encoding, hostile.length = codec, len(hostile.body) + 500
    client = SyncClient(hostile.url, "token", retry=FAST_RETRY)
    try:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            client.session.get(f"{hostile.url}/api/v1/handshake", timeout=10)
    finally:
        client.close()


@pytest.mark.parametrize(("lang", "start"), [("en", "The sync server's answer is larger than "),
                                             ("zh", "同步服务器的应答超过 ")])
def test_caseapp_sync_against_a_bomb_prints_one_line(hostile: Hostile, tmp_path: Path, lang: str, start: str,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    hostile.body, hostile.encoding = gzip_bomb(512 * MIB), "gzip"
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", lang)
    monkeypatch.setenv("CASEAPP_SYNC_ATTEMPTS", "1")
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="worker1")
    ws.set_setting(settings.SERVER_URL, hostile.url)
    ws.set_setting(settings.TOKEN, "token")
    ws.close()
    assert main(["--workspace", str(tmp_path / "ws"), "sync"]) == 4  # OFFLINE: the server answers badly
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(start) and "MiB" in line, line
