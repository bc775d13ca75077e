"""Start the desktop app: ``caseapp`` with no subcommand lands here (entry point ``caseapp.gui``)."""

from __future__ import annotations

import importlib
import os
import sys
import threading
from pathlib import Path

from ui import crash
from ui import language as i18n
from ui.prefs import Prefs
from ui.qt import QApplication, QTimer
from ui.session import Session
from ui.tasks import TaskManager
from ui.window import MAIN_MODULES, AppWindow


def build(workspace: Path | None = None, prefs: Prefs | None = None) -> tuple[AppWindow, TaskManager]:
    """The window over ``workspace`` (the default folder when None), translations installed."""
    if workspace is None:
        from caseapp.store.paths import default_dir

        workspace = default_dir()
    prefs = prefs or Prefs.load()
    # CASEAPP_LANG=pseudo shows the stretched pseudo-translation that exposes clipped layouts.
    lang = os.environ.get("CASEAPP_LANG") or i18n.resolve(prefs.language)
    i18n.install(lang)
    tasks = TaskManager()
    session = Session(workspace, tasks, lang)
    return AppWindow(session, prefs), tasks


def warm_up() -> None:
    """Import what the main screen needs while the caseworker types the passphrase, so unlocking
    does not wait for it. Only imports: no widget is created off the GUI thread."""

    def run() -> None:
        for name in MAIN_MODULES:
            importlib.import_module(name)

    threading.Thread(target=run, name="caseapp-warm-up", daemon=True).start()


def main(workspace: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CaseApp")
    app.setOrganizationName("CaseApp")
    window, tasks = build(workspace)
    crash.install(lambda: window.session.core_lang)
    window.show()
    QTimer.singleShot(0, warm_up)  # after the first paint
    try:
        return int(app.exec())
    finally:
        tasks.shutdown()
        if "ui.adapters.demo" in sys.modules:
            sys.modules["ui.adapters.demo"].stop_servers()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
