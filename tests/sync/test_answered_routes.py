"""A route's answer model is written as JSON in the route's own thread (middleware.JsonRoute), not
validated again by FastAPI in another hop to a worker: the bytes are the ones FastAPI's own
serialisation gave (hypothesis over push answers), anything that is not exactly the declared model
passes to FastAPI as before, and the OpenAPI document still names each answer model."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, get_args

from fastapi import FastAPI
from fastapi.routing import APIRoute
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from starlette.responses import Response

from sync import protocol as p
from sync.server.app import create_app
from sync.server.db import Database
from sync.server.middleware import _answered

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(1 << 53), 1 << 53), st.text(max_size=8),
                    st.sampled_from(["王芳", "\u2028", "a\"b\\c", "\x00"]))
VERDICTS = st.builds(p.Verdict, seq=st.integers(1, 1 << 40), verdict=st.sampled_from(get_args(p.VerdictName)),
                     reason=st.one_of(st.none(), st.sampled_from(["validation.id_checksum", "merge.stale"])),
                     field=st.one_of(st.none(), st.text(max_size=12)),
                     params=st.dictionaries(st.text(max_size=6), SCALARS, max_size=3),
                     pos=st.one_of(st.none(), st.integers(0, 1 << 62)), clamped=st.booleans(),
                     conflict_id=st.one_of(st.none(), st.uuids().map(str)), echo=st.booleans())
PUSH_OUTS = st.builds(p.PushOut, verdicts=st.lists(VERDICTS, max_size=6), hlc=st.integers(0, 1 << 63),
                      audit_ack=st.integers(0, 1 << 62))


@settings(max_examples=200, deadline=None)
@given(PUSH_OUTS)
def test_the_answer_is_the_json_fastapi_would_have_written(out: p.PushOut) -> None:
    answer = _answered(lambda: out, p.PushOut)()
    assert isinstance(answer, Response) and answer.media_type == "application/json"
    # what FastAPI's serialize_response writes for a response_model (ModelField.serialize_json)
    assert answer.body == TypeAdapter(p.PushOut).dump_json(out, by_alias=True)


def test_anything_but_the_declared_model_passes_through() -> None:
    class Wider(p.PushOut):
        extra: str = "not in the declared answer"

    wider = Wider(verdicts=[], hlc=1)
    refusal = Response(b"{}", status_code=429)
    for value in (wider, refusal, {"verdicts": [], "hlc": 1}, None):
        assert _answered(lambda value=value: value, p.PushOut)() is value


def test_the_served_routes_answer_in_their_own_thread_and_shaped_ones_are_left_to_fastapi(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        app = create_app(db, operations=False)
        wrapped = {r.path for r in app.routes if isinstance(r, APIRoute) and hasattr(r.endpoint, "__wrapped__")}
        assert {f"{p.API_PREFIX}/{name}" for name in ("handshake", "login", "push", "push/verdicts", "device/fork")} \
            <= wrapped
        app.router.add_api_route("/shaped", lambda: p.PushOut(verdicts=[], hlc=1), response_model=p.PushOut,
                                 response_model_exclude_none=True)
        app.router.add_api_route("/created", lambda: p.PushOut(verdicts=[], hlc=1), response_model=p.PushOut,
                                 status_code=201)
        left = {r.path for r in app.routes if isinstance(r, APIRoute) and not hasattr(r.endpoint, "__wrapped__")}
        assert {"/shaped", "/created"} <= left
    finally:
        db.dispose()


async def _get(app: FastAPI, path: str) -> tuple[int, dict[str, str], Any]:
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    got: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            got["status"], got["headers"] = message["status"], dict(message["headers"])
        else:
            got["body"] += message.get("body", b"")

    await app(scope, receive, send)
    headers = {k.decode(): v.decode() for k, v in got["headers"].items()}
    return got["status"], headers, json.loads(got["body"])


def test_a_served_answer_and_the_openapi_document(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    db.migrate()
    try:
        app = create_app(db, operations=False)
        status, headers, body = asyncio.run(_get(app, f"{p.API_PREFIX}/handshake"))
        assert status == 200 and headers["content-type"] == "application/json"
        shaken = p.HandshakeOut.model_validate(body)
        assert shaken.protocol == p.PROTOCOL_VERSION and shaken.fields  # the whole model, every field written
        assert set(body) == set(p.HandshakeOut.model_fields)
        status, _, doc = asyncio.run(_get(app, f"{p.API_PREFIX}/openapi.json"))
        assert status == 200
        for path, method, model in ((f"{p.API_PREFIX}/handshake", "get", "HandshakeOut"),
                                    (f"{p.API_PREFIX}/push", "post", "PushOut"),
                                    (f"{p.API_PREFIX}/push/verdicts", "post", "VerdictsOut")):
            schema = doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
            assert schema == {"$ref": f"#/components/schemas/{model}"}, (path, schema)
        # the parameters FastAPI reads off the wrapped endpoint are the endpoint's own
        push = doc["paths"][f"{p.API_PREFIX}/push"]["post"]
        assert push["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PushIn"}
        assert {x["name"] for x in push["parameters"]} >= {"authorization", p.PROTOCOL_HEADER}
    finally:
        db.dispose()
