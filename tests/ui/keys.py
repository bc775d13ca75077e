"""Driving the app with the keyboard alone, as a person without a mouse does: every key goes to the
widget that has the keyboard focus (``QApplication.focusWidget()``), never to a widget picked by the
test, and each move says where the focus must land, so a step that only works with the mouse fails.

Chinese is typed the way an input method delivers it (one committed phrase, see
``tests.ui.conftest.type_text``), into the focused field."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.exceptions import TimeoutError as WaitTimeout

from ui.qt import QAbstractButton, QApplication, QComboBox, Qt, QWidget

#: the most Tab presses a move through one screen may take (a bounded walk, not a search)
MAX_TABS = 80
#: the most arrow presses a choice in a list or a combo may take
MAX_STEPS = 400

Key = Qt.Key
ALT, CTRL, SHIFT = (Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier,
                    Qt.KeyboardModifier.ShiftModifier)
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None:
        active = QApplication.activeWindow()
        raise AssertionError(f"nothing has the keyboard focus (active window: {_name(active)}, "
                             f"its focus: {_name(active.focusWidget() if active else None)})")
    return widget


def _name(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return f"{type(widget).__name__}({widget.objectName()!r}{', ' + repr(text) if text else ''})"


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER, times: int = 1) -> None:
    """Press ``key`` (with ``modifier``) where the keyboard focus is, ``times`` times."""
    for _ in range(times):
        qtbot.keyClick(focused(), key, modifier)


def alt(qtbot, letter: str) -> None:
    """A mnemonic: Alt and the underlined letter of a button, tab or label."""
    press(qtbot, getattr(Qt.Key, f"Key_{letter.upper()}"), ALT)


def ctrl(qtbot, key: Qt.Key | str) -> None:
    press(qtbot, getattr(Qt.Key, f"Key_{key.upper()}") if isinstance(key, str) else key, CTRL)


def type_keys(qtbot, text: str) -> None:
    """Type Latin letters, digits and punctuation key by key into the focused field."""
    qtbot.keyClicks(focused(), text)


def type_zh(text: str) -> None:
    """Type Chinese into the focused field, as an input method commits it."""
    from tests.ui.conftest import type_text

    type_text(focused(), text)


def retype(qtbot, text: str) -> None:
    """Replace what the focused field holds: select all, then type."""
    press(qtbot, Key.Key_A, CTRL)
    press(qtbot, Key.Key_Backspace)
    type_keys(qtbot, text)


def expect_focus(qtbot, widget: QWidget | Callable[[], QWidget | None], timeout: int = 5_000) -> None:
    """The keyboard focus is (or, within ``timeout``, comes to) ``widget`` or a part of it (a
    callable: the widget it gives then, for one the screen makes again meanwhile)."""
    def wanted() -> QWidget | None:
        return widget() if callable(widget) and not isinstance(widget, QWidget) else widget  # type: ignore[return-value]

    def there() -> bool:
        now, target = QApplication.focusWidget(), wanted()
        return now is not None and target is not None and (now is target or target.isAncestorOf(now))

    try:
        qtbot.waitUntil(there, timeout=timeout)
    except WaitTimeout:
        raise AssertionError(f"focus is on {_name(QApplication.focusWidget())}, not {_name(wanted())}") from None


def tab_to(qtbot, widget: QWidget, *, back: bool = False) -> None:
    """Tab (or Shift+Tab) until ``widget`` has the focus: the screen's tab order must reach it."""
    seen: list[str] = []
    for _ in range(MAX_TABS):
        now = QApplication.focusWidget()
        if now is not None and (now is widget or widget.isAncestorOf(now)):
            return
        seen.append(_name(now))
        if back:
            press(qtbot, Key.Key_Backtab, SHIFT)
        else:
            press(qtbot, Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {_name(widget)}; it went through {seen}")


def choose(qtbot, combo: QComboBox, wanted: Callable[[QComboBox], bool]) -> None:
    """In the focused combo, arrow down (from the top) until the entry shown is the one wanted."""
    expect_focus(qtbot, combo)
    press(qtbot, Key.Key_Home)
    for _ in range(min(MAX_STEPS, combo.count())):
        if wanted(combo):
            return
        press(qtbot, Key.Key_Down)
    assert wanted(combo), f"no entry of {_name(combo)} is the one wanted (showing {combo.currentText()!r})"


def choose_code(qtbot, combo: QComboBox, code: str) -> None:
    choose(qtbot, combo, lambda c: c.currentData() == code)


def arrow_to_row(qtbot, table, wanted: Callable[[int], bool]) -> int:
    """In the focused table, from the first row, arrow down to the row ``wanted`` (by number)."""
    expect_focus(qtbot, table)
    rows = table.model().rowCount()
    press(qtbot, Key.Key_Home, CTRL)
    for _ in range(min(MAX_STEPS, rows)):
        row = table.currentIndex().row()
        if row >= 0 and wanted(row):
            return int(row)
        press(qtbot, Key.Key_Down)
    row = table.currentIndex().row()
    assert row >= 0 and wanted(row), f"no row of {_name(table)} is the one wanted"
    return int(row)


def save(qtbot) -> None:
    """Ctrl+Enter: a form saves from any of its fields."""
    press(qtbot, Key.Key_Return, CTRL)


def activate(qtbot, window: QWidget) -> None:
    """``window`` gets the keyboard, as the window system gives it to a window just opened or
    clicked into (here each device of the day is a window on one screen; a dialog opened is
    activated by the window manager, which the offscreen platform does not have)."""
    assert window.isVisible(), f"{_name(window)} is not open"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
