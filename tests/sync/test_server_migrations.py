"""Server migrations: a database of an earlier revision upgrades with its attachments intact, and the
server's tables match what the migrations build (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from sync.server import attachments, schema
from sync.server.db import _alembic_config

from .conftest import fresh_database

BEFORE_ATTACHMENT_GRANTS = "s0004"


def test_models_and_server_migrations_agree(backend: str, tmp_path: Path) -> None:
    """The migrations themselves, run from empty (other tests' databases are copies of their result)."""
    with fresh_database(backend, tmp_path, migrate=True) as db, db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, schema.metadata)
    assert diff == [], f"sync/server/schema.py differs from its migrations: {diff}"


def test_attachments_of_an_earlier_revision_survive_the_upgrade(backend: str, tmp_path: Path) -> None:
    complete = os.urandom(3000)
    digest = hashlib.sha256(complete).hexdigest()
    partial = "ab" * 32
    with fresh_database(backend, tmp_path) as db:
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), BEFORE_ATTACHMENT_GRANTS)
        with db.engine.begin() as conn:
            # as that revision stored them: chunks under the digest, one upload finished, one not
            conn.execute(text("INSERT INTO attachments (digest, size, received, complete, uploaded_by) VALUES "
                              "(:d, 3000, 3000, true, 'worker1'), (:p, 10, 1, false, 'worker3')"),
                         {"d": digest, "p": partial})
            conn.execute(text('INSERT INTO attachment_chunks (digest, "offset", data) VALUES '
                              "(:d, 0, :a), (:d, 2000, :b), (:p, 0, :x)"),
                         {"d": digest, "p": partial, "a": complete[:2000], "b": complete[2000:], "x": b"x"})
        db.migrate()
        with db.read() as conn:
            assert attachments.content(conn, digest) == complete
            assert conn.execute(select(schema.attachments.c.digest)).scalars().all() == [digest]
            assert conn.execute(select(func.count()).select_from(schema.attachment_chunks)).scalar_one() == 2


def test_members_stored_before_s0008_are_found_by_their_id_number(backend: str, tmp_path: Path) -> None:
    """The server refuses a second record of a person stored before it looked people up (s0008)."""
    from .test_member_lifecycle import ID_1, WORKER_A
    from .test_trees import A1, create, push, rid

    home, old = rid("h-old"), rid("m-old")
    rows = [(home, "household", {"id": home, "org_code": A1, "address": "江南大道 8 号", "head_name": "欧阳明"}),
            (old, "member", {"id": old, "org_code": A1, "household_id": home, "name": "欧阳明", "id_number": ID_1})]
    with fresh_database(backend, tmp_path) as db:
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "s0007")
        with db.engine.begin() as conn:
            for n, (row_id, entity, fields) in enumerate(rows, start=1):
                conn.execute(text("INSERT INTO records (id, entity, org_code, fields, meta, pos, created_pos, "
                                  "origin_device, archived, root_id) VALUES "
                                  "(:id, :entity, :org, :f, '{}', :pos, :pos, 'dev', false, :root)"),
                             {"id": row_id, "entity": entity, "org": A1, "f": json.dumps(fields), "pos": n,
                              "root": home})
        db.migrate()
        with db.read() as conn:
            held = conn.execute(select(schema.records.c.id, schema.records.c.person_id)).all()
            assert sorted(held) == sorted([(home, None), (old, ID_1)])
        (verdict,) = push(db, WORKER_A, create(1, "member", "again", org_code=A1, household_id=home,
                                               name="欧阳明", id_number=ID_1))
        assert (verdict.verdict, verdict.reason) == ("rejected", "sync.duplicate_id")


def test_referrals_sent_before_s0010_reach_their_centre(backend: str, tmp_path: Path) -> None:
    """s0010 shares referrals already sent with their receiving centre, and logs it, so a centre's
    device already past their last change still pulls them."""
    from sync import protocol as p
    from sync.server import pull
    from sync.server.auth import Principal

    from .test_trees import A1, rid

    home, sent, draft = rid("h-ref"), rid("r-sent"), rid("r-draft")
    referral = {"org_code": A1, "household_id": home, "client_name": "欧阳明", "from_org": "家综",
                "to_org": "素社街家综", "to_org_code": "440105002", "consent_given": True}
    rows = [(home, "household", {"id": home, "org_code": A1, "address": "江南大道 8 号", "head_name": "欧阳明"}),
            (sent, "referral", {**referral, "id": sent, "status": "sent"}),
            (draft, "referral", {**referral, "id": draft, "status": "draft"})]
    with fresh_database(backend, tmp_path) as db:
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "s0009")
        with db.engine.begin() as conn:
            for n, (row_id, entity, fields) in enumerate(rows, start=1):
                conn.execute(text("INSERT INTO records (id, entity, org_code, fields, meta, pos, created_pos, "
                                  "origin_device, archived, root_id) VALUES "
                                  "(:id, :entity, :org, :f, '{}', :pos, :pos, 'dev', false, :root)"),
                             {"id": row_id, "entity": entity, "org": A1, "f": json.dumps(fields), "pos": n,
                              "root": home})
                conn.execute(text("INSERT INTO changes (pos, entity, row_id, org_code, fields) VALUES "
                                  "(:pos, :entity, :id, :org, :f)"),
                             {"pos": n, "entity": entity, "id": row_id, "org": A1, "f": json.dumps(fields)})
        db.migrate()
        with db.read() as conn:
            r = schema.records.c
            held = {i: s for i, s in conn.execute(select(r.id, r.shared_org))}
            assert held == {home: None, sent: "440105002", draft: None}
            assert conn.execute(select(r.pos).where(r.id == sent)).scalar_one() == 4  # logged after the rest
            centre = Principal("centre", "caseworker", "dev-c", ("440105002",))
            page = pull.pull(conn, centre, p.PullIn(cursor=f"3.{centre.scope_tag()}"))
        assert [(row.entity, row.id, row.fields["household_id"]) for row in page.to_model().rows] == [
            ("referral", sent, None)]
