"""One conflict side by side: the value before, mine and theirs with who wrote them and when; keep
one or type a value. The resolution is an ordinary change and syncs like any other."""

from __future__ import annotations

from typing import Any

from caseapp.services import display
from ui.format import fmt_datetime
from ui.models.outbox import ConflictRow, record_words
from ui.qt import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget, Signal
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data


def _shown(entity: str, field: str, value: Any, lang: str) -> str:
    return "—" if value in (None, "") else display.value_text(entity, field, value, lang)


class ConflictPanel(QWidget):
    #: conflict id, keep ("mine" / "theirs" / ""), typed value (or None)
    resolve = Signal(str, str, object)
    #: the household the conflict is in, to look at it before choosing
    open_household = Signal(str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.row: ConflictRow | None = None
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        mark_data(self.title)
        self.open_button = QPushButton(self.tr("Open the household"), self)
        self.open_button.setObjectName("open_household")
        self.base = self._value()
        self.mine = self._value()
        self.theirs = self._value()
        self.mine_by = self._value()
        self.theirs_by = self._value()
        self.keep_mine = QPushButton(self.tr("Keep mine"), self)
        self.keep_mine.setObjectName("keep_mine")
        self.keep_theirs = QPushButton(self.tr("Keep theirs"), self)
        self.keep_theirs.setObjectName("keep_theirs")
        self.typed = QLineEdit(self)
        self.typed.setObjectName("typed_value")
        self.typed.setPlaceholderText(self.tr("Or type the right value"))
        self.use_typed = QPushButton(self.tr("Use this value"), self)
        self.use_typed.setObjectName("use_typed")
        self.error = FieldError(self)

        columns = QGridLayout()
        for column, (caption, value, by) in enumerate((
                (self.tr("Before"), self.base, None),
                (self.tr("Mine"), self.mine, self.mine_by),
                (self.tr("Theirs"), self.theirs, self.theirs_by))):
            box = QGroupBox(caption, self)
            inner = QVBoxLayout(box)
            inner.addWidget(value)
            if by is not None:
                inner.addWidget(by)
            inner.addStretch(1)
            columns.addWidget(box, 0, column)
        columns.addWidget(self.keep_mine, 1, 1)
        columns.addWidget(self.keep_theirs, 1, 2)
        typed_row = QHBoxLayout()
        typed_row.addWidget(self.typed, 1)
        typed_row.addWidget(self.use_typed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.open_button)
        layout.addLayout(heading)
        layout.addLayout(columns)
        layout.addLayout(typed_row)
        layout.addWidget(self.error)

        self.open_button.clicked.connect(self._open)
        self.keep_mine.clicked.connect(lambda: self._resolve("mine", None))
        self.keep_theirs.clicked.connect(lambda: self._resolve("theirs", None))
        self.use_typed.clicked.connect(lambda: self._resolve("", self.typed.text()))
        self.typed.returnPressed.connect(lambda: self._resolve("", self.typed.text()))
        self.show_conflict(None)

    def _value(self) -> QLabel:
        value = QLabel(self)
        value.setWordWrap(True)
        mark_data(value)
        return value

    def show_conflict(self, row: ConflictRow | None) -> None:
        self.row = row
        self.error.clear_error()
        self.typed.clear()
        self.setEnabled(row is not None)
        if row is None:
            for value in (self.title, self.base, self.mine, self.theirs, self.mine_by, self.theirs_by):
                value.clear()
            return
        lang = self.lang
        field_name = display.field_name(row.entity, row.field, lang)
        # whose household and which person, so it can be told apart from others and checked
        self.title.setText(f"{record_words(row.entity, row.whose, lang)} · {field_name}")
        self.open_button.setEnabled(row.whose.household_id is not None)
        self.base.setText(_shown(row.entity, row.field, row.base, lang))
        self.mine.setText(_shown(row.entity, row.field, row.mine, lang))
        self.theirs.setText(_shown(row.entity, row.field, row.theirs, lang))
        self.mine_by.setText(f"{row.my_author} · {fmt_datetime(row.my_time)}")
        self.theirs_by.setText(f"{row.their_author} · {fmt_datetime(row.their_time)}")

    def _open(self) -> None:
        if self.row is not None and self.row.whose.household_id:
            self.open_household.emit(self.row.whose.household_id)

    def _resolve(self, keep: str, value: str | None) -> None:
        if self.row is None or (value is not None and not value.strip()):
            return
        self.resolve.emit(self.row.id, keep, value)

    def show_error(self, text: str) -> None:
        self.error.show_error(text)
