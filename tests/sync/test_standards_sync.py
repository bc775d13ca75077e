"""Standards an administrator adds on the server reach the devices on sync, and the assessment
uses them over the shipped ones (SQLite and PostgreSQL, a real server on 127.0.0.1):

- an administrator adds a figure (API or ``caseapp-server standards add``), checked by the rules of
  the shipped table; a caseworker's or supervisor's device trying the same is refused;
- a device's pull brings it once (versioned: an unchanged table is not sent again), the workspace
  keeps it encrypted, and a case's computed amount uses it; so does the server's own check of a
  pushed amount, so device and server agree on what a differing amount is.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from caseapp.domain import IncomeItem, Member
from caseapp.refdata import default_standards, install_standards, standard_for, standards, with_server_rows
from caseapp.services import assessment, records
from caseapp.store.workspace import Workspace
from sync.errors import SyncError
from sync.server import cli
from sync.server import standards as server_standards

from .conftest import GRID_A1, PASSPHRASE, Device
from .test_attachment_access import raw, token_of
from .test_end_to_end import new_household
from .test_server_validates import create_op, raw_push, server_fields, set_op

NOTICE = "穗民规字〔2025〕7号 关于调整海珠区最低生活保障标准的通知（测试）"
HAIZHU_2025 = {"kind": "dibao", "district": "440105", "area": "all", "effective_from": "2025-07-01",
               "amount": "1500", "source": NOTICE, "verified": True}
ON = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _shipped_table_after() -> object:
    yield None
    install_standards(None)  # process-wide: the next test starts from the shipped table


def post(dev: Device, row: object) -> dict[str, object]:
    client = dev.client()
    try:
        answer = client._json("POST", "/standards", row)
        assert isinstance(answer, dict)
        return answer
    finally:
        client.close()


def test_an_admin_sets_a_figure_and_a_device_assesses_with_it(device: Callable[[str], Device],
                                                               tmp_path: Path) -> None:
    shipped = default_standards().standard_for("dibao", ON, "440105")
    assert shipped.amount == Decimal("1200")
    admin, worker = device("admin"), device("worker1")
    for who in (worker, device("supervisor")):
        with pytest.raises(SyncError) as refused:
            post(who, HAIZHU_2025)
        assert refused.value.key == "standards.admin_only"
    for broken, rule in (({**HAIZHU_2025, "district": "4401"}, "district"),  # the shipped table's rules
                         ({**HAIZHU_2025, "amount": "-5"}, "amount"),
                         ({**HAIZHU_2025, "effective_from": "2025-13-01"}, "effective_from"),
                         ({**HAIZHU_2025, "year": 2024}, "year"),
                         ({k: v for k, v in HAIZHU_2025.items() if k != "source"}, "source"),
                         ({**HAIZHU_2025, "multiple_of": "tekun", "factor": "1"}, "either amount")):
        with pytest.raises(SyncError) as invalid:
            post(admin, broken)
        assert (invalid.value.key, getattr(invalid.value, "status", 0)) == ("standards.invalid", 422), rule
    with admin.server.db.read() as conn:
        assert server_standards.version(conn) == ""
    added = post(admin, HAIZHU_2025)
    assert added["version"] == str(added["id"])

    install_standards(None)  # as a fresh process: the worker's workspace holds nothing yet
    worker.sync()
    assert worker.ws.standards_version() == added["version"]
    got = standard_for("dibao", ON, "44010500100101")
    assert (got.amount, got.source, got.effective_from) == (Decimal("1500"), NOTICE, dt.date(2025, 7, 1))
    assert standard_for("dibao", ON, "440106").amount == Decimal("1200")  # another district: shipped
    assert standard_for("dibao", dt.date(2025, 6, 30), "440105").amount == Decimal("1200")  # not yet in force
    assert standard_for("tekun", ON, "440105").amount == Decimal("2400.00")  # 1.6 × the new figure

    # unchanged since: the next pull does not send it again; another version does
    client = worker.client()
    try:
        assert client.pull("", standards=added["version"]).standards is None
        sent = client.pull("", standards="").standards
        assert sent is not None and sent["rows"] == [{**HAIZHU_2025, "year": 2025}]
    finally:
        client.close()

    # kept in the workspace, encrypted with the rest, and in force again when it is next opened
    path = worker.ws.path
    worker.ws.close()
    assert not any(NOTICE.encode() in f.read_bytes() for f in path.rglob("*") if f.is_file())
    install_standards(None)
    reopened = Workspace.open(path, PASSPHRASE)
    try:
        assert standards().standard_for("dibao", ON, "440105").amount == Decimal("1500")
        assert reopened.standards_version() == added["version"]
    finally:
        reopened.close()


def test_the_device_and_the_server_judge_an_amount_by_the_new_figure(device: Callable[[str], Device]) -> None:
    admin, dev = device("admin"), device("worker1")
    home = new_household(dev, GRID_A1)
    with dev.ws.write() as s:
        head = s.scalars(select(Member).where(Member.household_id == home)).one()
        records.create(s, IncomeItem, {"org_code": GRID_A1, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": "300.00"})
    dev.sync()
    case = {"org_code": GRID_A1, "household_id": home, "category": "dibao", "people_covered": 1}
    today = dt.date.today()
    before = assessment.assess("dibao", today, GRID_A1, False, 1, [Decimal("300")], [])
    assert before is not None and before.computed == Decimal("900.00")

    post(admin, HAIZHU_2025)
    dev.sync()
    after = assessment.assess("dibao", today, GRID_A1, False, 1, [Decimal("300")], [])
    assert after is not None and after.computed == Decimal("1200.00") and after.standard.source == NOTICE

    bare = create_op("assistance_case", {**case, "monthly_amount": "0"})
    assert raw_push(dev, bare)[0].verdict != "rejected"
    (old,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", "900.00"))
    assert old.verdict == "rejected" and (old.reason or "").startswith("quality.amount"), old
    (new,) = raw_push(dev, set_op("assistance_case", bare.row_id, "monthly_amount", "1200.00"))
    assert new.verdict != "rejected", new
    assert (server_fields(dev.server, bare.row_id) or {}).get("monthly_amount") in ("1200.00", "1200")


def test_the_server_cli_adds_and_lists_figures(device: Callable[[str], Device],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    dev = device("worker1")
    url = dev.server.db.url
    assert cli.main(["--db", url, "standards", "list"]) == 0
    assert "No administrator" in capsys.readouterr().out
    assert cli.main(["--db", url, "standards", "add", "--kind", "tekun", "--district", "440105",
                     "--multiple-of", "dibao", "--factor", "1.7", "--effective-from", "2025-07-01", "--year", "2025",
                     "--source", NOTICE, "--verified"]) == 0
    assert cli.main(["--db", url, "standards", "add", "--kind", "dibao", "--amount", "12x",
                     "--effective-from", "2025-07-01", "--source", NOTICE]) == 1
    assert "amount" in capsys.readouterr().err
    assert cli.main(["--db", url, "standards", "list"]) == 0
    listed = capsys.readouterr().out
    assert "2025  tekun" in listed and "1.7 × dibao" in listed and "12x" not in listed
    install_standards(None)
    dev.sync()
    assert standard_for("tekun", ON, "440105").amount == Decimal("2040.00")  # 1.7 × 1200
    assert standard_for("tekun", ON, "440106").amount == Decimal("1920.00")  # 1.6 × 1200, shipped


_json = st.recursive(st.none() | st.booleans() | st.integers(-10, 10**7) | st.text(max_size=12),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                     max_leaves=6)
_keys = st.sampled_from(["kind", "level", "effective_from", "district", "area", "amount", "multiple_of", "factor",
                         "source", "verified", "note", "year"])


def test_whatever_an_admin_posts_is_stored_checked_or_refused_never_a_failure(
        device: Callable[[str], Device]) -> None:
    """Hostile or broken bodies: a 422 naming the rule (and nothing stored), or a row the device accepts."""
    admin = device("admin")
    token = token_of(admin)

    @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(body=st.dictionaries(_keys, _json, max_size=8)
           | st.fixed_dictionaries({k: st.just(v) | _json for k, v in HAIZHU_2025.items()},
                                   optional={k: _json for k in ("level", "note", "factor")}))
    def check(body: dict[str, object]) -> None:
        with admin.server.db.read() as conn:
            before = server_standards.rows(conn)
        answer = raw(admin.server, token, "POST", "/standards", json=body)
        assert answer.status_code in (200, 422), answer.text
        with admin.server.db.read() as conn:
            after = server_standards.rows(conn)
        if answer.status_code == 422:
            assert answer.json()["error"] == "standards.invalid" and after == before
        else:
            assert len(after) == len(before) + 1
            with_server_rows(after)  # what devices will be sent holds

    check()


def test_parallel_adds_each_keep_their_version_none_duplicated_none_lost(device: Callable[[str], Device]) -> None:
    """Administrators posting at once and the CLI adding at the same moment (on PostgreSQL, several
    transactions at once): every figure is stored once, under an id of its own that is the version its
    add answers with (a version names every figure up to it: none committed later under a lower id,
    which a device holding the version would never be sent), and a device's pull brings them all."""
    admin, reader = device("admin"), device("worker1")
    url = admin.server.db.url
    # On SQLite the CLI's own connection, racing the server's, gets SQLite's busy error when both
    # upgrade a read to a write (not yet handled: the server's writes are serialised in-process only)
    posts, clis = 6, (0 if admin.server.db.is_sqlite else 3)
    barrier = threading.Barrier(posts + clis)
    answers: list[dict[str, object]] = []
    codes: list[int] = []
    failures: list[BaseException] = []

    def figure(n: int) -> dict[str, object]:
        return {**HAIZHU_2025, "effective_from": f"2025-07-{n + 1:02d}", "amount": str(1500 + n)}

    def by_post(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            answers.append(post(admin, figure(n)))
        except BaseException as failed:
            failures.append(failed)

    def by_cli(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            codes.append(cli.main(["--db", url, "standards", "add", "--kind", "dibao", "--district", "440105",
                                   "--amount", str(1500 + n), "--effective-from", f"2025-07-{n + 1:02d}",
                                   "--source", NOTICE]))
        except BaseException as failed:
            failures.append(failed)

    threads = [threading.Thread(target=by_post, args=(n,)) for n in range(posts)]
    threads += [threading.Thread(target=by_cli, args=(posts + n,)) for n in range(clis)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures
    assert codes == [0] * clis
    ids = [int(str(a["id"])) for a in answers]
    assert len(set(ids)) == posts and all(str(a["version"]) == str(a["id"]) for a in answers), answers
    with admin.server.db.read() as conn:
        stored = server_standards.listed(conn)
        version = server_standards.version(conn)
    assert sorted(r["row"]["effective_from"] for r in stored) == [f"2025-07-{n + 1:02d}" for n in range(posts + clis)]
    assert len({r["id"] for r in stored}) == posts + clis and version == str(max(r["id"] for r in stored))
    install_standards(None)
    reader.sync()
    assert standard_for("dibao", ON, "440105").amount == Decimal(1500 + posts + clis - 1)  # the latest day's
