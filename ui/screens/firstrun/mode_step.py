"""Step 3: connect to the organisation's server, work offline, or try the demo."""

from __future__ import annotations

from ui.qt import (
    QButtonGroup,
    QFormLayout,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.widgets.field_error import FieldError
from ui.widgets.login_box import LoginBox
from ui.widgets.org_picker import OrgPicker
from ui.widgets.text import heading, paragraph

CONNECT, OFFLINE, DEMO = "connect", "offline", "demo"


class ModeStep(QWidget):
    #: the chosen mode; the flow reads the fields it needs
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connect_radio = QRadioButton(self.tr("Connect to my organisation's server"), self)
        self.offline_radio = QRadioButton(self.tr("Work offline on this computer"), self)
        self.demo_radio = QRadioButton(self.tr("Try a demo with made-up households"), self)
        self.connect_radio.setObjectName("mode_connect")
        self.offline_radio.setObjectName("mode_offline")
        self.demo_radio.setObjectName("mode_demo")
        self.group = QButtonGroup(self)
        for radio in (self.connect_radio, self.offline_radio, self.demo_radio):
            self.group.addButton(radio)

        # The Start button below connects; the box's own button is not needed here.
        self.server_box = LoginBox(self, button=False)
        self.server_box.submitted.connect(lambda *_: self._start())

        self.offline_box = QWidget(self)
        self.org = OrgPicker(self.offline_box)
        offline_form = QFormLayout(self.offline_box)
        offline_form.addRow(self.tr("My community"), self.org)

        self.demo_box = paragraph(self.tr(
            "Fills this workspace with fictional households, elders and grid events, and starts a demo "
            "server on this computer so that syncing and conflicts can be tried too. Nothing leaves "
            "this computer."), self)

        self.error = FieldError(self)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.start = QPushButton(self.tr("Start"), self)
        self.start.setObjectName("start")
        self.start.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("How will you work?"), self))
        layout.addWidget(self.connect_radio)
        layout.addWidget(self.server_box)
        layout.addWidget(self.offline_radio)
        layout.addWidget(self.offline_box)
        layout.addWidget(self.demo_radio)
        layout.addWidget(self.demo_box)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.start)
        layout.addStretch(1)

        self.group.buttonToggled.connect(lambda *_: self._update())
        self.start.clicked.connect(self._start)
        self._update()

    def mode(self) -> str:
        if self.connect_radio.isChecked():
            return CONNECT
        if self.offline_radio.isChecked():
            return OFFLINE
        if self.demo_radio.isChecked():
            return DEMO
        return ""

    def _update(self) -> None:
        mode = self.mode()
        self.server_box.setVisible(mode == CONNECT)
        self.offline_box.setVisible(mode == OFFLINE)
        self.demo_box.setVisible(mode == DEMO)
        self.start.setEnabled(bool(mode))
        self.error.clear_error()

    def _start(self) -> None:
        if self.mode():
            self.set_busy(True)
            self.chosen.emit(self.mode())

    def set_busy(self, busy: bool) -> None:
        self.start.setEnabled(not busy)
        for radio in (self.connect_radio, self.offline_radio, self.demo_radio):
            radio.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.show_error(text)
