"""A table model that loads rows page by page as the view scrolls (canFetchMore / fetchMore).

Pages come from a service function run on the read pool. ``reset()`` starts over (a new search,
a change announced by the session); a page that arrives for an older generation is dropped, so
typing fast never mixes rows of two searches. ``clear()`` drops every cached row (screen lock).

The first page is painted as soon as it arrives. The total (for "1,234 households") is counted
afterwards, once the rows stop changing for a moment: counting a large encrypted table costs more
than reading one page of it, and while someone types, only the rows matter. A short page means
there is nothing more to fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session as DbSession

from caseapp.errors import WorkspaceError
from ui.models.reader import Reader
from ui.models.rows import Index, RowsTableModel
from ui.qt import QModelIndex, QObject, Qt, QTimer, Signal

Row = TypeVar("Row")
#: rows per fetch: a screenful and a half, so the first paint is quick and scrolling stays ahead
PAGE = 50
COUNT_DELAY_MS = 250


class PagedTableModel(RowsTableModel[Row]):
    #: the first page of a reset has arrived (rows now showing): used by tests and the benchmark
    loaded = Signal()
    #: the total of the latest reset is known (``total``)
    counted = Signal()
    failed = Signal(object)
    #: count once the rows stop changing (a search while someone types); a model that counts as it
    #: resets (nothing is typed into it: the visits due) turns this off
    count_after_rows = True

    def __init__(self, reader: Reader, parent: QObject | None = None, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self.reader = reader
        self.page_size = page_size
        #: cells show whole in their tooltip (lists whose columns are capped and elide)
        self.tooltips = False
        #: columns of counts and amounts, aligned right so digits line up
        self.numeric_columns: frozenset[int] = frozenset()
        #: rows matching in all; None until counted
        self.total: int | None = None
        #: the first page of the latest reset has arrived
        self.ready = False
        self._exhausted = True
        self._generation = 0
        self._loading = False
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)

    # -- what subclasses provide ---------------------------------------------------------------
    def fetch(self, db: DbSession, offset: int, limit: int) -> list[Row]:
        raise NotImplementedError

    def page_read(self, offset: int, limit: int) -> Callable[[DbSession], Any]:
        """The read of the page after the first ``offset`` rows, made on the GUI thread (so a model
        paging by key may look at the last row shown): by default ``fetch`` at that offset."""
        return lambda db: self.fetch(db, offset, limit)

    def page_rows(self, result: Any) -> list[Row]:
        """The rows of what a page_read brought, on the GUI thread: a model whose first read brings
        more than rows (the visits due, their counts) takes the rest here."""
        return list(result)

    def count(self, db: DbSession) -> int:
        raise NotImplementedError

    def display(self, row: Row, column: int) -> Any:
        raise NotImplementedError

    # -- loading -------------------------------------------------------------------------------
    def reset(self) -> None:
        self._generation += 1
        generation = self._generation
        self._loading = True
        self.total = None
        self.ready = False
        limit = self.page_size

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            page = self.page_rows(result)
            self.beginResetModel()
            self.rows = page
            self._exhausted = len(page) < limit
            self._loading = False
            self.ready = True
            self.endResetModel()
            self.loaded.emit()
            if self._exhausted:
                self._set_total(len(page))  # all of it is here: nothing to count
            elif self.count_after_rows:
                self._count_timer.start()

        self._count_timer.stop()
        self.reader.read(self.page_read(0, limit), done, self._failed(generation))

    def _count(self) -> None:
        generation = self._generation

        def counted(total: int) -> None:
            if generation == self._generation:
                self._set_total(total)

        try:
            self.reader.read(self.count, counted, self._failed(generation))
        except WorkspaceError:
            return  # locked since the page came (the count's timer outlived it): nothing to count

    def _set_total(self, total: int) -> None:
        self.total = total
        self.counted.emit()

    def clear(self) -> None:
        self._generation += 1
        self._count_timer.stop()
        self.beginResetModel()
        self.rows = []
        self.total = None
        self.ready = False
        self._exhausted = True
        self._loading = False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation = self._generation
        offset, limit = len(self.rows), self.page_size

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            page = self.page_rows(result)
            self._loading = False
            self._exhausted = len(page) < limit
            if not page:
                return
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

        try:
            self.reader.read(self.page_read(offset, limit), done, self._failed(generation))
        except WorkspaceError:
            self._loading = False  # locked since the rows came (the view asks as it closes): nothing to fetch

    def _failed(self, generation: int) -> Any:
        def failed(error: Exception) -> None:
            if generation == self._generation:
                self._loading = False
                self.failed.emit(error)

        return failed

    @property
    def loading(self) -> bool:
        return self._loading

    # -- Qt model API --------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked for about seven roles per cell on every paint: answer the unused ones first.
        shown = role == Qt.ItemDataRole.DisplayRole or (role == Qt.ItemDataRole.ToolTipRole and self.tooltips)
        if shown and index.isValid() and index.row() < len(self.rows):
            return self.display(self.rows[index.row()], index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric_columns:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

