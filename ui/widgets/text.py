"""Label styles used across screens: a heading and a wrapped explanatory paragraph."""

from __future__ import annotations

from ui.qt import QFont, QLabel, QWidget


def heading(text: str, parent: QWidget | None = None, size_delta: int = 5) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + size_delta)
    font.setBold(True)
    label.setFont(font)
    label.setObjectName("heading")
    return label


def paragraph(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setObjectName("paragraph")
    return label
