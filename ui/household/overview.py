"""The household's own fields, an Edit button, and its photos and scans."""

from __future__ import annotations

from typing import Any

from caseapp.services import display
from ui.forms.specs import SPECS
from ui.qt import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.attachments import AttachmentStrip
from ui.widgets.marks import mark_data


class Overview(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for spec in SPECS["household"]:
            value = QLabel(self)
            value.setWordWrap(True)
            mark_data(value)
            self.values[spec.name] = value
            form.addRow(spec.text(session.core_lang), value)
        self.edit = QPushButton(self.tr("Edit household"), self)
        self.edit.setObjectName("edit_household")
        self.attachments = AttachmentStrip(session, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.edit)
        layout.addWidget(self.attachments, 1)

    def set_household(self, household: dict[str, Any]) -> None:
        for spec in SPECS["household"]:
            text = household.get(f"{spec.name}_label") or display.value_text(
                "household", spec.name, household.get(spec.name), self.session.core_lang, mask=True)
            self.values[spec.name].setText(text)
        self.attachments.set_owner("household", household["id"])

    def clear(self) -> None:
        for value in self.values.values():
            value.clear()
        self.attachments.clear()
