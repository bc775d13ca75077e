"""District → street → community picker over caseapp.refdata's Guangzhou divisions.

Division names are proper names and stay in Chinese in every UI language.
"""

from __future__ import annotations

from caseapp import refdata
from ui.qt import QComboBox, QHBoxLayout, QWidget, Signal
from ui.widgets.marks import mark_data


class OrgPicker(QWidget):
    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.district = QComboBox(self)
        self.street = QComboBox(self)
        self.community = QComboBox(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for combo in (self.district, self.street, self.community):
            mark_data(combo)
            combo.setMinimumContentsLength(8)
            layout.addWidget(combo, 1)
        for d in refdata.districts():
            self.district.addItem(d.name, d.code)
        self.district.currentIndexChanged.connect(self._fill_streets)
        self.street.currentIndexChanged.connect(self._fill_communities)
        self.community.currentIndexChanged.connect(lambda _i: self.changed.emit(self.code()))
        self._fill_streets()

    def _fill(self, combo: QComboBox, parent_code: str) -> None:
        combo.blockSignals(True)
        combo.clear()
        for child in refdata.children(parent_code):
            combo.addItem(child.name, child.code)
        combo.blockSignals(False)

    def _fill_streets(self) -> None:
        self._fill(self.street, str(self.district.currentData() or ""))
        self._fill_communities()

    def _fill_communities(self) -> None:
        self._fill(self.community, str(self.street.currentData() or ""))
        self.changed.emit(self.code())

    def code(self) -> str:
        for combo in (self.community, self.street, self.district):
            if combo.currentData():
                return str(combo.currentData())
        return ""

    def set_code(self, code: str) -> None:
        """Select ``code`` (a district, street or community code) if it is known."""
        for combo, length in ((self.district, 6), (self.street, 9), (self.community, 12)):
            if len(code) < length:
                return
            index = combo.findData(code[:length])
            if index < 0:
                return
            combo.setCurrentIndex(index)
