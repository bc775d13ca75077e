"""Each elder's next visit day, kept by the database itself (the ``elder_due`` table and its triggers).

The visits-due list for a whole district read every elder profile and sought each one's latest visit
to work the day out (169 ms at 31,352 elders). The day is now stored, one narrow row per elder
indexed by (due, org unit, elder), so the list and its counts read only the elders due.

One rule, one place: the day is ``due_day`` below, the same SQL the statistics use. The table is not
kept by the code paths that write (forms, imports, sync apply, restores, migrations): triggers on
``care_visit`` and ``elder_profile`` run that same expression for the elder a change touches, inside
the write's own transaction. The interval of each risk tier is a rule that a deployment may change
(``refdata.install_rules``), so the triggers are made from the rules in force: ``ensure`` (run when a
workspace opens) remakes them and refills the table when their text differs from what the rules in
force give; ``current`` tells a reader whether the stored days follow those rules, and the readers
(caseapp.services.schedule) work the days out as before when they do not."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Index, String, Table, case, cast, delete, func, literal_column, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import visitors

from caseapp import refdata
from caseapp.domain import CareVisit, ElderProfile
from caseapp.domain.base import Base


class ElderDue(Base):
    """The day each elder's next visit falls due (ISO date text), with what the list orders and
    filters by; one row per elder profile not archived. Kept by triggers (module docstring)."""

    __tablename__ = "elder_due"
    #: the list's order: the due elders are a range of it, read in order, and counted without a sort
    __table_args__ = (Index("ix_elder_due_order", "due", "org_code", "elder_id"),)

    # nullable all: a trigger that failed a constraint would refuse the write that fired it
    elder_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    household_id: Mapped[str | None] = mapped_column(String(36))
    member_id: Mapped[str | None] = mapped_column(String(36))
    risk_tier: Mapped[str | None] = mapped_column(String(16))
    org_code: Mapped[str | None] = mapped_column(String(24))
    due: Mapped[str | None] = mapped_column(String(10))


def due_day(last_visit: Any, profile: Any = ElderProfile) -> Any:
    """SQL: the day an elder's next visit falls due (ISO date text), the rule of next_visit_due: the
    interval after the last visit (``last_visit``, the latest visit's time), else the day the profile
    was made. ``profile`` holds the profile's columns (the table, or a subquery's ``c``). The last
    visit appears once (``date()`` of NULL is NULL), so it may be the correlated subquery itself,
    sought once per elder."""
    rules = refdata.rules()
    tiers = refdata.dictionary("risk_tier")
    by_tier = case(*((profile.risk_tier == t, rules.visit_interval_days(t)) for t in tiers),
                   else_=rules.visit_interval_days("normal"))
    interval = func.coalesce(profile.visit_interval_days, by_tier)
    return func.coalesce(func.date(last_visit, "+" + cast(interval, String) + " days"),
                         func.date(profile.created_at))


def last_visit(before: str | None = None, elder: Any = ElderProfile.id) -> Any:
    """SQL, correlated with ``elder`` (an elder's id: ElderProfile's, or a subquery's): the time of
    the elder's latest visit (before ``before``, UTC text, when given); one seek of the (elder,
    archived, time) index."""
    query = select(func.max(CareVisit.visited_at)).where(CareVisit.elder_id == elder, CareVisit.archived.is_(False))
    if before is not None:
        query = query.where(CareVisit.visited_at < before)
    return query.correlate_except(CareVisit).scalar_subquery()


def worked_out(elder: Any | None = None) -> Any:
    """SQL, the one statement of each elder's due day by the rule: a row per elder profile not
    archived (elder_id, household_id, member_id, risk_tier, org_code, due), as the table holds
    them, for the elder ``elder`` (an SQL expression) or every elder (None). The triggers' bodies,
    the table's refill and a reader whose rules differ from the triggers' all use it."""
    query = (select(ElderProfile.id.label("elder_id"), ElderProfile.household_id, ElderProfile.member_id,
                    ElderProfile.risk_tier, ElderProfile.org_code, due_day(last_visit()).label("due"))
             .where(ElderProfile.archived.is_(False)))
    return query if elder is None else query.where(ElderProfile.id == elder)


def _table() -> Table:
    table: Table = ElderDue.__table__  # type: ignore[assignment]
    return table


def _sql(statement: Any) -> str:
    return str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def _refresh(elder: str) -> str:
    """Statements, for a trigger's body, that make the row of the elder ``elder`` (NEW.x or OLD.x)
    what the rule gives: deleted, then written again unless the profile is gone or archived."""
    table = _table()
    key: Any = literal_column(elder)
    fill = table.insert().from_select([c.name for c in table.columns], worked_out(key))
    return f"{_sql(delete(table).where(table.c.elder_id == key))}; {_sql(fill)};"


#: (trigger, table, event, the elders it refreshes); an UPDATE trigger fires only for the columns
#: the rule reads (``read_columns``)
_TRIGGERS = (
    ("elder_due_visit_insert", CareVisit.__tablename__, "INSERT", ("NEW.elder_id",)),
    ("elder_due_visit_update", CareVisit.__tablename__, "UPDATE", ("OLD.elder_id", "NEW.elder_id")),
    ("elder_due_visit_delete", CareVisit.__tablename__, "DELETE", ("OLD.elder_id",)),
    ("elder_due_profile_insert", ElderProfile.__tablename__, "INSERT", ("NEW.id",)),
    ("elder_due_profile_update", ElderProfile.__tablename__, "UPDATE", ("OLD.id", "NEW.id")),
    ("elder_due_profile_delete", ElderProfile.__tablename__, "DELETE", ("OLD.id",)),
)

_made: dict[int, dict[str, str]] = {}


def read_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` the rule reads (``worked_out``, the triggers' own statement), in
    table order: an update of none of them (a sync's echo setting ``server_pos`` and the stamps,
    an edit of a visit's notes) leaves every due day as it was, and fires no refresh."""
    statement = worked_out(literal_column("x"))
    read = {column.key for column in visitors.iterate(statement)
            if isinstance(column, Column) and column.table is not None and column.table.name == table}
    held: Table = Base.metadata.tables[table]
    return tuple(column.name for column in held.columns if column.key in read)


def _event(event: str, table: str) -> str:
    return f"UPDATE OF {', '.join(read_columns(table))}" if event == "UPDATE" else event


def triggers() -> dict[str, str]:
    """The triggers' CREATE statements for the rules in force, by name (made once per rules)."""
    rules = refdata.rules()
    made = _made.get(id(rules))
    if made is None:
        made = {name: f"CREATE TRIGGER {name} AFTER {_event(event, table)} ON {table} FOR EACH ROW BEGIN "
                      + " ".join(_refresh(elder) for elder in elders) + " END"
                for name, table, event, elders in _TRIGGERS}
        _made.clear()
        _made[id(rules)] = made
    return made


def _held(conn: Connection) -> dict[str, str]:
    rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                                "'elder_due_%'").all()
    return {str(name): str(sql) for name, sql in rows}


def current(conn: Connection) -> bool:
    """Whether the stored days follow the rules in force (the triggers are those they give)."""
    return _held(conn) == triggers()


def ensure(conn: Connection) -> bool:
    """Make the triggers those of the rules in force and, if they were not, every elder's row again,
    in the caller's transaction. True if anything was remade."""
    if current(conn):
        return False
    for name in _held(conn):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for sql in triggers().values():
        conn.exec_driver_sql(sql)
    table = _table()
    conn.execute(delete(table))
    conn.execute(table.insert().from_select([c.name for c in table.columns], worked_out()))
    return True
