"""The printed forms: real records in, escaped HTML out, every field labelled by its model and
said as people read it, each printed record noted in the audit trail."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest

from caseapp.domain import ENTITIES, AssistanceCase, Household, IncomeItem, Member, Referral
from caseapp.domain.fields import all_facts
from caseapp.errors import NotFoundError, ValidationError
from caseapp.services import access, forms, records
from caseapp.services.forms import approval
from caseapp.store import audit
from caseapp.store.workspace import Workspace
from tests.ui import print_data

ORG = "440105001001"
ID = "440105198001011234"


def test_sheet_lists_members_income_and_assistance_and_escapes_text(ws: Workspace) -> None:
    with ws.write() as s:
        h = records.create(s, Household, {"org_code": ORG, "head_name": "王芳", "phone": "13800138000",
                                          "address": "工业大道 <b>1</b> 号 & 2 栋", "register_type": "local_urban"})
        head = records.create(s, Member, {"org_code": ORG, "household_id": h.id, "name": "王芳", "relationship": "02",
                                          "id_number": ID, "health": "healthy"})
        records.create(s, Member, {"org_code": ORG, "household_id": h.id, "name": "李小明", "relationship": "20"})
        records.create(s, IncomeItem, {"org_code": ORG, "member_id": head.id, "income_type": "wages",
                                       "monthly_amount": "1500.5"})
        records.create(s, AssistanceCase, {"org_code": ORG, "household_id": h.id, "category": "dibao",
                                           "people_covered": 2, "monthly_amount": "600",
                                           "amount_reason": "按测试设定的金额"})
    with ws.read() as s:
        html = forms.household_sheet(s, h.id, today=dt.date(2026, 11, 30))
    assert "家庭基本情况登记表" in html and "2026年11月30日" in html and "赤岗街道" in html
    assert ID in html and "李小明" in html and "户主" in html
    assert "1,500.50" in html and "最低生活保障" in html and "申请" in html
    assert "<b>1</b>" not in html and "&lt;b&gt;1&lt;/b&gt;" in html and "&amp; 2 栋" in html
    assert "申请人（户主）" in html and "（盖章）" in html


# --- every form ---------------------------------------------------------------------------------

FORMS_DIR = Path(forms.__file__).parent
#: a heading or box title ("四、调查结论", "调查人员（一）", "转出社工签字：") that starts with a field label
LABEL_USE = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?P<rest>.*)$", re.DOTALL)


def _typed_field_labels() -> list[str]:
    labels = {facts.label[0]: f"{entity}.{name}" for entity, cls in ENTITIES.items()
              for name, facts in all_facts(cls).items()}
    found = []
    for path in sorted(FORMS_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            rest = LABEL_USE.match(node.value.strip())
            text = rest.group("rest") if rest else ""
            for label, where in labels.items():
                after = text[len(label):] if text.startswith(label) else None
                if after is not None and (not after or after[0] in "：（" or after.startswith("签字")):
                    found.append(f"{path.name}:{node.lineno} types {where}'s label {label!r} in {node.value!r}")
    return found


def test_forms_take_every_field_label_from_the_model() -> None:
    """A heading, a column or a box titled with a field's label reads it from the model: typing it
    would let the form and the screen word the same field differently."""
    assert not _typed_field_labels()


def test_the_label_check_finds_a_typed_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "typed.py").write_text('TITLE = "四、调查结论"\nBOX = "转出社工签字："\nPROSE = "调查人员与被调查人"\n',
                                       encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "FORMS_DIR", tmp_path)
    found = _typed_field_labels()
    assert len(found) == 2 and "investigation.findings" in found[0] and "referral.from_worker" in found[1]


CODES = ("rented", "dibao", "in_person", "follow_up", "eligible", "applied", "active", "local_urban", "typhoon",
         "urgent", "with_family", "serious", "unemployed", "initial", "update", "True", "False", "None")


def _words(html: str) -> str:
    return re.sub(r"<style>.*?</style>|<[^>]+>", " ", html, flags=re.DOTALL)


@pytest.mark.parametrize("name", sorted(forms.FORMS))
def test_every_form_says_values_as_people_read_them(ws: Workspace, name: str) -> None:
    printed = print_data.fill(ws)
    record = {"household_sheet": printed.household, "consent": printed.household,
              "investigation": printed.investigation, "approval": printed.case, "care_visit": printed.visit,
              "referral": printed.referral, "disaster_report": printed.update}[name]
    with ws.read() as s:
        sheet = forms.render(s, name, record, today=print_data.TODAY)
    words = _words(sheet.html)
    assert "广州市越秀区洪桥街道三眼井社区居委会" in words and "2026年11月30日" in words  # issuing unit, date
    assert f"记录编号：{record.replace('-', '')[:8]}" in words
    assert re.search("(签字|经办人|审批人)：", words) and "年　　　月　　　日" in words  # signature boxes
    assert ("（盖章）" in words) == (name not in ("investigation", "care_visit"))  # a unit's seal where it signs
    raw = sorted(code for code in CODES if re.search(rf"(?<![A-Za-z_]){code}(?![A-Za-z_])", words))
    assert not raw, f"{name} shows stored codes instead of their names: {raw}"
    assert sheet.title == forms.FORMS[name].title and (sheet.entity, sheet.record_id) == (
        forms.FORMS[name].entity, record)


def test_forms_escape_what_people_typed(ws: Workspace) -> None:
    printed = print_data.fill(ws)
    with ws.write() as s:
        records.update(s, records.get(s, Referral, printed.referral), {"reason": '<img src="x">需要 & 支持'})
    with ws.read() as s:
        html = forms.render(s, "referral", printed.referral).html
    assert "<img" not in html and "&lt;img src=&quot;x&quot;&gt;需要 &amp; 支持" in html


def test_the_approval_form_lists_every_step_with_its_time_and_handler(ws: Workspace) -> None:
    printed = print_data.fill(ws)
    with ws.read() as s:
        steps = approval.case_steps(s, printed.case)
        html = forms.render(s, "approval", printed.case).html
    assert [step.state for step in steps] == ["applied", "verification", "investigation", "preliminary_review",
                                              "public_notice", "approval", "active"]
    assert all(step.handler == "tester" for step in steps)
    assert steps[1].at == print_data.utc(2026, 11, 3, 2)
    words = _words(html)
    for label in ("社区（村）受理意见", "街道（镇）审核意见", "区（县）民政部门审批意见", "受理", "提交审核",
                  "审核通过（公示）", "公示期满，报批", "批准"):  # each signed step as the office names it
        assert label in words
    assert "公示期满无异议" in words  # the decision's reasons against the decisive step


def test_a_batch_prints_each_record_once_in_the_order_given(ws: Workspace) -> None:
    printed = print_data.fill(ws)
    with ws.read() as s:
        sheets = forms.render_many(s, "disaster_report", [printed.update, printed.initial, printed.update])
        assert [sheet.record_id for sheet in sheets] == [printed.update, printed.initial]
        assert "（续报）" in sheets[0].html and "（初报）" in sheets[1].html
        with pytest.raises(ValidationError) as refused:
            forms.render_many(s, "care_visit", [print_data.rid(n) for n in range(forms.MAX_BATCH + 1)])
        assert refused.value.key == "forms.batch_too_large"
        with pytest.raises(NotFoundError):
            forms.render_many(s, "care_visit", [printed.visit, print_data.rid(999)])


def test_each_printed_record_is_noted_in_the_audit_trail(ws: Workspace) -> None:
    printed = print_data.fill(ws)
    with ws.read() as s:
        sheets = forms.render_many(s, "disaster_report", [printed.initial, printed.update])
        ledger = forms.ledger_sheet(s, "notice")
    forms.note_printed(ws, [*sheets, ledger], {"file": "灾情报告-2份.pdf", "sealed": True})
    reads = access.reads(ws, [printed.initial, printed.update])
    assert {r["row_id"] for r in reads} == {printed.initial, printed.update}
    assert all(json.loads(r["changes"]) == {"printed": "disaster_report", "file": "灾情报告-2份.pdf", "sealed": True}
               for r in reads)
    with ws.engine.connect() as conn:
        assert audit.verify(conn) == []
        noted = conn.exec_driver_sql("SELECT changes FROM audit WHERE entity = 'ledger'").scalar_one()
    assert json.loads(noted) == {"printed": "ledger_notice", "ledger": "notice", "rows": 1,
                                 "file": "灾情报告-2份.pdf", "sealed": True}
