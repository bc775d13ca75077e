"""Bringing in the household ledgers (家庭成员台账) offices already keep in Excel.

A ledger is one row per person, under a header row somewhere in the first rows (a title above it
is usual), with the columns in any order and named the way offices name them (姓名, 与户主关系,
公民身份号码 / 身份证号码, 家庭住址 …; ``COLUMNS``). Rows are grouped into households by a 户编号
column if there is one, otherwise by the head's name and the address. Coded columns take the
code or its Chinese name (户主, 配偶, 已婚, 健康, 汉族, 本科 …).

All or nothing, like the JSON Lines import: every row is checked first, and if any is wrong the
ledger is refused with every problem listed by row and column, and nothing is written. A person
whose ID number the workspace already holds is a problem too (no silent duplicates). What is
written goes through the ordinary services, so it is journaled, audited and synced like typing.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from caseapp.domain import Household, Member, Record
from caseapp.domain.fields import all_facts
from caseapp.domain.households import HEAD
from caseapp.errors import CaseAppError, ValidationError, ValidationErrors
from caseapp.services import members as member_ids
from caseapp.services import records
from caseapp.services.exchange import ImportRejected, RowProblem
from caseapp.services.validate import clean, code_of
from caseapp.store.workspace import Workspace

#: Rows of one household share a household number under one of these headings, if the ledger has one.
HOUSEHOLD_NO = "household_no"
HOUSEHOLD_NO_HEADINGS = ("户编号", "家庭编号", "户号")


def _with_headings(cls: type[Record]) -> tuple[str, ...]:
    return tuple(name for name, facts in all_facts(cls).items() if facts.headings)


#: The fields a ledger fills, each declared with its headings on the model (caseapp.domain).
HOUSEHOLD_FIELDS = _with_headings(Household)
MEMBER_FIELDS = tuple(name for name in _with_headings(Member) if name not in HOUSEHOLD_FIELDS)
#: field → the column headings it is found under (after removing spaces and full-width brackets)
COLUMNS: dict[str, tuple[str, ...]] = {
    HOUSEHOLD_NO: HOUSEHOLD_NO_HEADINGS,
    **{name: all_facts(Household)[name].headings for name in HOUSEHOLD_FIELDS},
    **{name: all_facts(Member)[name].headings for name in MEMBER_FIELDS},
}
HEADER_SEARCH_ROWS = 10
#: Stands for the household a member will join, while the ledger is only being checked.
PLANNED = "00000000-0000-0000-0000-000000000000"


@dataclass
class LedgerSummary:
    households: int = 0
    members: int = 0


#: Columns whose numbers are too long for a spreadsheet number (15 significant digits).
DIGIT_STRING_FIELDS = ("id_number",)
#: How Excel shows a long number it keeps as a floating-point value: 4.4011119600101E+17.
_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+")


@dataclass
class _Person:
    row: int
    values: dict[str, Any]
    #: fields whose cell held a number where digits were expected (ID numbers stored by Excel as numbers)
    as_number: dict[str, str] = field(default_factory=dict)


@dataclass
class _Home:
    people: list[_Person] = field(default_factory=list)


def _heading(text: Any) -> str:
    return "".join(str(text or "").split()).replace("（", "(").split("(")[0]


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, str]]:
    wanted = {heading: name for name, headings in COLUMNS.items() for heading in headings}
    for n, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {col: wanted[_heading(v)] for col, v in enumerate(row) if _heading(v) in wanted}
        if "name" in found.values() and len(found) >= 2:
            return n, found
    raise CaseAppError("ledger.no_header", None)


def _stored_as_number(value: Any) -> bool:
    """A cell Excel keeps as a floating-point number (or shows as one, 4.4011119600101E+17): an ID
    number in it has already lost its last digits."""
    if isinstance(value, float):
        return True
    return isinstance(value, str) and bool(_SCIENTIFIC.fullmatch(value.strip()))


def _same_text(text: str) -> str:
    """What two typings of one name or address share: full-width letters and digits as ASCII, no
    spaces (王 芳 is 王芳; 滨江东路 1 号 is 滨江东路1号)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number cell (an ID number typed as a number loses its digits anyway)
    return str(value).strip()


def read_rows(data: bytes) -> tuple[list[_Person], dict[str, str]]:
    """The people in the first sheet, and the heading each field was found under."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    header_at, columns = _find_header(rows)
    headings = {name: _text(rows[header_at][col]) for col, name in columns.items()}
    people = []
    for n, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {name: _text(row[col]) if col < len(row) else "" for col, name in columns.items()}
        if not any(values.values()):
            continue
        first = next((_text(v) for v in row if _text(v)), "")
        if first.startswith(("合计", "总计", "小计", "制表", "填表")):
            continue  # a totals or signature line under the table
        as_number = {name: str(row[col]) for col, name in columns.items()
                     if name in DIGIT_STRING_FIELDS and col < len(row) and _stored_as_number(row[col])}
        people.append(_Person(n, values, as_number))
    return people, headings


def _households(people: list[_Person]) -> list[_Home]:
    """Rows grouped into families: by household number, else by the head's name and the address as
    they read (spaces and full-width characters do not split a family)."""
    homes: dict[tuple[str, ...], _Home] = defaultdict(_Home)
    for person in people:
        v = person.values
        key = ((v[HOUSEHOLD_NO],) if v.get(HOUSEHOLD_NO)
               else (_same_text(v.get("head_name", "")), _same_text(v.get("address", ""))))
        homes[key].people.append(person)
    return list(homes.values())


def _is_head(person: _Person) -> bool:
    return code_of("relationship", person.values.get("relationship", "")) == HEAD


def _split_families(homes: list[_Home], headings: dict[str, str]) -> list[tuple[_Person, ValidationError]]:
    """Families without a 户主 row that match another family in all but the head's name or the
    address: most likely one family split in two by a typing difference. Reported, so that the
    ledger is corrected rather than imported as two households."""
    found: list[tuple[_Person, ValidationError]] = []
    headed = [(home, next(p for p in home.people if _is_head(p))) for home in homes
              if any(_is_head(p) for p in home.people)]
    for home in homes:
        if any(_is_head(p) for p in home.people) or home.people[0].values.get(HOUSEHOLD_NO):
            continue
        mine = home.people[0].values
        for _other, head in headed:
            theirs = head.values
            if theirs.get(HOUSEHOLD_NO):
                continue
            same_head = _same_text(mine.get("head_name", "")) == _same_text(theirs.get("head_name", ""))
            same_address = _same_text(mine.get("address", "")) == _same_text(theirs.get("address", ""))
            if same_head == same_address:
                continue  # both differ: another family; both agree: grouped together already
            column = "address" if same_head else "head_name"
            for person in home.people:
                found.append((person, ValidationError(
                    "ledger.family_split", column, row=head.row, head=theirs.get("head_name", ""),
                    column=headings.get(column, column), mine=mine.get(column, ""), theirs=theirs.get(column, ""))))
            break
    return found



def import_ledger(ws: Workspace, data: bytes, *, org_code: str = "") -> LedgerSummary:
    people, headings = read_rows(data)
    problems: list[RowProblem] = []

    def problem(row: int, error: CaseAppError) -> None:
        problems.append(RowProblem(row, headings.get(error.field or "", error.field), error))

    homes = _households(people)
    for person, error in _split_families(homes, headings):
        problem(person.row, error)
    planned: list[tuple[dict[str, Any], list[tuple[_Person, dict[str, Any], str]]]] = []
    for home in homes:
        heads = [p for p in home.people if _is_head(p)]
        head = heads[0] if heads else home.people[0]
        org = head.values.get("org_code") or org_code
        household = {name: head.values[name] for name in HOUSEHOLD_FIELDS if head.values.get(name)}
        household.update(org_code=org, head_name=head.values.get("head_name") or head.values.get("name", ""),
                         address=head.values.get("address", ""), phone=head.values.get("phone") or None)
        try:
            clean(Household, household)
        except ValidationErrors as errors:
            for e in errors.errors:
                problem(head.row, e)
        members = []
        for person in home.people:
            fields: dict[str, Any] = {"org_code": org}
            for name in MEMBER_FIELDS:
                value = person.values.get(name, "")
                if value and name not in person.as_number:
                    fields[name] = value  # codes or their names (户主, 汉族): clean() reads both
            for name, shown in person.as_number.items():
                problem(person.row, ValidationError("ledger.id_as_number", name, value=shown))
            try:
                checked = clean(Member, {**fields, "household_id": PLANNED})
            except ValidationErrors as errors:
                for e in errors.errors:
                    problem(person.row, e)
                continue
            members.append((person, fields, str(checked.get("id_number") or "")))
        planned.append((household, members))
    # The same person twice in the ledger, or already in the workspace, is a problem, not a duplicate.
    numbers = [n for _h, members in planned for _p, _f, n in members if n]
    # One already held says whose it is and what to do instead (caseapp.services.members).
    with ws.read() as session:
        known = member_ids.id_problems(session, numbers)
    seen: dict[str, int] = {}
    for _household, members in planned:
        for person, _fields, number in members:
            if number in known:
                problem(person.row, known[number])
            elif number in seen:
                problem(person.row, ValidationError("ledger.twice", "id_number", value=number, row=seen[number]))
            elif number:
                seen[number] = person.row
    if problems:
        raise ImportRejected(sorted(problems, key=lambda p: p.line))
    summary = LedgerSummary()
    with ws.write() as session:
        for household, members in planned:
            created = records.create(session, Household, household)
            summary.households += 1
            for _person, fields, _number in members:
                records.create(session, Member, {**fields, "household_id": created.id})
                summary.members += 1
    return summary


def import_ledger_file(ws: Workspace, path: Path, *, org_code: str = "", password: str | None = None) -> LedgerSummary:
    """A ledger file, opened with ``password`` if it is password-protected."""
    data = path.read_bytes()
    if password is not None:
        from caseapp.services.xlsx import open_sealed_workbook

        try:
            data = open_sealed_workbook(data, password)
        except Exception:
            raise CaseAppError("export.sealed_unreadable", None) from None
    return import_ledger(ws, data, org_code=org_code)
