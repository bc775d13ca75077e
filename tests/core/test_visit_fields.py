"""The fields every visit record shares are declared once (caseapp.domain.visits): a visit record
that declared one by hand would drift from the others (a lost PAST rule, another code list, a
follow-up no longer personal). Only the label may differ per record, and for findings and follow-up
also what they mean (help)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Column, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from caseapp.domain import ENTITIES
from caseapp.domain import visits as shared
from caseapp.domain.fields import Facts, all_facts, facts_of

#: a visit record is any record that says when a visit took place
VISITS = {cls.entity: cls for cls in ENTITIES.values() if "visited_at" in cls.__table__.columns}
#: shared field -> the facts that may differ between the visit records that have it
MAY_DIFFER = {"visited_at": {"label"}, "method": {"label"}, "visitors": {"label"},
              "findings": {"label", "help"}, "follow_up": {"label", "help"}}


class _Reference(DeclarativeBase):
    pass


class _Visit(_Reference):
    """The shared fields on a table of their own, to compare each visit record's columns with."""

    __tablename__ = "reference_visit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    visited_at: Mapped[dt.datetime] = shared.visited_at()
    method: Mapped[str] = shared.method()
    visitors: Mapped[str] = shared.visitors()
    findings: Mapped[str] = shared.findings(label=("发现", "Findings"), help="-")
    follow_up: Mapped[str] = shared.follow_up(label=("跟进", "Follow-up"), help="-")


def _facts(column: Column[Any], differ: set[str]) -> dict[str, Any]:
    found = facts_of(column)
    assert isinstance(found, Facts), column.key
    return {k: v for k, v in dataclasses.asdict(found).items() if k not in differ}


def _storage(column: Column[Any]) -> tuple[Any, ...]:
    default = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
    return (repr(column.type), column.nullable, bool(column.index), default, column.unique)


def test_the_visit_records_are_the_ones_known() -> None:
    assert set(VISITS) == {"care_visit", "child_visit", "veteran_visit"}


@pytest.mark.parametrize("name", sorted(MAY_DIFFER))
def test_a_shared_visit_field_is_the_same_on_every_visit_record_that_has_it(name: str) -> None:
    reference = _Visit.__table__.columns[name]
    having = [cls for cls in VISITS.values() if name in cls.__table__.columns]
    assert having, name
    for cls in having:
        column = cls.__table__.columns[name]
        assert _facts(column, MAY_DIFFER[name]) == _facts(reference, MAY_DIFFER[name]), (cls.entity, name)
        assert _storage(column) == _storage(reference), (cls.entity, name)


def test_labels_differ_only_where_the_office_words_them_differently() -> None:
    zh = {entity: {name: all_facts(cls)[name].label[0] for name in ("visited_at", "method", "visitors")}
          for entity, cls in VISITS.items()}
    tanfang = {"visited_at": "探访时间", "method": "探访方式", "visitors": "探访人员"}
    assert zh["care_visit"] == zh["child_visit"] == tanfang
    assert zh["veteran_visit"] == {"visited_at": "走访时间", "method": "走访方式", "visitors": "走访人员"}
