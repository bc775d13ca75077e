"""What I see, on paper and in Excel: the current filtered list (``caseapp.services.listing``) as a
ledger (台账) with the same rows in the same order, written as a workbook (``xlsx``) or printed as a
list (``forms.ledger``).

The household list is one row per household, so its totals count each household once: the head's
ID number (as text), the list's columns, and two amounts kept apart: the monthly allowances of the
household's cases in payment, and the one-off aid granted to it (临时救助, 医疗救助: the categories
the reference data calls one-off). Other lists export their columns as shown, with totals under the counts
and amounts, and the fields their office ledger carries that the page does not show (``LEDGER_FIELDS``:
the 实有人口 ledger's 身份证号码, masked on screen), headed and typed from the field's declaration.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from caseapp import refdata
from caseapp.domain import ENTITIES, AssistanceCase, CasePayment, Member
from caseapp.domain.fields import all_facts
from caseapp.domain.households import HEAD
from caseapp.errors import ValidationError
from caseapp.fileio import atomic_write_bytes
from caseapp.messages import message
from caseapp.services import access, display, listing
from caseapp.services.forms import Sheet
from caseapp.services.ledgers import IN_PAYMENT, Column, Kind, Ledger, _field
from caseapp.store.workspace import Workspace

#: states in which a one-off grant has been made (it is not "in payment" month after month)
ONE_OFF_GRANTED = (*IN_PAYMENT, "stopped", "exited", "disbursed", "paid")
_CHUNK = 500
#: rows a printed list holds at most (about a hundred landscape pages; Qt lays them out in memory)
MAX_PRINT_ROWS = 5000
_KINDS: dict[str, Kind] = {"int": "int", "money": "money", "date": "date"}
#: fields of a list's own record type its ledger carries after the list's first column (the name),
#: though the page leaves them out: Chinese offices file the 实有人口 ledger with each person's ID number
LEDGER_FIELDS: dict[str, tuple[str, ...]] = {"residents": ("id_number",)}


def _column(column: listing.Column) -> Column:
    kind = _KINDS.get(column.kind, "text")
    source = (column.entity, column.field) if column.entity else None
    return Column(column.label("zh"), kind, total=kind in ("int", "money") and column.key != "age", source=source)


def _value(column: listing.Column, value: Any, names: dict[str, str], today: dt.date) -> Any:
    if value is None:
        return None
    if column.kind in ("int",):
        return int(value)
    if column.kind == "money":
        return Decimal(str(value))
    if column.kind == "date":
        return listing._as_date(value)
    return listing.cell_text(column, value, "zh", names=names, today=today)


def _amounts(db: Session, household_ids: Sequence[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """(monthly allowances in payment, one-off aid granted) per household. One-off aid is the payments
    recorded (case_payments), and the amount of a one-off case written before payments were recorded
    while the case has no payment (once it has, caseapp.services.one_off_amounts converted it, or a
    worker recorded what was paid: counting the amount too would count the grant twice)."""
    rules = refdata.rules()
    found: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for start in range(0, len(household_ids), _CHUNK):
        chunk = list(household_ids[start:start + _CHUNK])
        paid = exists().where(CasePayment.case_id == AssistanceCase.id)
        cases = db.execute(select(AssistanceCase.household_id, AssistanceCase.category, AssistanceCase.status,
                                  AssistanceCase.monthly_amount, paid)
                           .where(AssistanceCase.household_id.in_(chunk), AssistanceCase.archived.is_(False)))
        for household_id, category, status, amount, has_payments in cases:
            if rules.is_one_off(category):
                if status in ONE_OFF_GRANTED and not has_payments:
                    found[household_id][1] += amount or Decimal(0)
            elif status in IN_PAYMENT:
                found[household_id][0] += amount or Decimal(0)
        payments = db.execute(select(AssistanceCase.household_id, CasePayment.amount_paid)
                              .join(AssistanceCase, AssistanceCase.id == CasePayment.case_id)
                              .where(AssistanceCase.household_id.in_(chunk), AssistanceCase.archived.is_(False),
                                     CasePayment.archived.is_(False)))
        for household_id, amount in payments:
            found[household_id][1] += amount or Decimal(0)
    return {k: (v[0], v[1]) for k, v in found.items()}


def _head_ids(db: Session, household_ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(household_ids), _CHUNK):
        chunk = list(household_ids[start:start + _CHUNK])
        rows = db.execute(select(Member.household_id, func.min(Member.id_number))
                          .where(Member.household_id.in_(chunk), Member.relationship == HEAD,
                                 Member.archived.is_(False), Member.id_number.is_not(None))
                          .group_by(Member.household_id))
        found.update({hid: str(number) for hid, number in rows if number})
    return found


def _ledger_field(entity: str, name: str) -> Column:
    """A ledger-only column from its field's declaration: its label, and masked numbers (ID, document
    and card numbers) kept as text, so Excel neither rounds them nor drops a trailing X."""
    cls = ENTITIES[entity]
    return _field(cls, name, "id" if all_facts(cls)[name].masked else "text")


def _ledger_values(db: Session, entity: str, names: Sequence[str], ids: Sequence[str]) -> dict[str, list[Any]]:
    """The values of ``names`` of the records ``ids`` of ``entity``, by record id."""
    cls = ENTITIES[entity]
    found: dict[str, list[Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(cls.id, *(getattr(cls, n) for n in names)).where(cls.id.in_(list(ids[start:start + _CHUNK])))
        found.update({row[0]: list(row[1:]) for row in db.execute(query)})
    return found


def _scope_name(flt: listing.ListFilter, names: dict[str, str]) -> str:
    if not flt.scope:
        return ""
    return "、".join(names.get(code) or refdata.full_name(code) or code for code in flt.scope)


def list_title(name: str) -> str:
    """What the list is called on paper and in a file name (Chinese, as ledgers are filed)."""
    return f"{display.entity_name(listing.LISTS[name].entity, 'zh')}名单"


def list_ledger(db: Session, name: str, flt: listing.ListFilter, *, compiled_by: str = "",
                today: dt.date | None = None) -> Ledger:
    """The list ``name`` filtered by ``flt``, every row in its order, as a ledger."""
    today = today or dt.date.today()
    spec = listing.LISTS[name]
    rows = listing.all_rows(db, name, flt, today=today)
    names = listing.org_names(db, listing.org_codes_of(spec, rows) | set(flt.scope or ()))
    columns = [Column("序号", "int"), *(_column(c) for c in spec.columns)]
    where = _scope_name(flt, names)
    ledger = Ledger(
        title=f"{where}{list_title(name)}",
        subtitle=f"截至 {today:%Y年%m月%d日}，共 {len(rows)} 条",
        columns=columns,
        footer=f"制表人：{compiled_by}    制表日期：{today:%Y年%m月%d日}    内部资料，含个人信息，注意保密",
    )
    if name == "households":
        ids = [r.id for r in rows]
        heads, amounts = _head_ids(db, ids), _amounts(db, ids)
        ledger.columns = [columns[0], columns[1], _field(Member, "id_number", "id", prefix="户主"), *columns[2:],
                          _field(AssistanceCase, "monthly_amount", "money", total=True),
                          Column(message("field.one_off_amount", "zh"), "money", total=True,
                                 source=("assistance_case", "monthly_amount"))]
        for n, row in enumerate(rows, start=1):
            cells = [_value(c, row.values[c.key], names, today) for c in spec.columns]
            monthly, one_off = amounts.get(row.id, (Decimal(0), Decimal(0)))
            ledger.rows.append([n, cells[0], heads.get(row.id, ""), *cells[1:], monthly, one_off])
        return ledger
    extra = LEDGER_FIELDS.get(name, ())
    if extra:
        ledger.columns = [*columns[:2], *(_ledger_field(spec.entity, f) for f in extra), *columns[2:]]
        held = _ledger_values(db, spec.entity, extra, [r.id for r in rows])
    for n, row in enumerate(rows, start=1):
        cells = [_value(c, row.values[c.key], names, today) for c in spec.columns]
        if extra:
            cells[1:1] = [v if v is not None else "" for v in held.get(row.id, [None] * len(extra))]
        ledger.rows.append([n, *cells])
    return ledger


def save_list_ledger(ws: Workspace, name: str, flt: listing.ListFilter, path: Path, *,
                     password: str | None) -> Ledger:
    """Write the filtered list as a workbook (sealed with ``password`` unless None), atomically,
    and note the export in the audit trail."""
    from caseapp.services import xlsx

    with ws.read() as db:
        ledger = list_ledger(db, name, flt, compiled_by=ws.actor)
    data = xlsx.workbook_bytes(ledger)
    atomic_write_bytes(path, xlsx.seal_workbook(data, password) if password is not None else data)
    access.note(ws, access.EXPORT, "ledger", "", {"list": name, "filter": flt.to_dict(), "rows": len(ledger.rows),
                                                   "file": path.name, "sealed": password is not None})
    return ledger


def list_sheet(db: Session, name: str, flt: listing.ListFilter, *, compiled_by: str = "",
               today: dt.date | None = None) -> Sheet:
    """The filtered list as one printed list (a landscape page when it has many columns)."""
    from caseapp.services.forms.ledger import ledger_page

    rows = listing.count(db, name, flt, today=today)
    if rows > MAX_PRINT_ROWS:
        raise ValidationError("lists.print_too_long", None, count=rows, limit=MAX_PRINT_ROWS)
    built = list_ledger(db, name, flt, compiled_by=compiled_by, today=today)
    return Sheet(f"list_{name}", built.title, ledger_page(built), "ledger", "",
                 landscape=len(built.columns) > 7, noted={"list": name, "rows": len(built.rows)})
