"""The checks across records over every device's data in a scope (``caseapp-server quality``).

The server holds records as JSON (``schema.records``); the checks are the device's own
(caseapp.services.quality), SQL over the domain's tables. So the scope's records of the types the
checks read are materialised into an in-memory SQLite with those tables, and the device's code runs
there. Members elsewhere holding an ID number of a member in the scope come along too (their fields
only): the same person registered in two communities is the 人情保 pattern auditors look for, and
no single device holds both records; so do the buildings elsewhere that households in the scope are
placed at (a household at another community's building). Findings are kept to the scope.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, create_engine, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from caseapp.domain import Base
from caseapp.domain.codec import entity_class, from_wire
from caseapp.services import quality
from caseapp.services.workflows import ADMIN, SUPERVISOR
from sync.server import schema
from sync.server.auth import Principal
from sync.server.errors import ApiError

#: the record types the checks read
READ = ("household", "member", "income_item", "assistance_case", "elder_profile", "verification", "care_application",
        "building", "case_payment")


def _insert(db: Session, rows: Iterable[tuple[str, str]]) -> None:
    by_entity: dict[str, list[dict[str, object]]] = {}
    for entity, text in rows:
        cls = entity_class(entity)
        columns = cls.__table__.columns
        fields = json.loads(text)
        by_entity.setdefault(entity, []).append(
            {name: from_wire(cls, name, value) for name, value in fields.items() if name in columns})
    for entity, values in by_entity.items():
        db.execute(insert(entity_class(entity)), values)


def sweep(conn: Connection, scope: str, today: dt.date) -> list[quality.Finding]:
    """Every finding of the checks among the records in ``scope`` (an org-code prefix; "" for all)."""
    r = schema.records.c
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[entity_class(e).__tablename__] for e in READ])
    try:
        with Session(engine) as db:
            inside = conn.execute(select(r.entity, r.fields, r.person_id, r.id)
                                  .where(r.entity.in_(READ), r.org_code.startswith(scope, autoescape=True))).all()
            _insert(db, ((row.entity, row.fields) for row in inside))
            numbers = sorted({row.person_id for row in inside if row.entity == "member" and row.person_id})
            _insert(db, _holders_elsewhere(conn, numbers, scope))
            placed = {row.id for row in inside if row.entity == "building"}
            wanted = sorted({str(at) for row in inside if row.entity == "household"
                             and (at := json.loads(row.fields).get("building_id")) and at not in placed})
            _insert(db, _buildings_elsewhere(conn, wanted))
            return quality.run(db, scope, today)
    finally:
        engine.dispose()


def _holders_elsewhere(conn: Connection, numbers: Sequence[str], scope: str) -> list[tuple[str, str]]:
    """Member records outside the scope holding one of these ID numbers."""
    r = schema.records.c
    found: list[tuple[str, str]] = []
    for start in range(0, len(numbers), 500):
        query = select(r.entity, r.fields).where(r.entity == "member", r.person_id.in_(numbers[start:start + 500]),
                                                  ~r.org_code.startswith(scope, autoescape=True))
        found.extend((row.entity, row.fields) for row in conn.execute(query))
    return found


def _buildings_elsewhere(conn: Connection, ids: Sequence[str]) -> list[tuple[str, str]]:
    """The buildings outside the scope that households in it are placed at (a household of this
    community at another community's building is what ``household_outside_community`` finds)."""
    r = schema.records.c
    found: list[tuple[str, str]] = []
    for start in range(0, len(ids), 500):
        query = select(r.entity, r.fields).where(r.entity == "building", r.id.in_(ids[start:start + 500]))
        found.extend((row.entity, row.fields) for row in conn.execute(query))
    return found


#: the roles that may list the findings of their reach (the street's supervisors, administrators)
LISTS = frozenset({SUPERVISOR, ADMIN})


def listed(conn: Connection, who: Principal, scope: str, today: dt.date) -> list[dict[str, object]]:
    """The findings a supervisor asks for (``GET /quality``): in ``scope`` if given (it must be in
    their reach), else in their whole reach; each with its check, severity and message key."""
    if who.role not in LISTS:
        raise ApiError(403, "quality.supervisors_only")
    if scope and not who.covers(scope):
        raise ApiError(403, "quality.scope_outside", scope=scope)
    prefixes = [scope] if scope else [p for p in who.prefixes if not any(p != q and p.startswith(q)
                                                                          for q in who.prefixes)]
    found: list[dict[str, object]] = []
    for prefix in prefixes:
        for f in sweep(conn, prefix, today):
            found.append({"check": f.check, "severity": f.severity, "entity": f.entity, "record_id": f.record_id,
                          "household_id": f.household_id, "text": f.text, "key": f.key, "params": f.params})
    return found
