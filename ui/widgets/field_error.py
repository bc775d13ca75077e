"""The red line under a form field that says what is wrong with it."""

from __future__ import annotations

from ui.qt import QLabel, QWidget
from ui.widgets.marks import mark_data


class FieldError(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("field_error")
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        # The text is a message rendered by caseapp.messages in the UI language, not a tr() string.
        mark_data(self)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.clear()
        self.setMinimumHeight(0)
        self.hide()

    def fixed(self) -> None:
        """The field was corrected: the message goes at once, but the line keeps its height until
        the next save, so nothing below it moves under the pointer while the caseworker types."""
        if self.isHidden() or not self.text():
            return
        self.setMinimumHeight(self.height() or self.sizeHint().height())
        self.setText("")

    @property
    def showing(self) -> bool:
        """A message is shown (a corrected field's empty line does not count)."""
        return not self.isHidden() and bool(self.text())
