"""The filters above a list: where (my area, an org unit in reach, or everything on this device),
one choice per coded column (category, state …), a period on the list's date, and text.

Choices and their names come from the list's column definitions (``listing.choice_options``: the
dictionary's codes, the workflow's states); org units are those on the device. Any change emits
``changed``; ``value()`` is the filter as shown and ``show_filter()`` puts one back.
"""

from __future__ import annotations

from caseapp.services import listing
from ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QWidget,
    Signal,
)
from ui.session import Session, touches
from ui.widgets.marks import mark_data

PERIOD_NAMES = {
    "": QT_TRANSLATE_NOOP("FilterBar", "Any time"),
    "today": QT_TRANSLATE_NOOP("FilterBar", "Today"),
    "week": QT_TRANSLATE_NOOP("FilterBar", "This week"),
    "month": QT_TRANSLATE_NOOP("FilterBar", "This month"),
    "last_30_days": QT_TRANSLATE_NOOP("FilterBar", "Last 30 days"),
    "next_30_days": QT_TRANSLATE_NOOP("FilterBar", "Next 30 days"),
    "due_today": QT_TRANSLATE_NOOP("FilterBar", "Due by today"),
    "due_week": QT_TRANSLATE_NOOP("FilterBar", "Due by the end of this week"),
    "due_30_days": QT_TRANSLATE_NOOP("FilterBar", "Due within 30 days"),
    "overdue": QT_TRANSLATE_NOOP("FilterBar", "Overdue"),
}
LEVEL_INDENT = {"city": 0, "district": 1, "street": 2, "community": 3, "grid": 4}
#: a scope entry meaning "no limit"
EVERYWHERE = "*"
#: between the codes of a choice entry standing for several
SEVERAL = "|"


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, session: Session, spec: listing.ListSpec, *, text: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spec = spec
        self._quiet = False
        #: load_units has run: the scope is refilled when org units change after that
        self._units_loaded = False
        #: the sort, carried along (the header sets it, not this bar)
        self._sort: tuple[str, bool] = ("", False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scope = QComboBox(self)
        self.scope.setObjectName(f"scope_{spec.name}")
        self.scope.setMinimumContentsLength(12)
        self.scope.setToolTip(self.tr("Which area the list shows"))
        mark_data(self.scope)  # org unit names are proper names
        self._fill_scope([])
        # Alt+A from anywhere in the list: where the list looks (then the arrow keys, Tab onwards)
        self.scope_label = QLabel(self.tr("&Area:"), self)
        self.scope_label.setBuddy(self.scope)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.scope, 2)
        self.choices: dict[str, QComboBox] = {}
        lang = session.core_lang
        for key in spec.choices:
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{spec.name}_{key}")
            column = spec.column(key)
            combo.addItem(self.tr("All: %1").replace("%1", column.label(lang)), None)
            for code, name in listing.choice_options(spec, key, lang):
                combo.addItem(name, code)
            combo.setToolTip(column.label(lang))
            self.choices[key] = combo
            layout.addWidget(combo, 1)
        self.period: QComboBox | None = None
        if spec.date:
            self.period = QComboBox(self)
            self.period.setObjectName(f"period_{spec.name}")
            self.period.setToolTip(spec.column(spec.date).label(lang))
            for code in spec.periods():
                self.period.addItem(QCoreApplication.translate("FilterBar", PERIOD_NAMES[code]), code)
            layout.addWidget(self.period, 1)
        self.text: QLineEdit | None = None
        if text and spec.text:
            self.text = QLineEdit(self)
            self.text.setObjectName(f"text_{spec.name}")
            self.text.setClearButtonEnabled(True)
            self.text.setPlaceholderText(self.tr("Contains…"))
            self.text.setToolTip(" / ".join(spec.column(k).label(lang) for k in spec.text))
            layout.addWidget(self.text, 2)
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.clear_button.setObjectName(f"clear_{spec.name}")
        layout.addWidget(self.clear_button)

        self.scope.currentIndexChanged.connect(self._emit)
        for combo in self.choices.values():
            combo.currentIndexChanged.connect(self._emit)
        if self.period is not None:
            self.period.currentIndexChanged.connect(self._emit)
        if self.text is not None:
            self.text.textEdited.connect(self._emit)
        self.clear_button.clicked.connect(self.clear_filters)
        session.changed.connect(self._on_changed)

    # -- org units ------------------------------------------------------------------------------
    def load_units(self) -> None:
        """Fill the scope with the org units on this device (read in the background)."""
        self._units_loaded = True
        if self.session.is_open:
            self.session.read(listing.units_in_reach, self._fill_scope, lambda _e: None)

    def _on_changed(self, entities: frozenset[str]) -> None:
        # the org units arrive with a first sync (or an import): name them once they are here
        if self._units_loaded and touches(entities, frozenset({"org_unit"})):
            self.load_units()

    def _fill_scope(self, units: list[tuple[str, str, str]]) -> None:
        current = self.scope.currentData()
        self._quiet = True
        self.scope.clear()
        self.scope.addItem(self.tr("Everything on this device"), EVERYWHERE)
        mine = self.session.org_code
        if mine:
            name = next((n for code, n, _level in units if code == mine), mine)
            self.scope.addItem(self.tr("My area: %1").replace("%1", name), mine)
        # units near the user's own (its district) first: a district's device holds hundreds
        near = mine[:6] if mine else ""
        for code, name, level in units:
            if level in ("street", "community", "grid") and code.startswith(near):
                self.scope.addItem("  " * LEVEL_INDENT.get(level, 0) + name, code)
        index = self.scope.findData(current) if current is not None else -1
        self.scope.setCurrentIndex(max(index, 0))
        self._quiet = False

    # -- the filter ----------------------------------------------------------------------------
    def value(self) -> listing.ListFilter:
        code = self.scope.currentData()
        choices = {key: tuple(str(combo.currentData()).split(SEVERAL)) for key, combo in self.choices.items()
                   if combo.currentData() is not None}
        return listing.ListFilter(
            scope=None if code in (None, EVERYWHERE) else (str(code),),
            choices=choices,
            text=self.text.text().strip() if self.text is not None else "",
            period=str(self.period.currentData() or "") if self.period is not None else "",
            sort=self._sort[0], descending=self._sort[1])

    def show_filter(self, flt: listing.ListFilter) -> None:
        """Show ``flt`` without announcing it (the caller applies it)."""
        self._quiet = True
        try:
            code = flt.scope[0] if flt.scope else EVERYWHERE
            index = self.scope.findData(code)
            if index < 0 and code != EVERYWHERE:  # a unit not listed (yet): show it by its code
                self.scope.addItem(code, code)
                index = self.scope.count() - 1
            self.scope.setCurrentIndex(max(index, 0))
            for key, combo in self.choices.items():
                chosen = flt.choices.get(key) or ()
                combo.setCurrentIndex(max(self._choice_index(key, combo, chosen), 0))
            if self.period is not None:
                self.period.setCurrentIndex(max(self.period.findData(flt.period), 0))
            if self.text is not None:
                self.text.setText(flt.text)
            self._sort = (flt.sort, flt.descending)
        finally:
            self._quiet = False

    def _choice_index(self, key: str, combo: QComboBox, chosen: tuple[str, ...]) -> int:
        """The entry showing ``chosen``: one code's own entry, or for several (the open grid events
        a Today card asks for) an entry made for them, named by how many, listing them in its
        tooltip."""
        if not chosen:
            return 0
        if len(chosen) == 1:
            return combo.findData(chosen[0])
        data = SEVERAL.join(chosen)
        found = combo.findData(data)
        if found >= 0:
            return found
        names = dict(listing.choice_options(self.spec, key, self.session.core_lang))
        combo.addItem(self.tr("%n chosen", "", len(chosen)), data)
        combo.setItemData(combo.count() - 1, "、".join(names.get(c, c) for c in chosen),
                          Qt.ItemDataRole.ToolTipRole)
        return combo.count() - 1

    def set_sort(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)

    def clear_filters(self) -> None:
        self.show_filter(listing.ListFilter(sort=self._sort[0], descending=self._sort[1]))
        self.changed.emit()

    def _emit(self, *_args: object) -> None:
        if not self._quiet:
            self.changed.emit()
