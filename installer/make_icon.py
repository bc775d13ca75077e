"""Render installer/caseapp.svg as a Windows icon (build/caseapp.ico: 16 to 256 px), which the
PyInstaller spec and the Inno Setup script use on Windows. Qt draws it, so no other tool is needed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.qt import QGuiApplication, QImage  # noqa: E402


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    image = QImage(str(ROOT / "installer" / "caseapp.svg"))  # Qt's SVG image plugin draws it at 256 px
    if image.isNull():
        raise SystemExit("could not render installer/caseapp.svg")
    out = ROOT / "build" / "caseapp.ico"
    out.parent.mkdir(exist_ok=True)
    if not image.save(str(out), b"ICO"):
        raise SystemExit(f"could not write {out}")
    print(out)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
