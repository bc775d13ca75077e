"""Under the disaster reports list: the selected report's series, what it still owes and when,
and the buttons that file its next report (续报, 核报), each opening its own form started from the
series' latest figures (caseapp.services.disaster)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import DisasterReport
from caseapp.messages import message
from caseapp.refdata import rules
from caseapp.services import disaster, display, records
from ui.format import fmt_datetime
from ui.qt import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget, Signal
from ui.widgets.marks import mark_data


@dataclass(frozen=True)
class SeriesState:
    report_id: str
    stages: tuple[str, ...]  # the series as filed, initial first
    next: tuple[str, ...]  # stages a new report may have
    lines: tuple[str, ...]  # what it owes and when, in the user's language


def _span(delta: dt.timedelta, lang: str) -> str:
    hours, minutes = divmod(int(delta.total_seconds()) // 60, 60)
    parts = [(hours, "小时" if lang == "zh" else "h"), (minutes, "分钟" if lang == "zh" else "min")]
    return " ".join(f"{n} {unit}" for n, unit in parts if n) or ("不到 1 分钟" if lang == "zh" else "under a minute")


def series_state(db: DbSession, report_id: str, lang: str) -> SeriesState:
    report = records.get(db, DisasterReport, report_id)
    filed = disaster.series(db, report)
    limits = rules()
    lines: list[str] = []
    head = filed[0]
    if head.stage == disaster.INITIAL:
        lines.append(message("disaster.limit_initial", lang,
                             hours=limits.time_limit("disaster_village_to_town_hours"),
                             due=fmt_datetime(disaster.initial_due(head.occurred_at))))
        late = disaster.late_by(head)
        if late is not None:
            lines.append(message("disaster.late", lang, late=_span(late, lang)))
    due = disaster.due_after(filed)
    for limit in due:
        if limit.stage == disaster.UPDATE and limit.due is not None:
            lines.append(message("disaster.limit_update", lang, hour=limits.time_limit("disaster_update_by_hour"),
                                 due=fmt_datetime(limit.due)))
        elif limit.stage == disaster.FINAL:
            lines.append(message("disaster.limit_final", lang,
                                 days=limits.time_limit("disaster_final_report_working_days")))
    if not due:
        lines.append(message("disaster.series_closed", lang))
    return SeriesState(report_id, tuple(r.stage for r in filed), tuple(disaster.stages_after(filed)),
                       tuple(lines))


class SeriesBar(QWidget):
    # emits the stage of the next report to file ("update" / "final") in the selected series
    file_requested = Signal(str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.state: SeriesState | None = None
        self.series = QLabel(self)
        self.series.setObjectName("disaster_series")
        self.limits = QLabel(self)
        self.limits.setObjectName("disaster_limits")
        self.limits.setWordWrap(True)
        for label in (self.series, self.limits):
            mark_data(label)
        self.update_button = QPushButton(self.tr("File an &update (续报)…"), self)
        self.update_button.setObjectName("disaster_update")
        self.final_button = QPushButton(self.tr("File the &final report (核报)…"), self)
        self.final_button.setObjectName("disaster_final")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.series, 1)
        row.addWidget(self.update_button)
        row.addWidget(self.final_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.limits)
        self.update_button.clicked.connect(lambda: self.file_requested.emit(disaster.UPDATE))
        self.final_button.clicked.connect(lambda: self.file_requested.emit(disaster.FINAL))
        self.show_state(None)

    def show_state(self, state: SeriesState | None) -> None:
        self.state = state
        self.setVisible(state is not None)
        if state is None:
            return
        names = [display.state_name("disaster_report", s, self.lang) for s in state.stages]
        self.series.setText(self.tr("This disaster's reports: %1").replace("%1", " → ".join(names)))
        self.limits.setText("\n".join(state.lines))
        self.update_button.setEnabled(disaster.UPDATE in state.next)
        self.final_button.setEnabled(disaster.FINAL in state.next)
