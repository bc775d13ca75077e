"""A read-only table of records: whole-row selection, opened with a double click or Enter."""

from __future__ import annotations

from ui.qt import (
    QAbstractItemModel,
    QAbstractItemView,
    QHeaderView,
    QKeyEvent,
    QModelIndex,
    Qt,
    QTableView,
    QTimer,
    QWidget,
    Signal,
)
from ui.widgets.marks import mark_data

MIN_COLUMN, MAX_COLUMN = 60, 380
FIT_SAMPLE_ROWS = 40


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
        # Rows are chosen, not cells: Tab leaves the list for the next control instead of walking
        # through every cell (which kept a keyboard user inside a long list).
        self.setTabKeyNavigation(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(140)
        # Measure a screenful of rows when fitting columns: Qt's default samples 1,000 rows, which
        # costs most of a second on a long list.
        header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        # No sort until a header is clicked: lists arrive in the order the service chose (overdue
        # visits first, best search matches first).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(sortable)
        #: the widest a fitted column gets (longer cells are elided; their tooltip has them whole)
        self.max_column = MAX_COLUMN
        self._fitted = False
        self.doubleClicked.connect(lambda index: self.opened.emit(index.row()))

    def show_fixed_order(self, column: int) -> None:
        """The rows come in one order, the service's, by ``column`` (a paged list, whose header
        clicks would sort only the rows loaded so far): say so with the indicator, sort nothing."""
        self.setSortingEnabled(False)
        header = self.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        header.setSectionsClickable(False)  # a click would move the indicator, sorting nothing

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self._fitted = False
        if model is not None:
            model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        # Fit once, to the first rows a model shows. Fitting again on every reset measured every
        # cell of a screenful on each search keystroke (most of the time between a key and its
        # results) and undid any width the user had dragged a column to.
        if not self._fitted:
            QTimer.singleShot(0, self, self._fit_once)

    def _fit_once(self) -> None:
        if not self._fitted:
            self.fit_columns()

    def fit_columns(self) -> None:
        """Size columns to what is on screen (Qt measures visible rows only), within limits."""
        model = self.model()
        if model is None or not model.rowCount():
            return
        self._fitted = True
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for column in range(header.count() - 1):
            header.resizeSection(column, max(MIN_COLUMN, min(header.sectionSize(column) + 12, self.max_column)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)

    def current_row(self) -> int:
        index: QModelIndex = self.currentIndex()
        return index.row() if index.isValid() else -1
