"""An exception nobody caught in the desktop app goes to the error log, and the user is told where."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ui import crash


def test_an_uncaught_exception_is_logged_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # where platformdirs puts the log on Linux
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored afterwards
    shown: list[str] = []
    crash.install(lambda: "zh", shown.append)
    personal = " ".join(["张" + "三", "4401041990" + "03074514"])  # not spelled out in the source line
    try:
        raise ValueError(personal)
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    (line,) = shown
    log = next(tmp_path.rglob("errors.log"))
    assert str(log) in line and "ValueError" in line and "意外错误" in line
    text = log.read_text()
    assert "ValueError" in text and "test_crash.py" in text
    assert "张三" not in text and "440104199003074514" not in text
