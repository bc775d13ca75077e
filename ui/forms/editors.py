"""One input widget per field kind, each able to show a stored value and give back what was typed.

Editors return raw input (text as typed, the code chosen, a local datetime) and leave conversion
and checking to caseapp.services.validate, so the form and the import path share one set of rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from caseapp import refdata
from ui.format import fmt_value, local, parse_local_datetime
from ui.forms.specs import BOOL, CHOICE, DATETIME, MEMBER, MULTI, MULTILINE, NOW, FieldSpec
from ui.qt import (
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDateTime,
    QDateTimeEdit,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from ui.widgets.date_picker import DatePicker
from ui.widgets.marks import mark_data

MULTI_COLUMNS = 3


class Editor:
    widget: QWidget

    def get(self) -> Any:
        raise NotImplementedError

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever the user changes the value (not when set() shows one)."""
        raise NotImplementedError

    def set(self, value: Any) -> None:
        raise NotImplementedError


class LineEditor(Editor):
    def __init__(self, parent: QWidget) -> None:
        self.widget = self.edit = QLineEdit(parent)

    def get(self) -> Any:
        return self.edit.text().strip()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.textEdited.connect(lambda _t: callback())

    def set(self, value: Any) -> None:
        self.edit.setText(fmt_value(value))


class DateEditor(LineEditor):
    """A date, typed in any accepted form (2026-12-01, 2026/12/1, 2026.12.1, 20261201) or picked
    from the calendar at the field's end; caseapp.services.validate reads every form."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit.setPlaceholderText(QCoreApplication.translate("Editor", "YYYY-MM-DD"))
        self.picker = DatePicker(self.edit, lambda day, _text: day.isoformat())


def _with_time(day: dt.date, text: str) -> str:
    """The picked day, keeping the time already typed (or 09:00, the start of a working day)."""
    _date, _, time = text.strip().partition(" ")
    return f"{day.isoformat()} {time.strip() or '09:00'}"


class DateTimeTextEditor(LineEditor):
    """An optional moment, typed as 'YYYY-MM-DD HH:MM' in local time (or picked from the calendar)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.edit.setPlaceholderText(QCoreApplication.translate("Editor", "YYYY-MM-DD HH:MM"))
        self.picker = DatePicker(self.edit, _with_time)

    def get(self) -> Any:
        text = self.edit.text().strip()
        return parse_local_datetime(text) if text else ""


class TextEditor(Editor):
    def __init__(self, parent: QWidget) -> None:
        self.widget = self.edit = QPlainTextEdit(parent)
        # Tab moves on to the next field, so a whole form can be filled from the keyboard.
        self.edit.setTabChangesFocus(True)
        self.edit.setMaximumHeight(72)

    def get(self) -> Any:
        return self.edit.toPlainText().strip()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.textChanged.connect(callback)

    def set(self, value: Any) -> None:
        self.edit.setPlainText(fmt_value(value))


class NowEditor(Editor):
    """A required moment that defaults to now (visits, events): one less thing to type."""

    def __init__(self, parent: QWidget) -> None:
        self.widget = self.edit = QDateTimeEdit(parent)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setCalendarPopup(True)
        # now by the app's one clock (Python's, as every stamp and "not in the future" check is), not Qt's
        self.set(dt.datetime.now(dt.UTC))

    def on_change(self, callback: Callable[[], None]) -> None:
        self.edit.dateTimeChanged.connect(lambda _m: callback())

    def get(self) -> Any:
        moment = self.edit.dateTime().toPython()
        return moment.astimezone() if isinstance(moment, dt.datetime) else moment

    def set(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            moment = local(value)
            self.edit.setDateTime(QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0))


class BoolEditor(Editor):
    def __init__(self, parent: QWidget) -> None:
        self.widget = self.box = QCheckBox(parent)

    def get(self) -> Any:
        return self.box.isChecked()

    def on_change(self, callback: Callable[[], None]) -> None:
        self.box.clicked.connect(lambda _c: callback())

    def set(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class ChoiceEditor(Editor):
    """A reference-dictionary code; the words come from caseapp.refdata in the UI language."""

    def __init__(self, parent: QWidget, items: list[tuple[str, str]], optional: bool) -> None:
        self.widget = self.combo = QComboBox(parent)
        self.combo.setProperty("caseapp_choices", True)
        if optional:
            self.combo.addItem("", "")
        for code, text in items:
            self.combo.addItem(text, code)

    def get(self) -> Any:
        return self.combo.currentData() or ""

    def on_change(self, callback: Callable[[], None]) -> None:
        self.combo.activated.connect(lambda _i: callback())

    def set(self, value: Any) -> None:
        index = self.combo.findData("" if value is None else str(value))
        if index < 0 and value not in (None, ""):
            # a retired or unknown code stays as it is rather than being silently replaced
            self.combo.addItem(str(value), str(value))
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class MultiEditor(Editor):
    """Comma-separated codes (needs, entitlements) as a row of check boxes."""

    def __init__(self, parent: QWidget, items: list[tuple[str, str]]) -> None:
        self.widget = QWidget(parent)
        layout = QGridLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for n, (code, text) in enumerate(items):
            box = QCheckBox(text, self.widget)
            box.setProperty("caseapp_choices", True)
            layout.addWidget(box, n // MULTI_COLUMNS, n % MULTI_COLUMNS)
            self.boxes[code] = box

    def get(self) -> Any:
        return ",".join(code for code, box in self.boxes.items() if box.isChecked())

    def on_change(self, callback: Callable[[], None]) -> None:
        for box in self.boxes.values():
            box.clicked.connect(lambda _c: callback())

    def set(self, value: Any) -> None:
        chosen = {c.strip() for c in str(value or "").split(",")}
        for code, box in self.boxes.items():
            box.setChecked(code in chosen)


def dictionary_items(name: str, lang: str) -> list[tuple[str, str]]:
    try:
        entries = refdata.dictionary(name)
    except KeyError:
        return []
    return [(code, texts.get(lang) or code) for code, texts in entries.items()]


def make_editor(spec: FieldSpec, parent: QWidget, lang: str,
                members: list[tuple[str, str]] | None = None,
                links: Mapping[str, list[tuple[str, str]]] | None = None) -> Editor:
    """``links``: for a field pointing at another record (a household's building), the (id, name)
    of the records it may point at; such a field is chosen from them."""
    editor: Editor
    if spec.kind == MULTILINE:
        editor = TextEditor(parent)
    elif spec.kind == NOW:
        editor = NowEditor(parent)
    elif spec.kind == DATETIME:
        editor = DateTimeTextEditor(parent)
    elif spec.kind == BOOL:
        editor = BoolEditor(parent)
    elif spec.kind == CHOICE:
        editor = ChoiceEditor(parent, dictionary_items(spec.dictionary, lang), optional=not spec.required)
    elif spec.kind == MULTI:
        editor = MultiEditor(parent, dictionary_items(spec.dictionary, lang))
    elif spec.kind == MEMBER:
        editor = ChoiceEditor(parent, members or [], optional=not spec.required)
        mark_data(editor.widget)  # member names are records, not UI wording
    elif links is not None and spec.name in links:
        editor = ChoiceEditor(parent, links[spec.name], optional=not spec.required)
        mark_data(editor.widget)  # addresses are records, not UI wording
    elif spec.kind == "date":
        editor = DateEditor(parent)
    else:
        editor = LineEditor(parent)
    editor.widget.setObjectName(spec.name)
    return editor
