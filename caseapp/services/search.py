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
from functools import partial
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from caseapp.domain import Household
from caseapp.store import search_index as ix
from caseapp.store.workspace import Workspace
from caseapp.store.writer import Writer, in_place

# What matched, as reported in HouseholdHit.matched.
MATCHED = {ix.ID: "id_number", ix.ID_REVERSED: "id_number", ix.PHONE: "phone", ix.PHONE_REVERSED: "phone",
           ix.NAME: "name", ix.PINYIN: "pinyin", ix.INITIALS: "initials", ix.ADDRESS: "address"}
# Digits as phone numbers are typed: "+86 138-0013-8000", "(020) 8333 1234".
_PHONE_LIKE = re.compile(r"\+?[0-9()\-]*[0-9][0-9()\-]*")
# Head of household first in member lists (GB/T 4761 code 02).


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
    """One range of the index: keys starting with ``prefix`` (or, if ``exact``, equal to it)."""

    prefix: str
    exact: bool = False

    def bounds(self) -> tuple[str, str]:
        """[low, high) in key order. Every key starting with the prefix sorts before the prefix with
        its last character bumped by one (the BINARY collation compares UTF-8 bytes, which follow
        code point order); nothing sorts between a key and the key followed by U+0000."""
        if self.exact:
            return self.prefix, self.prefix + "\x00"
        return self.prefix, self.prefix[:-1] + chr(ord(self.prefix[-1]) + 1)


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


# The queries run on every keystroke are plain SQL on the driver: building and caching SQLAlchemy
# statements cost more than SQLite's B-tree lookups themselves.
_RANGE = ("SELECT k.key, k.household_num FROM search_keys AS k{join} WHERE k.key >= ? AND k.key < ?"
          " AND (k.key, k.household_num) > (?, ?){scope} ORDER BY k.key, k.household_num LIMIT ?")
_JOIN = " JOIN search_households AS h ON h.num = k.household_num"


def _scope(org_codes: Sequence[str] | None) -> tuple[str, list[Any]]:
    """SQL limiting results to households in any of these org units or below them (codes nest by
    prefix: district 440104 ⊃ street 440104001 ⊃ community ⊃ grid), and its parameters."""
    if org_codes is None:
        return "", []
    if not org_codes:
        return " AND 0", []  # no scope, no results
    sql = " AND (" + " OR ".join("substr(h.org_code, 1, ?) = ?" for _ in org_codes) + ")"
    return sql, [x for code in org_codes for x in (len(code), code)]


def _walk(conn: Connection, step: _Step, scope: tuple[str, list[Any]], chunk: int) -> Iterator[tuple[str, int]]:
    """(key, household) pairs of one range in index order, read a chunk at a time (keyset paging,
    so a long range is never read further than the caller consumes)."""
    low, high = step.bounds()
    where, params = scope
    sql = _RANGE.format(join=_JOIN if where else "", scope=where)
    last: tuple[str, int] = ("", -1)
    while True:
        rows = conn.exec_driver_sql(sql, (low, high, *last, *params, chunk)).fetchall()
        yield from ((key, num) for key, num in rows)
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
    where, params = _scope(org_codes)
    ranges = " UNION ".join(
        f"SELECT k.household_num FROM search_keys AS k{_JOIN if where else ''} WHERE k.key >= ? AND k.key < ?{where}"
        for _ in steps)
    values = [x for step in steps for x in (*step.bounds(), *params)]
    return int(session.connection().exec_driver_sql(f"SELECT count(*) FROM ({ranges})", tuple(values)).scalar_one())


_HOUSEHOLDS = ("SELECT h.num, d.id, d.head_name, d.address, d.org_code FROM search_households AS h"
               " JOIN households AS d ON d.id = h.household_id WHERE h.num IN ({marks})")
# Head first (GB/T 4761 code 02), then by age.
_MEMBERS = ("SELECT household_id, name, id_number, phone FROM members WHERE household_id IN ({marks})"
            " AND archived = 0 ORDER BY household_id, relationship != '02', birth_date, id")


def _matches(key: str, name: str, id_number: str | None, phone: str | None) -> bool:
    """Whether this member produced the index key a household was found by."""
    kind = key[0]
    if kind in (ix.NAME, ix.PINYIN, ix.INITIALS):
        return key in ix.name_keys(name)
    if kind in (ix.ID, ix.ID_REVERSED):
        return key in ix.number_keys(ix.ID, ix.ID_REVERSED, id_number)
    if kind in (ix.PHONE, ix.PHONE_REVERSED):
        return key in ix.phone_keys(phone)
    return False


def _hits(conn: Connection, page: list[tuple[int, str]]) -> list[HouseholdHit]:
    """Display data for a page of results, read from the records themselves."""
    if not page:
        return []
    nums = [num for num, _ in page]
    households = {row[0]: row for row in conn.exec_driver_sql(
        _HOUSEHOLDS.format(marks=",".join("?" * len(nums))), tuple(nums)).fetchall()}
    ids = [row[1] for row in households.values()]
    members: dict[str, list[Any]] = {}
    for row in conn.exec_driver_sql(_MEMBERS.format(marks=",".join("?" * len(ids))), tuple(ids)).fetchall():
        members.setdefault(row[0], []).append(row)
    hits: list[HouseholdHit] = []
    for num, key in page:
        household = households.get(num)
        if household is None:  # the index is refreshed at commit; a row may lag inside a transaction
            continue
        _, household_id, head_name, address, org_code = household
        people = members.get(household_id, [])
        who = next((m[1] for m in people if _matches(key, m[1], m[2], m[3])), None)
        if who is None and head_name and _matches(key, head_name, None, None):
            who = head_name
        names = tuple(m[1] for m in people)
        hits.append(HouseholdHit(household_id, head_name or (names[0] if names else ""), address, org_code, names,
                                 MATCHED[key[0]], who))
    return hits


def refresh(session: Session, household_ids: Sequence[str]) -> None:
    """Re-index these households now (for writers that bypass the ORM, e.g. bulk sync apply)."""
    ix.refresh(session.connection(), household_ids)


def reindex(ws: Workspace, *, batch: int = 2000, write: Writer = in_place) -> int:
    """Rebuild the whole index from the households and members (after an upgrade, after a sync
    pulled a whole scope, or if the index is ever suspected stale); returns the number of
    households indexed. Each batch is its own transaction, handed to ``write``, so a caller that
    owns the single writer lets saves in between; households saved meanwhile index themselves."""
    with ws.engine.connect() as conn:
        ids = list(conn.execute(select(Household.id).where(Household.archived.is_(False))
                                .order_by(Household.id)).scalars())

    def clear() -> None:
        with ws.write_engine.begin() as conn:
            ix.clear(conn)

    def refresh(chunk: Sequence[str]) -> None:
        with ws.write_engine.begin() as conn:
            ix.refresh(conn, chunk)

    write(clear)
    for start in range(0, len(ids), batch):
        write(partial(refresh, ids[start:start + batch]))
    return len(ids)
