"""Start the desktop app: ``caseapp`` with no subcommand lands here (entry point ``caseapp.gui``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from caseapp.store.workspace import default_dir
from ui import language as i18n
from ui.adapters import demo
from ui.prefs import Prefs
from ui.qt import QApplication
from ui.session import Session
from ui.tasks import TaskManager
from ui.window import AppWindow


def build(workspace: Path | None = None, prefs: Prefs | None = None) -> tuple[AppWindow, TaskManager]:
    """The window over ``workspace`` (the default folder when None), translations installed."""
    prefs = prefs or Prefs.load()
    # CASEAPP_LANG=pseudo shows the stretched pseudo-translation that exposes clipped layouts.
    lang = os.environ.get("CASEAPP_LANG") or i18n.resolve(prefs.language)
    i18n.install(lang)
    tasks = TaskManager()
    session = Session(workspace or default_dir(), tasks, lang)
    return AppWindow(session, prefs), tasks


def main(workspace: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CaseApp")
    app.setOrganizationName("CaseApp")
    window, tasks = build(workspace)
    window.show()
    try:
        return int(app.exec())
    finally:
        tasks.shutdown()
        demo.stop_servers()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
