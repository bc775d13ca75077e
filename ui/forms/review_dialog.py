"""A periodic review (复核) of an assistance case: the decision, the new amount, the reason.

Goes through ``records.record_review``, which moves the case through its workflow and schedules
the next review, rather than creating the review record directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.domain import AssistanceCase
from caseapp.errors import ValidationError, ValidationErrors
from caseapp.services import records
from caseapp.validation.dates import parse_date_text
from ui.forms.dialog import RecordDialog
from ui.forms.specs import SPECS
from ui.qt import QWidget
from ui.session import Session


def _day(text: str) -> dt.date:
    try:
        return parse_date_text(text)  # 2026/12/1, 2026.12.1, 20261201 as well
    except ValueError:
        raise ValidationErrors([ValidationError("record.bad_value", "reviewed_on", value=text[:40])]) from None


def _amount(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationErrors([ValidationError("record.bad_value", "new_amount", value=text[:40])]) from None


class ReviewDialog(RecordDialog):
    def __init__(self, session: Session, case: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(session, "case_review", specs=SPECS["case_review"],
                         values={"reviewed_on": dt.date.today(), "outcome": "unchanged",
                                 "new_amount": case.get("monthly_amount")}, parent=parent)
        self.setObjectName("review_dialog")
        self.case_id = str(case["id"])

    def build_job(self) -> Callable[[DbSession], str]:
        values = self.form.values()
        on, outcome = _day(str(values["reviewed_on"])), str(values["outcome"])
        amount, reason, case_id = _amount(str(values["new_amount"])), str(values["reason"]), self.case_id

        def review(db: DbSession) -> str:
            case = records.get(db, AssistanceCase, case_id)
            return records.record_review(db, case, outcome, new_amount=amount, reason=reason, on=on).id

        return review
