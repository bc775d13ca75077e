"""The member form carries the 特困 self-care assessment (DOMAIN.md §2.1): its date, six items as
能/不能 and its result, labelled from the model."""

from __future__ import annotations

import datetime as dt

from caseapp.domain.households import SELF_CARE_ITEMS, self_care_result
from ui.forms.form import RecordForm


def test_the_member_form_records_a_self_care_assessment(qtbot) -> None:
    form = RecordForm("member", "zh")
    qtbot.addWidget(form)
    form.editor("name").set("李桂兰")
    form.editor("self_care_assessed_on").set(dt.date(2026, 11, 2))
    for item in SELF_CARE_ITEMS:
        form.editor(item).set("able")
    form.editor("self_care_bathing").set("unable")
    form.editor("self_care_result").set("partial_care")
    values = form.values()
    assert values["self_care_assessed_on"] == "2026-11-02"
    assert values["self_care_bathing"] == "unable" and values["self_care_eating"] == "able"
    assert values["self_care_result"] == self_care_result(values) == "partial_care"
