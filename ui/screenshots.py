"""Render the main screens in Chinese and English to PNG files for the README.

    python -m ui.screenshots docs/screenshots        (``make screenshots``)

Runs offscreen over a throw-away workspace filled with demo data. Chinese needs a CJK font
(fonts-wqy-microhei, installed by scripts/system-deps); without one every hanzi would render as a
box, so the run stops with a message instead of writing useless pictures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from caseapp.services import listing, statistics
from caseapp.store.workspace import Workspace
from ui import language
from ui.adapters import demo
from ui.prefs import Prefs
from ui.qt import QApplication, QFont, QFontDatabase, QWidget
from ui.session import Session
from ui.tasks import TaskManager
from ui.window import AppWindow

PASSPHRASE = "screenshots are not secret"
SIZE = (1280, 800)
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC")
DEMO_HOUSEHOLDS = 200  # one grid's worth: enough for events, elders and reviews to show


def wait(app: QApplication, done: Callable[[], bool], timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not finish loading")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):  # let layouts settle after the last rows arrive
        app.processEvents()


def use_cjk_font(app: QApplication) -> str:
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSize(10)
            app.setFont(font)
            return family
    raise SystemExit("no CJK font found: install fonts-wqy-microhei (see scripts/system-deps)")


def save(widget: QWidget, folder: Path, lang: str, name: str) -> Path:
    path = folder / f"{name}-{'zh' if lang.startswith('zh') else 'en'}.png"
    widget.grab().save(str(path))
    print(f"wrote {path}")
    return path


def make_workspace(folder: Path) -> Path:
    """The demo a newcomer gets: data, a server on loopback, one conflict waiting."""
    path = folder / "demo"
    ws, _recovery = Workspace.create(path, PASSPHRASE)
    try:
        demo.set_up(ws, DEMO_HOUSEHOLDS, seed=7)
        assign_demo_tasks(ws)
    finally:
        ws.close()
    return path


def assign_demo_tasks(ws: Workspace) -> None:
    """What the work queue shows: cases submitted for the street's review (one of them returned
    for a missing paper), an overdue task for the user and one for a colleague."""

    from sqlalchemy import select

    from caseapp.domain import AssistanceCase, ElderProfile, Household
    from caseapp.services import records, tasks

    today = dt.date.today()
    with ws.write() as db:
        path = ("applied", "verification", "investigation", "preliminary_review")
        homes = db.scalars(select(Household).order_by(Household.id.desc()).limit(4)).all()
        cases = [records.create(db, AssistanceCase, {"org_code": h.org_code, "household_id": h.id,
                                                     "category": "dibao", "monthly_amount": "600",
                                                     "amount_reason": "家中有重病成员，经评议按 600 元保障"})
                 for h in homes]
        for n, case in enumerate(cases):
            for target in path[path.index(case.status) + 1:]:
                records.transition(db, case, target, note="材料齐全，提交街道审核",
                                   at=dt.datetime.now(dt.UTC) - dt.timedelta(days=len(cases) - n))
        if cases:
            records.transition(db, cases[-1], "investigation", note="缺少收入证明，请补充后再提交")
        elder = db.scalars(select(ElderProfile).order_by(ElderProfile.id)).first()
        home = db.scalars(select(Household).order_by(Household.id)).first()
        if elder is not None:
            tasks.assign(db, role=None, kind="visit", target_id=elder.id, assignee=ws.actor,
                         due_on=today - dt.timedelta(days=1), note="独居老人，近日降温，请上门探访")
        if home is not None:
            tasks.assign(db, role=None, kind="investigation", target_id=home.id, assignee="李网格",
                         due_on=today + dt.timedelta(days=3), note="申请低保，请入户调查并拍照")


def shoot(app: QApplication, lang: str, workspace: Path, scratch: Path, out: Path) -> None:
    language.install(lang)
    tasks = TaskManager()
    prefs = Prefs(scratch / f"prefs-{lang}.json", language=lang)
    try:
        first = AppWindow(Session(scratch / f"empty-{lang}", tasks, lang), prefs)
        first.resize(*SIZE)
        first.show()
        assert first.first_run is not None
        first.first_run.passphrase_step.name.setText("陈社工")
        first.first_run.passphrase_step.passphrase.setText("新的一天 2024 去探访")
        first.first_run.passphrase_step.meter.update_for("新的一天 2024 去探访")
        wait(app, lambda: True)
        save(first, out, lang, "first-run")
        flow = first.first_run
        # A made-up key in the real format: the screenshot must not show a working one.
        flow.recovery_step.show_key("-".join(["XXXX"] * 13))
        flow.steps.setCurrentWidget(flow.recovery_step)
        wait(app, lambda: True)
        save(first, out, lang, "recovery-key")
        flow.steps.setCurrentWidget(flow.mode_step)
        flow.mode_step.demo_radio.setChecked(True)
        wait(app, lambda: True)
        save(first, out, lang, "how-you-work")
        first.close()

        window = AppWindow(Session(workspace, tasks, lang), prefs)
        window.resize(*SIZE)
        window.show()
        wait(app, lambda: True)
        save(window, out, lang, "unlock")
        window.unlock_screen.secret.setText(PASSPHRASE)
        window.unlock_screen.unlock.click()
        main = window.main_screen
        wait(app, lambda: window.session.is_open and not window.locked)
        wait(app, lambda: main.today.visits.ready and main.today.reviews.ready and main.today.events.ready)
        save(window, out, lang, "today")

        main.go(main.households)
        wait(app, lambda: len(main.households.model.rows) > 0)
        save(window, out, lang, "households")

        # the list as a caseworker narrows it: 低保 households in payment, sorted by 户主
        panel = main.households.panel
        wait(app, lambda: panel.bar.scope.count() > 1)
        panel.apply(listing.ListFilter(choices={"categories": ("dibao",), "states": ("active",)},
                                       sort="head_name"))
        wait(app, lambda: not panel.model.loading and panel.model.total is not None)
        save(window, out, lang, "households-filtered")
        panel.apply(listing.ListFilter())
        wait(app, lambda: not panel.model.loading and panel.model.total is not None)

        main.households.show_household(main.households.model.rows[0].id)
        view = main.households.view
        wait(app, lambda: view.bundle is not None)
        view.tabs.setCurrentWidget(view.members)
        wait(app, lambda: True)
        save(window, out, lang, "household")

        shoot_sign_off(app, window, out, lang)
        shoot_queue(app, window, out, lang)

        main.go(main.visits)
        wait(app, lambda: len(main.visits.model.rows) > 0)
        main.visits.table.selectRow(0)
        dialog = main.visits.visit_row(0)
        assert dialog is not None
        note = "血压 130/85，精神尚可" if lang.startswith("zh") else "BP 130/85, in good spirits"
        dialog.form.editor("health").set(note)
        wait(app, lambda: True)
        save(dialog, out, lang, "quick-visit")
        dialog.reject()
        shoot_waitlist(app, window, out, lang)

        main.go(main.grid)
        wait(app, lambda: main.grid.events.panel.model.total is not None)
        save(window, out, lang, "grid")
        shoot_disasters(app, window, out, lang)
        shoot_buildings(app, window, out, lang)

        shoot_reassessment(app, window, out, lang)

        main.go(main.sync_page)
        page = main.sync_page
        wait(app, lambda: bool(page.server.text()) and page.conflicts.ready and page.panel.row is not None)
        save(window, out, lang, "sync")

        main.go(main.statistics)
        stats = main.statistics
        last_month = stats.month_box.findData(str(statistics.Month.of(dt.date.today()).shift(-1)))
        stats.month_box.setCurrentIndex(last_month)
        stats.tabs.setCurrentWidget(stats.pages["changes"])
        wait(app, lambda: stats.counted is not None and stats.counted.month == stats.month())
        save(window, out, lang, "statistics")
        stats.tabs.setCurrentWidget(stats.pages["visits"])
        wait(app, lambda: True)
        save(window, out, lang, "statistics-visits")

        main.go(main.settings)
        wait(app, lambda: True)
        save(window, out, lang, "settings")
        window.close()
    finally:
        tasks.shutdown()


def shoot_sign_off(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """A street supervisor signing a case's review: the Assistance tab with its steps, and the dialog."""
    from sqlalchemy import select

    from caseapp.domain import AssistanceCase

    ws = window.session.ws
    assert ws is not None
    with ws.read() as db:
        case = db.scalars(select(AssistanceCase).where(AssistanceCase.status.in_(
            ("preliminary_review", "investigation", "verification"))).order_by(AssistanceCase.status.desc(),
                                                                               AssistanceCase.id)).first()
    if case is None:
        return
    window.session.settings["sync.role"] = "supervisor"
    main = window.main_screen
    main.open_household(case.household_id)
    view = main.households.view
    wait(app, lambda: view.bundle is not None and view.bundle.household["id"] == case.household_id)
    view.tabs.setCurrentIndex(2)
    view.cases.table.selectRow(next(n for n, r in enumerate(view.cases.model.rows) if r["id"] == case.id))
    bar = view.cases.workflow
    wait(app, lambda: any(b.isEnabled() for b in bar.buttons.values()))
    save(window, out, lang, "assistance-steps")
    dialog = view.cases._move(next(t for t, b in bar.buttons.items() if b.isEnabled()))
    assert dialog is not None
    dialog.opinion.setPlainText("材料齐全，经审核符合条件，同意公示" if lang.startswith("zh")
                                else "Papers complete; meets the conditions; publish the notice")
    wait(app, lambda: True)
    save(dialog, out, lang, "sign-off")
    dialog.reject()
    window.session.settings["sync.role"] = ""


def shoot_reassessment(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """The data-quality page's re-assessment tab: the cases a new standard changes, those to
    recompute and those set by hand with their reason told apart."""
    main = window.main_screen
    main.go(main.quality)
    panel = main.quality.reassess
    main.quality.tabs.setCurrentWidget(panel)
    wait(app, lambda: bool(panel.summary.text()) and not panel.summary.text().endswith("…"))
    save(window, out, lang, "reassessment")


def shoot_disasters(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """A disaster's series: its reports, what it owes and by when, and its next report's buttons."""
    grid = window.main_screen.grid
    grid.tabs.setCurrentWidget(grid.disasters)
    wait(app, lambda: bool(grid.disasters.panel.model.rows))
    rows = grid.disasters.panel.model.rows
    pick = next((n for n, r in enumerate(rows) if r.values.get("stage") == "update"), 0)
    grid.disasters.panel.table.selectRow(pick)
    wait(app, lambda: grid.series.state is not None)
    save(window, out, lang, "disaster-series")


def shoot_buildings(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """The grid's buildings (四标四实) with who lives in each counted, and the fullest one opened on
    its residents (实有人口)."""
    grid = window.main_screen.grid
    grid.tabs.setCurrentWidget(grid.buildings)
    grid.buildings.panel.apply(listing.ListFilter(sort="residents", descending=True), save=False)
    wait(app, lambda: bool(grid.buildings.panel.model.rows) and not grid.buildings.panel.model.loading)
    save(window, out, lang, "buildings")
    grid.show_building(grid.buildings.panel.model.rows[0].id)
    shown = grid.building
    wait(app, lambda: shown.shown is not None)
    shown.tabs.setCurrentWidget(shown.residents)
    wait(app, lambda: True)
    save(window, out, lang, "building")
    shown.back_button.click()
    wait(app, lambda: True)


def shoot_waitlist(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """The care-home waiting list in queue order, and one waiting application's form."""
    visits = window.main_screen.visits
    visits.tabs.setCurrentWidget(visits.waitlist)
    panel = visits.waitlist.panel
    wait(app, lambda: panel.model.total is not None and bool(panel.model.rows))
    save(window, out, lang, "waitlist")
    rows = panel.model.rows
    panel.table.selectRow(next((n for n, r in enumerate(rows) if r.values.get("status") == "waiting"), 0))
    wait(app, lambda: visits.waitlist.row is not None)
    row = visits.waitlist.row
    assert row is not None
    visits._edit_application(row)
    wait(app, lambda: visits.application_dialog is not None)
    dialog = visits.application_dialog
    assert dialog is not None
    save(dialog, out, lang, "form-waitlist")
    dialog.reject()


def shoot_queue(app: QApplication, window: AppWindow, out: Path, lang: str) -> None:
    """A street supervisor's work queue: the cases waiting for their sign-off, and their tasks."""
    window.session.settings["sync.role"] = "supervisor"
    main = window.main_screen
    main.go(main.queue)
    page = main.queue
    page.refresh()
    wait(app, lambda: page.waiting.ready and page.returned.ready and page.assigned.ready)
    save(window, out, lang, "queue")
    window.session.settings["sync.role"] = ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lang", action="append", choices=[language.ZH, language.EN])
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    use_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        workspace = make_workspace(scratch)
        try:
            for lang in args.lang or [language.ZH, language.EN]:
                shoot(app, lang, workspace, scratch, args.folder)
        finally:
            demo.stop_servers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
