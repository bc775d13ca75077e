"""The one top-level window: first run, unlock, or the main screen, and the rules for locking.

Locking (Ctrl+L, the Lock button, or idle time) empties every page, hides open dialogs (their typed
contents come back after unlocking, so a caseworker interrupted mid-visit loses nothing), and only
then forgets the key. While locked the window shows the unlock screen and nothing else.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from ui import language as i18n
from ui.idle import IdleWatcher, LockKey
from ui.prefs import Prefs
from ui.qt import QCloseEvent, QDialog, QMainWindow, QMessageBox, QRect, QSize, QStackedWidget, Qt, QWidget
from ui.screens.unlock import UnlockScreen
from ui.session import SETTINGS, Session

if TYPE_CHECKING:
    from ui.screens.firstrun import FirstRun
    from ui.screens.main_screen import MainScreen
    from ui.sync_controller import SyncController

# Imported once the unlock screen is up (ui.app warms them up in the background): the pages pull
# in the services, sync client and search, which the unlock screen does not need.
MAIN_MODULES = ("ui.screens.main_screen", "ui.sync_controller", "ui.adapters.demo")

DEFAULT_AUTOLOCK_MINUTES = 5
# The size a first start asks for; a smaller screen gets what it has room for.
DEFAULT_SIZE = QSize(1180, 760)
# Room left for the window frame and title bar, which the available geometry does not include.
FRAME_ALLOWANCE = QSize(16, 40)


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """``wanted``, shrunk to what fits on a screen whose free area (without task bars) is
    ``available``: 1366×768 at 125% scaling leaves about 1093×582 device-independent pixels."""
    room = available.size() - FRAME_ALLOWANCE
    return QSize(max(1, min(wanted.width(), room.width())), max(1, min(wanted.height(), room.height())))


class AppWindow(QMainWindow):
    def __init__(self, session: Session, prefs: Prefs, *, idle_ms: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.prefs = prefs
        # Tests pass a short fixed timeout; otherwise the workspace's setting decides.
        self._idle_override = idle_ms
        self.setObjectName("app_window")
        self._restore_size()
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.first_run: FirstRun | None = None
        self.unlock_screen = UnlockScreen(session, self)
        self.stack.addWidget(self.unlock_screen)
        self._main: MainScreen | None = None
        self._sync: SyncController | None = None
        self._hidden_dialogs: list[QDialog] = []
        self._close_confirmed = False
        self.close_box: QMessageBox | None = None
        self.leave_box: QMessageBox | None = None

        self.idle = IdleWatcher(idle_ms or DEFAULT_AUTOLOCK_MINUTES * 60_000, self)
        self.idle.idle.connect(self.lock)
        self.lock_key = LockKey(self)
        self.lock_key.pressed.connect(self.lock)
        self.unlock_screen.unlocked.connect(self._after_unlock)
        session.unlocked.connect(self._unlocked)
        session.tasks.crashed.connect(self._crashed)

        if session.path.joinpath("key.json").exists():
            self.stack.setCurrentWidget(self.unlock_screen)
        else:
            self.first_run = self._new_first_run()
        self._retitle()

    def _new_first_run(self) -> FirstRun:
        from ui.screens.firstrun import FirstRun

        first_run = FirstRun(self.session, self)
        self.stack.addWidget(first_run)
        self.stack.setCurrentWidget(first_run)
        first_run.finished.connect(self._first_run_done)
        first_run.language_changed.connect(self.set_language)
        return first_run

    # -- the main screen, built when first needed ----------------------------------------------------
    @property
    def sync(self) -> SyncController:
        if self._sync is None:
            from ui.sync_controller import SyncController

            self._sync = SyncController(self.session, self)
        return self._sync

    @property
    def main_screen(self) -> MainScreen:
        if self._main is None:
            self._main = self._build_main()
        return self._main

    def _build_main(self) -> MainScreen:
        from ui.screens.main_screen import MainScreen

        main = MainScreen(self.session, self.sync, self)
        self.stack.addWidget(main)
        self._main = main
        self._connect_main()
        return main

    def _connect_main(self) -> None:
        self.main_screen.lock_requested.connect(self.lock)
        self.main_screen.settings.language_changed.connect(self.set_language)
        self.main_screen.settings.autolock_changed.connect(self._set_idle)
        self.main_screen.settings.leave_demo_requested.connect(self.ask_to_leave_demo)

    def _restore_size(self) -> None:
        """The size the window had when last closed (or the default), never more than the screen has
        room for; maximised again if it was."""
        saved = self.prefs.window_size
        wanted = QSize(saved[0], saved[1]) if len(saved) == 2 else DEFAULT_SIZE
        screen = self.screen()
        size = fitted_size(wanted, screen.availableGeometry()) if screen is not None else wanted
        self.resize(size)
        if screen is not None:
            free = screen.availableGeometry()
            self.move(free.x() + max(0, (free.width() - size.width()) // 2),
                      free.y() + max(0, (free.height() - size.height() - FRAME_ALLOWANCE.height()) // 2))
        if self.prefs.window_maximized:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _remember_size(self) -> None:
        self.prefs.window_maximized = self.isMaximized()
        if not self.isMaximized():
            self.prefs.window_size = [self.width(), self.height()]
        with contextlib.suppress(OSError):  # a read-only profile: the next start opens at the default size
            self.prefs.save()

    def _retitle(self) -> None:
        # 个案通 in Chinese: the product's name in the language of the window
        title = self.tr("CaseApp")
        if self.session.is_open and self.session.settings.get("demo"):
            title += " · " + self.tr("Demo")
        self.setWindowTitle(title)

    # -- unlocking and locking ------------------------------------------------------------------
    def _unlocked(self) -> None:
        minutes = int(self.session.settings.get("ui.autolock_minutes") or DEFAULT_AUTOLOCK_MINUTES)
        self._set_idle(self._idle_override or minutes * 60_000)
        self.idle.start()
        self._retitle()
        if self.session.settings.get("demo") and self.first_run is None:
            from ui.adapters import demo

            # The demo's server runs inside the app: start it again after a restart.
            self.session.with_workspace(demo.ensure_server, self._demo_server_up, lambda _e: None)
        if self.first_run is None:
            self._show_main()

    def _crashed(self, error: Exception) -> None:
        """A background job failed with nobody waiting for the answer: say so rather than stay
        silent (the details are in the log)."""
        text = self.tr("Something went wrong: %1").replace("%1", self.session.message(error))
        if self._main is not None:
            self._main.status.showMessage(text, 15_000)

    def _demo_server_up(self, url: str) -> None:
        self.session.settings["sync.server_url"] = url
        self.sync.refresh()

    def _after_unlock(self, used_recovery_key: bool) -> None:
        if used_recovery_key:
            # The old passphrase is forgotten: go straight to choosing a new one.
            self.main_screen.go(self.main_screen.settings)
            self.main_screen.settings.choose_new_passphrase()

    def _first_run_done(self) -> None:
        if self.first_run is not None:
            self.stack.removeWidget(self.first_run)
            self.first_run.deleteLater()
            self.first_run = None
        self._retitle()
        self._show_main()
        # The session was opened before the sync controller existed: start it now, and pull the
        # caseworker's area at once if the first run connected to a server.
        self.sync.begin(at_once=True)

    def _show_main(self) -> None:
        self.stack.setCurrentWidget(self.main_screen)
        self.main_screen.unlocked()
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []

    def _set_idle(self, timeout_ms: int) -> None:
        self.idle.set_timeout_ms(self._idle_override or timeout_ms)

    def lock(self) -> None:
        if not self.session.is_open or self.first_run is not None:
            return
        self.idle.stop()
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_dialogs:
            dialog.hide()
        if self._main is not None:
            self._main.clear()
        self.stack.setCurrentWidget(self.unlock_screen)
        self.unlock_screen.reset()
        self.session.lock()
        self._retitle()

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.unlock_screen

    # -- language -------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        """Switch language: new translators, then rebuild the screens so every string is re-read."""
        self.prefs.language = lang
        self.prefs.save()
        self.session.lang = lang
        i18n.install(lang)
        old_unlock = self.unlock_screen
        self.unlock_screen = UnlockScreen(self.session, self)
        self.unlock_screen.unlocked.connect(self._after_unlock)
        self.stack.insertWidget(self.stack.indexOf(old_unlock), self.unlock_screen)
        was_unlock = self.stack.currentWidget() is old_unlock
        self.stack.removeWidget(old_unlock)
        old_unlock.deleteLater()
        old_main, self._main = self._main, None
        if old_main is not None:
            page = old_main.stack.currentIndex()
            was_main = self.stack.currentWidget() is old_main
            main = self._build_main()
            self.stack.removeWidget(old_main)
            old_main.deleteLater()
            main.nav.setCurrentRow(page)
            if was_main:
                self.stack.setCurrentWidget(main)
                main.unlocked()
                self.sync.refresh()
        if was_unlock:
            self.stack.setCurrentWidget(self.unlock_screen)
        old_first = self.first_run
        if old_first is not None and old_first.current_step() is old_first.passphrase_step:
            # The language is chosen on the first screen, before anything is created: build it
            # again in that language, keeping the name already typed (passphrases are typed after).
            name = old_first.passphrase_step.name.text()
            self.first_run = self._new_first_run()
            self.first_run.passphrase_step.name.setText(name)
            self.stack.removeWidget(old_first)
            old_first.deleteLater()
            self.first_run.passphrase_step.language.setFocus()
        self._retitle()

    def unsynced_changes(self) -> int:
        """Changes recorded here and not yet accepted by the server (0 with no server to send them to)."""
        if self._sync is None or not self.session.is_open or not self._sync.configured:
            return 0
        return int(self._sync.status.get("pending", 0) or 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        pending = self.unsynced_changes()
        if pending and not self._close_confirmed:
            # Say what happens to them before the window goes: nothing is lost, nothing is sent.
            event.ignore()
            self._ask_before_closing(pending)
            return
        self._remember_size()
        self.idle.stop()
        self.session.close()
        super().closeEvent(event)

    # -- leaving the demo -----------------------------------------------------------------------
    def ask_to_leave_demo(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Leave the demo"), self.tr(
            "The demo's households, and everything typed into the demo, are deleted from this computer. "
            "Then you create your own workspace, with your own passphrase."), parent=self)
        box.setObjectName("leave_demo_box")
        leave = box.addButton(self.tr("Delete the demo and start"), QMessageBox.ButtonRole.DestructiveRole)
        leave.setObjectName("leave")
        stay = box.addButton(self.tr("Stay in the demo"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.finished.connect(lambda _r: self.leave_demo() if box.clickedButton() is leave else None)
        self.leave_box = box
        box.open()

    def leave_demo(self) -> None:
        """Close and delete the demo workspace, then show the first run again (a workspace that is
        not the demo's is never deleted here)."""
        ws = self.session.ws
        if ws is None or not self.session.settings.get("demo"):
            return
        from ui.adapters import demo

        demo_folder = demo.folder_for(ws)
        self.idle.stop()
        if self._main is not None:
            self._main.clear()
        self.session.close()
        demo.leave(self.session.path, demo_folder)
        self.session.settings = dict(SETTINGS)
        self.first_run = self._new_first_run()
        self._retitle()

    def _ask_before_closing(self, pending: int) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Changes not yet synced"), self.tr(
            "%n change(s) made on this computer have not reached the server yet. They stay here, "
            "encrypted in this workspace, and are sent at the next sync after you unlock it again. "
            "Until then colleagues do not see them.", "", pending), parent=self)
        box.setObjectName("close_unsynced")
        close = box.addButton(self.tr("Close, keep them on this computer"), QMessageBox.ButtonRole.AcceptRole)
        close.setObjectName("close_anyway")
        sync_first = box.addButton(self.tr("Sync now"), QMessageBox.ButtonRole.ActionRole)
        sync_first.setObjectName("sync_first")
        stay = box.addButton(self.tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        stay.setObjectName("keep_open")
        box.setDefaultButton(stay)

        def answered() -> None:
            clicked = box.clickedButton()
            self.close_box = None
            if clicked is close:
                self._close_confirmed = True
                self.close()
            elif clicked is sync_first and self._main is not None:
                self._main.go(self._main.sync_page)
                self.sync.sync_now()

        box.finished.connect(lambda _r: answered())
        self.close_box = box
        box.open()
