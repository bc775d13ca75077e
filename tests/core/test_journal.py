"""Every change is journaled (field by field) and audited in its own transaction, or not at all."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from caseapp.domain import CareVisit, Household, Member
from caseapp.errors import CaseAppError, ValidationErrors, WorkflowError
from caseapp.services import records
from caseapp.store.tables import AuditEntry, JournalEntry
from caseapp.store.workspace import Workspace
from tests.core.helpers import elder_with_visit, household, member


def journal(ws: Workspace) -> list[JournalEntry]:
    with ws.read() as s:
        return list(s.scalars(select(JournalEntry).order_by(JournalEntry.seq)))


def test_create_then_edit_journals_one_entry_per_field(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
    with ws.write() as s:
        records.update(s, s.get(Household, h.id), {"phone": "020-83331234", "address": "新地址 1 号"})
    entries = journal(ws)
    assert [(e.op, e.field) for e in entries] == [("create", None), ("set", "address"), ("set", "phone")] or \
        [(e.op, e.field) for e in entries] == [("create", None), ("set", "phone"), ("set", "address")]
    create = json.loads(entries[0].value)
    assert create["head_name"] == "张伟" and create["org_code"] == "440104001001"
    sets = {e.field: json.loads(e.value) for e in entries[1:]}
    assert sets == {"phone": "020-83331234", "address": "新地址 1 号"}
    assert len({e.seq for e in entries}) == 3
    assert entries[1].hlc > entries[0].hlc
    assert all(e.device_id == ws.device_id and e.state == "pending" for e in entries)


def test_failed_transaction_leaves_no_journal_or_audit(ws: Workspace) -> None:
    with pytest.raises(RuntimeError), ws.write() as s:
        household(s)
        raise RuntimeError("crash in the middle")
    assert journal(ws) == []
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert s.scalar(select(func.count()).select_from(Household)) == 0


def test_hard_delete_is_refused(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
    with pytest.raises(CaseAppError) as info, ws.write() as s:
        s.delete(s.get(Household, h.id))
    assert info.value.key == "record.no_hard_delete"
    with ws.read() as s:
        assert s.get(Household, h.id) is not None


def test_archive_is_an_audited_change(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
    with ws.write() as s:
        records.archive(s, s.get(Household, h.id))
    with ws.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["create", "archive"]
    assert journal(ws)[-1].field == "archived"


def test_insert_only_facts_cannot_be_edited(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
        m = member(s, h.id)
        _, visit = elder_with_visit(s, h.id, m.id)
    with pytest.raises(WorkflowError), ws.write() as s:
        records.update(s, s.get(CareVisit, visit.id), {"notes": "改写历史"})
    with pytest.raises(WorkflowError), ws.write() as s:
        s.get(CareVisit, visit.id).notes = "绕过服务直接改"
    with ws.read() as s:
        assert s.get(CareVisit, visit.id).notes == "精神状态良好"


def test_invalid_input_changes_nothing(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
    with pytest.raises(ValidationErrors) as info, ws.write() as s:
        member(s, h.id, name="", id_number="230307196304054513", phone="12345")
    fields = {e.field for e in info.value.errors}
    assert {"name", "id_number", "phone"} <= fields
    with ws.read() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 0
    assert len(journal(ws)) == 1


def test_member_sex_and_birth_date_follow_the_id_number(ws: Workspace) -> None:
    with ws.write() as s:
        h = household(s)
        m = member(s, h.id, id_number="１１０１０５１９４９１２３１００２ｘ")
    assert m.id_number == "11010519491231002X"
    assert m.sex == "F" and str(m.birth_date) == "1949-12-31"
    with pytest.raises(ValidationErrors) as info, ws.write() as s:
        member(s, h.id, id_number="11010519491231002X", sex="M")
    assert [e.field for e in info.value.errors] == ["sex"]


def test_required_fields_and_cleared_numbers(ws: Workspace) -> None:
    from caseapp.domain import GridEvent

    with pytest.raises(ValidationErrors) as info, ws.write() as s:
        household(s, address="")
    assert [e.field for e in info.value.errors] == ["address"]
    with ws.write() as s:
        h = household(s)
    with pytest.raises(ValidationErrors), ws.write() as s:
        records.update(s, s.get(Household, h.id), {"address": "  "[:0]})
    import datetime as dt

    with ws.write() as s:
        event = records.create(s, GridEvent, {"org_code": "440104001001", "title": "漏水", "category": "02",
                                              "occurred_at": dt.datetime.now(dt.UTC), "people_involved": 3})
        records.update(s, event, {"people_involved": ""})  # a cleared count falls back to its default
        assert event.people_involved == 0
