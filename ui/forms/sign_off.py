"""Signing a workflow step: what is being done, to which record, by whom in which role, on which
day, and the opinion it is signed with (CaseStep keeps them all). A step whose rule needs a
written reason (a refusal's reasons, the objections raised during the 公示, why a case exits) asks
for it here, under that field's own label, and cannot be signed without it."""

from __future__ import annotations

import datetime as dt

from caseapp.services import display
from ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequence,
    QLabel,
    QPlainTextEdit,
    QShortcut,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.field_error import FieldError


class SignOffDialog(QDialog):
    #: the opinion (or the asked-for reason) the step is signed with
    signed = Signal(str)

    def __init__(self, lang: str, *, action: str, record_text: str, actor: str, role: str | None,
                 asks: str | None = None, entity: str = "assistance_case", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_off")
        self.lang, self.asks, self.entity = lang, asks, entity
        self.setWindowTitle(self.tr("Sign off: %1").replace("%1", action))
        form = QFormLayout()
        label = display.field_name
        form.addRow(label("case_step", "action", lang), QLabel(action, self))
        form.addRow(display.entity_name(entity, lang), QLabel(record_text, self))
        named = display.code_name("user_role", role, lang) if role else ""
        who = actor + ((f"（{named}）" if lang == "zh" else f" ({named})") if named else "")
        form.addRow(label("case_step", "author", lang), QLabel(who, self))
        today = display.value_text("case_step", "taken_at", dt.datetime.now(dt.UTC), lang)
        form.addRow(label("case_step", "taken_at", lang), QLabel(today, self))
        self.opinion = QPlainTextEdit(self)
        self.opinion.setObjectName("opinion")
        self.opinion.setTabChangesFocus(True)
        self.opinion.setFixedHeight(90)
        form.addRow(label(entity, asks, lang) if asks else label("case_step", "opinion", lang), self.opinion)
        self.error = FieldError(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        sign = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        sign.setText(self.tr("Sign and take the step"))
        sign.setObjectName("sign")
        # Ctrl+Enter signs from the opinion (where Enter starts a new line), as it saves a form
        sign.setToolTip(self.tr("Sign (Ctrl+Enter)"))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.sign)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        self.opinion.textChanged.connect(self.error.clear_error)
        self.opinion.setFocus()

    def sign(self) -> None:
        text = self.opinion.toPlainText().strip()
        if self.asks and not text:
            self.error.show_error(self.tr("Write %1 first: the step is signed with it.").replace(
                "%1", display.field_name(self.entity, self.asks, self.lang)))
            return
        self.signed.emit(text)
        self.accept()
