"""Sync: where this workspace syncs to, what is waiting, what the server refused, and conflicts."""

from __future__ import annotations

from typing import Any

from caseapp.store.workspace import Workspace
from ui.adapters import sync
from ui.format import fmt_stamp
from ui.models.outbox import ConflictsModel, OutboxModel
from ui.pages.base import Page
from ui.qt import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)
from ui.session import EVERYTHING, Session
from ui.sync_controller import SyncController
from ui.widgets.conflict_panel import ConflictPanel
from ui.widgets.field_error import FieldError
from ui.widgets.login_box import LoginBox
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable


class SyncPage(Page):
    watches = frozenset({"*"})

    def __init__(self, session: Session, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.controller = controller
        self._login_asked = False
        self.server = QLabel(self)
        self.last_sync = QLabel(self)
        self.pending = QLabel(self)
        self.stage = QLabel(self)
        self.release = QLabel(self)
        self.release.setObjectName("release")
        self.release.setWordWrap(True)
        for label in (self.server, self.last_sync, self.pending, self.stage, self.release):
            mark_data(label)
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setObjectName("sync_now")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(240)
        self.progress.hide()
        self.message = FieldError(self)
        status = QFormLayout()
        status.addRow(self.tr("Server"), self.server)
        status.addRow(self.tr("Last sync"), self.last_sync)
        status.addRow(self.tr("Waiting to sync"), self.pending)
        status.addRow(self.tr("Program release"), self.release)
        busy = QHBoxLayout()
        busy.addWidget(self.progress)
        busy.addWidget(self.stage, 1)
        status.addRow("", busy)
        top = QHBoxLayout()
        top.addLayout(status, 1)
        top.addWidget(self.sync_button, 0, Qt.AlignmentFlag.AlignTop)

        self.login_box = QGroupBox(self.tr("Connect to the organisation's server"), self)
        self.login = LoginBox(self.login_box)
        QVBoxLayout(self.login_box).addWidget(self.login)
        self.login_box.setMaximumWidth(640)

        self.outbox = OutboxModel(session, self)
        self.outbox_table = RecordTable(self)
        self.outbox_table.setObjectName("outbox")
        self.outbox_table.setModel(self.outbox)
        self.conflicts = ConflictsModel(session, parent=self)
        self.conflicts_table = RecordTable(self)
        self.conflicts_table.setObjectName("conflicts")
        self.conflicts_table.setModel(self.conflicts)
        self.panel = ConflictPanel(session.core_lang, self)
        outbox_box = QGroupBox(self.tr("Outbox: changes waiting for the server, and refused ones"), self)
        QVBoxLayout(outbox_box).addWidget(self.outbox_table)
        conflicts_box = QGroupBox(self.tr("Conflicts: the same field changed on two devices"), self)
        conflicts_layout = QHBoxLayout(conflicts_box)
        conflicts_layout.addWidget(self.conflicts_table, 2)
        conflicts_layout.addWidget(self.panel, 3)
        lists = QSplitter(Qt.Orientation.Vertical, self)
        lists.addWidget(outbox_box)
        lists.addWidget(conflicts_box)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.login_box)
        layout.addWidget(lists, 1)

        self.sync_button.clicked.connect(controller.sync_now)
        self.login.submitted.connect(self._login)
        self.conflicts_table.selectionModel().currentRowChanged.connect(lambda *_: self._conflict_selected())
        self.conflicts.loaded.connect(self._conflict_selected)
        self.panel.resolve.connect(self._resolve)
        self.panel.open_household.connect(self.open_household)
        controller.status_changed.connect(self._show_status)
        controller.started.connect(self._started)
        controller.progress.connect(self._progress)
        controller.finished.connect(self._finished)

    def focus_target(self) -> QWidget | None:
        # connecting: the first field still empty; connected: Sync now
        if self.login_box.isVisible():
            return next((f for f in (self.login.url, self.login.user, self.login.password) if not f.text()),
                        self.login.password)
        return self.sync_button

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
        self.panel.show_conflict(None)
        for label in (self.server, self.last_sync, self.pending, self.stage, self.release):
            label.clear()

    # -- status and syncing ---------------------------------------------------------------------
    def show_login(self, url: str) -> None:
        """Sign in to another server (its address was changed in Settings)."""
        self._login_asked = True
        self.login.url.setText(url)
        self.login_box.setVisible(True)
        self.login.user.setFocus()

    def _show_status(self, status: dict[str, Any]) -> None:
        server = status.get("server", "-")
        connected = server not in ("", "-")
        self.server.setText(server if connected else self.tr("Not connected to a server"))
        self.login_box.setVisible(not connected or self._login_asked)
        if not self.login.url.text():
            self.login.url.setText(str(self.session.settings.get("sync.server_url") or ""))
        last = status.get("last_sync", "-")
        self.last_sync.setText(fmt_stamp(str(last)) if last not in ("", "-") else self.tr("Never"))
        pending, rejected = int(status.get("pending", 0)), int(status.get("rejected", 0))
        text = self.tr("%n change(s)", "", pending)
        if rejected:
            text += " · " + self.tr("%n refused by the server", "", rejected)
        self.pending.setText(text)
        release, update = str(status.get("release", "")), str(status.get("update", "-"))
        self.release.setText(release if update == "-" else self.tr(
            "%1 · a new release, %2, is available: ask your administrator for the installer "
            "(upgrading keeps your data)").replace("%1", release).replace("%2", update))
        self.sync_button.setEnabled(connected and not self.controller.running)

    def _started(self) -> None:
        self.sync_button.setEnabled(False)
        self.message.clear_error()
        self.stage.setText(self.tr("Connecting…"))
        self.progress.setRange(0, 0)
        self.progress.show()

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)  # 0..0: a busy bar, when the server gave no total
        self.progress.setValue(min(done, total))
        if stage == "index":
            self.stage.setText(self.tr("Preparing search for the households received…"))
            return
        if total:
            stages = {"push": self.tr("Sending changes: %1 of %2"), "pull": self.tr("Receiving changes: %1 of %2"),
                      "attachments": self.tr("Uploading attachments: %1 of %2")}
        else:
            stages = {"push": self.tr("Sending changes: %1"), "pull": self.tr("Receiving changes: %1"),
                      "attachments": self.tr("Uploading attachments: %1")}
        locale = self.locale()
        text = stages.get(stage, "%1").replace("%1", locale.toString(done)).replace("%2", locale.toString(total))
        self.stage.setText(text)

    def _finished(self, ok: bool, message: str) -> None:
        self.sync_button.setEnabled(True)
        self.progress.hide()
        self.stage.setText(self.tr("Sync finished.") if ok else "")
        if not ok:
            self.message.show_error(message)
        if self.isVisible():
            self.refresh()

    def _login(self, url: str, user: str, password: str) -> None:
        ca_file = str(self.session.settings.get("sync.ca_file") or "")

        def done(login: Any) -> None:
            self.login.done()
            self._login_asked = False
            self.session.settings["sync.server_url"] = url
            self.session.settings["sync.role"] = str(getattr(login, "role", "") or "")
            scopes = list(getattr(login, "scopes", []) or [])
            self.session.settings["sync.scopes"] = scopes
            if scopes and not self.session.org_code:
                self.session.set_setting("org.default", scopes[0])
            self.controller.refresh()
            self.controller.sync_now()

        def failed(error: Exception) -> None:
            self.login.show_error(self.session.message(error))

        self.login.set_busy(True)
        self.session.with_workspace(lambda ws: sync.login(ws, url, user, password, ca_file), done, failed)

    # -- conflicts ------------------------------------------------------------------------------
    def _conflict_selected(self) -> None:
        row = self.conflicts_table.current_row()
        if row < 0 and self.conflicts.rows:
            self.conflicts_table.selectRow(0)
            return
        self.panel.show_conflict(self.conflicts.row_at(row) if 0 <= row < len(self.conflicts.rows) else None)

    def _resolve(self, conflict_id: str, keep: str, value: str | None) -> None:
        def job(ws: Workspace) -> Any:
            return sync.resolve(ws, conflict_id, keep=keep or None, value=value)

        def done(_result: Any) -> None:
            self.session.changed.emit(EVERYTHING)
            # The resolution is an ordinary change: send it now when a server is there.
            self.controller.background_sync()

        self.session.with_workspace(job, done, lambda error: self.panel.show_error(self.session.message(error)))
