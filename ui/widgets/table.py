"""A read-only table of records: whole-row selection, opened with a double click or Enter."""

from __future__ import annotations

from ui.qt import QAbstractItemView, QHeaderView, QKeyEvent, QModelIndex, Qt, QTableView, QWidget, Signal
from ui.widgets.marks import mark_data


class RecordTable(QTableView):
    #: the row the user opened
    opened = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, sortable: bool = False) -> None:
        super().__init__(parent)
        mark_data(self)  # cells are record data; headers are checked through the model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        self.setSortingEnabled(sortable)
        self.doubleClicked.connect(lambda index: self.opened.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def current_row(self) -> int:
        index: QModelIndex = self.currentIndex()
        return index.row() if index.isValid() else -1
