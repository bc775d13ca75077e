"""merge.push reads ahead what a batch's operations name (records referred to, ID numbers claimed)
before any of them is judged: values as a hostile device sent them. None of them may reach the
database unjudged: a NUL, which PostgreSQL refuses in a query, is refused with its field, never a
server error, and the rest of the batch goes on."""

from __future__ import annotations

from sync.server.auth import Principal
from sync.server.db import Database

from .test_trees import A1, create, push, put, rid

WORKER = Principal("worker1", "caseworker", "dev-w1", (A1[:12],))


def test_names_a_hostile_device_sends_are_refused_not_a_server_error(server_db: Database) -> None:
    verdicts = push(server_db, WORKER,
                    create(1, "household", "h", org_code=A1, address="龙庆北 12 号", head_name="陈秀英"),
                    create(2, "member", "bad-number", org_code=A1, household_id=rid("h"), name="陈秀英",
                           id_number="44010419\x0068030522"),
                    create(3, "member", "bad-parent", org_code=A1, household_id="h\x00", name="李强"),
                    put(4, "member", "bad-parent", "household_id", "x\x00y", None),
                    create(5, "member", "fine", org_code=A1, household_id=rid("h"), name="李强"))
    assert [v.verdict for v in verdicts] == ["applied", "rejected", "rejected", "rejected", "applied"]
    assert [v.field for v in verdicts[1:3]] == ["id_number", "household_id"]  # (4: a record never made)
