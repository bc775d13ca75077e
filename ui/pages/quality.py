"""Data quality (数据质量): the checks across records over the user's reach, grouped by check with
their counts; choosing a group lists its findings, and each opens its household (Enter or a double
click). Computed on the read pool and recomputed when the records the checks read change. A second
tab lists the cases to re-assess when the standard changes (ui.pages.reassessment)."""

from __future__ import annotations

from caseapp.messages import message
from caseapp.services import quality
from ui.models.quality import FindingsModel
from ui.pages.base import Page
from ui.pages.reassessment import ReassessmentPanel
from ui.qt import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, Qt, QTabWidget, QVBoxLayout, QWidget
from ui.session import Session
from ui.widgets.table import RecordTable

# what the list shows before a group is chosen
ALL = ""


class QualityPage(Page):
    watches = frozenset({"household", "member", "income_item", "assistance_case", "elder_profile", "verification"})

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
        checks = QWidget(self)
        body = QHBoxLayout()
        body.addWidget(self.groups)
        body.addWidget(self.table, 1)
        column = QVBoxLayout(checks)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addLayout(body, 1)
        self.reassess = ReassessmentPanel(session, self)
        self.reassess.open_household.connect(self.open_household)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("quality_tabs")
        self.tabs.addTab(checks, self.tr("Checks"))
        self.tabs.addTab(self.reassess, self.tr("Re-assessment after a new standard"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        # the re-assessment list is worked out when its tab is shown, not with every refresh
        self._reassess_stale = True
        self.tabs.currentChanged.connect(lambda _i: self._refresh_reassess())
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
        self._reassess_stale = True
        self._refresh_reassess()

    def _refresh_reassess(self) -> None:
        if self._reassess_stale and self.tabs.currentWidget() is self.reassess:
            self._reassess_stale = False
            self.reassess.refresh()

    def clear(self) -> None:
        super().clear()
        self.found = []
        self.model.clear()
        self.groups.clear()
        self.reassess.clear()
        self._reassess_stale = True

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
