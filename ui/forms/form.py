"""A form for one record type, built from its field specs, that shows the core's validation errors
under the fields they concern."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from caseapp.errors import CaseAppError, ValidationErrors
from ui.forms.editors import Editor, make_editor
from ui.forms.specs import SPECS, FieldSpec
from ui.qt import QFormLayout, QLabel, QVBoxLayout, QWidget
from ui.widgets.field_error import FieldError


class RecordForm(QWidget):
    def __init__(self, entity: str, lang: str, *, values: Mapping[str, Any] | None = None,
                 specs: Sequence[FieldSpec] | None = None, members: list[tuple[str, str]] | None = None,
                 links: Mapping[str, list[tuple[str, str]]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity = entity
        self.specs = specs if specs is not None else SPECS[entity]
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, FieldError] = {}
        self.cells: dict[str, QWidget] = {}
        self.banner = FieldError(self)
        self.banner.setObjectName("form_error")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in self.specs:
            editor = make_editor(spec, self, lang, members, links)
            text = spec.text(lang) + (" *" if spec.required else "")
            label = QLabel(text, self)
            label.setBuddy(editor.widget)
            # The error sits right under its input, inside the same form row.
            cell = QWidget(self)
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            editor.widget.setParent(cell)
            column.addWidget(editor.widget)
            error = FieldError(cell)
            error.setObjectName(f"error_{spec.name}")
            column.addWidget(error)
            form.addRow(label, cell)
            self.cells[spec.name] = cell
            self.editors[spec.name] = editor
            self.errors[spec.name] = error
            # A corrected field loses its message at once, without waiting for the next save.
            editor.on_change(error.fixed)
        self.rows = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        # A dialog taller than its fields gives the room below the last row: were the rows to share
        # it, each text box would float in the middle of a tall row, far from its label at the top.
        layout.addStretch(1)
        self.initial: dict[str, Any] = {}
        if values:
            self.set_values(values)
        self.initial = self.values()

    def set_read_only(self) -> None:
        """Shown to be read, not changed (a fact: a visit made, a patrol walked): text stays
        selectable and copyable, choices and boxes are greyed."""
        for editor in self.editors.values():
            widget: Any = editor.widget
            if hasattr(widget, "setReadOnly"):
                widget.setReadOnly(True)
            else:
                widget.setEnabled(False)

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, editor in self.editors.items():
            if name in values:
                editor.set(values[name])

    def values(self) -> dict[str, Any]:
        return {name: editor.get() for name, editor in self.editors.items()}

    def new_values(self) -> dict[str, Any]:
        """For a new record: what was filled in. Blank fields are left out so the record type's
        defaults apply and the core reports missing required fields by name."""
        return {name: value for name, value in self.values().items() if value not in ("", None)}

    def changed_values(self) -> dict[str, Any]:
        """For an edit: only what the user changed (an edit never rewrites untouched fields, so it
        cannot clobber a change synced in from another device meanwhile)."""
        return {name: value for name, value in self.values().items() if value != self.initial.get(name)}

    def add_row_after(self, name: str, label: str, widget: QWidget) -> None:
        """A row that is not a field (a figure worked out from the others) after field ``name``,
        or at the end where the form does not show it."""
        cell = self.cells.get(name)
        row = self.rows.rowCount()
        if cell is not None:
            position: Any = self.rows.getWidgetPosition(cell)
            row = int(position[0]) + 1
        self.rows.insertRow(row, QLabel(label, self), widget)

    def editor(self, name: str) -> Editor:
        return self.editors[name]

    def clear_errors(self) -> None:
        self.banner.clear_error()
        for error in self.errors.values():
            error.clear_error()

    def show_errors(self, error: CaseAppError, reason: Callable[[CaseAppError], str],
                    full: Callable[[CaseAppError], str]) -> None:
        """Each error under its field (``reason``: the message alone); errors about fields this form
        does not show go to the banner at the top (``full``: with the field's name)."""
        self.clear_errors()
        items = error.errors if isinstance(error, ValidationErrors) else [error]
        unplaced: list[str] = []
        first: QWidget | None = None
        for item in items:
            if item.field in self.errors:
                self.errors[item.field].show_error(reason(item))
                first = first or self.editors[item.field].widget
            else:
                unplaced.append(full(item))
        if unplaced:
            self.banner.show_error("\n".join(unplaced))
        if first is not None:
            first.setFocus()
