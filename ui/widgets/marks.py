"""Marks on widgets that other parts of the UI (and the i18n test) look for."""

from __future__ import annotations

from ui.qt import QWidget

#: Widgets whose text is record data (a name, an address, a recovery key), not UI wording: the
#: translation check skips them.
DATA = "caseapp_data"


def mark_data(widget: QWidget) -> QWidget:
    widget.setProperty(DATA, True)
    return widget


def is_data(widget: QWidget) -> bool:
    return bool(widget.property(DATA))
