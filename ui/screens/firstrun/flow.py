"""The first-run screens in order, and what each step asks the session to do."""

from __future__ import annotations

from ui.adapters import demo, sync
from ui.qt import QStackedWidget, QWidget, Signal
from ui.screens.firstrun.mode_step import CONNECT, DEMO, OFFLINE, ModeStep
from ui.screens.firstrun.passphrase_step import PassphraseStep
from ui.screens.firstrun.recovery_step import RecoveryStep
from ui.session import Session

DEMO_HOUSEHOLDS = 60


class FirstRun(QStackedWidget):
    finished = Signal()
    # Demo generation reports from the writer thread; a signal carries it to the GUI thread.
    _progress = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.passphrase_step = PassphraseStep(session, self)
        self.recovery_step = RecoveryStep(self)
        self.mode_step = ModeStep(self)
        for step in (self.passphrase_step, self.recovery_step, self.mode_step):
            self.addWidget(step)
        self.passphrase_step.submitted.connect(self._create)
        self.recovery_step.confirmed.connect(lambda: self.setCurrentWidget(self.mode_step))
        self.mode_step.chosen.connect(self._choose)
        self._progress.connect(self.mode_step.set_progress)

    def _create(self, passphrase: str, name: str) -> None:
        def created(recovery_key: str) -> None:
            self.passphrase_step.forget()
            self.recovery_step.show_key(recovery_key)
            self.setCurrentWidget(self.recovery_step)

        self.session.create(passphrase, name, created,
                            lambda error: self.passphrase_step.show_error(self.session.message(error)))

    def _choose(self, mode: str) -> None:
        step = self.mode_step
        if mode == OFFLINE:
            self.session.set_setting("org.default", step.org.code())
            self.session.set_setting("setup.mode", OFFLINE, on_done=lambda _r: self.finished.emit())
        elif mode == DEMO:
            self.session.with_workspace(
                lambda ws: demo.generate(ws, DEMO_HOUSEHOLDS, seed=0, progress=self._progress.emit),
                lambda _r: self._demo_ready(), self._failed)
        elif mode == CONNECT:
            url, user, password = step.url.text().strip(), step.user.text().strip(), step.password.text()
            self.session.with_workspace(lambda ws: sync.login(ws, url, user, password),
                                        lambda _r: self._connected(url, user), self._failed)

    def _demo_ready(self) -> None:
        self.session.set_setting("org.default", demo.DEMO_ORG)
        self.session.set_setting("demo", True)
        self.session.set_setting("setup.mode", DEMO, on_done=lambda _r: self.finished.emit())

    def _connected(self, url: str, user: str) -> None:
        self.mode_step.password.clear()
        self.session.set_setting("sync.server_url", url)
        self.session.set_setting("setup.mode", CONNECT, on_done=lambda _r: self.finished.emit())

    def _failed(self, error: Exception) -> None:
        if isinstance(error, sync.SyncUnavailable):
            self.mode_step.show_error(self.tr("Connecting to a server is not available in this version yet."))
        else:
            self.mode_step.show_error(self.session.message(error))
