"""A line edit that prints what was typed into it: installer/im_check.py drives it under Xvfb."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ui.qt import QApplication, QLineEdit, QTimer

app = QApplication(sys.argv)
edit = QLineEdit()
edit.setWindowTitle("caseapp-im-probe")
edit.show()
edit.activateWindow()
edit.setFocus()
QTimer.singleShot(int(sys.argv[1]), lambda: (print("TEXT:" + edit.text(), flush=True), app.quit()))
print("READY", flush=True)
sys.exit(app.exec())
