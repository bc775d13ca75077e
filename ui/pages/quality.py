"""Data quality (数据质量): the checks across records over the user's reach, grouped by check with
their counts; choosing a group lists its findings, and each opens its household (Enter or a double
click). Computed on the read pool and recomputed when the records the checks read change."""

from __future__ import annotations

from caseapp.messages import message
from caseapp.services import quality
from ui.models.quality import FindingsModel
from ui.pages.base import Page
from ui.qt import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, Qt, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.table import RecordTable

# what the list shows before a group is chosen
ALL = ""


class QualityPage(Page):
    watches = frozenset({"household", "member", "assistance_case", "elder_profile", "verification"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = FindingsModel(session, self)
        self.found: list[quality.Finding] = []
        self.groups = QListWidget(self)
        self.groups.setObjectName("quality_groups")
        self.groups.setMaximumWidth(260)
        self.table = RecordTable(self, sortable=True)
        self.table.setObjectName("quality_findings")
        self.table.setModel(self.model)
        self.summary = QLabel(self)
        self.summary.setObjectName("quality_summary")
        self.summary.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.groups)
        body.addWidget(self.table, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        self.model.loaded.connect(self._loaded)
        self.groups.currentItemChanged.connect(lambda _now, _before: self._show_group())
        self.table.opened.connect(self._open)

    def title(self) -> str:
        return self.tr("Data quality")

    def focus_target(self) -> QWidget | None:
        return self.groups

    def refresh(self) -> None:
        self.summary.setText(self.tr("Checking the records…"))
        self.model.reach = self.session.reach
        self.model.reset()

    def clear(self) -> None:
        super().clear()
        self.found = []
        self.model.clear()
        self.groups.clear()

    def chosen(self) -> str:
        item = self.groups.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ALL

    def _loaded(self) -> None:
        """Every finding arrived (a reset loads them all): regroup them, keeping the group chosen."""
        self.found = list(self.model.rows)
        self._fill_groups()

    def _fill_groups(self) -> None:
        was = self.chosen()
        counts = quality.counts(self.found)
        errors = sum(1 for f in self.found if f.severity == "error")
        self.summary.setText(self.tr("%n problem(s) found, %1 to be corrected", "", len(self.found))
                             .replace("%1", str(errors)) if self.found else self.tr("No problems found."))
        self.groups.blockSignals(True)
        self.groups.clear()
        everything = QListWidgetItem(self.tr("All problems (%1)").replace("%1", str(len(self.found))))
        everything.setData(Qt.ItemDataRole.UserRole, ALL)
        self.groups.addItem(everything)
        lang = self.session.core_lang
        for code, n in counts.items():
            item = QListWidgetItem(f"{message(quality.title_key(code), lang)} ({n})")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.groups.addItem(item)
        rows = {str(self.groups.item(i).data(Qt.ItemDataRole.UserRole)): i for i in range(self.groups.count())}
        self.groups.setCurrentRow(rows.get(was, 0))
        self.groups.blockSignals(False)
        self._show_group()

    def _show_group(self) -> None:
        """The findings of the chosen group (all of them first), from those already computed."""
        code = self.chosen()
        shown = [f for f in self.found if code in (ALL, f.check)]
        if shown != self.model.rows:
            self.model.beginResetModel()
            self.model.rows = shown
            self.model.endResetModel()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.open_household.emit(self.model.rows[row].household_id)
