"""Sync: where this workspace syncs to, what is waiting, what the server refused, and conflicts."""

from __future__ import annotations

from typing import Any

from ui.models.outbox import ConflictsModel, OutboxModel
from ui.pages.base import Page
from ui.qt import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget
from ui.session import Session
from ui.sync_controller import SyncController
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable


class SyncPage(Page):
    watches = frozenset({"*"})

    def __init__(self, session: Session, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.controller = controller
        self.server = QLabel(self)
        self.last_sync = QLabel(self)
        self.pending = QLabel(self)
        for label in (self.server, self.last_sync, self.pending):
            mark_data(label)
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setObjectName("sync_now")
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.message = FieldError(self)
        status = QFormLayout()
        status.addRow(self.tr("Server"), self.server)
        status.addRow(self.tr("Last sync"), self.last_sync)
        status.addRow(self.tr("Waiting to sync"), self.pending)
        top = QHBoxLayout()
        top.addLayout(status, 1)
        top.addWidget(self.sync_button)

        self.outbox = OutboxModel(session, self)
        self.outbox_table = RecordTable(self)
        self.outbox_table.setObjectName("outbox")
        self.outbox_table.setModel(self.outbox)
        self.conflicts = ConflictsModel(session, parent=self)
        self.conflicts_table = RecordTable(self)
        self.conflicts_table.setObjectName("conflicts")
        self.conflicts_table.setModel(self.conflicts)
        outbox_box = QGroupBox(self.tr("Outbox"), self)
        QVBoxLayout(outbox_box).addWidget(self.outbox_table)
        conflicts_box = QGroupBox(self.tr("Conflicts"), self)
        QVBoxLayout(conflicts_box).addWidget(self.conflicts_table)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(outbox_box, 2)
        layout.addWidget(conflicts_box, 1)

        self.sync_button.clicked.connect(controller.sync_now)
        controller.status_changed.connect(self._show_status)
        controller.started.connect(self._started)
        controller.progress.connect(self._progress)
        controller.finished.connect(self._finished)

    def title(self) -> str:
        return self.tr("Sync")

    def refresh(self) -> None:
        self.conflicts.device_id = self.session.ws.device_id if self.session.ws else ""
        self.outbox.reset()
        self.conflicts.reset()
        self.controller.refresh()

    def clear(self) -> None:
        super().clear()
        self.outbox.clear()
        self.conflicts.clear()
        for label in (self.server, self.last_sync, self.pending):
            label.clear()

    def _show_status(self, status: dict[str, Any]) -> None:
        server = status.get("server", "-")
        self.server.setText(server if server not in ("", "-") else self.tr("Not connected to a server"))
        last = status.get("last_sync", "-")
        self.last_sync.setText(str(last) if last not in ("", "-") else self.tr("Never"))
        self.pending.setText(str(status.get("pending", 0)))

    def _started(self) -> None:
        self.sync_button.setEnabled(False)
        self.message.clear_error()
        self.progress.setRange(0, 0)
        self.progress.show()

    def _progress(self, stage: str, done: int) -> None:
        # The total is not known in advance: a busy bar with a running count.
        stages = {"push": self.tr("Sending changes: %1"), "pull": self.tr("Receiving changes: %1"),
                  "attachments": self.tr("Uploading attachments: %1")}
        self.progress.setRange(0, 0)
        self.progress.setFormat(stages.get(stage, "%1").replace("%1", str(done)))
        self.progress.setTextVisible(True)

    def _finished(self, ok: bool, message: str) -> None:
        self.sync_button.setEnabled(True)
        self.progress.hide()
        if not ok:
            self.message.show_error(message)
        if self.isVisible():
            self.refresh()
