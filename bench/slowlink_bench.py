"""A sync of 2,000 offline edits over a slow, lossy link: `python -m bench.slowlink_bench [--write]`.

A real server process (SQLite) and one device holding a demo workspace that it has synced; then,
offline, the device makes ``--edits`` journal entries through the project's services (edits to
households and members, new care visits: the journal and the audit trail are real), and syncs
them with ``sync.run.sync`` (what ``caseapp sync`` runs) through ``bench.slowlink``: 64 kbit/s
each way, 400 ms round trips, 5% of answers lost, seeded.

Reported per run: the time of the sync; bytes each way on the wire (HTTP framing included, bodies
compressed as sent) and the time those bytes need at the link's rate (both directions added: the
sync is request then answer, so they seldom overlap); the ratio of the two; requests, answers
lost and the bytes sent again because of them; how many of the records pulled back are this
device's own writes; and the compressed size of the audit entries that rode with the pushes
against that of the operations. With ``--write`` the figures go into docs/benchmarks.md under
``--label`` (e.g. before / after a change), each label its own section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench.doc import write_section
from bench.slowlink import Link, SlowLinkProxy
from bench.sync_bench import PASSWORD, LoopbackServer
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import CareVisit, Household, Member
from caseapp.errors import ValidationErrors, WorkflowError
from caseapp.services import demo, records
from caseapp.store.workspace import Workspace
from sync import compress, outbox, run
from sync import protocol as p
from sync.client import SyncClient
from sync.server import auth

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
PASSPHRASE = "bench passphrase"
#: fields a caseworker retypes on a visit, with values drawn from those the demo already holds
HOUSEHOLD_FIELDS = ("phone", "notes", "address")
MEMBER_FIELDS = ("phone", "employment", "health", "notes")
NOTES = ("入户走访，家庭情况稳定。", "电话回访，已告知复核时间。", "申请材料已补齐，待街道审核。",
         "子女外出务工，老人独居，需加密走访。", "租房合同到期，已更新住址。")


def offline_edits(ws: Workspace, target: int, seed: int) -> dict[str, int]:
    """Make journal entries through the services until the outbox holds ``target``: field edits
    of households and members and new care visits (an edit refused by the rules is skipped, as a
    caseworker's refused save writes nothing)."""
    rnd = random.Random(seed)
    made = {"household": 0, "member": 0, "care_visit": 0, "refused": 0}
    with ws.read() as s:
        households = list(s.scalars(select(Household.id).order_by(Household.id)))
        members = list(s.scalars(select(Member.id).where(Member.status == "present").order_by(Member.id)))
        visits = list(s.scalars(select(CareVisit.id).order_by(CareVisit.id)))
        values = {name: sorted({v for v in s.scalars(select(getattr(Member, name))) if v})
                  for name in ("employment", "health")}
    today = dt.date.today()
    for _ in range(target * 3):  # bounded: every round adds an entry or counts a refusal
        if outbox.pending_count(ws) >= target:
            break
        kind = rnd.choices(("household", "member", "care_visit"), (4, 5, 1))[0]
        try:
            with ws.write() as s:
                if kind == "household":
                    h = records.get(s, Household, rnd.choice(households))
                    name = rnd.choice(HOUSEHOLD_FIELDS)
                    room = f"（{rnd.randint(1, 30)} 栋 {rnd.randint(101, 2208)} 室）"
                    value = (f"139{rnd.randint(0, 99_999_999):08d}" if name == "phone" else rnd.choice(NOTES)
                             if name == "notes" else f"{h.address}{room}")
                    records.update(s, h, {name: value})
                elif kind == "member":
                    m = records.get(s, Member, rnd.choice(members))
                    name = rnd.choice(MEMBER_FIELDS)
                    value = (f"137{rnd.randint(0, 99_999_999):08d}" if name == "phone" else rnd.choice(NOTES)
                             if name == "notes" else rnd.choice(values[name]))
                    records.update(s, m, {name: value})
                else:
                    v = records.get(s, CareVisit, rnd.choice(visits))
                    fields = {k: val for k, val in v.values().items() if k not in (
                        "id", "author", "device", "created_at", "updated_at", "updated_by", "corrects_id")}
                    at = dt.time(rnd.randint(9, 17), rnd.randint(0, 59))
                    fields.update(visited_at=dt.datetime.combine(today, at), notes=rnd.choice(NOTES))
                    records.create(s, CareVisit, fields)
            made[kind] += 1
        except (ValidationErrors, WorkflowError):
            made["refused"] += 1
    return made


@dataclass
class Capture:
    """What the sync sent and got back, seen from the client's calls."""

    pushes: list[tuple[list[p.PushOp], list[p.AuditEntryIn]]] = field(default_factory=list)
    pulled: list[tuple[str, str]] = field(default_factory=list)

    def wrap(self, client: SyncClient) -> None:
        push: Callable[..., p.PushOut] = client.push
        pull: Callable[..., p.PullOut] = client.pull

        def pushing(ops: list[p.PushOp], audit: list[p.AuditEntryIn] | None = None) -> p.PushOut:
            self.pushes.append((ops, list(audit or [])))
            return push(ops, audit)

        def pulling(*args: Any, **kwargs: Any) -> p.PullOut:
            page = pull(*args, **kwargs)
            self.pulled += [(r.entity, r.id) for r in page.rows]
            return page

        client.push = pushing  # type: ignore[method-assign]
        client.pull = pulling  # type: ignore[method-assign]


def _zstd(body: Any) -> tuple[int, int]:
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return len(raw), len(compress.encode(raw, compress.ZSTD))


def parts(capture: Capture) -> dict[str, tuple[int, int, int]]:
    """(entries, JSON bytes, zstd bytes) of the operations and of the audit entries pushed, each
    part compressed on its own, batch by batch as sent."""
    out = {"operations": [0, 0, 0], "audit": [0, 0, 0], "whole bodies": [0, 0, 0]}
    for ops, audit in capture.pushes:
        whole = {"ops": [o.model_dump(exclude_defaults=True) for o in ops], "audit": [e.model_dump() for e in audit]}
        raw, packed = _zstd(whole)
        out["whole bodies"][0] += len(ops) + len(audit)
        out["whole bodies"][1] += raw
        out["whole bodies"][2] += packed
        for name, items in (("operations", [o.model_dump(exclude_defaults=True) for o in ops]),
                            ("audit", [e.model_dump() for e in audit])):
            if items:
                raw, packed = _zstd(items)
                out[name][0] += len(items)
                out[name][1] += raw
                out[name][2] += packed
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def one_run(root: Path, server: LoopbackServer, households: int, edits: int, link: Link, *,
            ask: bool = True) -> dict[str, Any]:
    proxy = SlowLinkProxy("127.0.0.1", server.port, Link(shaped=False, drop_rate=0.0, seed=link.seed))
    with proxy.running():
        ws, _ = Workspace.create(root / f"device-{link.seed}", PASSPHRASE, kdf=TEST_KDF, actor="admin")
        try:
            run.login(ws, proxy.url, "admin", PASSWORD, insecure_http=True)
            demo.generate(ws, households, seed=7)
            client = run.connect(ws)
            run.sync(ws, client)  # the demo on the server and back: the device is up to date
            client.close()
            made = offline_edits(ws, edits, link.seed)
            pending = outbox.pending(ws, 10 ** 6)
            own = {(e.entity, e.row_id) for e in pending}
            proxy.tally.reset()
            proxy.link.rate_bps, proxy.link.rtt_s, proxy.link.drop_rate = link.rate_bps, link.rtt_s, link.drop_rate
            proxy.link.shaped = True
            proxy.reseed(link.seed)
            client = run.connect(ws)
            if not ask:  # as before /push/verdicts: a push whose answer was lost is sent again whole
                client.ask_verdicts = False
            capture = Capture()
            capture.wrap(client)
            started = time.perf_counter()
            report = run.sync(ws, client)
            elapsed = time.perf_counter() - started
            client.close()
            left = outbox.pending_count(ws)
        finally:
            ws.close()
    t = proxy.tally
    need = (t.sent + t.received) * 8 / link.rate_bps
    resent = t.resent_bytes()
    once = (t.sent - resent + t.received) * 8 / link.rate_bps
    return {"seed": link.seed, "edits": len(pending), "made": made, "elapsed": elapsed, "sent": t.sent,
            "received": t.received, "need": need, "ratio": elapsed / need, "requests": t.requests,
            "once": once, "ratio_once": elapsed / once,
            "questions": sum(1 for e in t.exchanges if e.path.endswith("/push/verdicts")),
            "dropped": t.dropped, "resent": resent, "upstream_failures": t.upstream_failures,
            "dropped_paths": [e.path.rsplit("/", 1)[-1] for e in t.exchanges if e.dropped],
            "pulled": report.pulled, "own_pulled": sum(1 for ref in capture.pulled if ref in own),
            "pushes": len(capture.pushes), "parts": parts(capture), "left": left, "pushed": report.push.pushed}


def table(rows: list[dict[str, Any]], link: Link) -> str:
    lines = [f"Link: {link.rate_bps / 1000:g} kbit/s each way, {link.rtt_s * 1000:.0f} ms round trip, "
             f"{link.drop_rate:.0%} of answers lost (seeded). Time needed = (bytes up + bytes down) × 8 / rate.",
             "",
             "Ratio once: against the time of the bytes less those sent again after a lost answer.",
             "",
             "| seed | operations | sync s | bytes up | bytes down | time the bytes need s | ratio | ratio once | "
             "requests | answers lost (route) | verdict questions | bytes re-sent | records pulled | "
             "of them own writes |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        lost = f"{r['dropped']} ({', '.join(r['dropped_paths'])})" if r["dropped"] else "0"
        lines.append(f"| {r['seed']} | {r['edits']:,} | {r['elapsed']:.1f} | {r['sent']:,} | {r['received']:,} | "
                     f"{r['need']:.1f} | {r['ratio']:.2f}× | {r['ratio_once']:.2f}× | {r['requests']} | {lost} | "
                     f"{r['questions']} | {r['resent']:,} | "
                     f"{r['pulled']:,} | {r['own_pulled']:,} |")
    lines += ["", "Compressed on their own (zstd, batch by batch as pushed), first run:", "",
              "| part of the push bodies | entries | JSON bytes | zstd bytes | zstd bytes per entry | ratio |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, (n, raw, packed) in rows[0]["parts"].items():
        if n:
            lines.append(f"| {name} | {n:,} | {raw:,} | {packed:,} | {packed / n:.1f} | {raw / packed:.1f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--seeds", default="13,14,15", help="one run per seed of the link's losses")
    parser.add_argument("--rate", type=float, default=64_000.0, help="bits per second each way")
    parser.add_argument("--rtt", type=float, default=0.4, help="round trip, seconds")
    parser.add_argument("--drop", type=float, default=0.05, help="share of answers lost")
    parser.add_argument("--label", default="current")
    parser.add_argument("--no-verdicts", action="store_true",
                        help="never ask for a lost push's verdicts: send the batch again (the behaviour before)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="slowlink-bench-") as tmp:
        root = Path(tmp)
        rows = []
        for seed in seeds:
            server = LoopbackServer(f"sqlite:///{root / f'server-{seed}.db'}")
            try:
                with server.db.write() as conn:
                    auth.add_user(conn, "admin", PASSWORD, "admin", [])
                link = Link(rate_bps=args.rate, rtt_s=args.rtt, drop_rate=args.drop, seed=seed)
                rows.append(one_run(root, server, args.households, args.edits, link, ask=not args.no_verdicts))
            finally:
                server.stop()
            r = rows[-1]
            print(f"seed {seed}: {r['elapsed']:.1f} s, ratio {r['ratio']:.2f}, lost {r['dropped']}, "
                  f"re-sent {r['resent']:,} B, pulled {r['pulled']} (own {r['own_pulled']}), left {r['left']}, "
                  f"made {r['made']}, upstream failures {r['upstream_failures']}", flush=True)
    text = table(rows, Link(rate_bps=args.rate, rtt_s=args.rtt, drop_rate=args.drop))
    print(text)
    if args.write:
        command = (f"python -m bench.slowlink_bench --households {args.households} --edits {args.edits} "
                   f"--seeds {args.seeds} --label {args.label}{' --no-verdicts' if args.no_verdicts else ''} --write")
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        body = f"#### {args.label}\n\nCommand: `{command}`  \nDate: {when}\n\n{text}"
        write_section(DOCS, f"slowlink-{args.label}", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
