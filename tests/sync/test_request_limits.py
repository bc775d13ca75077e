"""A request costs the server nothing before it is authorised, and little after: a token is checked
before one byte of the body is read, a body is decoded only up to its route's cap, and large
bodies are decoded and parsed off the event loop that answers everyone else.

Memory is asserted on the decoders themselves (``bombs.decoder_spy`` counts what zlib and zstd
hand out), never by timing.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import requests
from fastapi.routing import APIRoute

from sync import compress
from sync import protocol as p
from sync.server import middleware, standards
from sync.server.app import create_app
from sync.server.db import Database

from .bombs import MIB, DecoderSpy, decoder_spy, gzip_bomb, zstd_bomb
from .conftest import GRID_A1, PASSWORD, Device, Server

__all__ = ["decoder_spy"]  # the fixture, used by name

JSON = {"Content-Type": "application/json"}


def post(server: Server, path: str, data: bytes, codec: str = "", token: str | None = None) -> requests.Response:
    headers = dict(JSON)
    if codec:
        headers["Content-Encoding"] = codec
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(f"{server.url}{p.API_PREFIX}{path}", data=data, headers=headers, timeout=60)


def refused(response: requests.Response, status: int, key: str) -> bool:
    return response.status_code == status and response.json()["error"] == key


def _asks_for_the_principal(route: APIRoute) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if getattr(dep.call, "__name__", "") == "principal":
            return True
        stack.extend(dep.dependencies)
    return False


def test_every_route_has_a_cap_and_is_open_only_if_it_needs_no_token(tmp_path: Path) -> None:
    app = create_app(Database(f"sqlite:///{tmp_path / 'server.db'}"))
    api_routes = [r for r in app.routes if isinstance(r, APIRoute)]
    assert len(api_routes) >= 9
    for route in api_routes:
        for method in route.methods:
            limit = middleware.ROUTES[(method, route.path.removeprefix(p.API_PREFIX))]
            assert limit.public != _asks_for_the_principal(route), (method, route.path)
            assert (limit.max_body > 0) == (route.body_field is not None or method == "PUT"), (method, route.path)
    # What is open without a token: the handshake, logging in, and the API's own description.
    assert {key for key, limit in middleware.ROUTES.items() if limit.public} == {
        ("GET", "/handshake"), ("POST", "/login"), ("GET", "/openapi.json"), ("GET", "/docs")}
    assert middleware.ROUTES[("POST", "/login")].max_body <= 8 * 1024


def test_a_bomb_without_a_valid_token_is_refused_before_it_is_decoded(server: Server,
                                                                      decoder_spy: DecoderSpy) -> None:
    """The issue's 3 KB of zstd that expanded to 32 MiB and was parsed before anyone asked who sent it."""
    bomb = zstd_bomb(64 * MIB)
    assert len(bomb) < 4096
    for path in ("/push", "/pull", "/attachments/missing", "/nothing-here"):
        assert refused(post(server, path, bomb, "zstd"), 401, "sync.auth_required"), path
        assert refused(post(server, path, bomb, "zstd", token="not-a-token"), 401, "sync.bad_token"), path
        assert refused(post(server, path, gzip_bomb(64 * MIB), "gzip", token="x" * 600), 401, "sync.bad_token")
    assert (decoder_spy.decoders, decoder_spy.produced) == (0, 0)


def test_a_bomb_with_a_token_stops_at_the_route_cap(server: Server, device: Callable[[str], Device],
                                                    decoder_spy: DecoderSpy) -> None:
    token = device("worker1").ws.get_setting("sync.token")
    for path in ("/push", "/pull", "/attachments/missing"):
        cap = middleware.ROUTES[("POST", path)].max_body
        # gzip expands at most about 1000-fold: 64 MiB takes 64 KB, under even the smallest cap here
        for codec, bomb in (("zstd", zstd_bomb(1024 * MIB)), ("gzip", gzip_bomb(64 * MIB))):
            decoder_spy.reset()
            assert refused(post(server, path, bomb, codec, token), 413, "sync.body_too_large"), (path, codec)
            # The decoder was asked for no more than one byte past the cap, never for the gigabyte.
            assert 0 < decoder_spy.produced <= cap + 1, (path, codec, decoder_spy.produced, cap)
    # A frame that declares its size is refused from its header alone.
    decoder_spy.reset()
    assert refused(post(server, "/push", zstd_bomb(1024 * MIB, declared=True), "zstd", token), 413,
                   "sync.body_too_large")
    assert decoder_spy.produced == 0


def test_login_takes_a_few_kilobytes_however_they_are_sent(server: Server) -> None:
    fields = {"user": "worker1", "password": PASSWORD, "device_id": "dev-big"}
    big = json.dumps({**fields, "device_name": "x" * MIB}).encode()
    assert refused(post(server, "/login", big), 413, "sync.body_too_large")
    assert len(compress.encode(big, "gzip")) < 4096  # a megabyte squeezed into a few KB ...
    assert refused(post(server, "/login", compress.encode(big, "gzip"), "gzip"), 413, "sync.body_too_large")
    assert refused(post(server, "/login", compress.encode(big, "zstd"), "zstd"), 413, "sync.body_too_large")
    response = post(server, "/login", json.dumps({**fields, "device_name": "笔记本"}).encode())
    assert response.status_code == 200 and response.json()["token"]


def test_a_body_of_empty_objects_is_refused_before_it_is_parsed(server: Server,
                                                                device: Callable[[str], Device]) -> None:
    """4 MiB of "{}," is well under the push cap, but parsed it would be some 300 MB of objects."""
    token = device("worker1").ws.get_setting("sync.token")
    body = b'{"ops":[' + b"{}," * (4 * MIB // 3) + b'{}]}'
    assert refused(post(server, "/push", body, token=token), 413, "sync.body_too_large")
    assert refused(post(server, "/push", compress.encode(body, "zstd"), "zstd", token), 413, "sync.body_too_large")


def big_push(count: int = p.MAX_PUSH_OPS, note: str = "入户核查情况记录。" * 300) -> list[p.PushOp]:
    return [p.PushOp(seq=i + 1, entity="household", row_id=str(uuid.uuid4()), op="create", hlc=i + 1,
                     value={"org_code": GRID_A1, "address": f"滨江东路 {i} 号", "head_name": "王芳", "notes": note})
            for i in range(count)]


def test_a_full_batch_of_long_records_is_taken_and_parsed_off_the_event_loop(
        server: Server, device: Callable[[str], Device], monkeypatch: Any) -> None:
    """A legitimate push near the largest a device sends (1000 creates with 2,700-character notes,
    8 MB) goes through; while it is being parsed, parked in its worker thread, a handshake is
    answered: nothing about it runs on the event loop."""
    dev = device("worker1")
    ops = big_push()
    size = len(json.dumps({"ops": [op.model_dump(exclude_defaults=True) for op in ops]},
                          ensure_ascii=False).encode())
    assert 7 * MIB < size < middleware.ROUTES[("POST", "/push")].max_body
    parsing, release = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []
    real_parse = middleware._parse

    def parked_parse(model: Any, raw: bytes) -> Any:
        threads.append(threading.current_thread())
        parsing.set()
        release.wait(60)
        return real_parse(model, raw)

    monkeypatch.setattr(middleware, "_parse", parked_parse)
    answers: list[Any] = []
    client = dev.client()
    pusher = threading.Thread(target=lambda: answers.append(client.push(ops)))
    pusher.start()
    try:
        assert parsing.wait(60)
        handshake = requests.get(f"{server.url}{p.API_PREFIX}/handshake", timeout=30)
        assert handshake.status_code == 200
    finally:
        release.set()
        pusher.join(120)
        client.close()
    assert threads and threads[0] is not server._thread  # the server's event loop runs in that one
    (answer,) = answers
    assert [v.verdict for v in answer.verdicts] == ["applied"] * len(ops)


def test_routes_are_found_under_a_root_path() -> None:
    """Behind a proxy that mounts the API under a prefix (uvicorn --root-path), paths keep their limits."""
    received: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        received.append((await receive())["body"])

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b'{"user": "worker1"}', "more_body": False}

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    gate = middleware.RequestGate(app, authenticate=lambda token: None)
    scope = {"type": "http", "method": "POST", "path": "/caseapp/api/v1/login", "root_path": "/caseapp",
             "headers": [(b"content-type", b"application/json")]}
    anyio.run(gate, scope, receive, send)
    assert received == [b'{"user": "worker1"}'] and sent == []


def test_the_standards_route_refuses_oversized_and_compressed_bodies_as_every_route_does(
        server: Server, device: Callable[[str], Device], decoder_spy: DecoderSpy) -> None:
    """POST /standards (an administrator's figure): no token, no decoding; with one, a bomb stops at
    the route's cap and a plain body over it is refused unread; nothing is stored."""
    token = device("admin").ws.get_setting("sync.token")
    cap = middleware.ROUTES[("POST", "/standards")].max_body
    for codec, bomb in (("zstd", zstd_bomb(64 * MIB)), ("gzip", gzip_bomb(64 * MIB))):
        decoder_spy.reset()
        assert refused(post(server, "/standards", bomb, codec), 401, "sync.auth_required"), codec
        assert refused(post(server, "/standards", bomb, codec, token="not-a-token"), 401, "sync.bad_token"), codec
        assert (decoder_spy.decoders, decoder_spy.produced) == (0, 0)
        assert refused(post(server, "/standards", bomb, codec, token), 413, "sync.body_too_large"), codec
        # never more than one byte past the cap (a gzip bomb this size is refused by its wire size alone)
        assert decoder_spy.produced <= cap + 1, (codec, decoder_spy.produced, cap)
    decoder_spy.reset()
    assert refused(post(server, "/standards", zstd_bomb(1024 * MIB, declared=True), "zstd", token), 413,
                   "sync.body_too_large")
    assert decoder_spy.produced == 0
    figure = {"kind": "dibao", "district": "440105", "area": "all", "effective_from": "2025-07-01",
              "amount": "1500", "verified": False}
    big = json.dumps({**figure, "source": "穗民规字" * (cap // 4)}).encode()
    assert len(big) > cap
    assert refused(post(server, "/standards", big, token=token), 413, "sync.body_too_large")
    assert refused(post(server, "/standards", compress.encode(big, "gzip"), "gzip", token), 413,
                   "sync.body_too_large")
    assert refused(post(server, "/standards", b"[" + b"{}," * (cap // 3) + b"{}]", token=token), 413,
                   "sync.body_too_large")
    with server.db.read() as conn:
        assert standards.version(conn) == ""  # nothing of it stored
    taken = post(server, "/standards", compress.encode(json.dumps({**figure, "source": "穗民规字〔2025〕7号"}).encode(),
                                                       "gzip"), "gzip", token)
    assert taken.status_code == 200 and taken.json()["version"], taken.text
