"""The re-assessment list (重新核定名单): when the standard in force changes (a new year's figures,
effective from a date), the cases in payment whose stored monthly amount is not the amount computed
under the new standard, with the amount computed under the standard before it for comparison.

The candidates (cases in payment, of a category assessed monthly, in the user's reach) are picked in
SQL; they, their households' members and income items are read in a few queries (``assessment.fetch``)
and each case is judged by ``assessment.assess_values``, the one statement of the rule, under the
new standard and the one before: 50,000 households are not a Python loop of queries. The list writes
out as a ledger workbook like the others.

Two kinds of case are on it, and the office handles them apart: a case whose amount simply follows
the standard, to be computed again (重新核算: its amount is the one computed under the standard
before, or it gives no reason), and a case whose amount was set by hand with its reason (手工核定:
``amount_reason``, and an amount that was not the computed one before either), where the worker
checks whether the reason still holds under the new figure rather than paying the computed amount.
A new standard does not make the hand-set amount right, so such a case is still listed, marked with
its reason, sorted after the cases to recompute and chosen apart (``Which``); the ledger's
adjustment total is that of the rows it holds, so a list of the cases to recompute totals what the
office must pay more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from sqlalchemy import text
from sqlalchemy.orm import Session

from caseapp.domain import AssistanceCase
from caseapp.domain.fields import field_label
from caseapp.fileio import atomic_write_bytes
from caseapp.messages import message
from caseapp.refdata import Standards, standards
from caseapp.services import access, assessment, display, listing
from caseapp.services.ledgers import Column, Ledger
from caseapp.store.workspace import Workspace

#: which of the listed cases: every one, those to recompute, those whose amount was set by hand
Which = Literal["all", "recompute", "by_hand"]
WHICH: tuple[Which, ...] = ("all", "recompute", "by_hand")


@dataclass(frozen=True)
class Reassessment:
    case_id: str
    household_id: str
    head_name: str
    org_code: str
    category: str
    people_covered: int
    #: the monthly amount stored (paid now)
    amount: Decimal
    #: computed under the standard in force the day before the change
    before: Decimal | None
    #: computed under the standard in force from the change
    after: Decimal
    standard_before: Decimal | None
    standard_after: Decimal
    reason: str

    @property
    def difference(self) -> Decimal:
        """What the stored amount must change by to be the new computed one."""
        return self.after - self.amount

    @property
    def by_hand(self) -> bool:
        """The amount was set by hand: it gives its reason, and it was not the amount computed under
        the standard before either (a case paid the old computed amount follows the standard, whatever
        reason it still carries)."""
        return bool(self.reason.strip()) and self.amount != self.before

    def chosen(self, which: Which) -> bool:
        return which == "all" or (which == "by_hand") == self.by_hand


def change_dates(table: Standards | None = None) -> tuple[dt.date, ...]:
    """The days a standard or rule starts, newest first (the changes a list can be made for)."""
    return tuple(reversed((table or standards()).effective_dates()))


def current_change(today: dt.date, table: Standards | None = None) -> dt.date | None:
    """The change a list is made for by default: the next one to come, else the latest."""
    dates = change_dates(table)
    coming = [d for d in dates if d > today]
    return min(coming) if coming else (dates[0] if dates else None)


def judged_on(on: dt.date, today: dt.date, table: Standards | None = None) -> dt.date:
    """The day the cases are judged on for the change of ``on``: that day for a change to come (a
    member's age then: a band entered before it); today for the change in force now, since a case
    approved after it was assessed under it, with its people as they are now (an elder who turned
    80 since the change is paid the allowance the change's table gives them today, not owed a
    re-assessment back to an age they were before)."""
    if on > today or any(on < d <= today for d in change_dates(table)):
        return on
    return today


def _picked(table: Standards, prefixes: Sequence[str]) -> tuple[str, dict[str, str]]:
    categories = sorted(table.categories)
    params: dict[str, str] = {f"cat{i}": c for i, c in enumerate(categories)}
    scope = " OR ".join(f"c.org_code LIKE :scope{i}" for i in range(len(prefixes))) or "1 = 1"
    params.update({f"scope{i}": p + "%" for i, p in enumerate(prefixes)})
    in_categories = ", ".join(f":cat{i}" for i in range(len(categories))) or "NULL"
    in_payment = ", ".join(f"'{s}'" for s in assessment.IN_PAYMENT)  # constants, never user input
    sql = (f"SELECT c.id AS record_id, c.household_id FROM assistance_cases c "
           f"WHERE c.archived = 0 AND c.status IN ({in_payment}) AND c.category IN ({in_categories}) "
           f"AND ({scope})")
    return sql, params


def listed(session: Session, on: dt.date, reach: Sequence[str] | None, today: dt.date,
           table: Standards | None = None, which: Which = "all") -> list[Reassessment]:
    """The cases in ``reach`` (org-code prefixes; None: every case here) in payment whose stored
    amount differs from the one computed under the standard in force on ``on``, ``which`` of them:
    those to recompute first, then those set by hand, each by household head."""
    table = table or standards()
    prefixes = [""] if reach is None else [p for p in reach if not any(p != q and p.startswith(q) for q in reach)]
    if not prefixes:
        return []
    picked, params = _picked(table, prefixes)
    stored = assessment.fetch(session, [str(r) for r in session.execute(text(picked), params).scalars()], table)
    after = stored.assess(today, table, judged_on(on, today, table))
    changed = {cid: a for cid, a in after.items()
               if a.result is not None and a.result.differs(assessment.money(a.case.get("monthly_amount")))}
    if not changed:
        return []
    before = stored.assess(today, table, on - dt.timedelta(days=1))
    out = []
    for cid, now in changed.items():
        assert now.result is not None
        was = before.get(cid)
        old = was.result if was is not None else None
        case = now.case
        out.append(Reassessment(cid, str(case["household_id"]), str(case.get("head_name") or ""), str(case["org_code"]),
                                str(case["category"]), int(case["people_covered"] or 0),
                                assessment.money(case["monthly_amount"]), old.computed if old else None,
                                now.result.computed, old.standard.amount if old else None,
                                now.result.standard.amount, str(case.get("amount_reason") or "")))
    out = [r for r in out if r.chosen(which)]
    out.sort(key=lambda r: (r.by_hand, r.org_code, r.head_name, r.case_id))
    return out


def counts(rows: Sequence[Reassessment]) -> tuple[int, int]:
    """(to recompute, set by hand) among ``rows``."""
    by_hand = sum(1 for r in rows if r.by_hand)
    return len(rows) - by_hand, by_hand


def title(on: dt.date, which: Which = "all") -> str:
    part = "" if which == "all" else message(f"reassess.title.{which}", "zh")
    return f"{on:%Y年%m月%d日}起执行新标准重新核定名单{part}"


def how_set(row: Reassessment, lang: str) -> str:
    """What the office does with the case: recompute it, or check the reason of an amount set by hand."""
    return message("reassess.by_hand", lang) if row.by_hand else message("reassess.recompute", lang)


def ledger(session: Session, on: dt.date, reach: Sequence[str] | None, *, compiled_by: str = "",
           today: dt.date | None = None, table: Standards | None = None, which: Which = "all") -> Ledger:
    """The list as a ledger (Chinese, as ledgers are filed)."""
    today = today or dt.date.today()
    rows = listed(session, on, reach, today, table, which)
    recompute, by_hand = counts(rows)
    names = listing.org_names(session, {r.org_code[:listing.COMMUNITY_DIGITS] for r in rows})
    case = AssistanceCase
    out = Ledger(
        title=title(on, which),
        subtitle=f"截至 {today:%Y年%m月%d日}，共 {len(rows)} 户" + (
            message("reassess.subtitle_parts", "zh", recompute=recompute, by_hand=by_hand) if which == "all" else ""),
        columns=[Column("序号", "int"), Column("户主", "text", source=("household", "head_name")),
                 Column("所在社区", "text"), Column(field_label(case, "category", "zh")),
                 Column(field_label(case, "people_covered", "zh"), "int", total=True),
                 Column("现发金额（元）", "money", total=True, source=("assistance_case", "monthly_amount")),
                 Column("原标准", "money"), Column("原标准核算金额（元）", "money", total=True),
                 Column("新标准", "money"), Column("新标准核算金额（元）", "money", total=True),
                 Column("应调整（元）", "money", total=True), Column(message("reassess.how_set", "zh")),
                 Column(field_label(case, "amount_reason", "zh"), source=("assistance_case", "amount_reason"))],
        footer=f"制表人：{compiled_by}    制表日期：{today:%Y年%m月%d日}    内部资料，含个人信息，注意保密",
    )
    for n, row in enumerate(rows, start=1):
        out.rows.append([n, row.head_name, names.get(row.org_code[:listing.COMMUNITY_DIGITS], row.org_code),
                         display.value_text("assistance_case", "category", row.category, "zh"), row.people_covered,
                         row.amount, row.standard_before, row.before, row.standard_after, row.after, row.difference,
                         how_set(row, "zh"), row.reason])
    return out


def save_ledger(ws: Workspace, on: dt.date, reach: Sequence[str] | None, path: Path, *,
                password: str | None, which: Which = "all") -> Ledger:
    """Write the list as a workbook (sealed with ``password`` unless None), atomically, and note the
    export in the audit trail."""
    from caseapp.services import xlsx

    with ws.read() as db:
        built = ledger(db, on, reach, compiled_by=ws.actor, which=which)
    data = xlsx.workbook_bytes(built)
    atomic_write_bytes(path, xlsx.seal_workbook(data, password) if password is not None else data)
    access.note(ws, access.EXPORT, "ledger", "", {"list": "reassessment", "on": on.isoformat(), "which": which,
                                                   "rows": len(built.rows), "file": path.name,
                                                   "sealed": password is not None})
    return built
