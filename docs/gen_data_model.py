"""Generate docs/data-model.md from the code it documents.

Everything is read from the code it documents: what each record type is for (its docstring), each
field's labels, type, default, meaning, rules, code list and privacy facts (declared once on the
model, caseapp.domain.fields), the workflows and their guards (caseapp.services.workflows), state
labels (caseapp.messages.states) and the reference data (caseapp.refdata). Only the workflows'
side effects and the store's own tables are described here by hand. Re-run after changing the model::

    .venv/bin/python docs/gen_data_model.py          # rewrite docs/data-model.md
    .venv/bin/python docs/gen_data_model.py --check  # exit 1 if docs/data-model.md is out of date

tests/core/test_labels.py fails when a record field is missing from the document.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Float, Integer, String, Table, Text

from caseapp import refdata
from caseapp.domain import ENTITIES, Household, Record
from caseapp.domain.base import LOCAL_FIELDS, META_FIELDS, SILENT_FIELDS
from caseapp.domain.codec import record_to_wire
from caseapp.domain.fields import all_facts, entity_label, field_label
from caseapp.domain.types import IsoDate, Money, UtcDateTime
from caseapp.messages import CATALOGUE
from caseapp.services import workflows
from caseapp.services.exchange import EXPORT_ORDER, STAMPS
from caseapp.services.validate import required_fields
from caseapp.store.metadata import metadata

TARGET = Path(__file__).with_name("data-model.md")

# --- hand-written prose ---------------------------------------------------------------------------






SIDE_EFFECTS: dict[str, list[str]] = {
    "assistance_case": [
        "Entering `active` sets `approved_on` (if empty) and computes `next_review_date` from the "
        "configurable review intervals (category, review class, urban/rural).",
        "Entering `stopped`, `exited`, `rejected` or `withdrawn` clears `next_review_date`.",
        "A periodic review (`caseapp.services.records.record_review`) moves `active` → `review_due` and "
        "on to `active`, `taper` or `stopped` according to its outcome, and writes a `case_review`.",
    ],
    "grid_event": [
        "Every move writes a `grid_event_update` (from status, to status, time, note).",
    ],
    "social_work_case": ["Entering `closed` sets `closed_on` to the day of the move."],
    "referral": [
        "Entering `sent` sets `sent_at`.",
        "A referral created without consent is always created as `draft`.",
    ],
    "disaster_report": [
        "The stage is a property of each report, not a status that changes: a series is one `initial` "
        "report, then new `update` reports, then one `final` report, each pointing at the initial report "
        "through `series_id`. A new report is checked against the latest report of its series with the "
        "moves in the table above; nothing may follow the final report.",
    ],
}

STORE_TABLES: list[tuple[str, str]] = [
    ("journal", (
        "The change journal and sync outbox. One row per created record (`op` = `create`, `value` holds "
        "every field as a JSON object) or per changed field (`op` = `set`, `field` and its new `value`), "
        "written in the same transaction as the change, in device-sequence order (`seq`). `base_pos` is "
        "the server log position of the record this device had seen, from which the server detects "
        "concurrent edits; `hlc` (hybrid logical clock) orders changes between devices. `state` is "
        "`pending` → `sent` → `applied` / `merged` / `conflict` / `rejected` (with `reason`); entries "
        "leave the outbox only once the server has given its verdict. `updated_at`/`updated_by` are not "
        "journaled as separate changes, nor is `server_pos`."
    )),
    ("audit", (
        "The tamper-evident audit trail: who changed which fields of which record, from what to what. "
        "`action` is `create`, `update`, `archive`, `restore` or `remote` (a change received by sync); "
        "`changes` is a JSON object field → [old, new] in wire form. Each entry's `hash` is SHA-256 over "
        "the previous entry's hash and the entry itself, so editing or removing any entry breaks the chain "
        "(`caseapp audit verify`)."
    )),
    ("device_state", (
        "One row: this device's id, its persisted hybrid logical clock, and the head hash and length of "
        "the audit chain (so that cutting entries off the end of the trail is detected too)."
    )),
    ("settings", (
        "Key/value settings kept inside the encrypted database (user name, server URL, sync token and "
        "cursor …); values are JSON."
    )),
    ("conflicts", (
        "Same-field concurrent edits that the server resolved by its default rule, kept for a person to "
        "confirm or override: the base, winning and losing values with their authors, devices and clocks. "
        "`status` is `open` or `resolved`."
    )),
]

# --- generation -----------------------------------------------------------------------------------


def zh(key: str) -> str:
    return CATALOGUE["zh"].get(key, "")


def en(key: str) -> str:
    return CATALOGUE["en"].get(key, "")


def label(entity: str, field: str, lang: str) -> str:
    return field_label(ENTITIES[entity], field, lang)


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def row(values: Iterable[object]) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |"


def type_name(column: Any) -> str:
    t = column.type
    if isinstance(t, UtcDateTime):
        name = "datetime"
    elif isinstance(t, IsoDate):
        name = "date"
    elif isinstance(t, Money):
        name = "money"
    elif isinstance(t, Boolean):
        name = "yes/no"
    elif isinstance(t, Integer):
        name = "integer"
    elif isinstance(t, Float):
        name = "number"
    elif isinstance(t, Text):
        name = "text"
    elif isinstance(t, String):
        name = f"text ≤ {t.length}" if t.length else "text"
    else:
        name = type(t).__name__
    for fk in column.foreign_keys:
        target = fk.target_fullname.split(".")[0]
        entity = next((e for e, c in ENTITIES.items() if c.__tablename__ == target), target)
        name = f"id → `{entity}`"
    return name


def default_text(cls: type[Record], column: Any) -> str:
    if column.primary_key:
        return "set by store"
    default = column.default
    if column.key in required_fields(cls):
        return "**required**"
    if default is None:
        return "optional" if column.nullable else "**required**"
    arg = getattr(default, "arg", None)
    if callable(arg):
        return "set by store"
    if arg is None:
        return "empty"
    if isinstance(arg, bool):
        return "no" if not arg else "yes"
    if arg == "":
        return "empty text"
    return f"`{arg}`"


def meaning(entity: str, field: str) -> str:
    return all_facts(ENTITIES[entity])[field].help


def rule_text(entity: str, field: str) -> str:
    facts = all_facts(ENTITIES[entity])[field]
    texts = [rule.doc for rule in facts.rules]
    if facts.codes:
        texts.append("a code of the dictionary, or its name (户主 → `02`, 汉族 → `01`)")
    if facts.keys:
        texts.append(f"keys from [`{facts.keys}`](#dict-{facts.keys})")
    if facts.states:
        texts.append(f"a state of the `{facts.states}` workflow")
    if facts.required and ENTITIES[entity].__table__.columns[field].default is not None:
        texts.append("must be filled in")
    return "; ".join(texts)


def privacy_text(entity: str, field: str) -> str:
    facts = all_facts(ENTITIES[entity])[field]
    texts = []
    if facts.masked:
        texts.append("personal, masked in lists")
    elif facts.personal:
        texts.append("personal")
    if facts.public:
        texts.append("may be on the 公示 list")
    if facts.fixed:
        texts.append("set once")
    if facts.headings:
        texts.append("ledger column " + " / ".join(facts.headings))
    return "; ".join(texts)


def field_table(cls: type[Record], fields: list[str]) -> list[str]:
    columns = cls.__table__.columns
    lines = [
        row(["Field", "中文", "English", "Type", "Default", "Meaning", "Validation", "Dictionary", "Privacy, ledgers"]),
        row(["---"] * 9),
    ]
    for name in fields:
        dictionary = all_facts(cls)[name].codes
        lines.append(row([
            f"`{name}`", label(cls.entity, name, "zh"), label(cls.entity, name, "en"), type_name(columns[name]),
            default_text(cls, columns[name]), meaning(cls.entity, name), rule_text(cls.entity, name),
            f"[`{dictionary}`](#dict-{dictionary})" if dictionary else "", privacy_text(cls.entity, name),
        ]))
    return lines


def state_label(machine: str, state: str) -> str:
    return f"`{state}` {zh(f'state.{machine}.{state}')}"


def workflow_section(cls: type[Record]) -> list[str]:
    machine = workflows.machine_for(cls.entity)
    if machine is None or cls.state_field is None:
        return []
    out = [
        "",
        f"**Workflow** (`{cls.state_field}`, state machine `{machine.name}`). Initial state "
        f"{state_label(machine.name, machine.initial)}; final states: "
        + ", ".join(state_label(machine.name, s) for s in machine.states if s in machine.final) + ".",
        "",
        row(["State", "中文", "English", "May move to"]),
        row(["---"] * 4),
    ]
    for state in machine.states:
        targets = []
        for target in machine.moves.get(state, ()):
            guard = machine.guards.get((state, target)) or machine.guards.get(("*", target))
            text = f"`{target}`"
            if guard is not None:
                text += f" ({(guard.__doc__ or guard.__name__).strip()})"
            targets.append(text)
        out.append(row([
            f"`{state}`", zh(f"state.{machine.name}.{state}"), en(f"state.{machine.name}.{state}"),
            ", ".join(targets) or "— (final)",
        ]))
    effects = SIDE_EFFECTS.get(cls.entity, [])
    if effects:
        out += ["", *[f"- {e}" for e in effects]]
    return out


def entity_section(cls: type[Record]) -> list[str]:
    entity = cls.entity
    facts = [f"table `{cls.__tablename__}`"]
    if cls.parent:
        column, parent = cls.parent
        if cls.parent_entity_field:
            facts.append(f"belongs to the record `{column}` names, of the type in `{cls.parent_entity_field}`")
        else:
            facts.append(f"belongs to `{parent}` through `{column}`")
    else:
        facts.append("no parent record")
    facts.append("**insert-only** (never edited after saving; only `archived` and `org_code` change)"
                 if cls.insert_only else "editable")
    if cls.state_field:
        facts.append(f"state field `{cls.state_field}`")
    own = [f for f in cls.field_names() if f not in META_FIELDS]
    return [
        "",
        f'<a id="{entity}"></a>',
        "",
        f"### `{entity}` {entity_label(cls, 'zh')} / {entity_label(cls, 'en')}",
        "",
        " ".join((cls.__doc__ or "").split()),
        "",
        "- " + "; ".join(facts) + ".",
        "",
        *field_table(cls, own),
        *workflow_section(cls),
    ]


def store_table(table: Table) -> list[str]:
    lines = [row(["Column", "Type", "Key"]), row(["---"] * 3)]
    for column in table.columns:
        key = "primary key" if column.primary_key else ("indexed" if column.index else "")
        lines.append(row([f"`{column.key}`", type_name(column), key]))
    return lines


def _dictionary_users() -> dict[str, list[str]]:
    users: dict[str, list[str]] = {}
    for entity, cls in ENTITIES.items():
        for name, facts in all_facts(cls).items():
            for dictionary in (facts.codes, facts.keys):
                if dictionary:
                    users.setdefault(dictionary, []).append(f"`{entity}.{name}`")
    return users


def dictionaries_section() -> list[str]:
    users_of = _dictionary_users()
    used = sorted(users_of)
    out = [
        "",
        "## Dictionaries",
        "",
        "Code lists a field's value must come from (`codes=` on the field's declaration). These are the "
        "Guangzhou defaults shipped in `caseapp/refdata/rules.json`; a deployment can override any of "
        "them with its own rules file, so treat the lists below as the defaults, not as law. The value "
        "stored is the code; the labels are what the forms show.",
    ]
    for name in used:
        entries = refdata.dictionary(name)
        users = users_of[name]
        out += ["", f'<a id="dict-{name}"></a>', "", f"### Dictionary `{name}`", ""]
        out += ["Used by " + ", ".join(users) + "."]
        out += ["", row(["Code", "中文", "English"]), row(["---"] * 3)]
        out += [row([f"`{code}`", v["zh"], v["en"]]) for code, v in entries.items()]
    unused = sorted(refdata.DICTIONARIES - set(used))
    if unused:
        out += ["", "Dictionaries defined in the reference data but not enforced on any field: "
                + ", ".join(f"`{n}`" for n in unused) + "."]
    return out


def missing_meanings() -> list[str]:
    return [f"{e}.{f}" for e, cls in ENTITIES.items() for f in cls.field_names() if not meaning(e, f)]


def generate() -> str:
    lines: list[str] = [
        "# CaseApp data model",
        "",
        "<!-- Generated by docs/gen_data_model.py from the code; edit that script, not this file. -->",
        "",
        "What CaseApp stores, record type by record type: what each record is for, the fields it has (with "
        "the label the forms show, the type, the default, what it means, how it is checked and which code "
        "list it takes its value from), and the workflow its status follows. Then the tables the store "
        "keeps for itself and the JSON Lines export format.",
        "",
        "Terms: a *record type* (entity) is one kind of record, e.g. `household`; its *fields* are columns "
        "of one table in the workspace's encrypted SQLite (SQLCipher) database. Field and record-type "
        "names are the same in the database, the sync protocol and exports. Every fact about a field below "
        "is declared once, on the model (`caseapp.domain.fields.field`), and the forms, validation on "
        "device and server, ledgers and this page are derived from it; state labels come from "
        "`caseapp/messages/states.py`.",
        "",
        "## How values are stored",
        "",
        "Each type has one canonical text form, used in the database, the journal, sync and export alike, "
        "so the same data always gives the same bytes:",
        "",
        row(["Type", "Stored as", "Example"]),
        row(["---"] * 3),
        row(["datetime", "UTC, ISO 8601 with microseconds and `Z`", "`2024-05-01T01:30:00.000000Z`"]),
        row(["date", "`YYYY-MM-DD`", "`2024-05-01`"]),
        row(["money", "yuan as exact decimal text with two decimals (a string in JSON, never a float)",
             '`"1234.50"`']),
        row(["yes/no", "boolean", "`true`"]),
        row(["integer / number", "JSON number", "`3`, `85.5`"]),
        row(["text ≤ n", "Unicode text of at most n characters", "`张伟`"]),
        row(["id → `x`", "the 36-character id of a record of type `x`", "`0190f3e2-…`"]),
        "",
        "Empty optional values are `null`. A time entered without a time zone is taken as the device's "
        "local time (Beijing time) and converted to UTC when stored.",
        "",
        "In the field tables, *Default* is the value a new record gets when the field is left out: "
        "**required** fields must be given, *optional* ones may stay empty (`null`), *set by store* ones "
        "are filled in by the application. *Validation* is the check `caseapp/services/validate.py` applies "
        "to a non-empty value on every form and import, and the server to every value a device pushes; "
        "every field is also converted to its type and rejected with a message if it cannot be (text "
        "longer than its column, years outside 1890–2199, negative counts and amounts, NUL characters). "
        "*Dictionary* names the code list the value must come from. *Privacy* says which fields are "
        "personal information (PIPL): left out of minimised exports, never on a public notice unless "
        "marked, masked in lists where sensitive.",
        "",
        "## Fields every record carries",
        "",
        "Every record type has these fields in addition to its own (`caseapp.domain.base.META_FIELDS`). "
        "Apart from `org_code` and `archived`, users do not set them: the store fills them in when a "
        "record is created or changed.",
        "",
        row(["Field", "中文", "English", "Type", "Meaning"]),
        row(["---"] * 5),
    ]
    base_columns = ENTITIES["household"].__table__.columns
    for name in META_FIELDS:
        lines.append(row([f"`{name}`", label("household", name, "zh"), label("household", name, "en"),
                          type_name(base_columns[name]), meaning("household", name)]))
    lines += [
        "",
        f"Each record table also has {', '.join(f'`{f}`' for f in LOCAL_FIELDS)}: the position of the record in "
        "the server's log as this device last saw it. It is local sync bookkeeping: never journaled, "
        "never exported. Changes to "
        f"{' and '.join(f'`{f}`' for f in SILENT_FIELDS)} are merged by clock order and never reported "
        "as conflicts.",
        "",
        "## Record types",
        "",
        row(["Record type", "中文", "Belongs to", "Insert-only", "Workflow", "Table"]),
        row(["---"] * 6),
    ]
    for entity in EXPORT_ORDER:
        cls = ENTITIES[entity]
        lines.append(row([
            f"[`{entity}`](#{entity})", entity_label(cls, "zh"),
            (f"`{cls.parent[1]}`" if cls.parent[1] else "any") if cls.parent else "—",
            "yes" if cls.insert_only else "no",
            f"`{cls.state_field}`" if cls.state_field else "—", f"`{cls.__tablename__}`",
        ]))
    lines += [
        "",
        "Insert-only record types are facts (a visit happened, a note was written): once saved only "
        "`archived` and `org_code` may change, so they can never conflict between devices. A correction is "
        "a new record. Records of the other types are edited field by field; every change is journaled "
        "and audited. A status field changes only through its workflow: the application offers only the "
        "moves listed, and refuses any other.",
    ]
    for entity in EXPORT_ORDER:
        lines += entity_section(ENTITIES[entity])
    lines += dictionaries_section()
    lines += [
        "",
        "## The store's own tables",
        "",
        "Kept in the same encrypted database next to the records (`caseapp/store/tables.py`). They are not "
        "records: they are not journaled, synced as records or exported.",
    ]
    store = {t.name: t for t in metadata.sorted_tables}
    for name, text in STORE_TABLES:
        lines += ["", f"### `{name}`", "", text, "", *store_table(store[name])]
    lines += export_section()
    return "\n".join(lines) + "\n"


def example_line() -> str:
    """One export line for a sample household, made with the same codec and layout as the export."""
    when = dt.datetime(2024, 5, 1, 1, 30, tzinfo=dt.UTC)
    household = Household(
        id="0190f3e2-5c1a-7b3e-9a4d-2f6e8c0b1a23", org_code="440104001001", author="李敏",
        device="0190f3e0-4d2b-7c11-8e5a-6b7c8d9e0f12", created_at=when, updated_at=when, updated_by="李敏",
        archived=False, address="越秀区洪桥街道小北路100号", phone="13812345678", register_type="local_urban",
        head_name="张伟", poverty_reason="因病", bank_account=None, notes="",
    )
    wire = record_to_wire(household)
    line: dict[str, Any] = {"type": household.entity, "id": household.id}
    line.update((k, wire[k]) for k in sorted(wire) if k != "id")
    return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def export_section() -> list[str]:
    return [
        "",
        "## Export and import: JSON Lines",
        "",
        "`caseapp export [-o FILE]` writes every record of the workspace (archived ones included) as JSON "
        "Lines (`caseapp/services/exchange.py`); `caseapp import FILE` reads the same format back.",
        "",
        "- UTF-8 without BOM, one JSON object per line, each line ending in `\\n`; compact separators, "
        "non-ASCII text written as is (not `\\u` escapes).",
        '- Each object starts with `"type"` (the record type) and `"id"`, followed by every field of the '
        "record type — the common fields included, `server_pos` left out — in alphabetical order of field "
        "name, each value in the stored form described above (`null` when empty).",
        "- Records come in a fixed type order, parents before children, and by id within a type: "
        + ", ".join(f"`{e}`" for e in EXPORT_ORDER) + ".",
        "- Two workspaces holding the same data therefore export byte-identical files.",
        "",
        "Example line:",
        "",
        "```json",
        example_line(),
        "```",
        "",
        "Import:",
        "",
        "- accepts a UTF-8 file with or without BOM and skips blank lines;",
        "- checks every line before writing anything: each must be a JSON object with a known `type` and a "
        "36-character `id`, and its fields go through the same validation as a form (required fields, "
        "types, rules, dictionaries, unknown fields rejected). If any line is bad, nothing is written and "
        "every problem is listed with its line number and field;",
        "- then creates or updates records by id in one transaction, through the ordinary write path, so "
        "imported changes are journaled and audited like typed ones;",
        "- leaves alone a record the workspace changed after the file's copy of it was made (its "
        "`updated_at` is later than the file's): an older export never silently reverts newer work, "
        "whether typed here or synced in from a colleague; `caseapp import --replace-newer` takes the "
        "file's values anyway, as an explicit choice;",
        f"- keeps the stamps the file carries ({', '.join(f'`{s}`' for s in STAMPS)}) instead of "
        "stamping \"now, by me\";",
        "- cannot change an insert-only record other than its `archived` and `org_code`;",
        "- takes workflow state fields (`status`, `stage`) as they are in the file: the workflow moves are not "
        "checked on import (the state must still be one of its workflow's states).",
        "",
        "An export holds personal and sensitive information (ID numbers, health, bank accounts, special-"
        "group data) in plain text: handle the file like the workspace itself.",
    ]


def main(argv: list[str]) -> int:
    for name in missing_meanings():
        print(f"warning: no meaning written for {name}", file=sys.stderr)
    text = generate()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python docs/gen_data_model.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
