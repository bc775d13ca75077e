"""Export and import of records as JSON Lines.

Export writes one object per record, ``{"type": …, "id": …, <fields in name order>}``, records in a
fixed type order (parents before children) and by id within a type, values in their canonical wire
form: two workspaces holding the same data export byte-identical files. Local sync bookkeeping
(server positions) is not data and is left out.

Import validates every row first and writes nothing unless every row is good; then it upserts by id
through the ordinary write path, so imported records are journaled and audited like typed ones.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseapp.crypto import sealed
from caseapp.crypto.keyfile import PRODUCTION_KDF, KdfParams
from caseapp.domain import ENTITIES, Household, Member, Record, tree
from caseapp.domain.codec import record_to_wire
from caseapp.errors import CaseAppError, ValidationError, ValidationErrors
from caseapp.fileio import atomic_write_bytes
from caseapp.services import access, members, quality
from caseapp.services.validate import clean
from caseapp.store.workspace import Workspace

# Parents before children, so an import can be applied in file order.
EXPORT_ORDER = tree.parents_first(quality.JUDGED_OVER)

#: where each type stands in EXPORT_ORDER: an import journals in this order, whatever the file's
_RANK = {entity: n for n, entity in enumerate(EXPORT_ORDER)}

# Stamps preserved from the file on import instead of being set to "now, by me".
STAMPS = ("author", "device", "created_at", "updated_at", "updated_by")


# Characters str.splitlines(), many editors and some JSON Lines readers take as line breaks, which
# json.dumps(ensure_ascii=False) writes raw inside strings: escaped, a record stays on its line.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dump_line(row: dict[str, Any]) -> str:
    """One record as one line of JSON Lines, readable Chinese and never broken across lines."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).translate(_LINE_BREAKS)


def export_lines(session: Session) -> Iterator[str]:
    for entity in EXPORT_ORDER:
        cls = ENTITIES[entity]
        for record in session.scalars(select(cls).order_by(cls.id)).yield_per(1000):
            wire = record_to_wire(record)
            row: dict[str, Any] = {"type": entity, "id": record.id}
            row.update((k, wire[k]) for k in sorted(wire) if k != "id")
            yield dump_line(row)


def export_bytes(ws: Workspace) -> bytes:
    with ws.read() as session:
        return "".join(line + "\n" for line in export_lines(session)).encode("utf-8")


def export_to(ws: Workspace, target: Path | None, stream: IO[str] | None = None, *,
              passphrase: str | None = None, kdf: KdfParams = PRODUCTION_KDF) -> int:
    """Write the export atomically to ``target`` (or to ``stream``), sealed with ``passphrase``
    when one is given; returns the number of records. The export is noted in the audit trail."""
    data = export_bytes(ws)
    count = data.count(b"\n")
    if target is not None:
        atomic_write_bytes(target, sealed.seal(data, passphrase, kdf) if passphrase is not None else data)
    elif stream is not None:
        stream.write(data.decode("utf-8"))
    access.note(ws, access.EXPORT, "export", "", {"records": count, "file": target.name if target else "-",
                                                  "sealed": passphrase is not None})
    return count


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str | None
    error: CaseAppError


class ImportRejected(CaseAppError):
    """The file has bad rows; nothing was written. ``problems`` lists each (line, field, reason)."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("import.rejected", None, count=len(problems))
        self.problems = problems


@dataclass(frozen=True)
class ParsedRow:
    line: int
    cls: type[Record]
    id: str
    values: dict[str, Any]
    stamps: dict[str, Any]


# Bytes that are not UTF-8 arrive as these lone surrogates (errors="surrogateescape"), so a bad line
# is reported as a row problem, by number, instead of ending the whole read with UnicodeDecodeError.
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _read_row(number: int, text: str) -> Any:
    """The JSON value on one line, or the RowProblem that says why there is none."""
    bad = _UNDECODABLE.search(text)
    if bad is not None:
        return RowProblem(number, None, ValidationError("import.not_utf8", None, column=bad.start() + 1))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return RowProblem(number, None, ValidationError("import.bad_json", None, detail=exc.msg))
    except RecursionError:  # [[[[… thousands deep: no record of ours nests beyond a few levels
        return RowProblem(number, None, ValidationError("import.too_deep", None))


def parse(lines: Iterable[str]) -> list[ParsedRow]:
    """Read and validate every row; raise ImportRejected listing every problem found."""
    rows: list[ParsedRow] = []
    problems: list[RowProblem] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        obj = _read_row(number, text)
        if isinstance(obj, RowProblem):
            problems.append(obj)
            continue
        if not isinstance(obj, dict):
            problems.append(RowProblem(number, None, ValidationError("import.not_object", None)))
            continue
        entity, record_id = obj.pop("type", None), obj.pop("id", None)
        if entity not in ENTITIES:
            problems.append(RowProblem(number, "type", ValidationError("record.unknown_type", "type",
                                                                        type=str(entity))))
            continue
        if not isinstance(record_id, str) or len(record_id) != 36:
            problems.append(RowProblem(number, "id", ValidationError("import.bad_id", "id")))
            continue
        cls = ENTITIES[entity]
        stamps = {k: obj.pop(k) for k in STAMPS if k in obj}
        try:
            values = clean(cls, obj)
            if stamps:
                stamp_values = clean(cls, {**stamps, "org_code": obj.get("org_code")}, partial=True)
                stamp_values.pop("org_code", None)
                stamps = stamp_values
        except ValidationErrors as errors:
            problems.extend(RowProblem(number, e.field, e) for e in errors.errors)
            continue
        rows.append(ParsedRow(number, cls, record_id, values, stamps))
    if problems:
        raise ImportRejected(problems)
    return rows


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    #: records changed in the workspace after the file was made: kept as they are
    kept_newer: int = 0


def _newer_here(existing: Record, row: ParsedRow) -> bool:
    """The record was changed here (typed, or synced in from a colleague) after the file's copy of
    it was made: the file's values are older than what the workspace holds."""
    stamped = row.stamps.get("updated_at")
    return stamped is not None and existing.updated_at is not None and existing.updated_at > stamped


def _second_records_of_a_person(session: Session, rows: list[ParsedRow]) -> list[RowProblem]:
    """Members of the file whose ID number another member record holds, in the workspace or earlier
    in the file: one person, one record (caseapp.services.members), as in every other way in."""
    people = [(row, str(row.values["id_number"])) for row in rows
              if row.cls is Member and row.values.get("id_number")]
    held = members.holders(session, [number for _row, number in people])
    problems: list[RowProblem] = []
    seen: dict[str, ParsedRow] = {}
    for row, number in people:
        other = next((m for m in held.get(number, []) if m.id != row.id), None)
        if other is not None:
            error = members.holder_problem(other, session.get(Household, other.household_id), number)
            problems.append(RowProblem(row.line, "id_number", error))
        elif number in seen and seen[number].id != row.id:
            twice = ValidationError("import.id_twice", "id_number", value=number, line=seen[number].line)
            problems.append(RowProblem(row.line, "id_number", twice))
        seen.setdefault(number, row)
    return problems


def import_rows(ws: Workspace, rows: list[ParsedRow], *, replace_newer: bool = False) -> ImportSummary:
    """Upsert validated rows in one transaction: all of them or none.

    A record the workspace changed after the file's copy of it was made keeps its values (an older
    export must not silently revert newer work); ``replace_newer`` takes the file's values anyway,
    an explicit choice that is journaled like typing (and syncs as ordinary edits)."""
    created = updated = unchanged = kept = 0
    written: set[str] = set()
    # Parents and inputs first, as an export of this release writes them: an earlier release wrote
    # an assistance case before its household's members and income items, and journaled in file
    # order such a case could be pushed in a batch before the figures its amount is judged by, and
    # refused. A stable sort: within a type, the file's order (and its line numbers in problems).
    rows = sorted(rows, key=lambda row: _RANK[row.cls.entity])
    with ws.write() as session:
        session.info["preserve_stamps"] = True
        problems = _second_records_of_a_person(session, rows)
        if problems:
            raise ImportRejected(problems)
        for row in rows:
            existing = session.get(row.cls, row.id)
            if existing is None:
                session.add(row.cls(id=row.id, **row.values, **row.stamps))
                created += 1
                written.add(row.id)
                continue
            if not replace_newer and _newer_here(existing, row):
                differs = any(getattr(existing, n) != v for n, v in row.values.items())
                kept += differs
                unchanged += not differs
                continue
            changed = False
            for name, value in {**row.values, **row.stamps}.items():
                if getattr(existing, name) != value:
                    setattr(existing, name, value)
                    changed = True
            if changed:
                updated += 1
                written.add(row.id)
            else:
                unchanged += 1
            session.flush()
        session.flush()
        problems = _refused_across(session, [row for row in rows if row.id in written])
        if problems:
            raise ImportRejected(problems)  # leaving the write rolls back every row
    return ImportSummary(created, updated, unchanged, kept)


def _refused_across(session: Session, rows: list[ParsedRow]) -> list[RowProblem]:
    """Rows written (created or changed) that the error checks across records refuse
    (caseapp.services.quality), judged with every row of the file written, as a save of each would be."""
    problems: list[RowProblem] = []
    for row in rows:
        if row.cls.entity not in quality.SAVE_CHECKED:
            continue
        record = session.get(row.cls, row.id)
        if record is not None:
            problems.extend(RowProblem(row.line, e.field, e)
                            for e in quality.refusal(quality.for_record(session, record)).errors)
    return problems


def is_sealed(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return sealed.is_sealed(stream.read(len(sealed.MAGIC)))
    except OSError:
        return False  # reading it for the import reports the problem


def import_file(ws: Workspace, path: Path, passphrase: str | None = None, *,
                replace_newer: bool = False) -> ImportSummary:
    """Import a JSON Lines export, plain or sealed (``passphrase`` opens a sealed one)."""
    if is_sealed(path):
        text = sealed.unseal(path.read_bytes(), passphrase or "").decode("utf-8-sig", errors="surrogateescape")
        rows = parse(io.StringIO(text))
    else:
        with path.open(encoding="utf-8-sig", errors="surrogateescape") as stream:
            rows = parse(stream)
    return import_rows(ws, rows, replace_newer=replace_newer)
