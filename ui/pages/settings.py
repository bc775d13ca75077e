"""Settings: language, auto-lock, the caseworker's name, server and CA file, change passphrase."""

from __future__ import annotations

from caseapp.crypto import keyfile
from caseapp.errors import CaseAppError, ValidationError
from caseapp.store.paths import KEY_FILE
from caseapp.store.workspace import Workspace
from ui.language import LANGUAGES
from ui.pages.base import Page
from ui.qt import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data
from ui.widgets.strength import StrengthMeter
from ui.widgets.text import paragraph

GROUP_WIDTH = 760


class SettingsPage(Page):
    language_changed = Signal(str)
    autolock_changed = Signal(int)
    #: a different server address was saved: signing in there is needed (done on the Sync page)
    connect_requested = Signal(str)
    #: the caseworker asked to leave the demo (the window confirms and does it)
    leave_demo_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        mark_data(self.language)  # each language is named in itself
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.autolock = QSpinBox(self)
        self.autolock.setObjectName("autolock")
        self.autolock.setRange(1, 120)
        self.autolock.setSuffix(self.tr(" min"))
        self.name = QLineEdit(self)
        self.name.setObjectName("user_name")
        self.server_url = QLineEdit(self)
        self.server_url.setObjectName("server_url")
        self.server_url.setPlaceholderText("https://")
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("ca_file")
        browse = QPushButton(self.tr("Choose…"), self)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        self.save = QPushButton(self.tr("Save settings"), self)
        self.save.setObjectName("save_settings")
        self.saved = QLabel(self)
        general = QGroupBox(self.tr("General"), self)
        form = QFormLayout(general)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Lock after no activity for"), self.autolock)
        form.addRow(self.tr("Your name"), self.name)
        form.addRow(self.tr("Server address"), self.server_url)
        form.addRow(self.tr("Organisation's CA certificate"), ca_row)
        form.addRow(self.save, self.saved)

        # Set after unlocking with the recovery key: the old passphrase is what was forgotten.
        self.recovered = False
        self.current = self._secret("current_passphrase")
        self.new_passphrase = self._secret("new_passphrase")
        self.repeat = self._secret("repeat_passphrase")
        self.meter = StrengthMeter(self)
        self.current_error = FieldError(self)
        self.new_error = FieldError(self)
        self.change = QPushButton(self.tr("Change passphrase"), self)
        self.change.setObjectName("change_passphrase")
        self.changed_note = QLabel(self)
        keys = QGroupBox(self.tr("Passphrase"), self)
        keys_form = QFormLayout(keys)
        self.current_label = QLabel(self.tr("Current passphrase"), self)
        keys_form.addRow(self.current_label, self.current)
        keys_form.addRow("", self.current_error)
        keys_form.addRow(self.tr("New passphrase"), self.new_passphrase)
        keys_form.addRow("", self.meter)
        keys_form.addRow(self.tr("New passphrase again"), self.repeat)
        keys_form.addRow("", self.new_error)
        keys_form.addRow(self.change, self.changed_note)

        # Shown only while the workspace is the demo's: the way out to a workspace of one's own.
        self.demo_box = QGroupBox(self.tr("Demo"), self)
        self.leave_demo = QPushButton(self.tr("Leave the demo and start my own workspace…"), self.demo_box)
        self.leave_demo.setObjectName("leave_demo")
        demo_layout = QVBoxLayout(self.demo_box)
        demo_layout.addWidget(paragraph(self.tr(
            "This workspace holds fictional households to try CaseApp with. Leaving the demo deletes "
            "them, and everything typed into the demo, from this computer; then you create your own "
            "workspace."), self.demo_box))
        demo_layout.addWidget(self.leave_demo)
        self.demo_box.hide()

        general.setMaximumWidth(GROUP_WIDTH)
        keys.setMaximumWidth(GROUP_WIDTH)
        self.demo_box.setMaximumWidth(GROUP_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(general)
        layout.addWidget(keys)
        layout.addWidget(self.demo_box)
        layout.addStretch(1)
        self.leave_demo.clicked.connect(self.leave_demo_requested)

        browse.clicked.connect(self._choose_ca)
        self.save.clicked.connect(self.save_settings)
        self.new_passphrase.textChanged.connect(self.meter.update_for)
        self.change.clicked.connect(self.change_passphrase)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def title(self) -> str:
        return self.tr("Settings")

    def refresh(self) -> None:
        settings = self.session.settings
        self.language.setCurrentIndex(max(self.language.findData(self.session.lang), 0))
        self.autolock.setValue(int(settings.get("ui.autolock_minutes") or 5))
        self.name.setText(self.session.ws.actor if self.session.ws else "")
        self.demo_box.setVisible(bool(settings.get("demo")))
        self.server_url.setText(str(settings.get("sync.server_url") or ""))
        self.ca_file.setText(str(settings.get("sync.ca_file") or ""))
        self.saved.clear()
        self.changed_note.clear()

    def clear(self) -> None:
        super().clear()
        self.recovered = False
        self.current.show()
        self.current_label.show()
        for edit in (self.name, self.server_url, self.ca_file, self.current, self.new_passphrase, self.repeat):
            edit.clear()

    def _choose_ca(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Organisation's CA certificate"), "",
                                                    self.tr("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_file.setText(path)

    def save_settings(self) -> None:
        minutes = self.autolock.value()
        name = self.name.text().strip()
        self.session.set_setting("ui.autolock_minutes", minutes)
        url = self.server_url.text().strip()
        if url != str(self.session.settings.get("sync.server_url") or ""):
            # A new server needs this device to sign in there; the address is stored by the sync
            # client once that succeeds, never before (the old token would be sent to it).
            self.connect_requested.emit(url)
        self.session.set_setting("sync.ca_file", self.ca_file.text().strip())
        if name and self.session.ws is not None:
            ws = self.session.ws
            ws.actor = name  # stamps the author of every change from now on
            self.session.set_setting("user.name", name)
        self.saved.setText(self.tr("Saved."))
        self.autolock_changed.emit(minutes * 60_000)
        lang = str(self.language.currentData())
        if lang != self.session.lang:
            self.language_changed.emit(lang)

    def change_passphrase(self) -> None:
        self.current_error.clear_error()
        self.new_error.clear_error()
        self.changed_note.clear()
        current, new = self.current.text(), self.new_passphrase.text()
        try:
            keyfile.check_passphrase(new)
        except CaseAppError as error:
            self.new_error.show_error(self.session.field_message(error))
            return
        if new != self.repeat.text():
            self.new_error.show_error(self.session.field_message(ValidationError("workspace.passphrase_mismatch")))
            return

        recovered = self.recovered

        def job(ws: Workspace) -> None:
            # Ask for the current passphrase even though the workspace is open: whoever finds the
            # laptop unlocked must not be able to lock its owner out. Not after a recovery-key
            # unlock, which proved more than the passphrase would.
            if not recovered:
                keyfile.unlock(ws.path / KEY_FILE, current)
            ws.change_passphrase(new, kdf=self.session.kdf)

        self.change.setEnabled(False)
        self.session.with_workspace(job, lambda _r: self._changed(), self._change_failed)

    def choose_new_passphrase(self) -> None:
        """After a recovery-key unlock: only the new passphrase is asked for."""
        self.recovered = True
        self.current.hide()
        self.current_label.hide()
        self.new_passphrase.setFocus()

    def _changed(self) -> None:
        self.recovered = False
        self.current.show()
        self.current_label.show()
        self.change.setEnabled(True)
        for edit in (self.current, self.new_passphrase, self.repeat):
            edit.clear()
        self.changed_note.setText(self.tr("Passphrase changed."))

    def _change_failed(self, error: Exception) -> None:
        self.change.setEnabled(True)
        self.current_error.show_error(self.session.message(error))
