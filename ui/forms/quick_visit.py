"""Quick visit entry: the few fields of a visit typed in a minute, keyboard only.

Tab walks the fields in order, Enter anywhere saves (every field is a single line for that reason),
and the defaults are the usual case: now, in person, visited by the signed-in caseworker.
"""

from __future__ import annotations

from ui.forms.dialog import RecordDialog
from ui.forms.specs import SPECS
from ui.qt import QWidget
from ui.session import Session
from ui.widgets.marks import mark_data
from ui.widgets.text import heading

QUICK_FIELDS = ("visited_at", "method", "visitors", "health", "mental_state", "safety", "services", "needs",
                "follow_up")


class QuickVisitDialog(RecordDialog):
    def __init__(self, session: Session, elder_id: str, elder_name: str = "", parent: QWidget | None = None) -> None:
        specs = [f for f in SPECS["care_visit"] if f.name in QUICK_FIELDS]
        visitor = session.ws.actor if session.ws else ""
        super().__init__(session, "care_visit", fixed={"elder_id": elder_id}, values={"visitors": visitor},
                         specs=specs, owner=("elder_profile", elder_id), parent=parent)
        self.setObjectName("quick_visit")
        if elder_name:
            self.setWindowTitle(self.tr("Visit: %1").replace("%1", elder_name))
            self.who = heading(elder_name, self, size_delta=3)
            mark_data(self.who)
            self.body.insertWidget(0, self.who)
        # Start typing straight into the first field that usually needs words.
        self.form.editor("health").widget.setFocus()
        self.form.initial = {}
