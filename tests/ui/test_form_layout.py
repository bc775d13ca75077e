"""A record form in a window taller than its fields: every label stays beside its field (a text
box's label at the box's top) and the spare room goes below the last row."""

from __future__ import annotations

import pytest

from ui.forms.form import RecordForm
from ui.forms.specs import SPECS
from ui.qt import QLabel, QWidget


@pytest.mark.parametrize("entity", ["assistance_case", "care_visit", "household"])
def test_labels_stay_beside_their_fields_when_the_form_is_taller_than_they_need(qtbot, entity: str) -> None:
    form = RecordForm(entity, "zh")
    qtbot.addWidget(form)
    form.resize(900, form.sizeHint().height() * 4)
    form.show()
    qtbot.waitExposed(form)
    for row in range(form.rows.rowCount()):
        label = form.rows.itemAt(row, form.rows.ItemRole.LabelRole)
        field = form.rows.itemAt(row, form.rows.ItemRole.FieldRole)
        if label is None or field is None or not isinstance(label.widget(), QLabel):
            continue
        cell: QWidget = field.widget()
        editor = next((e.widget for n, e in form.editors.items() if form.cells.get(n) is cell), cell)
        top = editor.mapTo(form, editor.rect().topLeft()).y()
        assert abs(label.widget().geometry().top() - top) <= 12, (entity, label.widget().text())
    last = form.cells[SPECS[entity][-1].name]
    assert last.geometry().bottom() < form.height() / 2  # the room is below the last row, not between rows
