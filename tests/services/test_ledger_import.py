"""Household ledgers from Excel: real workbooks in, households and members out, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from caseapp.cli import main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import Household, Member
from caseapp.services import exchange, ledger_import, xlsx
from caseapp.store.tables import JournalEntry
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

ORG = "440105001001"
HEADER = ["序号", "户主姓名", "姓名", "与户主关系", "性别", "公民身份号码", "民族", "文化程度", "联系电话", "家庭住址"]
ROWS = [
    [1, "王芳", "王芳", "户主", "女", "440105198001011242", "汉族", "本科", "13800138000", "海珠区滨江东路 1 号"],
    [2, "王芳", "李强", "配偶", "男", "440105197905051234", "汉", "大专", None, "海珠区滨江东路 1 号"],
    [3, "王芳", "李小明", "子", "男", "440105201003030011", "汉族", "小学", None, "海珠区滨江东路 1 号"],
    [4, "陈桂英", "陈桂英", "户主", "女", "440105195007070020", "壮族", "文盲或半文盲", "020-83331234",
     "海珠区工业大道 2 号"],
]


def workbook(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["海珠区赤岗街道家庭成员台账"])  # a title above the header, as offices write
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, "4 人"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_ledger_becomes_households_and_coded_members(ws: Workspace) -> None:
    from caseapp.validation import id_check_char

    assert all(str(r[5])[:17] + id_check_char(str(r[5])[:17]) == str(r[5]).upper() for r in ROWS)  # valid IDs
    summary = ledger_import.import_ledger(ws, workbook(ROWS), org_code=ORG)
    assert (summary.households, summary.members) == (2, 4)
    with ws.read() as s:
        homes = {h.head_name: h for h in s.scalars(select(Household))}
        people = {m.name: m for m in s.scalars(select(Member))}
        journaled = s.scalar(select(func.count()).select_from(JournalEntry))
    assert homes["王芳"].address == "海珠区滨江东路 1 号" and homes["王芳"].phone == "13800138000"
    assert people["李强"].household_id == homes["王芳"].id
    relationships = (people["王芳"].relationship, people["李强"].relationship, people["李小明"].relationship)
    assert relationships == ("02", "10", "20")
    assert (people["王芳"].ethnicity, people["李强"].ethnicity, people["陈桂英"].ethnicity) == ("01", "01", "08")
    assert (people["王芳"].education, people["李强"].education, people["陈桂英"].education) == ("20", "30", "90")
    assert people["陈桂英"].id_number == "440105195007070020" and people["陈桂英"].sex == "F"
    assert journaled == 6  # imported like typed records: each journaled for sync


def test_a_bad_ledger_lists_every_problem_by_row_and_column_and_writes_nothing(ws: Workspace) -> None:
    bad = [list(r) for r in ROWS]
    bad[1][5] = "440105197905051235"  # wrong check digit
    bad[2][3] = "远房亲戚"  # not a relationship code or name
    bad[3][5] = ROWS[0][5]  # the same person twice
    with pytest.raises(exchange.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(bad), org_code=ORG)
    found = [(p.line, p.field, p.error.key) for p in refused.value.problems]
    assert found == [(4, "公民身份号码", "idnumber.checksum"), (5, "与户主关系", "record.not_in_list"),
                     (6, "公民身份号码", "ledger.twice")]
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 0


def test_people_already_in_the_workspace_are_not_imported_twice(ws: Workspace) -> None:
    ledger_import.import_ledger(ws, workbook(ROWS[:1]), org_code=ORG)
    with pytest.raises(exchange.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(ROWS), org_code=ORG)
    assert [(p.line, p.error.key) for p in refused.value.problems] == [(3, "member.id_held")]


def test_a_sheet_without_a_header_is_refused_clearly(ws: Workspace) -> None:
    with pytest.raises(exchange.CaseAppError) as refused:
        ledger_import.import_ledger(ws, workbook(ROWS, header=["a", "b", "c"]), org_code=ORG)
    assert refused.value.key == "ledger.no_header"


def test_ledger_import_command_opens_a_password_protected_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF)
    ws.close()
    target = tmp_path / "台账.xlsx"
    target.write_bytes(xlsx.seal_workbook(workbook(ROWS), "ledger passphrase 2026"))
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "en")
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", "ledger passphrase 2026")
    assert main(["--workspace", str(tmp_path / "ws"), "ledger-import", str(target), "--org", ORG]) == 0
    assert "2 households, 4 people" in capsys.readouterr().out
    assert main(["--workspace", str(tmp_path / "ws"), "ledger-import", str(target), "--org", ORG]) == 1
    err = capsys.readouterr().err
    assert "row 3, column “公民身份号码”" in err and "already registered as 王芳" in err


def test_a_household_field_is_read_under_the_headings_its_model_gives(ws: Workspace) -> None:
    """户籍地址 was added to the household model with its headings, and nothing else: the ledger
    import reads it from a column of that name."""
    header = [*HEADER, "户口所在地"]
    rows = [[*r, "海珠区赤岗街道" if r[3] == "户主" else None] for r in ROWS]
    ledger_import.import_ledger(ws, workbook(rows, header), org_code=ORG)
    with ws.read() as s:
        assert {h.head_name: h.hukou_address for h in s.scalars(select(Household))} == {
            "王芳": "海珠区赤岗街道", "陈桂英": "海珠区赤岗街道"}


def test_an_id_number_excel_stored_as_a_number_asks_for_a_text_column(ws: Workspace) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][5] = 4.4011119600101e+17  # what Excel keeps after a long number was typed into a General cell
    rows[2][5] = "4.4010520100303E+17"  # and what a copy of that cell as text pastes
    with pytest.raises(exchange.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(rows), org_code=ORG)
    found = [(p.line, p.field, p.error.key) for p in refused.value.problems]
    assert found == [(4, "公民身份号码", "ledger.id_as_number"), (5, "公民身份号码", "ledger.id_as_number")]
    from caseapp.messages import render

    said = render(refused.value.problems[0].error, "zh")
    assert "文本" in said and "4.4011119600101e+17" in said
    assert "format this column as text" in render(refused.value.problems[0].error, "en")


@given(spaces=st.lists(st.sampled_from([" ", "\u3000", "  "]), min_size=1, max_size=3),
       at=st.integers(min_value=1, max_value=2))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_name_that_differs_only_by_spaces_is_the_same_person(tmp_path_factory: pytest.TempPathFactory,
                                                              spaces: list[str], at: int) -> None:
    ws, _recovery = Workspace.create(tmp_path_factory.mktemp("ws") / "w", PASSPHRASE, kdf=TEST_KDF)
    try:
        rows = [list(r) for r in ROWS]
        padded = "王芳"[:at] + "".join(spaces) + "王芳"[at:]
        rows[1][1] = padded  # the spouse's row names the head with padding (王 芳, 王　芳)
        rows[2][9] = "海珠区滨江东路１号"  # and the child's address in full-width digits without spaces
        summary = ledger_import.import_ledger(ws, workbook(rows), org_code=ORG)
        assert (summary.households, summary.members) == (2, 4)
        with ws.read() as s:
            assert sorted(h.head_name for h in s.scalars(select(Household))) == ["王芳", "陈桂英"]
    finally:
        ws.close()


def test_a_family_split_by_a_typing_difference_is_reported_not_made_two_households(ws: Workspace) -> None:
    rows = [list(r) for r in ROWS]
    rows[2][9] = "海珠区滨江东路 11 号"  # the child's address mistyped: no 户主 row in that "family"
    with pytest.raises(exchange.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(rows), org_code=ORG)
    found = [(p.line, p.field, p.error.key, p.error.params.get("row")) for p in refused.value.problems]
    assert found == [(5, "家庭住址", "ledger.family_split", 3)]
    rows = [list(r) for r in ROWS]
    rows[1][1] = "王方"  # the spouse's row names the head wrongly
    with pytest.raises(exchange.ImportRejected) as refused:
        ledger_import.import_ledger(ws, workbook(rows), org_code=ORG)
    found = [(p.line, p.field, p.error.key, p.error.params.get("row")) for p in refused.value.problems]
    assert found == [(4, "户主姓名", "ledger.family_split", 3)]
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0
    # Two families with the same head's name at different addresses, each with its 户主, are two.
    rows = [*ROWS, [5, "王芳", "王芳", "户主", "女", "440105198202021249", "汉族", "本科", None, "海珠区工业大道 9 号"]]
    from caseapp.validation import id_check_char

    rows[-1][5] = str(rows[-1][5])[:17] + id_check_char(str(rows[-1][5])[:17])
    assert ledger_import.import_ledger(ws, workbook(rows), org_code=ORG).households == 3
