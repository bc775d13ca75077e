"""A calendar to pick a date from, for a date typed in a line edit.

The field stays a line edit, so a date can still be typed in any accepted form (2026/12/1,
2026.12.1, 20261201); the calendar button at its end, Alt+Down or F4 opens a month to pick from,
and the picked day is written into the field in the stored form (2026-12-01).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from caseapp.validation.dates import parse_date_text
from ui.qt import (
    QAction,
    QCalendarWidget,
    QColor,
    QCoreApplication,
    QDate,
    QEvent,
    QIcon,
    QKeyEvent,
    QLineEdit,
    QObject,
    QPainter,
    QPixmap,
    Qt,
    QVBoxLayout,
    QWidget,
)

ICON_SIZE = 16


def calendar_icon() -> QIcon:
    """A small calendar page drawn here: the standard icon themes have none on every platform."""
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#555555"))
    painter.drawRect(1, 3, ICON_SIZE - 3, ICON_SIZE - 5)
    painter.fillRect(1, 3, ICON_SIZE - 2, 3, QColor("#555555"))
    for row in range(2):
        for column in range(3):
            painter.fillRect(4 + 3 * column, 8 + 3 * row, 2, 2, QColor("#555555"))
    painter.end()
    return QIcon(pixmap)


class CalendarPopup(QWidget):
    """The month shown under the field; Enter or a click picks the day, Escape closes."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("date_popup")
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)


class DatePicker(QObject):
    """Adds the calendar to ``edit``. ``write(day, current_text)`` gives the text to put in the field
    for the picked day (a date field writes the date, a date-and-time field keeps its time)."""

    def __init__(self, edit: QLineEdit, write: Callable[[dt.date, str], str]) -> None:
        super().__init__(edit)
        self.edit = edit
        self.write = write
        self.popup: CalendarPopup | None = None
        self.action = QAction(calendar_icon(), QCoreApplication.translate("DatePicker", "Choose a date"), edit)
        self.action.setObjectName("choose_date")
        self.action.setToolTip(QCoreApplication.translate("DatePicker", "Choose a date (Alt+Down)"))
        edit.addAction(self.action, QLineEdit.ActionPosition.TrailingPosition)
        self.action.triggered.connect(self.open)
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            alt_down = event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.open()
                return True
        return super().eventFilter(watched, event)

    def open(self) -> CalendarPopup:
        popup = self.popup = CalendarPopup(self.edit)
        shown = self._typed_day() or dt.date.today()
        popup.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        popup.calendar.activated.connect(self._picked)
        popup.calendar.clicked.connect(self._picked)
        popup.move(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        popup.show()
        popup.calendar.setFocus()
        return popup

    def _typed_day(self) -> dt.date | None:
        text = self.edit.text().strip()
        try:
            return parse_date_text(text.split(" ")[0]) if text else None
        except ValueError:
            return None

    def _picked(self, day: QDate) -> None:
        picked = dt.date(day.year(), day.month(), day.day())
        # setText, then textEdited as typing would give, so the field's error clears as for typing
        text = self.write(picked, self.edit.text())
        self.edit.setText(text)
        self.edit.textEdited.emit(text)
        if self.popup is not None:
            self.popup.close()
            self.popup.deleteLater()
            self.popup = None
        self.edit.setFocus()
