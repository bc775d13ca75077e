"""Buttons for the workflow moves of a record: the ones allowed now, and the others greyed with why."""

from __future__ import annotations

from typing import Any

from caseapp.messages import message
from caseapp.services import display
from ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QWidget, Signal

# the most widgets looked back through for the control before the bar
MAX_WALK = 500


class WorkflowBar(QWidget):
    #: target state
    chosen = Signal(str)

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.caption = QLabel(self.tr("Next step:"), self)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.caption)
        self._layout.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        self.set_record("", None)

    def set_record(self, entity: str, row: dict[str, Any] | None) -> None:
        """A button for every move the record's workflow has from its state; the ones this user
        cannot take now are greyed, with the reason as their tooltip (and in the status tip)."""
        # The step the keyboard is on stays there when the buttons are made again (a reload, the
        # same record selected again); a step just taken hands the focus to the next one there is
        # (or to the control before the bar), rather than leaving it on a button that goes.
        # (The window's focus, whether or not it is the active window: a sign-off dialog may be.)
        focus = self.window().focusWidget()
        focused = next((t for t, b in self.buttons.items() if b is focus), None)
        old = set(self.buttons.values())
        for button in old:
            button.deleteLater()
        self.buttons = {}
        options: list[dict[str, Any]] = list(row.get("_options", [])) if row else []
        previous = before = self._before(old)
        for option in options:
            target, action, blocked = option["target"], option.get("action") or "", option.get("blocked")
            text = display.code_name("case_action", action, self.lang) if action \
                else display.state_name(entity, target, self.lang)
            button = QPushButton(text, self)
            button.setObjectName(f"move_{target}")
            button.setEnabled(blocked is None)
            if blocked is not None:
                button.setToolTip(message(blocked, self.lang))
                button.setStatusTip(button.toolTip())
            button.clicked.connect(lambda _c=False, t=target: self.chosen.emit(t))
            self._layout.insertWidget(self._layout.count() - 1, button)
            button.show()  # now, not when the layout gets to it: the focus may be given to it at once
            # Made after the screen was: in the tab order where they are shown (after the list the
            # bar belongs to), not at the end of the window's.
            if previous is not None:
                QWidget.setTabOrder(previous, button)
            previous = button
            self.buttons[target] = button
        self.setVisible(bool(options))
        if focused is not None:
            enabled = [b for b in self.buttons.values() if b.isEnabled()]
            again = self.buttons.get(focused)
            chosen = again if again in enabled else enabled[0] if enabled else before
            if chosen is not None:
                chosen.setFocus(Qt.FocusReason.OtherFocusReason)

    def _before(self, leaving: set[QPushButton]) -> QWidget | None:
        """The control before this bar in the tab order (the bar itself takes no focus, and
        setTabOrder ignores a widget that does not), passing over the buttons being replaced."""
        widget = self.previousInFocusChain()
        for _ in range(MAX_WALK):
            if widget is None or widget is self:
                return None
            if widget not in leaving and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                return widget
            widget = widget.previousInFocusChain()
        return None
