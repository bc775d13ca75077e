"""Buttons for the workflow moves a record's state machine allows right now, and no others."""

from __future__ import annotations

from typing import Any

from caseapp.services import display
from ui.qt import QHBoxLayout, QLabel, QPushButton, QWidget, Signal


class WorkflowBar(QWidget):
    #: target state
    chosen = Signal(str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.caption = QLabel(self.tr("Move to:"), self)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.caption)
        self._layout.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        self.set_record("", None)

    def set_record(self, entity: str, row: dict[str, Any] | None) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        allowed: list[str] = list(row.get("_allowed", [])) if row else []
        for target in allowed:
            button = QPushButton(display.state_name(entity, target, self.lang), self)
            button.setObjectName(f"move_{target}")
            button.clicked.connect(lambda _c=False, t=target: self.chosen.emit(t))
            self._layout.insertWidget(self._layout.count() - 1, button)
            self.buttons[target] = button
        self.setVisible(bool(allowed))
