"""The unlock screen: passphrase (or recovery key), with a clear error right under the field."""

from __future__ import annotations

from ui.qt import QFormLayout, QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.text import heading, paragraph


class UnlockScreen(QWidget):
    #: True when the recovery key was used (the user should choose a new passphrase)
    unlocked = Signal(bool)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.using_recovery = False
        self.title = heading(self.tr("CaseApp is locked"), self)
        self.hint = paragraph(self.tr("Type your passphrase to open the workspace."), self)
        self.secret = QLineEdit(self)
        self.secret.setObjectName("passphrase")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setMinimumWidth(320)
        self.error = FieldError(self)
        self.error.setObjectName("unlock_error")
        self.unlock = QPushButton(self.tr("Unlock"), self)
        self.unlock.setObjectName("unlock")
        self.unlock.setDefault(True)
        self.switch = QPushButton(self.tr("Forgot the passphrase? Use the recovery key"), self)
        self.switch.setObjectName("use_recovery")
        self.switch.setFlat(True)
        self.form = QFormLayout()
        self.form.addRow(self.tr("Passphrase"), self.secret)
        self.form.addRow("", self.error)

        box = QWidget(self)
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.hint)
        inner.addLayout(self.form)
        inner.addWidget(self.unlock)
        inner.addWidget(self.switch)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

        self.unlock.clicked.connect(self._submit)
        self.secret.returnPressed.connect(self._submit)
        # typing again clears the message at once; its line stays, so the button does not move
        self.secret.textChanged.connect(lambda _t: self.error.fixed())
        self.switch.clicked.connect(self._toggle_recovery)

    def _toggle_recovery(self) -> None:
        self.using_recovery = not self.using_recovery
        self.secret.clear()
        self.error.clear_error()
        label = self.form.labelForField(self.secret)
        if self.using_recovery:
            self.secret.setEchoMode(QLineEdit.EchoMode.Normal)
            self.hint.setText(self.tr("Type the recovery key you wrote down when the workspace was created. "
                                      "Afterwards you will choose a new passphrase."))
            self.switch.setText(self.tr("Use the passphrase instead"))
            if label is not None:
                label.setProperty("text", self.tr("Recovery key"))
        else:
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.hint.setText(self.tr("Type your passphrase to open the workspace."))
            self.switch.setText(self.tr("Forgot the passphrase? Use the recovery key"))
            if label is not None:
                label.setProperty("text", self.tr("Passphrase"))
        self.secret.setFocus()

    def _submit(self) -> None:
        secret = self.secret.text()
        if not secret or not self.unlock.isEnabled():
            return
        self._busy(True)
        recovery = self.using_recovery
        opener = self.session.unlock_with_recovery_key if recovery else self.session.unlock
        opener(secret, lambda: self._done(recovery), self._failed)

    def _done(self, recovery: bool) -> None:
        self._busy(False)
        self.secret.clear()
        if recovery:
            self._toggle_recovery()
        self.unlocked.emit(recovery)

    def _failed(self, error: Exception) -> None:
        self._busy(False)
        self.secret.selectAll()
        self.secret.setFocus()
        self.error.show_error(self.session.message(error))

    def _busy(self, busy: bool) -> None:
        self.unlock.setEnabled(not busy)
        self.secret.setEnabled(not busy)
        self.unlock.setText(self.tr("Unlocking…") if busy else self.tr("Unlock"))

    def reset(self) -> None:
        self.secret.clear()
        self.error.clear_error()
        self.secret.setFocus()
