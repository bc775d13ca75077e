"""The history of changes to a household and everything in it, from the audit trail."""

from __future__ import annotations

from typing import Any

from caseapp.services import display
from ui.format import fmt_datetime
from ui.models.listed import ListTableModel
from ui.models.reader import Reader
from ui.qt import QVBoxLayout, QWidget
from ui.widgets.table import RecordTable

Entry = dict[str, Any]
# Stamps the store sets on every change: listing them would bury what the user changed.
NOISE = frozenset({"updated_at", "updated_by", "created_at", "author", "device", "id", "server_pos"})


class HistoryModel(ListTableModel[Entry]):
    AT, WHO, WHAT, ACTION, CHANGES = range(5)

    def __init__(self, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(reader, parent)

    def headers(self) -> list[str]:
        return [self.tr("When"), self.tr("Who"), self.tr("Record"), self.tr("Action"), self.tr("Changes")]

    def actions(self) -> dict[str, str]:
        return {"create": self.tr("Created"), "update": self.tr("Changed"), "archive": self.tr("Archived"),
                "restore": self.tr("Restored"), "remote": self.tr("Synced in")}

    def display(self, row: Entry, column: int) -> Any:
        if column == self.AT:
            return fmt_datetime(row["at"])
        if column == self.WHO:
            return row["actor"]
        if column == self.WHAT:
            return display.entity_name(row["entity"], self.reader.core_lang)
        if column == self.ACTION:
            return self.actions().get(row["action"], row["action"])
        return self.describe(row)

    def describe(self, row: Entry) -> str:
        """What changed, in words: '状态：申请 → 核对；已归档：否 → 是' (codes, states and flags as
        the user's language says them, never as stored)."""
        lang = self.reader.core_lang
        entity = row["entity"]
        colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
        changes = {name: pair for name, pair in row["changes"].items() if name not in NOISE}
        if row["action"] == "create":
            # what it was created with, as typed: no defaults, no ids of the records it belongs to
            return display.record_details(entity, {n: new for n, (_old, new) in changes.items()}, lang,
                                          links=False, mask=True)
        parts = []
        for name, (old, new) in sorted(changes.items()):
            title = display.field_name(entity, name, lang)
            if display.is_link(entity, name):
                parts.append(f"{title}{colon}{self.tr('changed')}")
                continue
            before = display.value_text(entity, name, old, lang, mask=True)
            after = display.value_text(entity, name, new, lang, mask=True)
            parts.append(f"{title}{colon}{before} → {after}")
        return sep.join(parts)


class HistoryTab(QWidget):
    def __init__(self, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = HistoryModel(reader, self)
        self.table = RecordTable(self)
        self.table.setObjectName("history")
        self.table.setModel(self.model)
        QVBoxLayout(self).addWidget(self.table)

    def set_entries(self, entries: list[Entry]) -> None:
        # A synced-in entry whose only changes are the store's own stamps says nothing to a person.
        self.model.set_rows([e for e in entries if e["action"] not in ("remote", "update") or self.model.describe(e)])
