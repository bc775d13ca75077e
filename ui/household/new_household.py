"""The new-household form: the household's fields, and first the community and grid it lives in.

A household belongs to a grid (or, where a community has no grids, to the community); a record
filed at the street's level falls out of every community's and grid's list. The choice offers the
communities and grids on this device near the caseworker's own area, and the caseworker's own is
chosen to begin with.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session as DbSession

from caseapp import refdata
from caseapp.errors import CaseAppError, ValidationError
from caseapp.services import listing
from ui.forms.dialog import RecordDialog
from ui.forms.specs import SPECS
from ui.qt import QComboBox, QFormLayout, QLabel, Qt, QWidget
from ui.session import Session
from ui.widgets.field_error import FieldError
from ui.widgets.marks import mark_data

#: the shortest code a household may be filed under: a community (a grid's code is longer)
COMMUNITY_CODE_LENGTH = 12
AREA = "org_code"
# the most widgets looked back through for the control before the form's first field
MAX_WALK = 500
# the fields placing a household at a building: set when it is edited, once its grid is known
PLACED = ("building_id", "room_no")


def area_choices(units: list[tuple[str, str, str]], mine: str) -> list[tuple[str, str]]:
    """(code, name) of the communities and grids a new household near ``mine`` may be filed under:
    those on this device and the communities of the caseworker's street in the reference divisions,
    grids under their community (三眼井社区 / 第一网格)."""
    near = mine[:9] if len(mine) >= 9 else mine[:6]
    names: dict[str, str] = {}
    for code, name, level in units:
        if level in ("community", "grid") and code.startswith(near):
            names[code] = name
    if len(mine) >= 9:
        for division in refdata.children(mine[:9]):
            names.setdefault(division.code, division.name)
    if len(mine) >= COMMUNITY_CODE_LENGTH and mine not in names:
        names[mine] = mine
    shown = []
    for code in sorted(names):
        community = names.get(code[:COMMUNITY_CODE_LENGTH], "")
        is_grid = len(code) > COMMUNITY_CODE_LENGTH and community
        shown.append((code, f"{community} / {names[code]}" if is_grid else names[code]))
    return shown


class NewHouseholdDialog(RecordDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        # placed at a building once it is kept (the buildings offered are its grid's)
        super().__init__(session, "household", specs=[s for s in SPECS["household"] if s.name not in PLACED],
                         parent=parent)
        self.area = QComboBox(self)
        self.area.setObjectName("area")
        mark_data(self.area)  # community and grid names are proper names
        self.area.setMinimumContentsLength(16)
        self.area_error = FieldError(self)
        self.area_error.setObjectName("error_area")
        label = QLabel(self.tr("Community and grid") + " *", self)
        label.setBuddy(self.area)
        row = QFormLayout()
        row.addRow(label, self.area)
        row.addRow("", self.area_error)
        self.body.insertLayout(0, row)
        self.area.activated.connect(lambda _i: self.area_error.fixed())
        # Made after the form, shown above it: first in the tab order too, and where typing starts
        self._tab_first()
        self.area.setFocus()
        self._fill([])
        session.read(listing.units_in_reach, self._fill, lambda _e: None)

    def _tab_first(self) -> None:
        """Put the area just before the form's first field in the tab order: after the control that
        comes before that field (setTabOrder ignores widgets that take no focus)."""
        first = next(iter(self.form.editors.values()), None)
        widget = first.widget.previousInFocusChain() if first is not None else None
        for _ in range(MAX_WALK):
            if widget is None or widget is self.area:
                return  # nothing before it, or already there
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                QWidget.setTabOrder(widget, self.area)
                return
            widget = widget.previousInFocusChain()

    def _fill(self, units: list[tuple[str, str, str]]) -> None:
        chosen = self.area.currentData() or self.session.org_code
        self.area.clear()
        self.area.addItem("", "")  # nothing chosen yet: saving asks for it
        for code, name in area_choices(units, self.session.org_code):
            self.area.addItem(name, code)
        self.area.setCurrentIndex(max(self.area.findData(chosen), 0))

    def build_job(self) -> Callable[[DbSession], str] | None:
        code = str(self.area.currentData() or "")
        if len(code) < COMMUNITY_CODE_LENGTH:
            raise ValidationError("record.area_needed", AREA)
        self.fixed[AREA] = code
        return super().build_job()

    def _failed(self, error: Exception) -> None:
        super()._failed(error)
        if isinstance(error, CaseAppError) and error.field == AREA:
            self.form.banner.clear_error()
            self.area_error.show_error(self.session.field_message(error))
            self.area.setFocus()
