"""Sync benchmarks on loopback: `python -m bench.sync_bench [--households N] [--devices D] [--write]`.

Measures, against a real uvicorn server (SQLite by default, PostgreSQL with --pg):
- initial push and initial pull of a district dataset, records/s end to end;
- bytes on the wire per record, against the gzip size of the same records' JSON;
- gzip against zstd on real push and pull payloads (size, compress and decompress time);
- applying pulled records against a raw bulk insert into the same kind of encrypted workspace;
- bytes and round trips for a one-field edit and for a sync with nothing to do;
- D concurrent simulated devices (push a one-field edit, then pull), operations/s and p50/p99.
With --write the figures replace the "Sync" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ENTITIES, Household, IncomeItem, Member
from caseapp.domain.base import Base
from caseapp.services.exchange import export_bytes
from caseapp.store.workspace import Workspace
from sync import apply, compress, outbox, run
from sync import protocol as p
from sync.client import SyncClient
from sync.server import auth
from sync.server.db import Database

PASSWORD = "bench-password"
DISTRICT = "440105"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def org(i: int) -> str:
    street = 1 + i % 10
    community = 1 + (i // 10) % 12
    grid = 1 + (i // 120) % 6
    return f"{DISTRICT}{street:03d}{community:03d}{grid:02d}"


def fill(ws: Workspace, households: int, seed: int = 1) -> int:
    rnd = random.Random(seed)
    made = 0
    batch = 500
    for start in range(0, households, batch):
        with ws.write() as s:
            for i in range(start, min(households, start + batch)):
                code = org(i)
                name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
                h = Household(org_code=code, address=f"海珠区滨江东路 {i} 号 {rnd.randint(1, 30)} 栋",
                              head_name=name, phone=f"138{rnd.randint(0, 99_999_999):08d}",
                              register_type="local_urban", notes="")
                s.add(h)
                s.flush()
                for k in range(rnd.randint(2, 4)):
                    m = Member(org_code=code, household_id=h.id, name=name if k == 0 else
                               rnd.choice(SURNAMES) + rnd.choice(GIVEN), relationship="02" if k == 0 else "10",
                               health="healthy", employment="employed")
                    s.add(m)
                    s.flush()
                    s.add(IncomeItem(org_code=code, member_id=m.id, income_type="wages",
                                     monthly_amount=Decimal(rnd.randint(500, 5000))))
                    made += 2
                made += 1
    return made


class LoopbackServer:
    """`caseapp-server serve` in its own process, as deployed: client and server do not share a GIL."""

    def __init__(self, url: str) -> None:
        import socket
        import subprocess
        import sys

        self.db = Database(url)
        self.db.migrate()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "sync.server.cli", "--db", url, "serve", "--host",
                                      "127.0.0.1", "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.db.dispose()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) another process has used so far (Linux), 0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def codec_table(samples: dict[str, bytes]) -> list[str]:
    lines = ["| payload | JSON bytes | gzip-6 bytes | zstd-3 bytes | gzip compress ms | zstd compress ms | "
             "gzip decompress ms | zstd decompress ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, data in samples.items():
        g, tg = timed(lambda data=data: compress.encode(data, compress.GZIP))
        z, tz = timed(lambda data=data: compress.encode(data, compress.ZSTD))
        _, dg = timed(lambda g=g, data=data: compress.decode(g, compress.GZIP, len(data)))
        _, dz = timed(lambda z=z, data=data: compress.decode(z, compress.ZSTD, len(data)))
        lines.append(f"| {name} | {len(data):,} | {len(g):,} | {len(z):,} | {tg * 1000:.1f} | {tz * 1000:.1f} | "
                     f"{dg * 1000:.1f} | {dz * 1000:.1f} |")
    return lines


def write_section(backend: str, text: str) -> None:
    """Replace this backend's block inside the "Sync" section of docs/benchmarks.md (the rest of
    the file belongs to other benchmarks)."""
    doc = DOCS.read_text(encoding="utf-8")
    match = re.search(r"<!-- bench:sync:start -->\n(.*?)\n?<!-- bench:sync:end -->", doc, flags=re.S)
    if match is None:
        raise SystemExit("docs/benchmarks.md has no Sync markers")
    body = match.group(1)
    begin, end = f"<!-- sync:{backend} -->", f"<!-- /sync:{backend} -->"
    block = f"{begin}\n### Server on {backend}\n\n{text}\n{end}"
    if begin in body:
        body = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: block, body, flags=re.S)
    else:
        body = "\n\n".join(part for part in (body.strip() if "Not measured" not in body else "", block) if part)
    doc = doc[:match.start(1)] + body + "\n" + doc[match.end(1):]
    DOCS.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="syncs per simulated device")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL for the server (default: SQLite)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    pg_schema = f"sync_bench_{uuid.uuid4().hex[:8]}"
    if args.pg:
        admin_db = Database(args.pg)
        with admin_db.engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {pg_schema}")
        sep = "&" if "?" in args.pg else "?"
        url = f"{args.pg}{sep}options=-csearch_path%3D{pg_schema}"
    else:
        url = f"sqlite:///{tmp / 'server.db'}"
    server = LoopbackServer(url)
    with server.db.write() as conn:
        auth.add_user(conn, "admin", PASSWORD, "admin", [])
    out: list[str] = []
    backend = "PostgreSQL" if args.pg else "SQLite"

    a, _ = Workspace.create(tmp / "a", "bench passphrase", kdf=TEST_KDF, actor="admin")
    b, _ = Workspace.create(tmp / "b", "bench passphrase", kdf=TEST_KDF, actor="admin")
    for ws in (a, b):
        run.login(ws, server.url, "admin", PASSWORD)
    count, t_fill = timed(lambda: fill(a, args.households))
    ca = run.connect(a)
    # A push payload sample (one batch, as sent) for the codec comparison.
    push_sample = json.dumps({"ops": [outbox.to_op(e).model_dump(exclude_defaults=True)
                                      for e in outbox.pending(a, run.PUSH_BATCH)]},
                             ensure_ascii=False, separators=(",", ":")).encode()
    # The push alone, as `caseapp sync` runs it: from its first request to the last verdict
    # committed on the device (the pull that follows brings the records back: timed apart).
    report = run.SyncReport()
    cpu0 = (time.process_time(), process_cpu(server.proc.pid))
    _, t_push = timed(lambda: run.push(a, ca, report, lambda *_: None, run.PUSH_BATCH))
    cpu_push = (time.process_time() - cpu0[0], process_cpu(server.proc.pid) - cpu0[1])
    _, t_rest = timed(lambda: run.sync(a, ca))
    cb = run.connect(b)
    first_page = cb.pull("", p.DEFAULT_PAGE)
    pull_sample = first_page.model_dump_json().encode()
    cb.bytes_received = cb.bytes_sent = cb.round_trips = 0
    report_b, t_pull = timed(lambda: run.sync(b, cb))
    assert export_bytes(a) == export_bytes(b), "replicas differ"
    wire_per_record = cb.bytes_received / count
    records_json = export_bytes(b)
    gz_per_record = len(gzip.compress(records_json, 6)) / count

    # Apply rate against a raw bulk insert of the same rows into a fresh encrypted workspace.
    # Kept as JSON and parsed one page at a time, as a sync holds them: hundreds of thousands of
    # parsed rows alive at once would make every garbage-collector pass crawl over them, a cost
    # no real sync pays (and one that falls harder on the path that allocates more).
    pages: list[str] = []
    cursor = ""
    while True:
        page = cb.pull(cursor, p.DEFAULT_PAGE)
        pages.append(page.model_dump_json())
        cursor = page.cursor
        if not page.has_more:
            break
    c, _ = Workspace.create(tmp / "c", "bench passphrase", kdf=TEST_KDF, actor="admin")
    d, _ = Workspace.create(tmp / "d", "bench passphrase", kdf=TEST_KDF, actor="admin")

    # Every record type the pages bring, parents first (the workspace checks foreign keys). Until
    # 2026-12-04 only households, members and income items were inserted here while the rate was
    # divided by every record pulled: the raw side did about half the work it was credited with.
    tables = [t.name for t in Base.metadata.sorted_tables]
    in_order = sorted(ENTITIES, key=lambda e: tables.index(ENTITIES[e].__tablename__))

    def raw_insert(pg: p.PullOut) -> None:
        with d.engine.begin() as conn:
            groups: dict[str, list[dict[str, Any]]] = {}
            for row in pg.rows:
                groups.setdefault(row.entity, []).append({**row.fields, "server_pos": row.pos})
            assert set(groups) <= set(in_order), set(groups) - set(in_order)
            for entity in in_order:
                if entity in groups:
                    # untyped columns, like sync.apply: the fastest plain insert there is
                    conn.execute(sqlite_insert(apply._raw_table(ENTITIES[entity])), groups[entity])

    # Page by page, alternating which goes first, so both rates see the same moments of a shared
    # machine's load and their ratio does not depend on when a neighbour was busy.
    t_apply = t_raw = 0.0
    for n, text in enumerate(pages):
        pg = p.PullOut.model_validate_json(text)
        # As in a first sync: pages leave the search index to one rebuild at the end (timed below).
        steps = [("apply", lambda pg=pg: apply.apply_page(c, pg, index=False)), ("raw", lambda pg=pg: raw_insert(pg))]
        for name, step in steps if n % 2 == 0 else steps[::-1]:
            _, took = timed(step)
            if name == "apply":
                t_apply += took
            else:
                t_raw += took
    _, took = timed(lambda: apply.rebuild_index_if_stale(c))
    t_apply += took

    # One-field edit and an empty sync: bytes and round trips.
    from caseapp.services import records

    with a.read() as s:
        hid = s.query(Household.id).first()[0]  # type: ignore[index]
    with a.write() as s:
        records.update(s, records.get(s, Household, hid), {"notes": "已电话回访"})
    ca.bytes_sent = ca.bytes_received = ca.round_trips = 0
    run.sync(a, ca)
    edit_bytes, edit_trips = ca.bytes_sent + ca.bytes_received, ca.round_trips
    ca.bytes_sent = ca.bytes_received = ca.round_trips = 0
    run.sync(a, ca)
    idle_bytes, idle_trips = ca.bytes_sent + ca.bytes_received, ca.round_trips

    # Concurrent devices: each pushes a one-field edit and pulls, `rounds` times.
    start_cursor = b.get_setting("sync.cursor")
    latencies: list[float] = []
    errors: list[str] = []
    with a.read() as s:
        ids = [r[0] for r in s.query(Household.id).limit(args.devices * 4)]
    lock = threading.Lock()

    def device_loop(n: int) -> None:
        client = SyncClient(server.url)
        try:
            login = client.login("admin", PASSWORD, f"bench-{n}-{uuid.uuid4().hex[:6]}")
            client.token = login.token
            cursor = start_cursor  # already in step with the data; the loop measures increments
            for r in range(args.rounds):
                op = p.PushOp(seq=r + 1, entity="household", row_id=ids[(n * 7 + r) % len(ids)], op="set",
                              field="notes", value=f"设备 {n} 第 {r} 次", base_pos=0,
                              hlc=(time.time_ns() // 10**6) << 16)
                t0 = time.perf_counter()
                client.push([op])
                page = client.pull(cursor, p.MAX_PAGE)
                while page.has_more:
                    page = client.pull(page.cursor, p.MAX_PAGE)
                cursor = page.cursor
                with lock:
                    latencies.append(time.perf_counter() - t0)
        except Exception as error:  # a benchmark reports failures instead of dying
            with lock:
                errors.append(repr(error))
        finally:
            client.close()

    threads = [threading.Thread(target=device_loop, args=(n,)) for n in range(args.devices)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_conc = time.perf_counter() - t0
    lat = sorted(latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")

    out.append(f"Command: `python -m bench.sync_bench --households {args.households} --devices {args.devices}"
               f"{' --pg URL' if args.pg else ''} --write`; server on {backend}, loopback, one process, "
               f"client and server on the same 2-core machine. Dataset: {args.households:,} households, "
               f"{count:,} records (households, members, income items).")
    out.append("")
    out.append("| measure | figure |")
    out.append("|---|---:|")
    out.append(f"| initial push (device → server), records/s, first request to last verdict committed | "
               f"{count / t_push:,.0f} |")
    out.append(f"| … CPU per 1,000 records: device / server process | {cpu_push[0] / count * 1000:.2f} s / "
               f"{cpu_push[1] / count * 1000:.2f} s |")
    out.append(f"| … then the rest of that first sync (pulling the pushed records back), s | {t_rest:.1f} |")
    out.append(f"| initial pull (server → encrypted workspace), records/s end to end | {count / t_pull:,.0f} |")
    out.append(f"| bytes on the wire per record, initial pull | {wire_per_record:,.0f} |")
    out.append(f"| gzip size of the same records' JSON export, per record | {gz_per_record:,.0f} |")
    out.append(f"| applying pulled pages, records/s | {count / t_apply:,.0f} |")
    out.append(f"| raw bulk insert of the same rows, same kind of workspace, records/s | {count / t_raw:,.0f} |")
    out.append(f"| apply rate / raw insert rate | {t_raw / t_apply:.0%} |")
    out.append(f"| one-field edit: bytes on the wire (both ways), round trips | {edit_bytes:,} B, {edit_trips} |")
    out.append(f"| sync with nothing to do: bytes, round trips | {idle_bytes:,} B, {idle_trips} |")
    out.append(f"| {args.devices} concurrent devices × {args.rounds} (push one edit + pull): operations/s | "
               f"{len(lat) / t_conc:,.0f} |")
    out.append(f"| … latency p50 / p99 | {p50:.0f} ms / {p99:.0f} ms |")
    out.append(f"| … errors | {len(errors)} |")
    out.append("")
    out.append("Payload codecs on real payloads (one push batch of "
               f"{run.PUSH_BATCH} operations; one pull page of {p.DEFAULT_PAGE} changes):")
    out.append("")
    out += codec_table({"push batch": push_sample, "pull page": pull_sample})
    out.append("")
    out.append(f"(setup, not timed as sync: filling device A took {t_fill:.1f} s; pushed "
               f"{report.push.pushed:,} operations; device B pulled {report_b.pulled:,} records in "
               f"{report_b.pages} pages.)")
    text = "\n".join(out)
    print(text)
    if errors:
        print("errors:", errors[:5])
    if args.write:
        write_section(backend, text)
    for ws in (a, b, c, d):
        ws.close()
    ca.close()
    cb.close()
    server.stop()
    if args.pg:
        with admin_db.engine.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {pg_schema} CASCADE")
        admin_db.dispose()


if __name__ == "__main__":
    main()
