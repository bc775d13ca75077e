"""Step 1: the user's name and the passphrase, typed twice, with a strength meter."""

from __future__ import annotations

from caseapp.crypto.keyfile import check_passphrase
from caseapp.errors import CaseAppError, ValidationError
from ui.language import LANGUAGES
from ui.qt import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data
from ui.widgets.strength import StrengthMeter
from ui.widgets.text import heading, paragraph


class PassphraseStep(QWidget):
    #: passphrase, name
    submitted = Signal(str, str)
    #: the language chosen at the top of the first screen
    language_changed = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # The very first question, in both languages: whoever installed it may not read the other.
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        mark_data(self.language)  # each language is named in itself
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(session.lang), 0))
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.name.setPlaceholderText(self.tr("For example 王小红"))
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = StrengthMeter(self)
        self.passphrase_error = FieldError(self)
        self.repeat_error = FieldError(self)
        self.create_button = QPushButton(self.tr("Create workspace"), self)
        self.create_button.setObjectName("create")
        self.create_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("Your name"), self.name)
        form.addRow(self.tr("Passphrase"), self.passphrase)
        form.addRow("", self.meter)
        form.addRow("", self.passphrase_error)
        form.addRow(self.tr("Passphrase again"), self.repeat)
        form.addRow("", self.repeat_error)
        # Both languages' words, whatever the current language: the question must be readable first.
        language_label = QLabel("语言 / Language", self)
        mark_data(language_label)
        language_label.setBuddy(self.language)
        choose = QHBoxLayout()
        choose.addStretch(1)
        choose.addWidget(language_label)
        choose.addWidget(self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(heading(self.tr("Create your workspace"), self))
        layout.addWidget(paragraph(self.tr(
            "Everything you record is kept encrypted on this computer. Choose a passphrase that only you "
            "know: you will type it each time CaseApp is unlocked. A few words or a short sentence is "
            "easier to remember and harder to guess than a short password."), self))
        layout.addLayout(form)
        layout.addWidget(self.create_button)
        layout.addStretch(1)

        self.language.activated.connect(lambda _i: self.language_changed.emit(str(self.language.currentData())))
        self.passphrase.textChanged.connect(self._typed)
        # a corrected field's message goes at once, its line stays: nothing moves under the pointer
        self.repeat.textChanged.connect(lambda _t: self.repeat_error.fixed())
        self.create_button.clicked.connect(self._submit)
        self.repeat.returnPressed.connect(self._submit)
        self.passphrase.returnPressed.connect(self.repeat.setFocus)
        self.name.returnPressed.connect(self.passphrase.setFocus)

    def _typed(self, text: str) -> None:
        self.meter.update_for(text)
        self.passphrase_error.fixed()

    def _submit(self) -> None:
        if not self.create_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        try:
            check_passphrase(passphrase)
        except CaseAppError as error:
            self.passphrase_error.show_error(self.session.field_message(error))
            self.passphrase.setFocus()
            return
        if self.meter.update_for(passphrase) == 0:
            self.passphrase_error.show_error(self.tr(
                "This passphrase is one of the first an attacker would try. Add a few words."))
            self.passphrase.setFocus()
            return
        if self.repeat.text() != passphrase:
            mismatch = ValidationError("workspace.passphrase_mismatch", "repeat")
            self.repeat_error.show_error(self.session.field_message(mismatch))
            self.repeat.setFocus()
            return
        self.set_busy(True)
        self.submitted.emit(passphrase, self.name.text().strip())

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
        self.create_button.setText(self.tr("Creating the workspace…") if busy else self.tr("Create workspace"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.passphrase_error.show_error(text)

    def forget(self) -> None:
        """Clear the typed passphrases once the workspace exists."""
        self.passphrase.clear()
        self.repeat.clear()
