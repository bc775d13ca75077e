"""What every main-window page does: reload when records it shows change, drop rows on lock."""

from __future__ import annotations

from ui.qt import QShowEvent, Qt, QWidget, Signal
from ui.session import Session, touches


class Page(QWidget):
    #: ask the main window to show a household
    open_household = Signal(str)
    #: record types whose changes make this page reload
    watches: frozenset[str] = frozenset()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = True
        session.changed.connect(self._on_changed)

    def title(self) -> str:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload from the workspace (only called while unlocked)."""

    def focus_target(self) -> QWidget | None:
        """Where the keyboard focus goes when the page is chosen from the keyboard (Ctrl+number);
        None: the page's first control in the tab order."""
        return None

    def take_focus(self) -> None:
        """Put the keyboard focus on the page: its chosen control, or its first one."""
        target = self.focus_target()
        if target is not None and target.isVisible() and target.isEnabled():
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (self.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled()
                    and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def clear(self) -> None:
        """Forget every record shown (the workspace is locking)."""
        self._stale = True

    def _on_changed(self, entities: frozenset[str]) -> None:
        if not touches(entities, self.watches):
            return
        # Visible pages reload now; hidden ones when they are next shown.
        if self.isVisible() and self.session.is_open:
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.session.is_open:
            self._stale = False
            self.refresh()
