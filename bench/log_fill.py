"""A large server log, filled on PostgreSQL in a few statements (``INSERT ... SELECT generate_series``):
for the pull-scale bench (bench/pull_scale.py) and the pull plan test (tests/sync/test_pull_plan.py).

The log has ``log_size`` entries over ``log_size // CHANGES_PER_RECORD`` records (each record changed
that many times, the entries of all records interleaved as a city's devices would write them), in
``OTHER_COMMUNITIES`` communities of another district, and one community, ``SCOPE``, whose
``scope_records`` records (and their changes) are the same however large the log: the device
pulling holds that one community. One record in a hundred outside it is a referral shared with yet
another community (``shared_org``), so that column is filled as in a live server.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: the device's community (a caseworker's scope) and the grid its records are in
SCOPE = "440105001001"
GRID = SCOPE + "01"
#: communities outside the device's reach (district 440200…, so no code starts with SCOPE)
OTHER_COMMUNITIES = 2000
CHANGES_PER_RECORD = 5

_RECORDS = r"""
INSERT INTO records (id, entity, org_code, fields, meta, pos, created_pos, origin_device, archived, root_id,
                     person_id, shared_org)
SELECT md5(i::text)::uuid::text, 'household', code,
       '{"org_code":"' || code || '","head_name":"陈' || i || '","address":"小北路' || i || '号","phone":"138'
         || lpad(i::text, 8, '0') || '","members": 3,"status":"active","updated_at":"2026-12-01T08\:00\:00+08\:00"}',
       '{"org_code":[' || i || ',1,"dev","worker"],"head_name":[' || i || ',1,"dev","worker"],"phone":['
         || (i + :log_size - :records) || ',1,"dev","worker"]}',
       i + :log_size - :records, i, 'bench-device', false, md5(i::text)::uuid::text, NULL,
       CASE WHEN i > :scope_records AND i % 100 = 0 THEN '440300' || lpad((i % 997)::text, 6, '0') END
FROM (SELECT i, CASE WHEN i <= :scope_records THEN :grid
                     ELSE '4402' || lpad((i % :others)::text, 8, '0') || '01' END AS code
      FROM generate_series(1, :records) AS i) AS s
"""

_CHANGES = """
INSERT INTO changes (pos, entity, row_id, org_code, old_org_code, shared_org, fields)
SELECT j, r.entity, r.id, r.org_code, NULL, r.shared_org, '{"phone":"138' || lpad(j::text, 8, '0') || '"}'
FROM generate_series(1, :log_size) AS j
JOIN records AS r ON r.created_pos = (j - 1) % :records + 1
"""


def fill(conn: Connection, log_size: int, scope_records: int) -> None:
    """Replace the records and the log with a log of ``log_size`` entries (a multiple of
    CHANGES_PER_RECORD); ``scope_records`` of the records are in SCOPE. Run ANALYZE (or VACUUM
    ANALYZE) afterwards, as autovacuum would on a live server."""
    records = log_size // CHANGES_PER_RECORD
    assert records * CHANGES_PER_RECORD == log_size and 0 < scope_records < records
    conn.execute(text("TRUNCATE changes, records, conflicts"))
    params = {"log_size": log_size, "records": records, "scope_records": scope_records, "grid": GRID,
              "others": OTHER_COMMUNITIES}
    conn.execute(text(_RECORDS), params)
    conn.execute(text(_CHANGES), params)


def add_scope_changes(conn: Connection, count: int) -> None:
    """``count`` new log entries, each a one-field edit of a record in SCOPE, at the top of the log."""
    top = int(conn.execute(text("SELECT max(pos) FROM changes")).scalar_one())
    conn.execute(text("""
        INSERT INTO changes (pos, entity, row_id, org_code, old_org_code, shared_org, fields)
        SELECT :top + k, 'household', md5(k::text)::uuid::text, :grid, NULL, NULL, '{"phone":"13900000000"}'
        FROM generate_series(1, :count) AS k"""), {"top": top, "count": count, "grid": GRID})
    conn.execute(text("""
        UPDATE records SET pos = :top + created_pos WHERE created_pos BETWEEN 1 AND :count"""),
        {"top": top, "count": count})
