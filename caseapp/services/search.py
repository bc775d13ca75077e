"""Find a household as you type: by a member's name, its pinyin or initials, an ID or phone number
(whole, from the start, or its last digits) or part of the address.

Queries run on the search index (caseapp.store.search_index), which the workspace keeps current in
the same transaction as every household and member change. What was typed decides which kinds of
key are looked up, and in what order results are listed:

1. an exact ID or phone number,
2. names (an exact name before longer names starting with it),
3. pinyin, then initials,
4. part of an ID or phone number (from the start, then last digits),
5. the address.

Within each group, hits come in index order (alphabetical by the matched key), so a page of
results is read straight off the B-tree and never needs sorting: typing "z" costs about the same as
typing a full ID number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, Select, and_, func, or_, select, tuple_, union
from sqlalchemy.orm import Session

from caseapp.domain import Household, Member
from caseapp.store import search_index as ix
from caseapp.store.search_index import SearchHousehold, SearchKey
from caseapp.store.workspace import Workspace

# What matched, as reported in HouseholdHit.matched.
MATCHED = {ix.ID: "id_number", ix.ID_REVERSED: "id_number", ix.PHONE: "phone", ix.PHONE_REVERSED: "phone",
           ix.NAME: "name", ix.PINYIN: "pinyin", ix.INITIALS: "initials", ix.ADDRESS: "address"}
# Digits as phone numbers are typed: "+86 138-0013-8000", "(020) 8333 1234".
_PHONE_LIKE = re.compile(r"\+?[0-9()\-]*[0-9][0-9()\-]*")
# Head of household first in member lists (GB/T 4761 code 02).
HEAD = "02"


@dataclass(frozen=True)
class HouseholdHit:
    household_id: str
    head_name: str
    address: str
    org_code: str
    #: every current member, head first
    member_names: tuple[str, ...]
    #: id_number / phone / name / pinyin / initials / address
    matched: str
    #: the member whose name, ID or phone matched (None for the address or the household's own phone)
    matched_member: str | None


@dataclass(frozen=True)
class _Step:
    """One range of the index: keys equal to ``exact``, or starting with ``prefix``."""

    prefix: str
    exact: bool = False

    def condition(self) -> ColumnElement[bool]:
        if self.exact:
            return SearchKey.key == self.prefix
        # Every key starting with the prefix sorts between it and the prefix with its last character
        # bumped by one (BINARY collation compares UTF-8 bytes, which follow code point order).
        upper = self.prefix[:-1] + chr(ord(self.prefix[-1]) + 1)
        return and_(SearchKey.key >= self.prefix, SearchKey.key < upper)


def plan(text: str) -> list[_Step]:
    """The index ranges to read for what was typed, best matches first."""
    q = ix.fold(text)
    if not q:
        return []
    if ix.looks_numeric(q) or _PHONE_LIKE.fullmatch(q):
        number = q if ix.looks_numeric(q) else ix.digits(q.removeprefix("+86").removeprefix("0086"))
        steps = [_Step(ix.ID + number, exact=True), _Step(ix.PHONE + number, exact=True)]
        steps += [_Step(ix.ID + number), _Step(ix.PHONE + number)]
        steps += [_Step(ix.ID_REVERSED + number[::-1]), _Step(ix.PHONE_REVERSED + number[::-1])]
        return [*steps, _Step(ix.ADDRESS + q)]
    if q.isascii() and q.isalpha():
        return [_Step(ix.PINYIN + q), _Step(ix.INITIALS + q)]
    return [_Step(ix.NAME + q), _Step(ix.ADDRESS + q)]


def _scope(org_codes: Sequence[str] | None) -> ColumnElement[bool] | None:
    """Households in any of these org units or below them (codes nest by prefix: district 440104 ⊃
    street 440104001 ⊃ community ⊃ grid)."""
    if org_codes is None:
        return None
    if not org_codes:
        return SearchHousehold.num.is_(None)  # no scope, no results
    return or_(*(func.substr(SearchHousehold.org_code, 1, len(code)) == code for code in org_codes))


def _range(step: _Step, scope: ColumnElement[bool] | None) -> Select[str, int]:
    query = select(SearchKey.key, SearchKey.household_num).where(step.condition())
    if scope is not None:
        query = query.join(SearchHousehold, SearchHousehold.num == SearchKey.household_num).where(scope)
    return query


def _walk(conn: Connection, step: _Step, scope: ColumnElement[bool] | None, chunk: int) -> Iterator[tuple[str, int]]:
    """(key, household) pairs of one range in index order, read a chunk at a time (keyset paging,
    so a long range is never read further than the caller consumes)."""
    last: tuple[str, int] | None = None
    while True:
        query = _range(step, scope)
        if last is not None:
            query = query.where(tuple_(SearchKey.key, SearchKey.household_num) > tuple_(*last))
        rows: Sequence[Row[str, int]] = conn.execute(
            query.order_by(SearchKey.key, SearchKey.household_num).limit(chunk)).all()
        for row in rows:
            yield row[0], row[1]
        if len(rows) < chunk:
            return
        last = (rows[-1][0], rows[-1][1])
        chunk *= 4


def search_households(session: Session, text: str, limit: int = 50, offset: int = 0,
                      org_codes: list[str] | None = None) -> list[HouseholdHit]:
    """Households matching what was typed, best matches first (see the module docstring).

    ``org_codes`` limits results to households in those org units or below them (None: no limit).
    """
    if limit <= 0:
        return []
    conn = session.connection()
    scope = _scope(org_codes)
    need = offset + limit
    found: dict[int, str] = {}  # household num -> the key it was first found by, in result order
    for step in plan(text):
        for key, num in _walk(conn, step, scope, chunk=max(64, need)):
            if num not in found:
                found[num] = key
                if len(found) >= need:
                    break
        if len(found) >= need:
            break
    page = list(found.items())[offset:need]
    return _hits(conn, page)


def count_households(session: Session, text: str, org_codes: list[str] | None = None) -> int:
    """How many households ``search_households`` would list in all."""
    steps = plan(text)
    if not steps:
        return 0
    scope = _scope(org_codes)
    matches = union(*(_range(step, scope).with_only_columns(SearchKey.household_num) for step in steps))
    counted = select(func.count()).select_from(matches.subquery())
    return int(session.connection().execute(counted).scalar_one())


def _hits(conn: Connection, page: list[tuple[int, str]]) -> list[HouseholdHit]:
    """Display data for a page of results, read from the records themselves."""
    if not page:
        return []
    nums = [num for num, _ in page]
    households = {row.num: row for row in conn.execute(
        select(SearchHousehold.num, Household.id, Household.head_name, Household.address, Household.org_code,
               Household.phone)
        .join(Household, Household.id == SearchHousehold.household_id).where(SearchHousehold.num.in_(nums)))}
    members: dict[str, list[Any]] = {}
    rows = conn.execute(
        select(Member.household_id, Member.name, Member.id_number, Member.phone, Member.relationship)
        .where(Member.household_id.in_([h.id for h in households.values()]), Member.archived.is_(False))
        .order_by(Member.household_id, (Member.relationship != HEAD), Member.birth_date, Member.id))
    for row in rows:
        members.setdefault(row.household_id, []).append(row)
    hits: list[HouseholdHit] = []
    for num, key in page:
        household = households.get(num)
        if household is None:  # the index is refreshed at commit; a row may lag inside a transaction
            continue
        people = members.get(household.id, [])
        who = next((m.name for m in people if key in ix.member_keys(m.name, m.id_number, m.phone)), None)
        if who is None and key in ix.name_keys(household.head_name or ""):
            who = household.head_name
        names = tuple(m.name for m in people)
        hits.append(HouseholdHit(household.id, household.head_name or (names[0] if names else ""),
                                 household.address, household.org_code, names, MATCHED[key[0]], who))
    return hits


def refresh(session: Session, household_ids: Sequence[str]) -> None:
    """Re-index these households now (for writers that bypass the ORM, e.g. bulk sync apply)."""
    ix.refresh(session.connection(), household_ids)


def reindex(ws: Workspace, *, batch: int = 2000) -> int:
    """Rebuild the whole index from the households and members (after an upgrade, or if the index
    is ever suspected stale); returns the number of households indexed."""
    with ws.write() as session:
        conn = session.connection()
        ix.clear(conn)
        ids = list(conn.execute(select(Household.id).where(Household.archived.is_(False))
                                .order_by(Household.id)).scalars())
        for start in range(0, len(ids), batch):
            ix.refresh(conn, ids[start:start + batch])
        return len(ids)
