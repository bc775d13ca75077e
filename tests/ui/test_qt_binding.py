"""The Qt binding in use does not corrupt reference counts.

PySide6 6.12.0 (abi3 wheels) returns None from void methods without taking a reference on Python
3.11, where None is not yet immortal: every ``label.setText()`` drops one reference to None, and the
app aborts with "none_dealloc" after some tens of thousands of calls. pyproject.toml excludes that
release; this test catches the next one that does the same.
"""

from __future__ import annotations

import sys

from ui.qt import PYSIDE_VERSION, QLabel, QTimer


def test_void_calls_keep_none_alive(qapp: object) -> None:
    label = QLabel()
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
        timer.stop()
    lost = before - sys.getrefcount(None)
    assert lost < 50, f"PySide6 {PYSIDE_VERSION} loses a reference to None on each void call ({lost} in 400)"


def test_every_qt_import_goes_through_ui_qt() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    imports = re.compile(r"^\s*(from|import)\s+PySide6\b", re.MULTILINE)
    files = [p for folder in ("ui", "tests/ui", "bench") for p in (root / folder).rglob("*.py")]
    offenders = [str(p.relative_to(root)) for p in files
                 if p != root / "ui" / "qt.py" and imports.search(p.read_text("utf-8"))]
    assert offenders == [], f"import Qt through ui.qt instead: {offenders}"
