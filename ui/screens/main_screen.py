"""The unlocked app: search box, navigation bar, pages, and the sync indicator in the status bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ui.format import fmt_stamp
from ui.pages.base import Page
from ui.pages.grid import GridPage
from ui.pages.households import HouseholdsPage
from ui.pages.quality import QualityPage
from ui.pages.queue import QueuePage
from ui.pages.referrals import ReferralsPage
from ui.pages.settings import SettingsPage
from ui.pages.statistics import StatisticsPage
from ui.pages.sync import SyncPage
from ui.pages.today import TodayPage
from ui.pages.visits import VisitsPage
from ui.qt import (
    QEvent,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QPushButton,
    QScrollArea,
    QShortcut,
    QStackedWidget,
    QStatusBar,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from ui.session import Session
from ui.sync_controller import SyncController
from ui.widgets.marks import mark_data
from ui.widgets.text import heading

NAV_MIN_WIDTH = 150


class MainScreen(QWidget):
    lock_requested = Signal()

    def __init__(self, session: Session, sync: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.sync = sync
        # 个案通 in Chinese, as the window title
        self.brand = heading(self.tr("CaseApp"), self, size_delta=3)
        self.demo_badge = QLabel(self.tr("Demo data"), self)
        self.demo_badge.setStyleSheet("background: #ffe8a3; padding: 2px 8px; border-radius: 4px;")
        self.search = QLineEdit(self)
        self.search.setObjectName("global_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Find a household: name, pinyin, ID number, phone or address"))
        self.search.setToolTip(self.tr("Find a household (Ctrl+F)"))
        self.lock_button = QPushButton(self.tr("Lock"), self)
        self.lock_button.setObjectName("lock")
        self.lock_button.setToolTip(self.tr("Lock now (Ctrl+L)"))
        top = QHBoxLayout()
        top.addWidget(self.brand)
        top.addWidget(self.demo_badge)
        top.addWidget(self.search, 1)
        top.addWidget(self.lock_button)

        self.today = TodayPage(session, self)
        self.households = HouseholdsPage(session, self)
        self.queue = QueuePage(session, self)
        self.visits = VisitsPage(session, self)
        self.grid = GridPage(session, self)
        self.referrals = ReferralsPage(session, self)
        self.sync_page = SyncPage(session, sync, self)
        self.settings = SettingsPage(session, self)
        self.quality = QualityPage(session, self)
        self.statistics = StatisticsPage(session, self)
        self.pages: list[Page] = [self.today, self.queue, self.households, self.visits, self.grid, self.referrals,
                                  self.sync_page, self.settings, self.quality, self.statistics]
        self.nav = QListWidget(self)
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet("QListWidget#nav { font-size: 11pt; } QListWidget#nav::item { padding: 7px 6px; }")
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.nav.addItem(page.title())
            # Each page scrolls rather than making the window taller than a small screen
            # (1366×768 at 125% scaling): its minimum height is no longer the window's.
            frame = QScrollArea(self.stack)
            frame.setWidgetResizable(True)
            frame.setFrameShape(QFrame.Shape.NoFrame)
            frame.setWidget(page)
            self.stack.addWidget(frame)
            page.open_household.connect(self.open_household)
        # As wide as the longest entry in this language (German-length English, long Chinese).
        self.nav.setFixedWidth(max(NAV_MIN_WIDTH, self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 8))
        middle = QHBoxLayout()
        middle.addWidget(self.nav)
        middle.addWidget(self.stack, 1)

        self.status = QStatusBar(self)
        self.sync_indicator = QLabel(self)
        self.sync_indicator.setObjectName("sync_status")
        mark_data(self.sync_indicator)  # composed from translated parts and numbers
        self.status.addPermanentWidget(self.sync_indicator)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)

        # Every edit searches at once: searches run off the GUI thread and a stale answer is
        # dropped, so waiting for a pause in typing would only add delay. (An input method commits
        # a whole phrase in one edit.)
        self.search.textEdited.connect(lambda _t: self._run_search())
        # Enter opens the best match; Down goes into the results to choose another.
        self.search.returnPressed.connect(self.open_top_hit)
        self.search.installEventFilter(self)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.lock_button.clicked.connect(self.lock_requested)
        self.today.visit_elder.connect(lambda elder_id: self.visits.visit(elder_id))
        self.today.open_event.connect(self.open_event)
        self.today.open_visits_due.connect(self._visits_due)
        self.today.open_cases.connect(self._cases)
        self.today.open_events.connect(self._events)
        self.today.open_sync.connect(lambda: self.go(self.sync_page))
        self.queue.open_case.connect(self.open_case)
        self.settings.connect_requested.connect(self._connect_elsewhere)
        sync.status_changed.connect(self._show_sync_status)
        sync.started.connect(lambda: self.sync_indicator.setText(self.tr("Syncing…")))
        sync.progress.connect(self._show_sync_progress)
        # From the keyboard: Ctrl+1 … Ctrl+9 and Ctrl+0 choose the pages in the order the bar lists them, with
        # the focus on the page; Ctrl+F goes to the search box. (Inside a dialog these do nothing:
        # the shortcuts belong to the main window.)
        for n, page in enumerate(self.pages, start=1):
            keys = QKeySequence(f"Ctrl+{n % 10}")  # the tenth is Ctrl+0
            QShortcut(keys, self, lambda p=page: self.go(p, focus=True))
            item = self.nav.item(n - 1)
            item.setToolTip(f"{item.text()} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})")
        QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        self.nav.setCurrentRow(0)

    def go(self, page: Page, *, focus: bool = False) -> None:
        self.nav.setCurrentRow(self.pages.index(page))
        if focus:
            page.take_focus()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_event(self, event_id: str) -> None:
        self.go(self.grid)
        self.grid.select(event_id)

    # -- Today's cards open their lists -----------------------------------------------------------
    def _visits_due(self, days: int, scope: tuple[str, ...] | None, overdue: bool) -> None:
        self.visits.show_due(days, scope, overdue)
        self.go(self.visits)

    def _cases(self, flt: Any) -> None:
        self.households.show_cases(flt)
        self.go(self.households)

    def _events(self, flt: Any) -> None:
        self.grid.show_events(flt)
        self.go(self.grid)

    def _connect_elsewhere(self, url: str) -> None:
        self.go(self.sync_page)
        self.sync_page.show_login(url)

    def current_page(self) -> Page:
        return self.pages[self.stack.currentIndex()]

    def open_household(self, household_id: str) -> None:
        self.go(self.households)
        self.households.show_household(household_id)

    def open_case(self, household_id: str, case_id: str, target: str = "") -> None:
        """Show an assistance case in its household with the step it waits for ready to sign: the
        case selected and that step's button focused (Enter or Space opens the sign-off)."""
        view = self.households.view

        def ready() -> None:
            view.loaded.disconnect(ready)
            cases = view.cases
            page = cases.parentWidget()
            if page is not None:
                view.tabs.setCurrentIndex(view.tabs.indexOf(page))
            for n, row in enumerate(cases.model.rows):
                if row["id"] == case_id:
                    cases.table.selectRow(n)
                    break
            button = cases.workflow.buttons.get(target)
            if button is not None and button.isEnabled():
                button.setFocus()
            else:
                cases.table.setFocus()

        view.loaded.connect(ready)
        self.open_household(household_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down and self.search.text().strip()):
            self._into_results()
            return True
        return super().eventFilter(watched, event)

    def _when_results(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the household list holds the results for what the search box says
        (at once if it does already)."""
        model = self.households.model
        if model.query != self.search.text().strip():
            self._run_search()
        if not model.loading:
            then()
            return

        def loaded() -> None:
            model.loaded.disconnect(loaded)
            if model.query == self.search.text().strip():
                then()

        model.loaded.connect(loaded)

    def open_top_hit(self) -> None:
        """Enter in the search box: open the household listed first (the best match)."""
        if not self.search.text().strip():
            return

        def open_first() -> None:
            rows = self.households.model.rows
            if rows:
                self.open_household(rows[0].id)

        self._when_results(open_first)

    def _into_results(self) -> None:
        """Down in the search box: into the list of results, on the first, to move on with the
        arrow keys and open with Enter."""
        self.go(self.households)

        def focus_first() -> None:
            table = self.households.table
            if self.households.model.rows:
                table.setFocus()
                table.selectRow(0)

        self._when_results(focus_first)

    def _run_search(self) -> None:
        # Search first, then show the page: showing it first would load the unfiltered list for
        # nothing.
        self.households.search(self.search.text())
        self.go(self.households)

    def unlocked(self) -> None:
        # The pages were emptied when the screen locked; each reloads when it is next shown.
        self.demo_badge.setVisible(bool(self.session.settings.get("demo")))

    def clear(self) -> None:
        """Drop every record from every page; the screen is being locked."""
        self.search.clear()
        for page in self.pages:
            page.clear()
        self.sync_indicator.clear()

    def _show_sync_progress(self, stage: str, done: int, total: int) -> None:
        # The status bar keeps it short; the Sync page has the bar and the counts.
        if total and stage in ("push", "pull"):
            percent = min(100, done * 100 // total)
            text = (self.tr("Syncing: sending %1%") if stage == "push" else self.tr("Syncing: receiving %1%"))
            self.sync_indicator.setText(text.replace("%1", str(percent)))

    def _show_sync_status(self, status: dict[str, Any]) -> None:
        server = status.get("server", "-")
        if server in ("", "-"):
            state = self.tr("Offline: not connected to a server")
        elif self.sync.online is False:
            state = self.tr("Offline")
        else:
            state = self.tr("Online")
        pending = int(status.get("pending", 0))
        parts = [state, self.tr("%n change(s) waiting to sync", "", pending)]
        last = status.get("last_sync", "-")
        if last not in ("", "-"):
            parts.append(self.tr("last sync %1").replace("%1", fmt_stamp(str(last))))
        conflicts = int(status.get("conflicts", 0))
        if conflicts:
            parts.append(self.tr("%n conflict(s)", "", conflicts))
        self.sync_indicator.setText(" · ".join(parts))
