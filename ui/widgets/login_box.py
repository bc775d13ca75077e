"""Server address, user name and password, for connecting this device to the organisation's server."""

from __future__ import annotations

from ui.qt import QFormLayout, QLineEdit, QPushButton, QWidget, Signal
from ui.widgets.field_error import FieldError


class LoginBox(QWidget):
    #: url, user, password
    submitted = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None, *, button: bool = True) -> None:
        super().__init__(parent)
        self.url = QLineEdit(self)
        self.url.setObjectName("server_url")
        self.url.setPlaceholderText("https://")
        self.user = QLineEdit(self)
        self.user.setObjectName("server_user")
        self.password = QLineEdit(self)
        self.password.setObjectName("server_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = FieldError(self)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.connect_button.setObjectName("connect")
        self.connect_button.setVisible(button)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Server address"), self.url)
        form.addRow(self.tr("User name"), self.user)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.error)
        form.addRow("", self.connect_button)
        self.connect_button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)

    def submit(self) -> None:
        if self.connect_button.isVisible() and not self.connect_button.isEnabled():
            return
        self.error.clear_error()
        self.submitted.emit(self.url.text().strip(), self.user.text().strip(), self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        self.connect_button.setText(self.tr("Connecting…") if busy else self.tr("Connect"))

    def done(self) -> None:
        self.set_busy(False)
        self.password.clear()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.show_error(text)
