"""The data-quality page's table: the findings of the checks across records (caseapp.services.quality)
in the user's reach, one row each, computed on the read pool."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session as DbSession

from caseapp.messages import message
from caseapp.services import quality
from ui.models.listed import ListTableModel


class FindingsModel(ListTableModel[quality.Finding]):
    CHECK, RECORD, PROBLEM, SEVERITY = range(4)
    # org-code prefixes the checks keep to (None: everything on this device)
    reach: tuple[str, ...] | None = None

    def headers(self) -> list[str]:
        return [self.tr("Check"), self.tr("Record"), self.tr("Problem"), self.tr("Severity")]

    def load(self, db: DbSession) -> list[quality.Finding]:
        return quality.run_in(db, self.reach, dt.date.today())

    def display(self, row: quality.Finding, column: int) -> Any:
        lang = self.reader.core_lang
        if column == self.CHECK:
            return message(quality.title_key(row.check), lang)
        if column == self.RECORD:
            return row.text
        if column == self.PROBLEM:
            return quality.said(row.key, row.params, lang)
        return self.tr("Must be corrected") if row.severity == "error" else self.tr("To check")

    def warn(self, row: quality.Finding) -> bool:
        return row.severity == "error"
