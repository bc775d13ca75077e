"""A line edit that prints what was typed into it: installer/im_check.py drives it under Xvfb.

It answers as soon as the typing is over, whichever way it went: a committed Chinese word, or the
final space landing as plain text. ``argv[1]`` milliseconds is only the fallback."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.qt import QApplication, QLineEdit, QTimer

app = QApplication(sys.argv)
edit = QLineEdit()
edit.setWindowTitle("caseapp-im-probe")


def answer() -> None:
    print("TEXT:" + edit.text(), flush=True)
    app.quit()


def changed(text: str) -> None:
    if text.endswith(" ") or any(ord(c) > 0x2E80 for c in text):
        answer()


edit.textChanged.connect(changed)
edit.show()
edit.activateWindow()
edit.setFocus()
QTimer.singleShot(int(sys.argv[1]), answer)
print("READY", flush=True)
sys.exit(app.exec())
