"""Property, on both server backends: whatever the server accepts, every device in scope can export
and import back unchanged.

A hostile or broken device pushes creates and edits whose values are drawn from good values and
from junk (wrong JSON types, codes no list has, far-past and far-future dates, NaN, huge numbers,
overlong and unstorable text). Whatever the server makes of them, a device that pulls the result
holds nothing its own import would refuse: the export of what it pulled imports into a fresh
workspace and exports to the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from caseapp.crypto.keyfile import TEST_KDF
from caseapp.ids import new_id
from caseapp.services import exchange
from caseapp.store.hlc import pack, wall_ms
from caseapp.store.workspace import Workspace
from sync import protocol as p

from .conftest import GRID_A1, PASSPHRASE, Device, Server
from .test_end_to_end import new_household

EXAMPLES = int(os.environ.get("CASEAPP_FUZZ_EXAMPLES", "12"))
STATS = {"ops": 0, "applied": 0, "rejected": 0}

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=80), st.text(min_size=190, max_size=600),
    st.sampled_from(["", " ", "\x00", "\ud800", "abc", "Q", "-1", "1e400", "NaN", "0999-01-01T00:00:00Z",
                     "2999-01-01", "9999-12-31T23:59:59Z", "0001-01-01", "2024-02-30", "1890-01-01",
                     "not-a-code!", "x" * 37, "13800138000", "020-12345678", "440105", "dibao"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _times() -> st.SearchStrategy[str]:
    return st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31),
                        timezones=st.just(dt.UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z"))


GOOD: dict[str, st.SearchStrategy[Any]] = {
    "address": st.sampled_from(["滨江东路 1 号", "宝岗大道南 3 号"]),
    "phone": st.sampled_from(["13800138000", "+86 139 0000 0002", "020-12345678"]),
    "head_name": st.sampled_from(["王芳", "阿依古丽·买买提"]),
    "register_type": st.sampled_from(["local_urban", "migrant", "本地城镇"]),
    "notes": st.text(max_size=30),
    "archived": st.booleans(),
    "name": st.sampled_from(["李四", "张 三"]),
    "id_number": st.sampled_from(["11010519491231002X", "360426199101010071"]),
    "sex": st.sampled_from(["M", "F", "男"]),
    "birth_date": st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 1, 1)).map(str),
    "ethnicity": st.sampled_from(["01", "汉族", "壮"]),
    "relationship": st.sampled_from(["02", "10", "配偶"]),
    "visited_at": _times(),
    "method": st.sampled_from(["in_person", "phone"]),
    "needs": st.sampled_from(["health,legal", "emergency"]),
}
HOUSEHOLD = ["address", "phone", "head_name", "register_type", "notes", "archived"]
MEMBER = ["name", "id_number", "sex", "birth_date", "ethnicity", "relationship", "phone", "notes"]
VISIT = ["visited_at", "method", "needs", "notes"]


def value_for(name: str) -> st.SearchStrategy[Any]:
    return st.one_of(GOOD.get(name, JUNK), JUNK)


def record(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={name: value_for(name) for name in names})


edits = st.lists(st.tuples(st.sampled_from(HOUSEHOLD), st.one_of(JUNK, *(GOOD[n] for n in HOUSEHOLD))), max_size=4)


def hostile_push(dev: Device, server: Server, ops: list[p.PushOp]) -> list[p.Verdict]:
    """Pushed as raw JSON (escaped, so even a lone surrogate goes out), not through the client."""
    body = json.dumps({"ops": [op.model_dump(exclude_defaults=True) for op in ops]}, ensure_ascii=True)
    answer = requests.post(f"{server.url}{p.API_PREFIX}/push", data=body.encode("ascii"), timeout=30,
                           headers={"Authorization": f"Bearer {dev.ws.get_setting('sync.token')}",
                                    "Content-Type": "application/json"})
    if answer.status_code == 422:
        return [p.Verdict(seq=op.seq, verdict="rejected", reason="sync.bad_request") for op in ops]
    assert answer.status_code == 200, answer.text
    return p.PushOut.model_validate_json(answer.content).verdicts


def round_trip(ws: Workspace, tmp_path: Path) -> None:
    data = exchange.export_bytes(ws)
    fresh, _ = Workspace.create(tmp_path / f"fresh-{new_id()}", PASSPHRASE, kdf=TEST_KDF)
    try:
        exchange.import_rows(fresh, exchange.parse(data.decode("utf-8").splitlines()))
        assert exchange.export_bytes(fresh) == data
    finally:
        fresh.close()


@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(household=record(HOUSEHOLD), member=record(MEMBER), visit=record(VISIT), changes=edits,
       ahead_days=st.sampled_from([0, 0, 2, 30, -3000]))
def test_what_the_server_accepts_every_device_can_export_and_import_back(
        device: Callable[[str], Device], server: Server, tmp_path: Path, household: dict[str, Any],
        member: dict[str, Any], visit: dict[str, Any], changes: list[tuple[str, Any]], ahead_days: int) -> None:
    a, admin = device("worker1"), device("admin")
    anchor = new_household(a)  # a real household and member to hang members and elders on
    a.sync()
    hlc = pack(wall_ms() + ahead_days * 86_400_000) if ahead_days >= -1000 else 1
    hid, mid, eid = new_id(), new_id(), new_id()
    seq = iter(range(100_000, 200_000))
    ops = [
        p.PushOp(seq=next(seq), entity="household", row_id=hid, op="create", value={"org_code": GRID_A1, **household},
                 hlc=hlc),
        p.PushOp(seq=next(seq), entity="member", row_id=mid, op="create",
                 value={"org_code": GRID_A1, "household_id": anchor, **member}, hlc=hlc),
        p.PushOp(seq=next(seq), entity="elder_profile", row_id=eid, op="create",
                 value={"org_code": GRID_A1, "household_id": anchor, "member_id": mid}, hlc=hlc),
        p.PushOp(seq=next(seq), entity="care_visit", row_id=new_id(), op="create",
                 value={"org_code": GRID_A1, "elder_id": eid, **visit}, hlc=hlc),
        *(p.PushOp(seq=next(seq), entity="household", row_id=anchor, op="set", field=name, value=value, hlc=hlc)
          for name, value in changes),
    ]
    verdicts = hostile_push(a, server, ops)
    assert len(verdicts) == len(ops)
    STATS["ops"] += len(ops)
    STATS["applied"] += sum(v.verdict != "rejected" for v in verdicts)
    STATS["rejected"] += sum(v.verdict == "rejected" for v in verdicts)
    assert all(v.reason for v in verdicts if v.verdict == "rejected")
    for dev in (a, admin):
        dev.sync()
        round_trip(dev.ws, tmp_path)


def test_zz_report_round_trip_counts() -> None:
    print(f"\nround trip: {STATS['ops']} operations pushed, {STATS['applied']} accepted, "
          f"{STATS['rejected']} rejected; every device's export imported back unchanged")
