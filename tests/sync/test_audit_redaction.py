"""Redacting audit payloads keeps the chain checkable, and cannot be used to hide a change.

A redacted entry keeps its hash and link; it passes ``audit.verify`` only when a later, intact
redaction entry names it. Entries are redacted only once the server holds them: those written
after the last push about records that then left are redacted when a push has delivered them.
"""

from __future__ import annotations

from sqlalchemy import select, update

from caseapp.domain import Household, Member
from caseapp.services import records
from caseapp.store import audit
from caseapp.store.tables import AuditEntry
from caseapp.store.workspace import Workspace
from sync import apply
from sync import protocol as p
from sync.trail import SENT

NAME = "欧阳秀兰"


def household(ws: Workspace) -> str:
    with ws.write() as s:
        h = records.create(s, Household, {"org_code": "44010500100101", "address": "滨江东路 9 号",
                                          "head_name": NAME})
        records.create(s, Member, {"org_code": "44010500100101", "household_id": h.id, "name": NAME})
        return h.id


def payloads(ws: Workspace, row_id: str) -> list[str]:
    with ws.read() as s:
        return list(s.scalars(select(AuditEntry.changes).where(AuditEntry.row_id == row_id)))


def problems(ws: Workspace) -> list[tuple[int | None, str]]:
    with ws.engine.connect() as conn:
        return [(p.entry_id, p.problem) for p in audit.verify(conn)]


def shipped(ws: Workspace) -> int:
    with ws.read() as s:
        top = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    ws.set_setting(SENT, top)
    return top


def test_a_redaction_named_in_the_chain_verifies_and_a_forged_one_does_not(ws: Workspace) -> None:
    hid = household(ws)
    other = household(ws)
    top = shipped(ws)
    with ws.engine.begin() as conn:
        redacted = audit.redact(conn, [hid], ws.device_id, upto=top)
    assert redacted and all(NAME not in c for c in payloads(ws, hid))
    assert problems(ws) == []
    with ws.read() as s:
        note = s.scalars(select(AuditEntry).where(AuditEntry.action == audit.REDACT)).one()
    assert note.entity == "audit" and f'"entries":{redacted}'.replace(" ", "") in note.changes

    # Someone turns another entry's payload into a redaction marker to hide what it said: no
    # redaction entry names it, so it is reported as modified.
    with ws.read() as s:
        target = s.scalars(select(AuditEntry).where(AuditEntry.row_id == other)).first()
    assert target is not None
    with ws.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.id == target.id)
                     .values(changes='{"$redacted":"' + "0" * 64 + '"}'))
    assert problems(ws) == [(target.id, "hash_mismatch")]
    # ... and naming it in the redaction entry breaks that entry's own hash.
    with ws.engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.id == note.id)
                     .values(changes=note.changes.replace("[", f"[{target.id},")))
    assert (note.id, "hash_mismatch") in problems(ws) and (target.id, "hash_mismatch") in problems(ws)


def test_entries_the_server_lacks_are_redacted_only_once_delivered(ws: Workspace) -> None:
    hid = household(ws)  # its entries are not on the server yet (nothing shipped)
    leave = p.PullOut(rows=[], removals=[p.RecordRef(entity="household", id=hid)], cursor="5.x",
                      has_more=False, hlc=0)
    assert apply.apply_page(ws, leave).removed == 1
    assert any(NAME in c for c in payloads(ws, hid))  # kept for the push to deliver whole
    shipped(ws)  # the next push delivered them
    nothing = p.PullOut(rows=[], removals=[], cursor="6.x", has_more=False, hlc=0)
    apply.apply_page(ws, nothing)
    assert payloads(ws, hid) and all(NAME not in c for c in payloads(ws, hid))
    assert problems(ws) == []
    with ws.read() as s:
        assert s.scalars(select(AuditEntry.id).where(AuditEntry.action == audit.REDACT)).all() != []


def test_history_of_a_record_that_came_back_shows_redacted_entries_without_values(ws: Workspace) -> None:
    hid = household(ws)
    top = shipped(ws)
    with ws.engine.begin() as conn:
        audit.redact(conn, [hid], ws.device_id, upto=top)
        history = audit.history(conn, [hid])
    assert history and all(entry["changes"] == "{}" for entry in history)
