"""An incremental pull with nothing new reads the same few rows however long the log (issue 13).

On real PostgreSQL, the server's tables are filled with a city's log (bench/log_fill.py: thousands
of communities, the device's one a small, fixed share) at two sizes, and ANALYZEd. The statements
an incremental pull executes (the token's lookup, the cursor's check against the log floor, the
top of the log, the page, the in-scope count of changes the client's first request asks for, the
standards version, the count of records in scope) are the ones the real code builds: recorded as
they go to the driver while ``pull.pull`` serves the request, then each run again under
``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` with the same parameters. None may scan ``changes`` or
``records`` sequentially, every row estimate (capped by the LIMIT above it) stays small, and the
rows each statement reads are the same at both sizes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, text

from bench import log_fill
from sync import protocol as p
from sync.server import auth, pull
from sync.server.db import Database

from .conftest import fresh_database

pytestmark = pytest.mark.postgres

SIZES = (50_000, 400_000)
SCOPE_RECORDS = 200
#: the tables whose size follows the log (the rest follow the number of users, devices, figures)
LOG_TABLES = {"changes", "records", "conflicts"}
#: no node may expect more rows than this (the device's scope, with room for estimation error)
ROWS_BOUND = 5 * SCOPE_RECORDS


@pytest.fixture
def pg_db(pg_available: bool, tmp_path: Path) -> Iterator[Database]:
    if not pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not available on 127.0.0.1:5432 (required under CI=true)")
        pytest.skip("PostgreSQL not available")
    with fresh_database("postgres", tmp_path) as db:
        yield db


def _statements_of_a_pull(conn: Connection, token: str, request: p.PullIn) -> tuple[list[tuple[str, Any]], pull.Page]:
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", record)
    try:
        who = auth.principal_for(conn, token)
        page = pull.pull(conn, who, request)
    finally:
        event.remove(conn, "before_cursor_execute", record)
    return sent, page


def _nodes(plan: dict[str, Any], cap: float = float("inf")) -> Iterator[tuple[dict[str, Any], float]]:
    """Every node with the most rows it can yield: its estimate, capped by any LIMIT above it."""
    if plan["Node Type"] == "Limit":
        cap = min(cap, plan["Plan Rows"])
    yield plan, min(cap, plan["Plan Rows"])
    for child in plan.get("Plans", []):
        yield from _nodes(child, cap)


def _rows_read(node: dict[str, Any]) -> float:
    removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return float((node["Actual Rows"] + removed) * node["Actual Loops"])


def _explain(conn: Connection, statement: str, parameters: Any) -> dict[str, Any]:
    assert statement.lstrip().upper().startswith("SELECT"), statement  # EXPLAIN ANALYZE runs it
    out = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters).scalar_one()
    return dict(out[0]["Plan"])


def _check(statement: str, plan: dict[str, Any]) -> float:
    """The statement's rows read from the log's tables, after checking its plan."""
    read = 0.0
    for node, expected in _nodes(plan):
        table = node.get("Relation Name")
        if table in LOG_TABLES:
            assert node["Node Type"] != "Seq Scan", f"Seq Scan on {table}: {statement}"
            read += _rows_read(node)
        assert expected <= ROWS_BOUND, f"{node['Node Type']} expects {expected} rows: {statement}"
    return read


def test_an_incremental_pull_with_nothing_new_reads_what_the_scope_holds_not_the_log(pg_db: Database) -> None:
    with pg_db.write() as conn:
        auth.add_user(conn, "worker", "a good password 2026", "caseworker", [log_fill.SCOPE])
        token, _ = auth.register_device(conn, "worker", "bench-device-0001", "")
    read_at: list[list[float]] = []
    for size in SIZES:
        with pg_db.write() as conn:
            log_fill.fill(conn, size, SCOPE_RECORDS)
        with pg_db.engine.connect() as conn:
            conn.execute(text("ANALYZE changes"))
            conn.execute(text("ANALYZE records"))
            conn.commit()
        with pg_db.snapshot() as conn:
            who = auth.principal_for(conn, token)
            cursor = f"{size}.{who.scope_tag()}"  # the device has pulled everything
            request = p.PullIn(cursor=cursor, count=True, standards="")  # as the client's first request
            sent, page = _statements_of_a_pull(conn, token, request)
            assert page.rows == [] and page.removals == [] and not page.has_more
            assert page.scope_count == SCOPE_RECORDS and page.total == 0
            read = [_check(statement, _explain(conn, statement, parameters)) for statement, parameters in sent]
        assert any("count(*)" in statement and "FROM records" in statement for statement, _ in sent)
        read_at.append(read)
    small, large = read_at
    assert len(small) == len(large)
    # the same statements read the same rows at 8× the log (the scope's records, counted; the top)
    assert large == small, (small, large)
    assert sum(large) <= 2 * SCOPE_RECORDS + 10
