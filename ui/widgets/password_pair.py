"""The password a file leaves the device with, typed twice, or "no password" where that is allowed.

Used wherever personal data is written out (ledgers, printed forms): the check (length, strength,
both entries equal) happens before anything is built or written.
"""

from __future__ import annotations

from caseapp.crypto.keyfile import check_passphrase
from caseapp.errors import CaseAppError
from ui.qt import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget


class PasswordPair(QWidget):
    def __init__(self, plain_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("file_password")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.plain = QCheckBox(plain_text, self)
        self.hint = QLabel(self.tr("The file holds personal information. It asks for this password when "
                                   "opened; tell it to the recipient separately."), self)
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.again)
        form.addRow("", self.plain)
        form.addRow(self.hint)
        self.plain.toggled.connect(self._plain_toggled)

    def _plain_toggled(self, plain: bool) -> None:
        self.password.setEnabled(not plain)
        self.again.setEnabled(not plain)

    def value(self) -> str | None:
        """The password, or None for none; raises CaseAppError when it will not do."""
        if self.plain.isChecked():
            return None
        if self.password.text() != self.again.text():
            raise CaseAppError("workspace.passphrase_mismatch", "passphrase")
        check_passphrase(self.password.text())
        return self.password.text()

    def clear(self) -> None:
        self.password.clear()
        self.again.clear()
