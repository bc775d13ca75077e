"""Runs sync in the background and keeps the status the status bar and Sync page show.

A sync is network work plus writes of what comes back. It runs on a pool thread and hands each
write (a batch of verdicts, a pulled page) to the writer, so a caseworker's save waits at most for
one page to be applied, never for the network; the GUI thread never waits at all. Progress arrives
from the sync engine's plain callback (on the pool thread) and reaches the GUI through a queued
signal.

When to sync: soon after unlocking, every five minutes, soon after the operating system reports
the network back (where it can say), and after a failed attempt again in 30 s, 1, 2, 4 minutes
rather than waiting out the whole interval: a caseworker back in range should not have to press
anything.
"""

from __future__ import annotations

from typing import Any

from caseapp.services.status import workspace_status
from caseapp.store.workspace import Workspace
from ui.adapters import sync
from ui.qt import QNetworkInformation, QObject, QTimer, Signal
from ui.session import EVERYTHING, Session

BACKGROUND_INTERVAL_MS = 5 * 60 * 1000
STARTUP_SYNC_DELAY_MS = 5_000
#: after a failed attempt: 30 s, then doubling, never beyond the regular interval
RETRY_FIRST_MS = 30_000
#: the network is reported back: give it a moment to settle (DHCP, captive portals)
RECONNECT_DELAY_MS = 3_000


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
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.background_sync)
        self.retry_ms = 0  # the next retry's delay; 0 while the last attempt succeeded
        self._watch_network()
        session.changed.connect(lambda _e: self.refresh())
        session.unlocked.connect(self._on_unlocked)
        session.locked.connect(self._on_locked)

    @property
    def configured(self) -> bool:
        return self.status.get("server", "-") not in ("", "-")

    def _on_unlocked(self) -> None:
        self.begin()

    def begin(self, *, at_once: bool = False) -> None:
        """Start syncing for an open workspace: soon after an unlock, and straight away (``at_once``)
        after the first run has just connected it to a server, so the caseworker's area is on the
        device before the first screen is read. The first run opens the workspace before this
        controller exists, so the window calls this itself then."""
        self.refresh()
        # A first sync interrupted before its end left the search index to be built: build it now,
        # in the background, a batch per write.
        self.session.with_workspace(
            lambda ws: sync.rebuild_index_if_stale(ws, self.session.writer_for(ws)),
            lambda _n: None, lambda _e: None, writer=False)
        self._timer.start()
        if at_once and self.session.settings.get("sync.server_url"):
            self.sync_now()
        else:
            # Catch up soon after unlocking, once the first screen has loaded.
            QTimer.singleShot(STARTUP_SYNC_DELAY_MS, self, self.background_sync)

    def _watch_network(self) -> None:
        """Sync when the system says the network is back, where it has a way to say so."""
        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        if reachability == QNetworkInformation.Reachability.Online and self.session.is_open:
            QTimer.singleShot(RECONNECT_DELAY_MS, self, self.background_sync)

    def _on_locked(self) -> None:
        self._timer.stop()
        self._retry.stop()
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
        self.retry_ms = 0
        self._retry.stop()
        self.finished.emit(True, "")
        # Whatever came in may touch any screen.
        self.session.changed.emit(EVERYTHING)
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.running = False
        # Any failure (offline, refused, server error) means the last attempt did not get through.
        self.online = False
        if self.session.is_open and self.configured:
            self.retry_ms = min(BACKGROUND_INTERVAL_MS, self.retry_ms * 2 if self.retry_ms else RETRY_FIRST_MS)
            self._retry.start(self.retry_ms)
        message = self.session.message(error)
        self.finished.emit(False, message)
        self.refresh()
