"""PyInstaller runtime hook: Chinese input through fcitx5 in the bundle.

The bundle's Qt carries the ibus and compose input-method plugins (PySide6's wheels have no fcitx
one, and the distributions' fcitx5-qt6 plugins are built against their own Qt's private API, so
they cannot be loaded into ours). fcitx5 also answers the IBus protocol (its ibus frontend, on by
default), so where the session asks for fcitx and no fcitx plugin is bundled, ask Qt for ibus,
through the IBus portal name fcitx5 registers: Qt's ibus plugin otherwise gives up at once where no
``ibus-daemon`` program is installed, which is the case on a fcitx-only desktop.
installer/im_check.py types 你好 through fcitx5 this way.
"""

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path


def _redirect(environ: MutableMapping[str, str], plugins: Path) -> None:
    asked = environ.get("QT_IM_MODULE", "") or ("fcitx" if "fcitx" in environ.get("XMODIFIERS", "") else "")
    if asked.startswith("fcitx") and not any(plugins.glob("*fcitx*")):
        environ["QT_IM_MODULE"] = "ibus"
        environ.setdefault("IBUS_USE_PORTAL", "1")


if getattr(sys, "frozen", False):  # in the bundle; installer/im_check.py imports _redirect itself
    _redirect(os.environ, Path(getattr(sys, "_MEIPASS", "")) / "PySide6" / "Qt" / "plugins" / "platforminputcontexts")
