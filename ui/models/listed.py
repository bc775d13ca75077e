"""A table model for short lists loaded whole (what is due today, a household's members): one read
per reset, sorted in memory when a header is clicked."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session as DbSession

from ui.models.reader import Reader
from ui.models.rows import Index, RowsTableModel
from ui.qt import QColor, QObject, Qt, Signal

Row = TypeVar("Row")


class ListTableModel(RowsTableModel[Row]):
    loaded = Signal()
    failed = Signal(object)

    def __init__(self, reader: Reader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = reader
        self._generation = 0
        #: the rows of the latest reset have arrived
        self.ready = False

    # -- what subclasses provide ---------------------------------------------------------------
    def load(self, db: DbSession) -> list[Row]:
        raise NotImplementedError

    def display(self, row: Row, column: int) -> Any:
        raise NotImplementedError

    def sort_key(self, row: Row, column: int) -> Any:
        value = self.display(row, column)
        return (value is None, str(value) if not isinstance(value, int | float) else value)

    def warn(self, row: Row) -> bool:
        """Rows to draw in red (overdue visits, rejected changes)."""
        return False

    # -- loading -------------------------------------------------------------------------------
    def reset(self) -> None:
        self._generation += 1
        generation = self._generation
        self.ready = False

        def done(rows: list[Row]) -> None:
            if generation == self._generation:
                self.set_rows(rows)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.failed.emit(error)

        self.reader.read(self.load, done, failed)

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.ready = True
        self.endResetModel()
        self.loaded.emit()

    def clear(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self.rows = []
        self.ready = False
        self.endResetModel()

    # -- Qt model API --------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and self.warn(row):
            return QColor("#b00020")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.rows.sort(key=lambda r: self.sort_key(r, column), reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()

