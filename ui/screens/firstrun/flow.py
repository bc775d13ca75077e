"""The first-run screens in order, and what each step asks the session to do."""

from __future__ import annotations

from typing import Any

from ui.adapters import demo, sync
from ui.qt import QHBoxLayout, QStackedWidget, QWidget, Signal
from ui.screens.firstrun.mode_step import CONNECT, DEMO, OFFLINE, ModeStep
from ui.screens.firstrun.passphrase_step import PassphraseStep
from ui.screens.firstrun.recovery_step import RecoveryStep
from ui.session import Session

DEMO_HOUSEHOLDS = 60
STEP_WIDTH = 680


class FirstRun(QWidget):
    finished = Signal()
    #: the language chosen on the first screen
    language_changed = Signal(str)
    # Demo generation reports from the writer thread; a signal carries it to the GUI thread.
    _progress = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.steps = QStackedWidget(self)
        self.steps.setMaximumWidth(STEP_WIDTH)
        self.passphrase_step = PassphraseStep(session, self.steps)
        self.recovery_step = RecoveryStep(self.steps)
        self.mode_step = ModeStep(self.steps)
        for step in (self.passphrase_step, self.recovery_step, self.mode_step):
            self.steps.addWidget(step)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 32, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.steps, 4)
        layout.addStretch(1)
        self.passphrase_step.submitted.connect(self._create)
        self.passphrase_step.language_changed.connect(self.language_changed)
        self.recovery_step.confirmed.connect(lambda: self.steps.setCurrentWidget(self.mode_step))
        self.mode_step.chosen.connect(self._choose)
        self._progress.connect(self.mode_step.set_progress)

    def current_step(self) -> QWidget | None:
        return self.steps.currentWidget()

    def _create(self, passphrase: str, name: str) -> None:
        def created(recovery_key: str) -> None:
            self.passphrase_step.forget()
            self.recovery_step.show_key(recovery_key)
            self.steps.setCurrentWidget(self.recovery_step)

        self.session.create(passphrase, name, created,
                            lambda error: self.passphrase_step.show_error(self.session.message(error)))

    def _choose(self, mode: str) -> None:
        step = self.mode_step
        if mode == OFFLINE:
            self.session.set_setting("org.default", step.org.code())
            self.session.set_setting("setup.mode", OFFLINE, on_done=lambda _r: self.finished.emit())
        elif mode == DEMO:
            self.session.with_workspace(
                lambda ws: demo.set_up(ws, DEMO_HOUSEHOLDS, progress=self._progress.emit),
                self._demo_ready, self._failed)
        elif mode == CONNECT:
            box = step.server_box
            url, user, password = box.url.text().strip(), box.user.text().strip(), box.password.text()
            self.session.with_workspace(lambda ws: sync.login(ws, url, user, password),
                                        lambda out: self._connected(url, out), self._failed)

    def _demo_ready(self, org_code: str) -> None:
        # demo.set_up stored these in the workspace; keep the session's copy in step.
        self.session.settings.update({"org.default": org_code, "demo": True})
        self.session.set_setting("setup.mode", DEMO, on_done=lambda _r: self.finished.emit())

    def _connected(self, url: str, login: Any) -> None:
        # sync.run.login stored the server, token and user inside the workspace already; new
        # records go to the first org unit the server put this user in.
        self.mode_step.server_box.password.clear()
        self.session.settings["sync.server_url"] = url
        self.session.settings["sync.role"] = str(getattr(login, "role", "") or "")
        scopes = list(getattr(login, "scopes", []) or [])
        self.session.settings["sync.scopes"] = scopes
        if scopes:
            self.session.set_setting("org.default", scopes[0])
        self.session.set_setting("setup.mode", CONNECT, on_done=lambda _r: self.finished.emit())

    def _failed(self, error: Exception) -> None:
        self.mode_step.show_error(self.session.message(error))
