"""Excel ledgers (台账): built from real records in a real workspace, written as real workbooks,
sealed with a password Excel asks for."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from caseapp.cli import main
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.domain import ENTITIES, AssistanceCase, Household, IncomeItem, Member
from caseapp.domain.fields import all_facts
from caseapp.services import demo, ledgers, records, xlsx
from caseapp.store.tables import AuditEntry
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.helpers import approve

TODAY = dt.date(2026, 11, 30)
COMMUNITY = "440105001001"  # 海珠区 赤岗街道 … (a real community code)
PASSWORD = "ledger passphrase 2026"
HEAD_ID = "440105198001011234"


def _case(ws: Workspace, status_path: list[str], name: str, id_number: str, income: str, amount: str) -> str:
    with ws.write() as s:
        h = records.create(s, Household, {"org_code": COMMUNITY, "head_name": name, "address": "海珠区工业大道 1 号",
                                          "phone": "13800138000"})
        head = records.create(s, Member, {"org_code": COMMUNITY, "household_id": h.id, "name": name,
                                          "relationship": "02", "id_number": id_number})
        records.create(s, Member, {"org_code": COMMUNITY, "household_id": h.id, "name": "李小明", "relationship": "20"})
        records.create(s, IncomeItem, {"org_code": COMMUNITY, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": income})
        case = records.create(s, AssistanceCase, {"org_code": COMMUNITY, "household_id": h.id, "category": "dibao",
                                                  "people_covered": 2, "monthly_amount": amount,
                                                  "amount_reason": "按测试设定的金额",
                                                  "certificate_no": "穗海低保字001"})
        if status_path[-1:] == ["active"]:
            approve(s, case)
        else:
            for target in status_path:
                records.transition(s, case, target, decision_reason="符合条件" if target == "rejected" else "")
        return h.id


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Workspace]:
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="张社工")
    to_notice = ["verification", "investigation", "preliminary_review", "public_notice"]
    _case(ws, [*to_notice, "approval", "active"], "王芳", HEAD_ID, "800", "1200.50")
    _case(ws, to_notice, "陈桂英", "440105196002020029", "300", "900")
    yield ws
    ws.close()


def test_assistance_ledger_lists_cases_in_payment_with_household_figures(filled: Workspace) -> None:
    with filled.read() as s:
        ledger = ledgers.assistance_ledger(s, today=TODAY, compiled_by="张社工")
    assert ledger.title.endswith("社会救助对象台账")
    (row,) = ledger.rows  # the case under notice is not in payment yet
    cells = dict(zip([c.title for c in ledger.columns], row, strict=True))
    assert cells["户主姓名"] == "王芳" and cells["户主身份证号码"] == HEAD_ID
    assert (cells["家庭人口"], cells["保障人数"]) == (2, 2)
    assert cells["家庭月收入（元）"] == Decimal("800") and cells["月保障金额（元）"] == Decimal("1200.50")
    assert cells["区"] == "海珠区" and cells["办理状态"] == "在保"  # the workflow's own word for the state


def test_public_notice_shows_only_what_a_notice_may(filled: Workspace) -> None:
    with filled.read() as s:
        notice = ledgers.public_notice(s, today=TODAY)
    titles = [c.title for c in notice.columns]
    assert not any(word in t for t in titles for word in ("身份证", "住址", "电话", "健康"))
    # derived from the model: every personal field a notice shows is one the model allows on a notice
    for column in notice.columns:
        if column.source is not None:
            facts = all_facts(ENTITIES[column.source[0]])[column.source[1]]
            assert facts.public or not facts.personal, column.title
    (row,) = notice.rows
    assert row[titles.index("户主姓名")] == "陈桂英"
    assert "440105196002020029" not in repr(notice)


def test_workbook_keeps_id_numbers_as_text_and_totals_the_money(filled: Workspace) -> None:
    with filled.read() as s:
        ledger = ledgers.assistance_ledger(s, today=TODAY)
    book = load_workbook(io.BytesIO(xlsx.workbook_bytes(ledger)))
    sheet = book.active
    assert sheet is not None
    assert sheet["A1"].value == ledger.title
    headers = [c.value for c in sheet[3]]
    id_cell = sheet.cell(row=4, column=headers.index("户主身份证号码") + 1)
    assert id_cell.value == HEAD_ID and id_cell.number_format == "@"  # never 4.40105E+17
    money = sheet.cell(row=4, column=headers.index("月保障金额（元）") + 1)
    assert money.value == 1200.5 and money.number_format == "#,##0.00"
    total = sheet.cell(row=5, column=headers.index("月保障金额（元）") + 1)
    assert sheet.cell(row=5, column=1).value == "合计" and total.value.startswith("=SUM(")
    assert sheet.print_title_rows == "$3:$3" and sheet.page_setup.orientation == "landscape"


def test_sealed_workbook_opens_only_with_its_password(filled: Workspace) -> None:
    with filled.read() as s:
        data = xlsx.workbook_bytes(ledgers.assistance_ledger(s, today=TODAY))
    sealed = xlsx.seal_workbook(data, PASSWORD)
    assert sealed[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # the OLE container Excel asks a password for
    assert HEAD_ID.encode() not in sealed and "王芳".encode() not in sealed
    opened = load_workbook(io.BytesIO(xlsx.open_sealed_workbook(sealed, PASSWORD)))
    assert opened.active is not None and opened.active["A1"].value.endswith("台账")
    with pytest.raises(Exception):  # noqa: B017 - msoffcrypto raises its own InvalidKeyError
        xlsx.open_sealed_workbook(sealed, "not the password")


def test_ledger_command_writes_a_password_protected_workbook_and_audits_it(
        tmp_path: Path, filled: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled.path
    filled.close()
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_EXPORT_PASSPHRASE", PASSWORD)
    target = tmp_path / "台账.xlsx"
    assert main(["--workspace", str(path), "ledger", "assistance", "-o", str(target), "--org", "440105"]) == 0
    book = load_workbook(io.BytesIO(xlsx.open_sealed_workbook(target.read_bytes(), PASSWORD)))
    assert book.active is not None and book.active.max_row >= 4
    assert main(["--workspace", str(path), "ledger", "notice", "-o", str(tmp_path / "公示.xlsx"), "--plain"]) == 0
    assert load_workbook(tmp_path / "公示.xlsx").active is not None
    ws = Workspace.open(path, PASSPHRASE)
    try:
        with ws.read() as s:
            exports = list(s.scalars(select(AuditEntry.changes).where(AuditEntry.action == "export")))
    finally:
        ws.close()
    assert len(exports) == 2 and '"sealed":true' in exports[0].replace(" ", "")


def test_demo_district_ledger(tmp_path: Path) -> None:
    """On realistic data: every case in payment is listed once, with its household's ID number."""
    ws, _ = Workspace.create(tmp_path / "demo", PASSPHRASE, kdf=TEST_KDF, actor="demo")
    try:
        demo.generate(ws, 120, seed=3, today=TODAY)
        with ws.read() as s:
            in_payment = s.scalar(select(AssistanceCase.id).where(AssistanceCase.status == "active").limit(1))
            ledger = ledgers.assistance_ledger(s, today=TODAY)
        assert in_payment is not None and ledger.rows
        ids = [r[6] for r in ledger.rows]
        assert all(len(i) == 18 for i in ids)
        assert load_workbook(io.BytesIO(xlsx.workbook_bytes(ledger))).active is not None
    finally:
        ws.close()
