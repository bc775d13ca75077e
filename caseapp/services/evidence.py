"""What an assistance case's approval rests on, gathered from the records around it.

The gates themselves are rules of the workflow (caseapp.services.workflows: approval needs a 核对
conclusion and a home investigation signed by two investigators). They read the facts gathered
here, from the household's records: ``gather`` on the device (an ORM session), ``facts_of`` from
plain field values (what the server stores), so both sides judge the same facts by the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase, Investigation, Record, Verification

_NAMES = re.compile(r"[\s,，、;；/]+")

Facts = dict[str, bool]


def names(text: str | None) -> list[str]:
    """The investigators named in an investigation (separated by commas, 、, spaces …)."""
    return [n for n in _NAMES.split(text or "") if n]


#: 核对 conclusions that are conclusions (not "pending", not "needs further checking")
CONCLUDED = frozenset({"eligible", "ineligible"})


def facts_of(case_id: str, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> Facts:
    """The facts from (entity, fields) of the household's records."""
    verified = signed = False
    for entity, fields in rows:
        if fields.get("archived") or (fields.get("case_id") not in (None, "", case_id)):
            continue
        if entity == "verification" and fields.get("conclusion") in CONCLUDED:
            verified = True
        if entity == "investigation" and fields.get("investigators_signed") and len(
                names(str(fields.get("investigators") or ""))) >= 2:
            signed = True
    return {"verified": verified, "investigators_signed": signed}


def gather(session: Session, case: AssistanceCase) -> Facts:
    rows: list[tuple[str, Mapping[str, Any]]] = []
    for cls in (Verification, Investigation):
        found = session.scalars(select(cls).where(
            or_(cls.household_id == case.household_id, cls.case_id == case.id)))
        rows += [(r.entity, _fields(r)) for r in found]
    return facts_of(case.id, rows)


def _fields(record: Record) -> dict[str, Any]:
    return {n: getattr(record, n) for n in ("archived", "case_id", "conclusion", "investigators",
                                             "investigators_signed") if hasattr(record, n)}


class Evidence:
    """A record seen by the workflow's guards together with the facts around it."""

    def __init__(self, record: Any, facts: Facts) -> None:
        self._record, self.facts = record, facts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)
