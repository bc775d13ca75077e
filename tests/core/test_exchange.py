"""JSONL export/import: deterministic, round-trips byte-identically, and rejects bad files whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from caseapp.cli import main
from caseapp.crypto import sealed
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household, Member
from caseapp.services import exchange, records
from caseapp.store.tables import AuditEntry, JournalEntry
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import elder_with_visit, household, member


def small_dataset(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s, phone="020-83331234")
        head = member(s, h.id, name="张伟", id_number="11010519491231002X")
        member(s, h.id, name="阿依古丽•买买提", relationship="30", id_number="360426199101010071")
        elder_with_visit(s, h.id, head.id)
    with ws.write() as s:
        records.update(s, s.get(Household, h.id), {"notes": "户主行动不便，需上门办理"})


def test_export_import_round_trip_is_byte_identical(tmp_path: Path) -> None:
    source, _ = Workspace.create(tmp_path / "a", PASSPHRASE, kdf=TEST_KDF, actor="alice")
    small_dataset(source)
    first = exchange.export_bytes(source)
    lines = first.decode().splitlines()
    assert [json.loads(line)["type"] for line in lines][:2] == ["household", "member"]
    assert all(list(json.loads(line))[:2] == ["type", "id"] for line in lines)
    assert "阿依古丽·买买提" in first.decode()  # look-alike dot normalised on the way in

    target, _ = Workspace.create(tmp_path / "b", PASSPHRASE, kdf=TEST_KDF, actor="bob")
    (tmp_path / "export.jsonl").write_bytes(first)
    summary = exchange.import_file(target, tmp_path / "export.jsonl")
    assert summary.created == len(lines)
    assert exchange.export_bytes(target) == first
    # a second import changes nothing
    assert exchange.import_file(target, tmp_path / "export.jsonl").unchanged == len(lines)
    assert exchange.export_bytes(target) == first
    with target.read() as s:  # imported records are journaled for sync like typed ones
        assert s.scalar(select(func.count()).select_from(JournalEntry)) == len(lines)
    source.close()
    target.close()


def test_demo_workspace_round_trips_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "export passphrase 2026")
    for name in ("a", "b"):
        ws, _ = Workspace.create(tmp_path / name, PASSPHRASE, kdf=TEST_KDF)
        ws.close()
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert main(["--workspace", a, "demo", "--households", "25", "--seed", "7"]) == 0
    assert main(["--workspace", a, "export", "--format", "jsonl", "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main(["--workspace", b, "import", str(tmp_path / "a.jsonl")]) == 0
    assert main(["--workspace", b, "export", "-o", str(tmp_path / "b.jsonl")]) == 0
    # Both files are sealed; opened, they hold the same records.
    for name in ("a", "b"):
        assert (tmp_path / f"{name}.jsonl").read_bytes().startswith(sealed.MAGIC)
    exported = sealed.unseal((tmp_path / "a.jsonl").read_bytes(), "export passphrase 2026")
    assert exported.count(b"\n") > 100
    assert sealed.unseal((tmp_path / "b.jsonl").read_bytes(), "export passphrase 2026") == exported


def test_exports_are_sealed_unless_asked_plain_and_are_audited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    ws, _ = Workspace.create(tmp_path / "a", PASSPHRASE, kdf=TEST_KDF)
    small_dataset(ws)
    plain = exchange.export_bytes(ws)
    ws.close()
    a = str(tmp_path / "a")
    assert main(["--workspace", a, "export"]) == 1  # no file named and no --plain: refused
    assert "--plain" in capsys.readouterr().err
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "export passphrase 2026")
    assert main(["--workspace", a, "export", "-o", str(tmp_path / "sealed.jsonl")]) == 0
    data = (tmp_path / "sealed.jsonl").read_bytes()
    for line in plain.splitlines():
        for value in json.loads(line).values():
            if isinstance(value, str) and len(value) >= 4:
                assert value.encode() not in data  # no record text readable in the file
    assert main(["--workspace", a, "export", "--plain", "-o", str(tmp_path / "plain.jsonl")]) == 0
    assert (tmp_path / "plain.jsonl").read_bytes() == plain
    # A wrong export passphrase opens nothing and imports nothing.
    b, _ = Workspace.create(tmp_path / "b", PASSPHRASE, kdf=TEST_KDF)
    b.close()
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "not the passphrase")
    capsys.readouterr()
    assert main(["--workspace", str(tmp_path / "b"), "import", str(tmp_path / "sealed.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "wrong export passphrase" in err or "导出密码不对" in err
    opened = Workspace.open(tmp_path / "a", PASSPHRASE)
    try:
        with opened.engine.connect() as conn:
            reads = conn.execute(select(AuditEntry.action, AuditEntry.changes)
                                 .where(AuditEntry.action == "export")).all()
    finally:
        opened.close()
    assert [json.loads(c)["sealed"] for _, c in reads] == [True, False]


def test_invalid_rows_are_all_reported_and_nothing_is_written(ws: Workspace, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    small_dataset(ws)
    good = exchange.export_bytes(ws).decode().splitlines()
    before = exchange.export_bytes(ws)
    bad_member = json.loads(good[1])
    bad_member["id_number"] = "230307196304054513"  # wrong check digit
    bad_member["name"] = "新名字"  # a valid change that must not be applied either
    bad_household = json.loads(good[0])
    bad_household["phone"] = "12345"
    lines = [json.dumps(bad_household, ensure_ascii=False), json.dumps(bad_member, ensure_ascii=False),
             "{not json", json.dumps({"type": "spaceship", "id": "x" * 36}), *good[2:]]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(exchange.ImportRejected) as info:
        exchange.import_file(ws, path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert {(1, "phone"), (2, "id_number"), (3, None), (4, "type")} <= found
    assert exchange.export_bytes(ws) == before

    ws.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    assert main(["--workspace", str(ws.path), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "第 2 行" in err and "身份证" in err and "未写入任何数据" in err


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
names = st.text(alphabet=SURNAMES + "·",
                min_size=2, max_size=8).filter(lambda n: "·" not in (n[0], n[-1]) and "··" not in n)


@settings(max_examples=25, deadline=None)
# what a person can type: no NUL, no lone surrogate (both refused as record.bad_text on input)
@given(name=names, notes=st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
                                 max_size=40))
def test_parse_accepts_what_export_writes(tmp_path_factory: pytest.TempPathFactory, name: str, notes: str) -> None:
    """Property: any record the services accept exports to a line that parses back to equal values."""
    path = tmp_path_factory.mktemp("p")
    ws, _ = Workspace.create(path / "w", PASSPHRASE, kdf=TEST_KDF)
    try:
        with ws.write() as s:
            h = household(s, head_name=name, notes=notes)
            member(s, h.id, name=name)
        exported = exchange.export_bytes(ws).decode().splitlines()
        rows = exchange.parse(exported)
        assert {r.cls for r in rows} == {Household, Member}
        assert [r.values.get("notes") for r in rows if r.cls is Household] == [h.notes]
    finally:
        ws.close()


def test_text_with_unicode_line_breaks_stays_on_its_line(ws: Workspace) -> None:
    """U+0085, U+2028 and U+2029 break lines for str.splitlines() and many editors: the export
    escapes them, so each record is exactly one line whatever splits it."""
    with ws.write() as s:
        household(s, notes="第一行\x85第二行\u2028第三行\u2029完")
    data = exchange.export_bytes(ws)
    assert len(data.decode().splitlines()) == 1
    (row,) = exchange.parse(data.decode().splitlines())
    assert row.values["notes"] == "第一行\x85第二行\u2028第三行\u2029完"


def test_an_older_export_does_not_revert_newer_edits(ws: Workspace, tmp_path: Path) -> None:
    """Re-importing an older export journaled every differing field against the record's current
    state: it silently reverted 5 of 5 newer edits (a colleague's, synced in, or one's own). Now a
    record changed since the export was made keeps its values unless the import is told to replace."""
    with ws.write() as s:
        homes = [household(s, head_name=name) for name in ("张伟", "李娜", "王强", "刘洋", "陈静")]
    old = exchange.export_bytes(ws)
    with ws.write() as s:
        for n, h in enumerate(homes):
            records.update(s, records.get(s, Household, h.id), {"phone": f"1380000000{n}"})
    newer = exchange.export_bytes(ws)
    summary = exchange.import_rows(ws, exchange.parse(old.decode("utf-8").splitlines()))
    assert (summary.updated, summary.kept_newer) == (0, 5)
    assert exchange.export_bytes(ws) == newer  # nothing reverted, nothing journaled
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(JournalEntry).where(JournalEntry.field == "phone")) == 5
    replaced = exchange.import_rows(ws, exchange.parse(old.decode("utf-8").splitlines()), replace_newer=True)
    assert replaced.updated == 5  # an explicit choice, journaled and audited like typing
    with ws.read() as s:
        assert all(s.get(Household, h.id).phone is None for h in homes)  # type: ignore[union-attr]


def test_the_import_command_says_what_it_kept(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with ws.write() as s:
        h = household(s)
    path = tmp_path / "old.jsonl"
    path.write_bytes(exchange.export_bytes(ws))
    with ws.write() as s:
        records.update(s, records.get(s, Household, h.id), {"notes": "导出之后的修改"})
    ws.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    assert main(["--workspace", str(ws.path), "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 条记录在导出之后有过修改" in out and "--replace-newer" in out
    again = Workspace.open(ws.path, PASSPHRASE)
    with again.read() as s:
        assert s.get(Household, h.id).notes == "导出之后的修改"  # type: ignore[union-attr]
    again.close()


@settings(max_examples=12, deadline=None)
@given(order=st.permutations(range(5)))
def test_any_order_of_a_file_imports_and_journals_parents_and_inputs_first(
        order: list[int], tmp_path_factory: pytest.TempPathFactory) -> None:
    """An earlier release's file (a case ahead of its members), or any other order: the import
    journals in the export's order, so a push in batches never sends a record before what it needs."""
    folder = tmp_path_factory.mktemp("order")
    source, _ = Workspace.create(folder / "a", PASSPHRASE, kdf=TEST_KDF, actor="alice")
    small_dataset(source)
    lines = exchange.export_bytes(source).decode().splitlines()
    source.close()
    assert len(lines) == 5
    (folder / "shuffled.jsonl").write_text("\n".join(lines[n] for n in order) + "\n", encoding="utf-8")
    target, _ = Workspace.create(folder / "b", PASSPHRASE, kdf=TEST_KDF, actor="bob")
    try:
        assert exchange.import_file(target, folder / "shuffled.jsonl").created == 5
        with target.read() as s:
            journaled = [e for e, in s.execute(select(JournalEntry.entity).order_by(JournalEntry.seq))]
        assert journaled == [json.loads(line)["type"] for line in lines]  # within a type, the file's order
    finally:
        target.close()
