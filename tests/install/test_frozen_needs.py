"""What a frozen bundle (PyInstaller) needs of the program, checked in the normal suite: `init` is
atomic, a missing program file is one clear line and leaves nothing, and the plugins declared as
entry points are there even where no distribution metadata is."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from caseapp import cli
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.errors import ResourceMissingError
from caseapp.resources import package_dir
from caseapp.store import migrate
from caseapp.store.paths import DB_FILE, KEY_FILE, exists
from caseapp.store.workspace import Workspace

PASSPHRASE = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


def test_init_that_fails_half_way_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_install = migrate.install_head

    def install_then_fail(conn: object) -> None:
        real_install(conn)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(migrate, "install_head", install_then_fail)
    target = tmp_path / "ws"
    with pytest.raises(OSError):
        Workspace.create(target, PASSPHRASE, kdf=TEST_KDF)
    assert list(tmp_path.iterdir()) == []  # neither the workspace nor its hidden staging folder

    monkeypatch.setattr(migrate, "install_head", real_install)
    ws, _ = Workspace.create(target, PASSPHRASE, kdf=TEST_KDF, actor="worker1")  # and init works again
    ws.close()
    assert exists(target) and Workspace.open(target, PASSPHRASE).actor == "worker1"
    assert [p.name for p in tmp_path.iterdir()] == ["ws"]


def test_init_into_a_folder_made_beforehand_keeps_its_other_files(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    target.mkdir(mode=0o755)
    (target / "notes.txt").write_text("mine")
    ws, _ = Workspace.create(target, PASSPHRASE, kdf=TEST_KDF)
    ws.close()
    assert {KEY_FILE, DB_FILE, "notes.txt"} <= {p.name for p in target.iterdir()}
    assert (target.stat().st_mode & 0o777) == 0o700
    assert [p.name for p in tmp_path.iterdir()] == ["ws"]


def test_a_missing_migration_folder_is_one_line_and_no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "bundle" / "migrations"
    empty.mkdir(parents=True)
    real_files = resources.files
    monkeypatch.setattr(resources, "files", lambda pkg: empty if pkg == "migrations" else real_files(pkg))
    # the schema template is made once per process: make it afresh, as a bundle's first init does
    monkeypatch.setattr(migrate, "_template", migrate._template.__wrapped__)
    monkeypatch.setenv("CASEAPP_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CASEAPP_LANG", "zh")
    target = tmp_path / "ws"
    assert cli.main(["--workspace", str(target), "init"]) == cli.Exit.UNEXPECTED
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "migrations/env.py" in err and "重新安装" in err, err
    assert not target.exists() and [p.name for p in tmp_path.iterdir()] == ["bundle"]
    with pytest.raises(ResourceMissingError):
        package_dir("caseapp.no_such_package")


def test_plugins_are_there_without_distribution_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    assert declared == cli.BUILTIN_PLUGINS  # one list, kept in step with the other
    monkeypatch.setattr(cli, "entry_points", lambda group: [])  # as in a frozen bundle
    commands = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"sync", "login", "init"} <= set(commands)
    assert len(cli.plugins("caseapp.gui")) == 1
