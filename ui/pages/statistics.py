"""Statistics (统计月报): the monthly tables of caseapp.services.statistics for an area and a month, one
tab each with its chart, and the month's trend beside the 增减变动 table. Each table exports as the
月报 an office files (Excel), and each chart saves as a picture.

The area is the user's own, everything on this device, or (for a supervisor) any org unit in their
reach that this device holds. Every figure is counted on the read pool; the GUI thread only lays out
what arrives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from caseapp.domain import OrgUnit
from caseapp.messages import message
from caseapp.services import monthly_report, statistics
from caseapp.services.statistics import Month
from caseapp.store.workspace import Workspace
from ui.forms.export_dialog import ExportDialog
from ui.models.rows import Index
from ui.pages.base import Page
from ui.qt import (
    QAbstractTableModel,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QColor,
    QComboBox,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QLineSeries,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QPushButton,
    QSplitter,
    Qt,
    QTabWidget,
    QValueAxis,
    QVBoxLayout,
    QWidget,
)
from ui.session import Session
from ui.widgets.marks import mark_data
from ui.widgets.table import RecordTable

# months the month box offers, this one first
MONTHS_OFFERED = 24
# series colours (the palette of the printed forms: blue, orange, green, red)
PALETTE = ("#2f6fb3", "#e08a1e", "#3c9a5f", "#b00020")


@dataclass(frozen=True)
class Counted:
    month: Month
    scope: tuple[str, ...] | None
    tables: list[statistics.Table]
    trend: statistics.Trend


class StatTableModel(QAbstractTableModel):
    """One statistics table: a row per code and the 合计 row, in bold, at the foot."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: statistics.Table | None = None
        self.lang = "zh"
        self.headers: list[str] = []

    def show(self, table: statistics.Table, lang: str) -> None:
        self.beginResetModel()
        self.table, self.lang = table, lang
        self.headers = statistics.column_titles(table, lang)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.table = None
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if self.table is None or parent.isValid() else len(self.table.columns) + 1

    def _total_row(self, row: int) -> bool:
        return self.table is not None and row == len(self.table.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self.table
        if table is None or not index.isValid():
            return None
        row, col = index.row(), index.column()
        total = self._total_row(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.tr("Total") if total else table.labels[row]
            value = table.totals[col - 1] if total else table.rows[row][col - 1]
            return statistics.cell_text(value, table.columns[col - 1].kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TableTab(QWidget):
    """A table above its chart."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.model = StatTableModel(self)
        self.view = RecordTable(self)
        self.view.setObjectName(f"stats_{key}")
        self.view.setModel(self.model)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setObjectName(f"chart_{key}")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(220)
        mark_data(self.chart_view)  # its words are the table's (caseapp.messages), already translated
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self.chart_view)
        # the table needs a dozen rows; the chart takes the rest
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

    def show_table(self, table: statistics.Table, lang: str, trend: statistics.Trend | None) -> None:
        self.model.show(table, lang)
        self.view.resizeColumnsToContents()
        # as tall as its rows (and a scroll bar): the chart takes the rest of the page
        rows = self.view.verticalHeader().defaultSectionSize() * self.model.rowCount()
        self.view.setMaximumHeight(rows + self.view.horizontalHeader().height() + 2 * self.view.frameWidth()
                                   + self.view.horizontalScrollBar().sizeHint().height())
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        if trend is not None:
            self._trend_chart(table, trend, lang)
        else:
            self._bar_chart(table, lang)

    def _bar_chart(self, table: statistics.Table, lang: str) -> None:
        spec = statistics.SPECS[table.key]
        series = QBarSeries()
        peak = 0.0
        for n, key in enumerate(spec.chart):
            bars = QBarSet(table.columns[table.index(key)].title(table.key, lang))
            bars.setColor(QColor(PALETTE[n % len(PALETTE)]))
            for value in table.column(key):
                bars.append(float(value or 0))
                peak = max(peak, float(value or 0))
            series.append(bars)
        self.chart.addSeries(series)
        self.chart.setTitle(statistics.title(table.key, lang))
        categories = QBarCategoryAxis()
        categories.append(table.labels)
        self._axes(series, categories, peak)

    def _trend_chart(self, table: statistics.Table, trend: statistics.Trend, lang: str) -> None:
        bars = QBarSeries()
        peak = 0.0
        for n, (key, counts) in enumerate((("added", trend.added), ("stopped", trend.stopped))):
            group = QBarSet(table.columns[table.index(key)].title(table.key, lang))
            group.setColor(QColor(PALETTE[n + 1]))
            for count in counts:
                group.append(float(count))
            bars.append(group)
            peak = max([peak, *map(float, counts)])
        line = QLineSeries()
        line.setName(table.columns[table.index("closing")].title(table.key, lang))
        line.setColor(QColor(PALETTE[0]))
        for i, value in enumerate(trend.in_payment):
            line.append(i, float(value))
        self.chart.addSeries(bars)
        self.chart.addSeries(line)
        self.chart.setTitle(statistics.title(table.key, lang))
        months = QBarCategoryAxis()
        months.append([f"{m.month}月" if lang == "zh" else f"{m.month:02d}/{m.year % 100:02d}" for m in trend.months])
        self._axes(bars, months, peak)
        # households in payment run in the thousands, the month's changes in tens: an axis each
        level = QValueAxis()
        level.setRange(0, max(4.0, max(trend.in_payment, default=0) * 1.1))
        level.applyNiceNumbers()
        level.setLabelFormat("%d")
        level.setLinePenColor(QColor(PALETTE[0]))
        self.chart.addAxis(level, Qt.AlignmentFlag.AlignRight)
        line.attachAxis(months)
        line.attachAxis(level)

    def _axes(self, series: QBarSeries, categories: QBarCategoryAxis, peak: float) -> QValueAxis:
        values = QValueAxis()
        values.setRange(0, max(4.0, peak * 1.1))
        values.applyNiceNumbers()
        values.setLabelFormat("%d")
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        return values

    def save_chart(self, path: Path) -> bool:
        """The chart as a PNG picture, at twice the screen's size so it prints sharp."""
        picture = self.chart_view.grab()
        return bool(picture.scaled(picture.size() * 2, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation).save(str(path), "PNG"))


class ReportDialog(ExportDialog):
    """Export the 月报: this table, or every table as one workbook (a sheet each)."""

    def __init__(self, page: StatisticsPage) -> None:
        super().__init__(page.session, page.tr("No password (figures only, no personal data)"), page)
        self.page = page
        self.setObjectName("report_dialog")
        self.setWindowTitle(self.tr("Export the monthly report"))
        self.which = QComboBox(self)
        self.which.setObjectName("report_tables")
        self.which.addItem(self.tr("This table"), "one")
        self.which.addItem(self.tr("Every table (one sheet each)"), "all")
        self.fields.addRow(self.tr("Tables"), self.which)
        self.written = 0

    def keys(self) -> list[str]:
        if self.which.currentData() == "all":
            return [spec.key for spec in statistics.TABLES]
        return [self.page.current_key()]

    def suggested_name(self) -> str:
        counted = self.page.counted
        month = str(counted.month) if counted else ""
        name = statistics.title(self.keys()[0], "zh") if len(self.keys()) == 1 else "统计月报"
        return f"{name}-{month}.xlsx"

    def file_filter(self) -> str:
        return "Excel (*.xlsx)"

    def start(self, path: Path, password: str | None) -> None:
        keys, month, scope = self.keys(), self.page.month(), self.page.area()

        def write(ws: Workspace) -> int:
            return monthly_report.save_report(ws, keys, path, scope=scope, month=month, today=dt.date.today(),
                                              password=password)

        def done(sheets: int) -> None:
            self.written = sheets
            self.finished_ok()
            self.page.note.setText(self.page.tr("Saved %1").replace("%1", str(path)))

        self.session.with_workspace(write, done, self.failed)


class StatisticsPage(Page):
    watches = frozenset({"household", "member", "assistance_case", "case_payment", "case_review", "case_step",
                         "elder_profile", "care_visit", "grid_event", "grid_event_update", "referral",
                         "disaster_report", "emergency_call"})

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.counted: Counted | None = None
        self._generation = 0
        self.scope = QComboBox(self)
        self.scope.setObjectName("stats_scope")
        mark_data(self.scope)  # org units' names
        self.month_box = QComboBox(self)
        self.month_box.setObjectName("stats_month")
        mark_data(self.month_box)
        area_label = QLabel(self.tr("&Area"), self)
        area_label.setBuddy(self.scope)
        month_label = QLabel(self.tr("&Month"), self)
        month_label.setBuddy(self.month_box)
        self.export_button = QPushButton(self.tr("&Export monthly report…"), self)
        self.export_button.setObjectName("export_report")
        self.chart_button = QPushButton(self.tr("Save c&hart…"), self)
        self.chart_button.setObjectName("save_chart")
        self.note = QLabel(self)
        self.note.setObjectName("stats_note")
        self.note.setWordWrap(True)
        mark_data(self.note)  # the table's counting rules (caseapp.messages) or a file's path
        choose = QHBoxLayout()
        choose.addWidget(area_label)
        choose.addWidget(self.scope, 2)
        choose.addWidget(month_label)
        choose.addWidget(self.month_box, 1)
        choose.addStretch(1)
        choose.addWidget(self.export_button)
        choose.addWidget(self.chart_button)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("stats_tabs")
        self.pages: dict[str, TableTab] = {}
        for spec in statistics.TABLES:
            tab = TableTab(spec.key, self.tabs)
            self.pages[spec.key] = tab
            self.tabs.addTab(tab, statistics.title(spec.key, session.core_lang))
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note)
        self.report_dialog: ReportDialog | None = None
        self.scope.currentIndexChanged.connect(lambda _i: self._reload())
        self.month_box.currentIndexChanged.connect(lambda _i: self._reload())
        self.tabs.currentChanged.connect(lambda _i: self._show_note())
        self.export_button.clicked.connect(self.export_report)
        self.chart_button.clicked.connect(self._choose_chart_file)
        session.unlocked.connect(self._fill_choices)

    def title(self) -> str:
        return self.tr("Statistics")

    def focus_target(self) -> QWidget | None:
        return self.scope

    # -- choices ----------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        this = Month.of(dt.date.today())
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for back in range(MONTHS_OFFERED):
            month = this.shift(-back)
            self.month_box.addItem(month.text(self.session.core_lang), str(month))
        self.month_box.blockSignals(False)
        self.scope.blockSignals(True)
        self.scope.clear()
        mine = self.session.org_code
        if mine:
            self.scope.addItem(self.tr("My area"), mine)
        self.scope.addItem(self.tr("Everything on this device"), "")
        self.scope.blockSignals(False)
        reach = self.session.reach

        def units(db: DbSession) -> list[tuple[str, str]]:
            rows = db.execute(select(OrgUnit.code, OrgUnit.name).where(OrgUnit.archived.is_(False))
                              .order_by(OrgUnit.code)).all()
            return [(str(code), str(name)) for code, name in rows
                    if code != mine and (reach is None or any(str(code).startswith(r) for r in reach))]

        self.session.read(units, self._add_units)

    def _add_units(self, units: list[tuple[str, str]]) -> None:
        """A supervisor's streets, communities and grids, each with its code."""
        self.scope.blockSignals(True)
        for code, name in units:
            self.scope.addItem(f"{name}（{code}）", code)
        self.scope.blockSignals(False)

    def area(self) -> tuple[str, ...] | None:
        code = self.scope.currentData()
        return (str(code),) if code else None

    def month(self) -> Month:
        data = self.month_box.currentData()
        return Month.parse(str(data)) if data else Month.of(dt.date.today())

    def current_key(self) -> str:
        tab = self.tabs.currentWidget()
        return tab.key if isinstance(tab, TableTab) else statistics.TABLES[0].key

    # -- counting ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.month_box.count() == 0:
            self._fill_choices()
        self._reload()

    def _reload(self) -> None:
        if not self.session.is_open:
            return
        self._generation += 1
        generation = self._generation
        month, scope, lang, today = self.month(), self.area(), self.session.core_lang, dt.date.today()
        self.note.setText(self.tr("Counting…"))

        def count(db: DbSession) -> Counted:
            return Counted(month, scope, statistics.compute_all(db, scope, month, today, lang),
                           statistics.trend(db, scope, month))

        def done(counted: Counted) -> None:
            if generation == self._generation:
                self.show_counted(counted)

        def failed(error: Exception) -> None:
            if generation == self._generation:
                self.note.setText(self.session.message(error))

        self.session.read(count, done, failed)

    def show_counted(self, counted: Counted) -> None:
        self.counted = counted
        lang = self.session.core_lang
        for table in counted.tables:
            self.pages[table.key].show_table(table, lang, counted.trend if table.key == "changes" else None)
        self._show_note()

    def _show_note(self) -> None:
        if self.counted is not None:
            self.note.setText(message(f"stats.{self.current_key()}.note", self.session.core_lang))

    def clear(self) -> None:
        super().clear()
        self._generation += 1
        self.counted = None
        for tab in self.pages.values():
            tab.model.clear()
            tab.chart.removeAllSeries()
        self.note.clear()

    # -- exports ----------------------------------------------------------------------------------
    def export_report(self) -> ReportDialog:
        self.report_dialog = ReportDialog(self)
        self.report_dialog.open()
        return self.report_dialog

    def _choose_chart_file(self) -> None:
        key = self.current_key()
        month = str(self.counted.month) if self.counted else ""
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the chart"),
                                                    f"{statistics.title(key, 'zh')}-{month}.png", "PNG (*.png)")
        if path:
            self.save_chart(Path(path))

    def save_chart(self, path: Path) -> bool:
        saved = self.pages[self.current_key()].save_chart(path)
        self.note.setText(self.tr("Saved %1").replace("%1", str(path)) if saved
                          else self.tr("The chart could not be saved to %1").replace("%1", str(path)))
        return saved
