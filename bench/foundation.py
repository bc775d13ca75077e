"""Foundation benchmarks (issue 2 and the search target of issue 4), all in one run:

- bulk insert of an N-household demo dataset into the encrypted workspace against the same data
  into plain SQLite, batch by batch and interleaved (the two runs alternate who goes first each
  batch, so a noisy neighbour slows both alike); only the write path is timed (the ORM flush, the
  journal and audit hooks, the search index, the commit), not the making-up of demo data;
- saving one record including its journal and audit entries (a care visit created, a member edited;
  each in its own transaction, as the UI saves them);
- household search, keystroke by keystroke, over the encrypted N-household workspace;
- unlocking that workspace with the production KDF parameters (Argon2id plus opening the database).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import gc
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypinyin import lazy_pinyin
from sqlalchemy import func, select

from bench.stats import median, ms, percentile, secs
from caseapp.crypto import keyfile
from caseapp.domain import CareVisit, ElderProfile, Household, Member
from caseapp.services import demo, records, search
from caseapp.store import migrate
from caseapp.store.paths import DB_FILE, KEY_FILE
from caseapp.store.workspace import Workspace

PASSPHRASE = "benchmark passphrase, not a secret"
SEARCH_KINDS = ("name", "pinyin", "initials", "id_start", "id_end", "phone", "address")


@dataclass
class Options:
    households: int = 50_000
    batch: int = 500
    saves: int = 500
    searches_per_kind: int = 60
    unlock_runs: int = 7
    seed: int = 0
    workdir: Path | None = None
    keep: bool = False
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)


@dataclass
class Results:
    households: int = 0
    records: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    insert: dict[str, float] = field(default_factory=dict)     # encrypted / plain seconds
    batch_ratios: list[float] = field(default_factory=list)
    generation_s: float = 0.0
    db_bytes: dict[str, int] = field(default_factory=dict)
    saves: dict[str, list[float]] = field(default_factory=dict)
    #: CPU time of this thread for the same operations: what the code costs, whatever the neighbours do
    save_cpu: list[float] = field(default_factory=list)
    searches: dict[str, list[float]] = field(default_factory=dict)
    search_cpu: list[float] = field(default_factory=list)
    counts_latency: list[float] = field(default_factory=list)
    search_found: dict[str, tuple[int, int]] = field(default_factory=dict)
    unlock: list[float] = field(default_factory=list)
    kdf: list[float] = field(default_factory=list)
    open_only: list[float] = field(default_factory=list)
    schema_check: list[float] = field(default_factory=list)
    #: share of profiled save time by part (cProfile of extra saves)
    save_profile: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.insert["encrypted"] / self.insert["plain"]


def _timed_write(ws: Workspace, batch: list[Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    with ws.write() as session:
        demo.write(session, batch)
    return time.perf_counter() - started


def bulk_insert(opts: Options, folder: Path, res: Results) -> Workspace:
    """Fill both workspaces with the same data; returns the encrypted one, still open."""
    # The encrypted one gets production KDF parameters: it is unlocked for real at the end.
    enc, _ = Workspace.create(folder / "encrypted", PASSPHRASE, kdf=keyfile.PRODUCTION_KDF, actor="bench")
    plain, _ = Workspace.create(folder / "plain", PASSPHRASE, kdf=keyfile.TEST_KDF, actor="bench", plain=True)
    today = dt.date.today()
    plans = {"encrypted": demo.DemoPlan(opts.households, opts.seed, today),
             "plain": demo.DemoPlan(opts.households, opts.seed, today)}
    targets = {"encrypted": enc, "plain": plain}
    res.insert = {"encrypted": 0.0, "plain": 0.0}
    started = time.perf_counter()

    def step(index: int, make: Callable[[demo.DemoPlan], list[Any]]) -> None:
        order = ["encrypted", "plain"] if index % 2 == 0 else ["plain", "encrypted"]
        t0 = time.perf_counter()
        batches = {name: make(plans[name]) for name in order}
        res.generation_s += (time.perf_counter() - t0) / 2
        took = {name: _timed_write(targets[name], batches[name]) for name in order}
        for name, seconds in took.items():
            res.insert[name] += seconds
        if took["plain"] > 0:
            res.batch_ratios.append(took["encrypted"] / took["plain"])

    step(0, lambda p: p.org_units())
    total_batches = -(-opts.households // opts.batch)
    for index, start in enumerate(range(0, opts.households, opts.batch), start=1):
        def households(plan: demo.DemoPlan, first: int = start) -> list[Any]:
            return plan.household_records(first, first + opts.batch)

        step(index, households)
        if index % 10 == 0 or index == total_batches:
            elapsed = time.perf_counter() - started
            opts.log(f"  bulk insert: {min(start + opts.batch, opts.households):,}/{opts.households:,} households, "
                     f"{elapsed:.0f} s, encrypted/plain so far {res.insert['encrypted'] / res.insert['plain']:.3f}")
    step(total_batches + 1, lambda p: p.closing_records())
    res.households = opts.households
    res.counts = dict(sorted(plans["encrypted"].tally.counts.items()))
    res.records = sum(res.counts.values())
    plain.close()
    res.db_bytes["plain"] = (folder / "plain" / DB_FILE).stat().st_size
    shutil.rmtree(folder / "plain", ignore_errors=True)  # the disk is needed for the rest
    return enc


# Parts of a save, by (file suffix, function) as cProfile names them; journal includes audit.
SAVE_PARTS = {
    "journal hooks (incl. audit)": [("caseapp/store/journal.py", "_before_flush"),
                                    ("caseapp/store/journal.py", "_after_flush")],
    "audit chain": [("caseapp/store/audit.py", "append")],
    "validation": [("caseapp/services/validate.py", "clean")],
    "search index": [("caseapp/store/search_index.py", "_before_commit"),
                     ("caseapp/store/search_index.py", "_collect")],
    "SQLite commit (incl. fsync)": [("~", "<method 'commit' of 'sqlcipher3.dbapi2.Connection' objects>")],
}


class Saver:
    """Alternately creates a care visit and edits a member's phone, one transaction each."""

    def __init__(self, ws: Workspace, count: int, seed: int) -> None:
        self.ws = ws
        self.rng = random.Random(seed)
        with ws.read() as s:
            self.members = list(s.scalars(select(Member.id).order_by(func.random()).limit(count)))
            self.elders = list(s.scalars(select(ElderProfile.id).order_by(func.random()).limit(count)))
        self.now = dt.datetime.now(dt.UTC)

    def save(self, i: int) -> str:
        if i % 2 == 0 and self.elders:
            elder_id = self.elders[i % len(self.elders)]
            with self.ws.write() as s:
                elder = records.get(s, ElderProfile, elder_id)
                records.create(s, CareVisit, {"org_code": elder.org_code, "elder_id": elder_id,
                                              "visited_at": self.now - dt.timedelta(minutes=i), "method": "phone",
                                              "notes": "电话探访，身体状况良好"})
            return "create care visit"
        with self.ws.write() as s:
            member = records.get(s, Member, self.members[i % len(self.members)])
            records.update(s, member, {"phone": f"139{self.rng.randrange(10**8):08d}"})
        return "edit member"


def single_saves(opts: Options, ws: Workspace, res: Results) -> None:
    saver = Saver(ws, opts.saves, opts.seed)
    res.saves = {"create care visit": [], "edit member": []}
    for i in range(opts.saves):
        gc.collect()
        cpu = time.thread_time()
        started = time.perf_counter()
        kind = saver.save(i)
        res.saves[kind].append(time.perf_counter() - started)
        res.save_cpu.append(time.thread_time() - cpu)
    # Where the time goes: profile a further 100 saves (profiling slows Python code more than C code,
    # so these shares overstate the hooks a little against SQLite).
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(opts.saves, opts.saves + 100):
        saver.save(i)
    profiler.disable()
    stats: dict[tuple[str, int, str], tuple[Any, ...]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name == "save")
    for part, functions in SAVE_PARTS.items():
        spent = sum(v[3] for (path, _, name), v in stats.items()
                    if any(path.endswith(suffix) and name == fn for suffix, fn in functions))
        res.save_profile[part] = spent / total if total else 0.0


def _typed(kind: str, member: Any, household: Any) -> str:
    """What a caseworker types to find this member's household."""
    if kind == "name":
        return str(member.name)
    syllables = [s for s in lazy_pinyin(member.name.replace("·", "")) if s.isascii() and s.isalpha()]
    if kind == "pinyin":
        return "".join(syllables)
    if kind == "initials":
        return "".join(s[0] for s in syllables)
    if kind == "id_start":
        return str(member.id_number[:14])
    if kind == "id_end":
        return str(member.id_number[-6:])
    if kind == "phone":
        return str(member.phone or household.phone).replace("-", "")
    road = household.address
    for cut in ("街道", "镇"):
        if cut in road:
            road = road.split(cut, 1)[1]
            break
    return str(road[: road.find("号") + 1] if "号" in road else road)


def search_latency(opts: Options, ws: Workspace, res: Results) -> None:
    """Search at every keystroke of what a caseworker types, in a fresh read session each time."""
    rng = random.Random(opts.seed + 1)
    with ws.read() as s:
        ids = list(s.scalars(select(Member.id).where(Member.phone.is_not(None))))
        sample = rng.sample(ids, min(len(ids), opts.searches_per_kind * len(SEARCH_KINDS)))
        members = [records.get(s, Member, i) for i in sample]
        people = [(m, records.get(s, Household, m.household_id)) for m in members]
    res.searches = {kind: [] for kind in SEARCH_KINDS}
    for index, (member, household) in enumerate(people):
        kind = SEARCH_KINDS[index % len(SEARCH_KINDS)]
        text = _typed(kind, member, household)
        hits: list[search.HouseholdHit] = []
        for end in range(1, len(text) + 1):
            cpu = time.thread_time()
            started = time.perf_counter()
            with ws.read() as s:
                hits = search.search_households(s, text[:end])
            res.searches[kind].append(time.perf_counter() - started)
            res.search_cpu.append(time.thread_time() - cpu)
        with ws.read() as s:
            started = time.perf_counter()
            total = search.count_households(s, text)
            res.counts_latency.append(time.perf_counter() - started)
        listed = household.id in [h.household_id for h in hits]
        shown, seen = res.search_found.get(kind, (0, 0))
        res.search_found[kind] = (shown + listed, seen + 1)
        if not listed and total <= len(hits):
            raise AssertionError(f"search for {kind} {text!r} missed household {household.id}")


def unlock(opts: Options, folder: Path, res: Results) -> None:
    path = folder / "encrypted"
    for _ in range(opts.unlock_runs):
        gc.collect()
        started = time.perf_counter()
        ws = Workspace.open(path, PASSPHRASE)
        res.unlock.append(time.perf_counter() - started)
        ws.engine.dispose()  # no checkpoint: the next open should find the same file
        started = time.perf_counter()
        data_key = keyfile.unlock(path / KEY_FILE, PASSPHRASE)
        res.kdf.append(time.perf_counter() - started)
        started = time.perf_counter()
        Workspace.open_with_key(path, data_key).engine.dispose()
        res.open_only.append(time.perf_counter() - started)
        # what opening spends on the migration scripts (read to check the schema version)
        started = time.perf_counter()
        migrate.head(), migrate.known_revisions(), migrate.schema_version()
        res.schema_check.append(time.perf_counter() - started)


def run(opts: Options) -> Results:
    res = Results()
    folder = Path(tempfile.mkdtemp(prefix="caseapp-bench-", dir=opts.workdir))
    try:
        opts.log(f"bulk insert of {opts.households:,} households into {folder} …")
        ws = bulk_insert(opts, folder, res)
        opts.log(f"  encrypted {secs(res.insert['encrypted'])}, plain {secs(res.insert['plain'])}, "
                 f"ratio {res.ratio:.3f}")
        opts.log(f"single-record saves ×{opts.saves} …")
        single_saves(opts, ws, res)
        opts.log("search as you type …")
        search_latency(opts, ws, res)
        ws.close()
        res.db_bytes["encrypted"] = (folder / "encrypted" / DB_FILE).stat().st_size
        opts.log(f"unlock ×{opts.unlock_runs} …")
        unlock(opts, folder, res)
    finally:
        if not opts.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return res


# --- report -------------------------------------------------------------------------------------------

def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(res: Results) -> tuple[str, list[str]]:
    """The Markdown table and the list of missed targets."""
    all_saves = [x for xs in res.saves.values() for x in xs]
    all_searches = [x for xs in res.searches.values() for x in xs]
    save_p95 = percentile(all_saves, 95)
    search_p95 = percentile(all_searches, 95)
    unlock_median = median(res.unlock)
    rows = [
        ("Bulk insert, encrypted (SQLCipher) workspace", f"{secs(res.insert['encrypted'])} "
         f"({res.households / res.insert['encrypted']:.0f} households/s, {res.records / res.insert['encrypted']:.0f} "
         "records/s)", "", ""),
        ("Bulk insert, plain SQLite, same data", f"{secs(res.insert['plain'])}", "", ""),
        ("Encrypted / plain (total; median of per-batch ratios)",
         f"{res.ratio:.3f}× ({median(res.batch_ratios):.3f}×)", "≤ 1.15×",
         _met(max(res.ratio, median(res.batch_ratios)) <= 1.15)),
        ("… median of per-batch ratios over the last tenth of the batches",
         f"{median(res.batch_ratios[-max(1, len(res.batch_ratios) // 10):]):.3f}×", "", ""),
        (f"Save one record incl. journal + audit, p50 / p95 (n = {len(all_saves)})",
         f"{ms(percentile(all_saves, 50))} / {ms(save_p95)}", "p95 ≤ 10 ms", _met(save_p95 <= 0.010)),
        *[(f"… {kind}, p50 / p95 / max", f"{ms(percentile(xs, 50))} / {ms(percentile(xs, 95))} / {ms(max(xs))}", "", "")
          for kind, xs in res.saves.items() if xs],
        ("… CPU time of the saving thread, p50 / p95",
         f"{ms(percentile(res.save_cpu, 50))} / {ms(percentile(res.save_cpu, 95))}", "", ""),
        (f"Unlock with PRODUCTION_KDF (Argon2id + open), median of {len(res.unlock)}",
         f"{secs(unlock_median)} (slowest {secs(max(res.unlock))})", "≤ 1 s", _met(unlock_median <= 1.0)),
        ("… KDF alone / opening the database alone, medians",
         f"{secs(median(res.kdf))} / {ms(median(res.open_only))}", "", ""),
        (f"Search as you type, p50 / p95 (n = {len(all_searches)} keystrokes)",
         f"{ms(percentile(all_searches, 50))} / {ms(search_p95)}", "p95 ≤ 50 ms", _met(search_p95 <= 0.050)),
        *[(f"… by {kind}, p50 / p95 / max", f"{ms(percentile(xs, 50))} / {ms(percentile(xs, 95))} / {ms(max(xs))}",
           "", "") for kind, xs in res.searches.items() if xs],
        ("… CPU time of the searching thread, p50 / p95",
         f"{ms(percentile(res.search_cpu, 50))} / {ms(percentile(res.search_cpu, 95))}", "", ""),
        ("Result count for a complete query, p50 / p95",
         f"{ms(percentile(res.counts_latency, 50))} / {ms(percentile(res.counts_latency, 95))}", "", ""),
    ]
    lines = ["| Measure | Result | Target | Met |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    missed = [a for a, _, c, d in rows if c and d != "yes"]
    return "\n".join(lines), missed


def analysis(res: Results, load: tuple[float, float]) -> str:
    """Why a target was missed, from this run's own measurements."""
    lines: list[str] = []
    cpu95 = percentile(res.save_cpu, 95)
    wall95 = percentile([x for xs in res.saves.values() for x in xs], 95)
    if wall95 > 0.010:
        parts = ", ".join(f"{part} {share:.0%}" for part, share in res.save_profile.items())
        lines.append(
            f"Saves: the saving thread's own CPU time has p95 {ms(cpu95)} "
            f"({'within' if cpu95 <= 0.010 else 'above'} the target); the wall-clock p95 of {ms(wall95)} adds the "
            f"time spent waiting for a CPU and the disk while other work ran (load average {load[0]:.1f}–"
            f"{load[1]:.1f} on {os.cpu_count()} CPUs). Where a save's time goes (cProfile of 100 further saves, "
            f"shares of the whole save): {parts}; the rest is the ORM unit of work, reading the record "
            "and the session.")
    if median(res.unlock) > 1.0:
        lines.append(
            f"Unlock: the Argon2id KDF alone took {secs(median(res.kdf))} (median) with PRODUCTION_KDF "
            f"({keyfile.PRODUCTION_KDF.memory_cost_kib // 1024} MiB, {keyfile.PRODUCTION_KDF.iterations} passes, "
            f"{keyfile.PRODUCTION_KDF.lanes} lanes) on this loaded machine; opening the database took a further "
            f"{ms(median(res.open_only))}, of which reading the Alembic migration scripts (three times) to check "
            f"the schema version took {ms(median(res.schema_check))}.")
    return "\n\n".join(lines)


def details(res: Results) -> str:
    found = ", ".join(f"{k} {a}/{b}" for k, (a, b) in res.search_found.items())
    counts = ", ".join(f"{k} {v:,}" for k, v in res.counts.items())
    sizes = ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in res.db_bytes.items())
    return (f"Dataset: {res.households:,} households, {res.records:,} records ({counts}). "
            f"Making up the demo data took a further {secs(res.generation_s)} (not in the ratio; "
            f"`caseapp demo` takes about the sum). Database files: {sizes}. "
            f"Target household on the first page of results (50) for the complete query: {found} "
            "(common names have more than 50 households).")
