"""PyInstaller runtime hook: Chinese input through fcitx5 in the bundle.

The bundle's Qt carries the ibus and compose input-method plugins (PySide6's wheels have no fcitx
one, and the distributions' fcitx5-qt6 plugins are built against their own Qt's private API, so
they cannot be loaded into ours). fcitx5 answers the IBus protocol too (its ibus frontend, on by
default), so where the session asks Qt for fcitx and no fcitx plugin is bundled, ask for ibus.
A plugin put in platforminputcontexts/ by the build (CASEAPP_FCITX_PLUGIN) is used as it is.
"""

import os
import sys
from pathlib import Path

_plugins = Path(getattr(sys, "_MEIPASS", "")) / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
if os.environ.get("QT_IM_MODULE", "").startswith("fcitx") and not any(_plugins.glob("*fcitx*")):
    os.environ["QT_IM_MODULE"] = "ibus"
