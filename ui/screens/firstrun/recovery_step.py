"""Step 2: the recovery key, shown exactly once, with a confirmation before going on."""

from __future__ import annotations

from ui.qt import QCheckBox, QFont, QFontDatabase, QLabel, QPushButton, Qt, QVBoxLayout, QWidget, Signal
from ui.widgets.marks import mark_data
from ui.widgets.text import heading, paragraph


class RecoveryStep(QWidget):
    confirmed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = QLabel(self)
        self.key.setObjectName("recovery_key")
        mark_data(self.key)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(font.pointSize() + 4)
        font.setWeight(QFont.Weight.Bold)
        self.key.setFont(font)
        self.key.setWordWrap(True)
        self.key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key.setStyleSheet("padding: 12px; border: 1px solid #888; background: #fffbe6;")
        self.written = QCheckBox(self.tr("I have written the recovery key down and will keep it safe"), self)
        self.written.setObjectName("written")
        self.next = QPushButton(self.tr("Continue"), self)
        self.next.setObjectName("continue")
        self.next.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Write down your recovery key"), self))
        layout.addWidget(paragraph(self.tr(
            "If the passphrase is ever forgotten, this key is the only way back into the workspace. "
            "Write it on paper now and keep the paper somewhere safe, away from this computer. "
            "It will not be shown again."), self))
        layout.addWidget(self.key)
        layout.addWidget(self.written)
        layout.addWidget(self.next)
        layout.addStretch(1)
        self.written.toggled.connect(self.next.setEnabled)
        self.next.clicked.connect(self._done)

    def show_key(self, key: str) -> None:
        # Groups of four already; break the line in the middle so it copies onto paper easily.
        groups = key.split("-")
        half = (len(groups) + 1) // 2
        self.key.setText("-".join(groups[:half]) + "-\n" + "-".join(groups[half:]))
        self.written.setChecked(False)

    def _done(self) -> None:
        if not self.written.isChecked():
            return
        self.key.clear()  # shown once: gone from the screen and from this widget
        self.confirmed.emit()
