"""Chinese input through fcitx5, the way the desktop bundle sets Qt up (installer/rthooks/input_method.py):
under Xvfb, fcitx5's pinyin types 你好 into a Qt line edit. Without the hook, a session that asks Qt
for fcitx gets plain letters (Qt has no fcitx plugin, and its ibus plugin gives up where no
ibus-daemon is installed). Skipped where Xvfb, xdotool, D-Bus or fcitx5 are not installed
(`scripts/system-deps package` installs them); `make package` runs the same on the bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import im_check

pytestmark = pytest.mark.skipif(bool(im_check.missing_tools()), reason=f"needs {im_check.missing_tools()}")


def test_fcitx5_types_chinese_through_the_bundles_input_method_setup() -> None:
    assert im_check.type_chinese() == "你好"


def test_without_the_hook_a_fcitx_session_types_letters() -> None:
    assert im_check.type_chinese(hook=False) == "nihao"  # the final space, typed as text, is stripped
