"""Migrations: old workspaces upgrade with their data intact, and the models match the migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select, text

from caseapp.crypto.keyfile import TEST_KDF, create_keyfile
from caseapp.domain import Base, Household, Member
from caseapp.ids import new_id
from caseapp.store import migrate, visits_due
from caseapp.store.engine import make_engine
from caseapp.store.paths import DB_FILE, KEY_FILE
from caseapp.store.workspace import Workspace
from tests.conftest import PASSPHRASE

FIRST = "0001"
STAMP = "2026-01-05T08:30:00.000000Z"


def test_workspace_at_first_revision_upgrades_to_head_with_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    key, _ = create_keyfile(folder / KEY_FILE, PASSPHRASE, kdf=TEST_KDF)
    engine = make_engine(folder / DB_FILE, key)
    migrate.upgrade(engine, FIRST)
    household_id, member_id, device = new_id(), new_id(), new_id()
    meta = {"org": "440104001001", "author": "old", "device": device, "at": STAMP}
    with engine.begin() as conn:
        # written with SQL of revision 0001, as that version of CaseApp stored it
        conn.execute(text("INSERT INTO device_state (device_id, hlc, created_at, audit_head, audit_count) "
                          "VALUES (:d, 0, :at, '', 0)"), {"d": device, "at": STAMP})
        conn.execute(text(
            "INSERT INTO households (id, org_code, author, device, created_at, updated_at, updated_by, archived, "
            "address, head_name, notes) VALUES (:id, :org, :author, :device, :at, :at, :author, 0, "
            "'海珠区南华西街道龙庆北 12 号', '陈秀英', '')"), {"id": household_id, **meta})
        conn.execute(text(
            "INSERT INTO members (id, org_code, author, device, created_at, updated_at, updated_by, archived, "
            "household_id, name, id_number, relationship, sex, birth_date, notes) VALUES (:id, :org, :author, "
            ":device, :at, :at, :author, 0, :hid, '陈秀英', '11010519491231002X', '02', 'F', '1949-12-31', '')"),
            {"id": member_id, "hid": household_id, **meta})
    engine.dispose()
    assert migrate.head() in migrate.known_revisions()

    with Workspace.open(folder, PASSPHRASE) as ws:
        assert migrate.current(ws.engine) == migrate.head()
        with ws.read() as s:
            h = s.get(Household, household_id)
            m = s.get(Member, member_id)
            assert h is not None and h.head_name == "陈秀英"
            assert m is not None and str(m.birth_date) == "1949-12-31"
            # a member recorded before members could leave lives in the household (0008)
            assert (m.status, m.left_on, m.left_reason) == ("present", None, "")
            assert s.scalars(select(Member).where(Member.household_id == household_id)).one().id == member_id
        assert ws.device_id == device
        if migrate.head() != FIRST:
            assert list((folder / "backups").glob(f"workspace-{FIRST}-*.db"))


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "fresh.db", None)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations; run scripts/new-migration: {diff}"


def test_schema_versions_count_up(tmp_path: Path) -> None:
    assert migrate.schema_version(FIRST) == 1
    assert migrate.schema_version() == len(migrate.known_revisions())


def test_the_quick_revision_chain_is_alembics() -> None:
    """Opening a workspace reads the chain from the revision files without Alembic; it must be
    exactly the chain Alembic itself builds."""
    walked = [rev.revision for rev in migrate.script().walk_revisions()]  # newest first
    assert list(reversed(walked)) == list(migrate._chain())
    assert migrate.head() == migrate.script().get_current_head()


def test_a_workspace_indexed_before_0011_finds_house_numbers_after_compound_road_names(tmp_path: Path) -> None:
    from caseapp.services import search
    from caseapp.store.search_index import SEPARATOR

    folder = tmp_path / "old"
    folder.mkdir()
    key, _ = create_keyfile(folder / KEY_FILE, PASSPHRASE, kdf=TEST_KDF)
    engine = make_engine(folder / DB_FILE, key)
    migrate.upgrade(engine, "0010")
    household_id, device = new_id(), new_id()
    meta = {"org": "440105001001", "author": "old", "device": device, "at": STAMP}
    # the keys revision 0010 gave this address: none starts at the house number
    old_keys = ["a海珠区工业大道南123号", "a工业大道南123号", "a南123号"]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO device_state (device_id, hlc, created_at, audit_head, audit_count) "
                          "VALUES (:d, 0, :at, '', 0)"), {"d": device, "at": STAMP})
        conn.execute(text(
            "INSERT INTO households (id, org_code, author, device, created_at, updated_at, updated_by, archived, "
            "address, head_name, notes) VALUES (:id, :org, :author, :device, :at, :at, :author, 0, "
            "'海珠区工业大道南123号', '', '')"), {"id": household_id, **meta})
        conn.execute(text("INSERT INTO search_households (num, household_id, org_code, keys, head_sort) "
                          "VALUES (1, :id, :org, :keys, '')"),
                     {"id": household_id, "org": meta["org"], "keys": SEPARATOR.join(old_keys)})
        conn.execute(text("INSERT INTO search_keys (key, household_num) VALUES (:key, 1)"),
                     [{"key": k} for k in old_keys])
        assert not conn.execute(text("SELECT 1 FROM search_keys WHERE key = 'a123号'")).all()
    engine.dispose()

    with Workspace.open(folder, PASSPHRASE) as ws, ws.read() as s:
        assert [hit.household_id for hit in search.search_households(s, "123号")] == [household_id]
        assert [hit.household_id for hit in search.search_households(s, "南123号")] == [household_id]


def _schema(engine: Engine) -> tuple[list[tuple[str, str, str, list[str]]], list[str]]:
    """Every object of the schema with its statement's lines, sorted: a table rebuilt by a batch
    migration lists its foreign keys in an order that differs from one run of the migrations to the
    next (Alembic collects them in a set), so the order of a statement's lines is not compared."""
    with engine.connect() as conn:
        master = conn.execute(text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"))
        objects = [(kind, name, table, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines()))
                   for kind, name, table, sql in master]
        versions = conn.execute(text("SELECT version_num FROM alembic_version"))
        return objects, [v for (v,) in versions]


def test_a_new_workspace_has_exactly_the_migrated_schema(tmp_path: Path) -> None:
    """A new workspace is given the schema at head by copying a migrated template (install_head), not
    by running every migration: every table, index, trigger and full-text table must be what the
    migrations make, at the same revision, and it must take records and find them by search."""
    key, _ = create_keyfile(tmp_path / "key", PASSPHRASE, kdf=TEST_KDF)
    migrated = make_engine(tmp_path / "migrated.db", key)
    migrate.upgrade(migrated)
    expected = _schema(migrated)
    migrated.dispose()
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="新")
    try:
        objects, revision = _schema(ws.engine)
        # beside them, the triggers an open workspace makes from the rules in force (store/visits_due.py)
        made = {name: sql for kind, name, _, sql in objects if kind == "trigger" and name.startswith("elder_due_")}
        assert made.keys() == visits_due.triggers().keys()
        assert (sorted(o for o in objects if o[1] not in made), revision) == expected
        assert expected[1] == [migrate.head()]
        with ws.write() as s:
            h = Household(org_code="440104001001", address="海珠区南华西街道龙庆北 12 号", head_name="陈秀英")
            s.add(h)
        with ws.read() as s:
            assert s.scalars(select(Household.head_name)).all() == ["陈秀英"]
    finally:
        ws.close()
    # encrypted like any workspace: no schema text in the clear
    assert b"CREATE TABLE" not in (tmp_path / "ws" / DB_FILE).read_bytes()


def test_without_a_template_a_new_workspace_is_migrated_in_place(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No temporary folder to make the template in (a locked-down laptop, a full /tmp): the new
    workspace is migrated itself, to the same schema."""
    def no_room(*args: object, **kwargs: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(migrate, "_template", migrate._template.__wrapped__)
    monkeypatch.setattr(migrate.tempfile, "mkdtemp", no_room)
    ws, _ = Workspace.create(tmp_path / "ws", PASSPHRASE, kdf=TEST_KDF, actor="新")
    try:
        assert migrate.current(ws.engine) == migrate.head()
        with ws.write() as s:
            s.add(Household(org_code="440104001001", address="海珠区南华西街道龙庆北 12 号", head_name="陈秀英"))
    finally:
        ws.close()
