"""The household's own fields, an Edit button, and its photos and scans."""

from __future__ import annotations

from typing import Any

from ui.format import MASKED, code_label, fmt_value, masked
from ui.forms.specs import CHOICE, HOUSEHOLD
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
        for spec in HOUSEHOLD:
            value = QLabel(self)
            value.setWordWrap(True)
            mark_data(value)
            self.values[spec.name] = value
            form.addRow(spec.text(), value)
        self.edit = QPushButton(self.tr("Edit household"), self)
        self.edit.setObjectName("edit_household")
        self.attachments = AttachmentStrip(session, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.edit)
        layout.addWidget(self.attachments, 1)

    def set_household(self, household: dict[str, Any]) -> None:
        for spec in HOUSEHOLD:
            raw = household.get(spec.name)
            if spec.kind == CHOICE:
                text = code_label(spec.dictionary, raw, self.session.core_lang)
            else:
                text = masked(raw) if spec.name in MASKED else fmt_value(raw)
            self.values[spec.name].setText(text)
        self.attachments.set_owner("household", household["id"])

    def clear(self) -> None:
        for value in self.values.values():
            value.clear()
        self.attachments.clear()
