"""Crash-safe writes: all-or-nothing, private by default, no leftovers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from caseapp import fileio
from caseapp.fileio import COPY_CHUNK_SIZE, atomic_copy, atomic_write_bytes, fsync_dir


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_creates_private_file_without_leftovers(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    old_umask = os.umask(0o022)
    try:
        atomic_write_bytes(target, b"hello")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"hello"
    assert target.stat().st_mode & 0o777 == 0o600
    assert names(tmp_path) == ["file.bin"]


def test_write_replaces_and_applies_mode(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old content that is longer")
    atomic_write_bytes(target, b"new", mode=0o644)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644
    assert names(tmp_path) == ["file.bin"]


def test_write_syncs_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[Path] = []
    monkeypatch.setattr(fileio, "fsync_dir", synced.append)
    atomic_write_bytes(tmp_path / "f", b"x")
    assert synced == [tmp_path]


def test_crash_before_rename_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")

    def crash(src: object, dst: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["file.bin"]


def test_crash_while_writing_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old")

    def crash(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["file.bin"]


def test_exclusive_write_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "file.bin"
    atomic_write_bytes(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        atomic_write_bytes(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert target.stat().st_mode & 0o777 == 0o600
    assert names(tmp_path) == ["file.bin"]


def test_exclusive_write_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File systems without hard links (FAT USB sticks) fall back to reserving the name with O_EXCL."""

    def no_links(src: object, dst: object) -> None:
        raise PermissionError("operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "file.bin"
    atomic_write_bytes(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        atomic_write_bytes(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert names(tmp_path) == ["file.bin"]


def test_copy_streams_large_files(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    content = os.urandom(COPY_CHUNK_SIZE * 2 + 123)
    source.write_bytes(content)
    source.chmod(0o644)
    out = tmp_path / "out"
    out.mkdir()
    atomic_copy(source, out / "copy.bin")
    assert (out / "copy.bin").read_bytes() == content
    assert (out / "copy.bin").stat().st_mode & 0o777 == 0o600
    assert names(out) == ["copy.bin"]


def test_copy_of_missing_source_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "copy.bin"
    target.write_bytes(b"old")
    with pytest.raises(FileNotFoundError):
        atomic_copy(tmp_path / "missing.bin", target)
    assert target.read_bytes() == b"old"
    assert names(tmp_path) == ["copy.bin"]


def test_fsync_dir_accepts_a_folder(tmp_path: Path) -> None:
    fsync_dir(tmp_path)
