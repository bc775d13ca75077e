"""The changes of who lives in a household, each a small form over caseapp.services.members: move out
(迁出), death (死亡), change of head (户主变更), move a member in (迁入), split off (分户), merge (合户).

Every field is one the models declare (its label, its input); the date of the event defaults to
today. Enter saves, Esc cancels; a wrong input is one line under its field, in the UI language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import Household, Member
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.services import members, records
from ui.forms.dialog import RecordDialog
from ui.forms.editors import ChoiceEditor
from ui.forms.specs import MEMBER, FieldSpec, spec
from ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QLabel, QListWidget, QListWidgetItem, Qt, QWidget
from ui.session import Session
from ui.widgets.marks import mark_data

Row = dict[str, Any]

MOVE_OUT, DECEASED, CHANGE_HEAD, MOVE_IN, SPLIT, MERGE = "move_out", "deceased", "change_head", "move_in", "split", \
    "merge"
#: the title of each action's form (%1: the member's name, where the action is about one)
TITLES = {
    MOVE_OUT: QT_TRANSLATE_NOOP("MemberChangeDialog", "Move out: %1"),
    DECEASED: QT_TRANSLATE_NOOP("MemberChangeDialog", "Record a death: %1"),
    CHANGE_HEAD: QT_TRANSLATE_NOOP("MemberChangeDialog", "Make %1 head of household"),
    MOVE_IN: QT_TRANSLATE_NOOP("MemberChangeDialog", "Move a member in"),
    SPLIT: QT_TRANSLATE_NOOP("MemberChangeDialog", "Split off a new household"),
    MERGE: QT_TRANSLATE_NOOP("MemberChangeDialog", "Merge another household into this one"),
}
_EVENT = (("member_event", "occurred_on"), ("member_event", "reason"))
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    MOVE_OUT: _EVENT,
    DECEASED: _EVENT,
    CHANGE_HEAD: _EVENT,
    MOVE_IN: (("member", "id_number"), ("member", "relationship"), *_EVENT),
    SPLIT: (("member_event", "member_id"), ("household", "address"), *_EVENT),
    MERGE: (("member_event", "other_household_id"), ("member", "relationship"), *_EVENT),
}


def _specs(action: str) -> list[FieldSpec]:
    found = []
    for entity, name in FIELDS[action]:
        field_spec = spec(entity, name)
        assert field_spec is not None, (entity, name)
        if name in ("member_id", "other_household_id"):
            # chosen from this household's people (the new head) or its neighbours (the other household)
            field_spec = FieldSpec(entity, name, MEMBER, "", True)
        found.append(field_spec)
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class MemberChangeDialog(RecordDialog):
    def __init__(self, session: Session, action: str, household: Row, member: Row | None,
                 current: list[tuple[str, str]], neighbours: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        choices = neighbours if action == MERGE else current
        super().__init__(session, "member_event", specs=_specs(action), members=choices,
                         values={"occurred_on": dt.date.today().isoformat()}, parent=parent)
        self.setObjectName(f"member_{action}")
        self.action = action
        self.household_id = str(household["id"])
        self.member_id = str(member["id"]) if member else ""
        title = QCoreApplication.translate("MemberChangeDialog", TITLES[action])
        self.setWindowTitle(title.replace("%1", str(member["name"]) if member else ""))
        self.leaving: QListWidget | None = None
        self.remaining: ChoiceEditor | None = None
        if action == SPLIT:
            self.form.editor("address").set(household.get("address") or "")
            self.leaving = QListWidget(self)
            self.leaving.setObjectName("leaving")
            mark_data(self.leaving)
            for member_id, name in current:
                item = QListWidgetItem(name, self.leaving)
                item.setData(Qt.ItemDataRole.UserRole, member_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if member_id == self.member_id else Qt.CheckState.Unchecked)
            self.remaining = ChoiceEditor(self, current, optional=True)
            self.remaining.widget.setObjectName("remaining_head")
            mark_data(self.remaining.widget)
            if member:
                self.form.editor("member_id").set(self.member_id)
            label = QLabel(self.tr("Members who leave (Space ticks one):"), self)
            label.setBuddy(self.leaving)
            head = QLabel(self.tr("New head of this household, if its head leaves:"), self)
            head.setBuddy(self.remaining.widget)
            for n, widget in enumerate((label, self.leaving, head, self.remaining.widget)):
                self.body.insertWidget(n, widget)
        self.form.initial = {}
        first = self.leaving if self.leaving is not None else self.form.editor(self.form.specs[0].name).widget
        first.setFocus()

    def _leavers(self) -> list[str]:
        if self.leaving is None:
            return []
        return [str(self.leaving.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(self.leaving.count())
                if self.leaving.item(n).checkState() == Qt.CheckState.Checked]

    def build_job(self) -> Callable[[DbSession], str]:
        values = self.form.values()
        on, reason = _text(values.get("occurred_on")), _text(values.get("reason"))
        action, household_id, member_id = self.action, self.household_id, self.member_id
        leavers = self._leavers()
        remaining = self.remaining.get() if self.remaining is not None else None
        if action == MERGE and not values.get("other_household_id"):
            raise ValidationErrors([ValidationError("record.required", "other_household_id")])
        if action == SPLIT and not values.get("member_id"):
            raise ValidationErrors([ValidationError("record.required", "member_id")])

        def change(db: DbSession) -> str:
            home = records.get(db, Household, household_id)
            if action in (MOVE_OUT, DECEASED, CHANGE_HEAD):
                person = records.get(db, Member, member_id)
                if action == MOVE_OUT:
                    return members.move_out(db, person, on=on, reason=reason).id
                if action == DECEASED:
                    return members.record_death(db, person, on=on, reason=reason).id
                members.change_head(db, home, person, on=on, reason=reason)
                return person.id
            if action == MOVE_IN:
                return members.move_in_by_id(db, home, _text(values.get("id_number")),
                                             relationship=_text(values.get("relationship")), on=on,
                                             reason=reason).id
            if action == SPLIT:
                people = [records.get(db, Member, i) for i in leavers]
                fresh = members.split(db, home, people, new_head=records.get(db, Member, str(values["member_id"])),
                                      on=on, reason=reason, address=_text(values.get("address")) or None,
                                      remaining_head=records.get(db, Member, str(remaining)) if remaining else None)
                return fresh.id
            other = records.get(db, Household, str(values["other_household_id"]))
            source_head = next((m for m in members.current_members(db, other.id) if m.relationship == "02"), None)
            codes = {source_head.id: _text(values.get("relationship"))} if source_head is not None else {}
            members.merge(db, home, other, relationships=codes, on=on, reason=reason)
            return home.id

        return change
