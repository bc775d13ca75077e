"""What the desktop app does with an exception nobody caught: write it to the error log and say so.

A windowed Windows build has no stderr, so a traceback printed there is lost; the log file in the
user's log folder (caseapp.errorlog: rotated, program-side only, no personal data) is where it goes,
and a message box names that file, in the words the command line uses for the same case.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from types import TracebackType

from caseapp import errorlog
from caseapp.messages import message
from ui.qt import QMessageBox


def report(error: BaseException, lang: str) -> str:
    """Log ``error``; the line telling the user where it went."""
    log = errorlog.write(error, "gui")
    if log is None:
        return message("cli.unexpected_unlogged", lang, kind=type(error).__name__)
    return message("cli.unexpected", lang, kind=type(error).__name__, log=str(log))


def install(lang: Callable[[], str], show: Callable[[str], None] | None = None) -> None:
    """Route uncaught exceptions through ``report``; ``show`` displays the line (a message box)."""

    def shown(text: str) -> None:
        QMessageBox.critical(None, "CaseApp", text)

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        text = report(error, lang())
        if sys.stderr is not None:
            with contextlib.suppress(OSError, ValueError):
                print(text, file=sys.stderr)
        (show or shown)(text)

    sys.excepthook = hook
