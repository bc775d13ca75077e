"""One list people work from: its filters, the paged table (a header click sorts in SQL), how many
rows match, and "what I see" to Excel and to paper. The filter and the sort are remembered per list
in the workspace's settings (encrypted with everything else), and come back when the list is next
opened, after a lock or a restart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from caseapp.services import listing
from ui.forms.list_export_dialog import ListExportDialog, print_list
from ui.forms.print_dialog import PrintDialog
from ui.models.filtered import FilteredModel, ShownRow
from ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget, Signal
from ui.session import Session
from ui.widgets.list_filter import FilterBar
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable

#: the workspace setting holding every list's remembered filter (list name -> ListFilter.to_dict())
SETTING = "lists.filters"
#: the widest a list column is fitted to, in pixels
LIST_COLUMN = 170


def remembered(session: Session, name: str) -> listing.ListFilter:
    saved = session.settings.get(SETTING) or {}
    return listing.ListFilter.from_dict(saved.get(name) if isinstance(saved, dict) else None, listing.LISTS[name])


def remember(session: Session, name: str, flt: listing.ListFilter) -> None:
    saved = session.settings.get(SETTING) or {}
    filters: dict[str, Any] = dict(saved) if isinstance(saved, dict) else {}
    filters[name] = flt.to_dict()
    session.set_setting_soon(SETTING, filters)


class ListPanel(QWidget):
    # the record the user opened (its id)
    opened = Signal(str)
    # the selected row changed (None: nothing selected)
    selected = Signal(object)

    def __init__(self, session: Session, name: str, parent: QWidget | None = None, *,
                 model: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.name = name
        #: a FilteredModel, or one like it (the household list's, which also ranks search hits)
        self.model: Any = model if model is not None else FilteredModel(session, name, self)
        self.bar = FilterBar(session, self.model.spec, parent=self)
        self.table = RecordTable(self, sortable=True)
        self.table.setObjectName(f"list_{name}")
        # many columns side by side at 1366 px: long names and addresses elide, whole in a tooltip
        self.table.max_column = LIST_COLUMN
        self.model.tooltips = True
        self.table.setModel(self.model)
        self.summary = QLabel(self)
        self.summary.setObjectName(f"summary_{name}")
        mark_data(self.summary)
        self.export_button = QPushButton(self.tr("Export to Excel…"), self)
        self.export_button.setObjectName(f"export_{name}")
        self.print_button = QPushButton(self.tr("Print list…"), self)
        self.print_button.setObjectName(f"print_{name}")
        # pages add their own buttons here (new, edit …), before the stretch
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.summary)
        self.buttons.addWidget(self.export_button)
        self.buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        self.export_dialog: ListExportDialog | None = None
        self.print_dialog: PrintDialog | None = None
        self._restored = False

        self.bar.changed.connect(self._filter_changed)
        self.model.sort_changed.connect(self._sorted)
        self.model.counted.connect(self._summarise)
        self.model.loaded.connect(lambda: self.selected.emit(self.current()))
        self.table.opened.connect(lambda row: self.opened.emit(self.model.row_at(row).id))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.selected.emit(self.current()))
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_list)

    # -- loading ---------------------------------------------------------------------------------
    @property
    def restored(self) -> bool:
        return self._restored

    def restore(self) -> None:
        """Take up the remembered filter and sort (without loading: the caller does)."""
        self._restored = True
        self.bar.load_units()
        flt = remembered(self.session, self.name)
        self.bar.show_filter(flt)
        self._show_sort(flt)
        self.model.filter = flt

    def refresh(self) -> None:
        if not self._restored:
            self.restore()
        self.model.reset()

    def apply(self, flt: listing.ListFilter, *, save: bool = True) -> None:
        """Show the list filtered by ``flt`` (a Today card, a remembered filter)."""
        if not self._restored:
            self.bar.load_units()
        self._restored = True
        self.bar.show_filter(flt)
        self._show_sort(flt)
        self.model.set_filter(flt)
        if save:
            remember(self.session, self.name, flt)

    def _show_sort(self, flt: listing.ListFilter) -> None:
        header = self.table.horizontalHeader()
        header.blockSignals(True)  # the model already has the order: no second load
        keys = self.model.spec.column_keys()
        if flt.sort in keys:
            order = Qt.SortOrder.DescendingOrder if flt.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(keys.index(flt.sort), order)
        else:
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)

    def show_sorted(self, key: str, descending: bool) -> None:
        """Take this sort (no reload: the caller loads), and show it on the header."""
        self.model.filter = self.model.filter.with_sort(key, descending)
        self.bar.set_sort(key, descending)
        self._show_sort(self.model.filter)

    def _filter_changed(self) -> None:
        flt = self.bar.value()
        self.model.set_filter(flt)
        remember(self.session, self.name, flt)

    def _sorted(self) -> None:
        flt = self.model.filter
        self.bar.set_sort(flt.sort, flt.descending)
        remember(self.session, self.name, flt)

    def _summarise(self) -> None:
        self.summary.setText(self.tr("%n record(s)", "", self.model.total or 0))

    def shown_filter(self) -> listing.ListFilter:
        """The filter of what is on screen, with the search box's text for the household list."""
        query = getattr(self.model, "query", "")
        return replace(self.model.filter, text=query) if query else self.model.filter

    def current(self) -> ShownRow | None:
        row = self.table.current_row()
        return self.model.row_at(row) if 0 <= row < len(self.model.rows) else None

    def clear(self) -> None:
        self._restored = False
        self.model.clear()
        self.summary.clear()

    # -- what I see ------------------------------------------------------------------------------
    def export(self) -> ListExportDialog:
        self.export_dialog = ListExportDialog(self.session, self.name, self.shown_filter(), self.model.total, self)
        self.export_dialog.exported.connect(
            lambda path, rows: self.summary.setText(self.tr("Saved: %1 (%n row(s))", "", rows)
                                                    .replace("%1", Path(path).name)))
        self.export_dialog.open()
        return self.export_dialog

    def print_list(self) -> PrintDialog:
        self.print_dialog = print_list(self.session, self.name, self.shown_filter(), self)
        return self.print_dialog
