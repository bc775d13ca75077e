"""A dialog that creates or edits one record through caseapp.services.records, on the writer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain.codec import entity_class
from caseapp.errors import CaseAppError
from caseapp.services import records
from ui.forms.form import RecordForm
from ui.forms.specs import FieldSpec, entity_name
from ui.qt import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QPushButton,
    QScrollArea,
    QShortcut,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session

log = logging.getLogger(__name__)


#: the tallest a record dialog opens, and the room left for its title bar and buttons
MAX_HEIGHT, FRAME_AND_BUTTONS, SCREEN_MARGIN = 720, 90, 60


def dialog_height(form_height: int, free_height: int | None) -> int:
    """As tall as the form needs, but never taller than ``free_height`` (the screen's free area)
    allows: a long form scrolls instead."""
    room = MAX_HEIGHT if free_height is None else free_height - SCREEN_MARGIN
    return max(200, min(form_height + FRAME_AND_BUTTONS, MAX_HEIGHT, room))


class RecordDialog(QDialog):
    #: the saved record's id
    saved = Signal(str)

    def __init__(self, session: Session, entity: str, *, record_id: str | None = None,
                 values: Mapping[str, Any] | None = None, fixed: Mapping[str, Any] | None = None,
                 members: list[tuple[str, str]] | None = None, specs: Sequence[FieldSpec] | None = None,
                 links: Mapping[str, list[tuple[str, str]]] | None = None,
                 owner: tuple[str, str] | None = None, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.entity = entity
        self.record_id = record_id
        # Values the user does not type: the parent record's id, the org unit.
        self.fixed = dict(fixed or {})
        # (entity, id) of the record a new record belongs to: it inherits that record's org unit.
        self.owner = owner
        self.setObjectName(f"dialog_{entity}")
        title = self.tr("View: %1") if read_only else self.tr("Edit: %1") if record_id else self.tr("New: %1")
        self.setWindowTitle(title.replace("%1", entity_name(entity, session.core_lang)))
        self.form = RecordForm(entity, session.core_lang, values=values, specs=specs, members=members,
                               links=links)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # not a Tab stop of its own: it scrolls to whichever field the focus moves to
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.save = QPushButton(self.tr("Save"), self)
        self.save.setObjectName("save")
        self.save.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setObjectName("cancel")
        self.cancel.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.save)
        self.body = QVBoxLayout(self)
        self.body.addWidget(scroll, 1)
        self.body.addLayout(buttons)
        # The form scrolls: the dialog is never taller than the screen has room for (1366×768 at
        # 125% scaling leaves about 580 pixels).
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        free = screen.availableGeometry().height() if screen is not None else None
        self.resize(620, dialog_height(self.form.sizeHint().height(), free))
        self.save.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.reject)
        self.save.setToolTip(self.tr("Save (Ctrl+Enter)"))
        # Ctrl+Enter saves from any field, a multi-line note included; Enter moves on (keyPressEvent).
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)
        self.read_only = read_only
        if read_only:  # a fact is read, never changed: a correction is a new record
            self.form.set_read_only()
            self.save.hide()
            self.cancel.setText(self.tr("Close"))
            self.cancel.setDefault(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in a field moves on to the next one, as on a paper form; Enter in the last field, or
        on the Save button, saves."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            focus = QApplication.focusWidget()
            last = self._last_field()
            if (focus is not None and not isinstance(focus, QAbstractButton) and self.form.isAncestorOf(focus)
                    and last is not None and focus is not last and not last.isAncestorOf(focus)):
                self.focusNextChild()
                return
        super().keyPressEvent(event)

    def _last_field(self) -> QWidget | None:
        shown = [e.widget for e in self.form.editors.values() if e.widget.isEnabled() and not e.widget.isHidden()]
        return shown[-1] if shown else None

    def submit(self) -> None:
        if self.read_only or not self.save.isEnabled():
            return
        self.form.clear_errors()
        try:
            job = self.build_job()
        except CaseAppError as error:
            self._failed(error)
            return
        if job is None:
            self.accept()  # nothing changed
            return
        self.save.setEnabled(False)
        self.session.write(job, self._saved, self._failed)

    def build_job(self) -> Callable[[DbSession], str] | None:
        """The write to run for what the form holds (None: nothing to save)."""
        cls = entity_class(self.entity)
        record_id = self.record_id
        if record_id is not None:
            changes = self.form.changed_values()
            if not changes:
                return None

            def update(db: DbSession) -> str:
                records.update(db, records.get(db, cls, record_id), changes)
                return record_id

            return update
        fields = {**self.fixed, **self.form.new_values()}
        owner, default_org = self.owner, self.session.org_code

        def create(db: DbSession) -> str:
            if "org_code" not in fields:
                fields["org_code"] = (records.get(db, entity_class(owner[0]), owner[1]).org_code
                                      if owner else default_org)
            return records.create(db, cls, fields).id

        return create

    def _saved(self, record_id: str) -> None:
        self.save.setEnabled(True)
        self.saved.emit(record_id)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save.setEnabled(True)
        if isinstance(error, CaseAppError):
            self.form.show_errors(error, self.session.field_message, self.session.message)
        else:
            log.error("saving %s failed", self.entity, exc_info=error)
            self.form.banner.show_error(self.tr("The record could not be saved: %1").replace("%1", str(error)))
