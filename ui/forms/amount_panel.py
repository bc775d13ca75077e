"""The computed amount (核算金额) beside an assistance case's typed monthly amount: per-person income,
the standard in force, 补差, the 分类施保 supplements and their total (for a subsidy: each covered
member's figure), worked out by
caseapp.services.assessment from the household's members and income items (the rule is stated there
only) and refreshed as the form changes. Read-only: the caseworker types the amount paid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from caseapp.services import assessment
from ui.forms.form import RecordForm
from ui.qt import QLabel, Qt, QWidget

# the form fields the assessment reads (a change to any of them refreshes the panel)
READS = ("category", "applied_on", "people_covered", "monthly_amount", "rural")


class AmountPanel(QLabel):
    def __init__(self, form: RecordForm, case: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
                 incomes: Sequence[Mapping[str, Any]], today: dt.date | None = None,
                 parent: QWidget | None = None, cases: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(parent or form)
        self.setObjectName("computed_amount")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = form
        self.case = dict(case)
        self.members = list(members)
        self.incomes = list(incomes)
        #: the household's cases (an open 低保/低收入 case: the 困难残疾人生活补贴 is due)
        self.cases = list(cases)
        self.today = today
        self.result: assessment.Assessment | None = None
        for name in READS:
            if name in form.editors:
                form.editors[name].on_change(self.refresh)
        self.refresh()

    def title(self) -> str:
        return self.tr("Computed amount")

    def values(self) -> dict[str, Any]:
        """The case as the form holds it now (what is typed over what is stored)."""
        typed = {k: v for k, v in self.form.values().items() if k in READS}
        try:
            typed["people_covered"] = int(str(typed.get("people_covered") or 0))
        except ValueError:
            typed["people_covered"] = 0
        return {**self.case, **typed}

    def refresh(self) -> None:
        case = self.values()
        self.result = result = assessment.assess_values(case, self.members, self.incomes,
                                                        self.today or dt.date.today(), cases=self.cases)
        if result is None:
            self.setText(self.tr("Not assessed monthly: no standard applies to this category on this date."))
            return
        yuan = self.tr("¥%1")
        if result.per_member:
            self.setText("\n".join(self.subsidy_lines(result, yuan) + self.total_lines(case, result, yuan)))
            return
        lines = [
            self.tr("Per-person income: %1 (%2 a month ÷ %3 covered)").replace(
                "%1", yuan.replace("%1", f"{result.per_person_income:.2f}")).replace(
                "%2", f"{result.total_income:.2f}").replace("%3", str(result.covered)),
            (self.tr("Line in force: %1 (from %2)") if result.recognition else self.tr(
                "Standard in force: %1 (from %2)")).replace(
                "%1", yuan.replace("%1", f"{result.standard.amount:.2f}")).replace(
                "%2", result.standard.effective_from.isoformat()),
        ]
        if result.recognition:
            lines.append(self.tr("Above the line: this income does not make a low-income household.")
                         if result.above_standard else
                         self.tr("No top-up: a low-income household is recognised, and helped case by case."))
        else:
            lines.append(self.tr("Top-up: %1").replace("%1", yuan.replace("%1", f"{result.base_amount:.2f}")))
        for share in result.shares:
            lines.append(self.tr("Supplement for %1: %2 (%3% of the standard)").replace(
                "%1", share.name or "—").replace("%2", yuan.replace("%1", f"{share.amount:.2f}")).replace(
                "%3", f"{share.percent.normalize():f}"))
        self.setText("\n".join(lines + self.total_lines(case, result, yuan)))

    def subsidy_lines(self, result: assessment.Assessment, yuan: str) -> list[str]:
        """A subsidy's lines: each covered member's figure and its level (the rule: assessment)."""
        elderly = result.standard.kind == "elder_allowance"
        lines = [self.tr("Figures in force from %1, one per covered member (%2 covered)").replace(
            "%1", result.standard.effective_from.isoformat()).replace("%2", str(result.covered))]
        for share in result.shares:
            line = self.tr("Allowance for %1 (aged %2): %3") if elderly else self.tr(
                "Living subsidy for %1: %3") if share.level == assessment.LIVING else self.tr(
                "Care subsidy for %1 (grade %2): %3")
            lines.append(line.replace("%1", share.name or "—").replace("%2", share.level or "").replace(
                "%3", yuan.replace("%1", f"{share.amount:.2f}")))
        if not result.shares:
            lines.append(self.tr("No covered member qualifies on this date."))
        if not elderly and not any(s.level == assessment.LIVING for s in result.shares):
            lines.append(self.tr("No living subsidy: the household has no open 低保 or 低收入 case."))
        return lines

    def total_lines(self, case: Mapping[str, Any], result: assessment.Assessment, yuan: str) -> list[str]:
        lines = [self.tr("Computed amount: %1").replace("%1", yuan.replace("%1", f"{result.computed:.2f}"))]
        typed = assessment.money(case.get("monthly_amount"))
        if typed != 0 and result.differs(typed):
            lines.append(self.tr("The typed amount differs by %1: give the reason below.").replace(
                "%1", yuan.replace("%1", f"{typed - result.computed:+.2f}")))
        return lines


def attach(form: RecordForm, case: Mapping[str, Any], members: Sequence[Mapping[str, Any]],
           incomes: Sequence[Mapping[str, Any]], today: dt.date | None = None,
           cases: Sequence[Mapping[str, Any]] = ()) -> AmountPanel:
    """The panel, placed on ``form`` right after the monthly amount."""
    panel = AmountPanel(form, case, members, incomes, today, cases=cases)
    form.add_row_after("monthly_amount", panel.title(), panel)
    return panel
