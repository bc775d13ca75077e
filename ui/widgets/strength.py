"""Passphrase strength meter: a bar and one word, from caseapp's 0..4 estimate."""

from __future__ import annotations

from caseapp.crypto.keyfile import passphrase_strength
from ui.qt import QHBoxLayout, QLabel, QProgressBar, QWidget

COLOURS = ("#b00020", "#d9480f", "#e0a800", "#2b8a3e", "#1b6e2f")


class StrengthMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.word = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.word)
        self.score = 0
        self.update_for("")

    def words(self) -> tuple[str, ...]:
        return (self.tr("Too easy to guess"), self.tr("Weak"), self.tr("Fair"), self.tr("Strong"),
                self.tr("Very strong"))

    def update_for(self, passphrase: str) -> int:
        self.score = passphrase_strength(passphrase) if passphrase else 0
        # An empty bar for nothing typed yet; a sliver of red for a refused passphrase.
        self.bar.setValue(self.score if self.score else (0 if not passphrase else 1))
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {COLOURS[self.score]}; }}")
        self.word.setText(self.words()[self.score] if passphrase else "")
        return self.score
