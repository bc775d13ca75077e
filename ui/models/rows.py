"""What every table model of rows shares: the row list, translated headers, and the parts of Qt's
model API that only count rows and columns. Subclasses say how rows load and how a cell shows."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from ui.qt import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._headers: list[str] | None = None

    def headers(self) -> list[str]:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._header_texts())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._header_texts()[section]
        return None

    def _header_texts(self) -> list[str]:
        # Views ask for the column count constantly; translate the headers once (a language
        # switch rebuilds the screens, and with them the models).
        if self._headers is None:
            self._headers = self.headers()
        return self._headers

    def row_at(self, row: int) -> Row:
        return self.rows[row]
