"""What several forms print about a household: its living members, its head, their income."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.domain import Household, IncomeItem, Member
from caseapp.domain.households import HEAD
from caseapp.services import records


@dataclass(frozen=True)
class Family:
    household: Household
    members: list[Member]
    incomes: list[IncomeItem]

    @property
    def head(self) -> Member | None:
        return next((m for m in self.members if m.relationship == HEAD), None) or next(
            (m for m in self.members if m.name == self.household.head_name), None)

    @property
    def income(self) -> Decimal:
        return sum((i.monthly_amount for i in self.incomes), Decimal(0))

    def name_of(self, member_id: str) -> str:
        return next((m.name for m in self.members if m.id == member_id), "")


def family(session: Session, household_id: str) -> Family:
    home = records.get(session, Household, household_id)
    members = list(session.scalars(select(Member).where(Member.household_id == household_id,
                                                        Member.archived.is_(False))
                                   .order_by(Member.created_at, Member.id)))
    members.sort(key=lambda m: m.relationship != HEAD)  # the head first, then as registered
    incomes = list(session.scalars(select(IncomeItem).where(IncomeItem.member_id.in_([m.id for m in members]),
                                                            IncomeItem.archived.is_(False))
                                   .order_by(IncomeItem.created_at, IncomeItem.id)))
    return Family(home, members, incomes)


def people(count: int) -> str:
    return f"{count} 人"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"
