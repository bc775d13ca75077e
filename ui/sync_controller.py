"""Runs sync in the background and keeps the status the status bar and Sync page show.

A sync is network work plus writes of what comes back. It runs on a pool thread and hands each
write (a batch of verdicts, a pulled page) to the writer, so a caseworker's save waits at most for
one page to be applied, never for the network; the GUI thread never waits at all. Progress arrives
from the sync engine's plain callback (on the pool thread) and reaches the GUI through a queued
signal.
"""

from __future__ import annotations

from typing import Any

from caseapp.services.status import workspace_status
from caseapp.store.workspace import Workspace
from ui.adapters import sync
from ui.qt import QObject, QTimer, Signal
from ui.session import EVERYTHING, Session

BACKGROUND_INTERVAL_MS = 5 * 60 * 1000
STARTUP_SYNC_DELAY_MS = 5_000


class SyncController(QObject):
    status_changed = Signal(object)
    #: stage (push / pull / attachments), items done so far, total (0 when not known)
    progress = Signal(str, int, int)
    #: ok, message (empty when ok)
    finished = Signal(bool, str)
    started = Signal()

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.status: dict[str, Any] = {}
        self.running = False
        self.online: bool | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(BACKGROUND_INTERVAL_MS)
        self._timer.timeout.connect(self.background_sync)
        session.changed.connect(lambda _e: self.refresh())
        session.unlocked.connect(self._on_unlocked)
        session.locked.connect(self._on_locked)

    @property
    def configured(self) -> bool:
        return self.status.get("server", "-") not in ("", "-")

    def _on_unlocked(self) -> None:
        self.refresh()
        self._timer.start()
        # Catch up soon after unlocking, once the first screen has loaded.
        QTimer.singleShot(STARTUP_SYNC_DELAY_MS, self, self.background_sync)

    def _on_locked(self) -> None:
        self._timer.stop()
        self.status = {}
        self.running = False

    def refresh(self) -> None:
        if not self.session.is_open:
            return

        def read(ws: Workspace) -> dict[str, Any]:
            return workspace_status(ws)

        self.session.with_workspace(read, self._set_status, lambda _e: None, writer=False)

    def _set_status(self, status: dict[str, Any]) -> None:
        self.status = status
        self.status_changed.emit(status)

    def background_sync(self) -> None:
        if self.configured and not self.running:
            self.sync_now()

    def sync_now(self) -> None:
        if self.running or not self.session.is_open:
            return
        self.running = True
        self.started.emit()
        self.session.with_workspace(
            lambda ws: sync.sync_now(ws, progress=self.progress.emit, write=self.session.writer_for(ws)),
            self._done, self._failed, writer=False)

    def _done(self, _result: Any) -> None:
        self.running = False
        self.online = True
        self.finished.emit(True, "")
        # Whatever came in may touch any screen.
        self.session.changed.emit(EVERYTHING)
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.running = False
        # Any failure (offline, refused, server error) means the last attempt did not get through.
        self.online = False
        message = self.session.message(error)
        self.finished.emit(False, message)
        self.refresh()
