"""Schema-driven fuzz of the HTTP API (schemathesis against the served OpenAPI document).

Every operation gets schema-conforming and schema-violating requests, with and without a valid
device token. Properties: never a 5xx; every 4xx has the ``{"error", "message"}`` shape; and a
refused request changes nothing (users, devices, records, log, conflicts, ledger, attachments).
Failed logins are the one deliberate exception: they are counted for rate limiting.

CASEAPP_FUZZ_EXAMPLES bounds the examples per operation and mode (small in CI, large in `make fuzz`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlalchemy import select

from sync.server import schema

from .conftest import Device, Server
from .test_end_to_end import new_household

EXAMPLES = int(os.environ.get("CASEAPP_FUZZ_EXAMPLES", "10"))
# `make fuzz` runs thousands of examples: the default per-test timeout would cut it short.
pytestmark = pytest.mark.timeout(max(300, EXAMPLES * 10))
WATCHED = (schema.users, schema.devices, schema.records, schema.changes, schema.conflicts, schema.ledger,
           schema.attachments, schema.attachment_chunks, schema.attachment_uploads, schema.attachment_grants,
           schema.standards)


def snapshot(server: Server) -> str:
    digest = hashlib.sha256()
    with server.db.read() as conn:
        for table in WATCHED:
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_api_fuzz_no_5xx_and_refusals_change_nothing(server: Server, device: Callable[[str], Device],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    dev = device("worker1")
    new_household(dev)
    dev.sync()  # some real data for the fuzzer's pushes and pulls to meet
    token = dev.ws.get_setting("sync.token")
    api = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in api.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 9
    seen: dict[int, int] = {}

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode), authorised=st.booleans())
            def check(case: Any, authorised: bool) -> None:
                before = snapshot(server)
                headers = {"Authorization": f"Bearer {token}"} if authorised else None
                response = case.call(base_url=server.url, headers=headers, timeout=30)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                assert response.status_code < 500, (case.method, case.path, response.text[:500])
                if response.status_code >= 400:
                    body = response.json()
                    assert set(body) == {"error", "message"}, body
                    assert snapshot(server) == before, (case.method, case.path, response.status_code)

            check()
    with capsys.disabled():
        print(f"\nAPI fuzz: {sum(seen.values())} requests, statuses {dict(sorted(seen.items()))}")
    assert any(200 <= code < 300 for code in seen) and any(400 <= code < 500 for code in seen)
