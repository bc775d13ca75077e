"""Crash-safe file writes.

Why: CaseApp keeps everything on a caseworker's laptop, which loses power, gets its lid shut mid-save
and runs out of disk. A plain ``open(path, "wb").write(...)`` truncates the old file first, so a crash
in the middle leaves a torn file; for the key file that means a workspace nobody can open again.

Every write here follows the same recipe, so that after a crash the target holds either the complete
old content or the complete new content, never a mix:

1. write a temporary file in the *same folder* (``os.replace`` is only atomic within one file system),
   created with ``os.open(..., O_CREAT | O_EXCL, 0o600)`` so the data is never readable by other
   users, not even for the moment before a ``chmod``;
2. ``fsync`` it, so its bytes are on disk before the rename can be;
3. ``os.replace`` it over the target (atomic on POSIX and on Windows);
4. ``fsync`` the folder, so the rename itself survives a crash.

If anything fails, the temporary file is removed and the target is left untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["PRIVATE_DIR", "PRIVATE_FILE", "atomic_copy", "atomic_write_bytes", "fsync_dir", "make_private",
           "private_file"]

#: every file CaseApp writes holds personal data or keys to it: readable by its owner only
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

# 1 MiB: large enough that copying a multi-gigabyte backup is not dominated by syscalls, small enough
# that the copy never holds much of a (possibly sensitive) file in memory.
COPY_CHUNK_SIZE = 1024 * 1024

_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_O_CLOEXEC: int = getattr(os, "O_CLOEXEC", 0)  # do not leak the descriptor into child processes
_TEMP_SUFFIX = ".tmp"


def fsync_dir(path: Path) -> None:
    """Flush the directory entry table of ``path`` (a folder) to disk.

    A rename or a new file is only durable once its folder has been synced. Windows has no way to
    open a folder for fsync and NTFS journals metadata itself, so this is a no-op there. Some file
    systems (certain network and FUSE mounts) refuse fsync on a folder with EINVAL; they give no
    stronger guarantee we could ask for, so that refusal is ignored rather than failing the save.
    """
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY | _O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _open_temp(folder: Path, name: str) -> tuple[int, Path]:
    """Create a new, empty, owner-only temporary file next to ``name`` in ``folder``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC
    while True:
        # Hidden, random and recognisable: a crash can leave one behind, and then it must neither
        # clash with the next attempt nor be mistaken for real data by folder listings.
        temp = folder / f".{name}.{secrets.token_hex(8)}{_TEMP_SUFFIX}"
        try:
            return os.open(temp, flags, 0o600), temp
        except FileExistsError:
            continue


@contextlib.contextmanager
def _temp_beside(path: Path, mode: int) -> Iterator[tuple[BinaryIO, Path]]:
    """Yield an open temporary file beside ``path``; on error it is deleted.

    On success the file has been flushed, fsynced and given ``mode``; the caller moves it into place.
    """
    fd, temp = _open_temp(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, temp
            handle.flush()
            # Set the exact mode (0o600 by default) regardless of the umask, which can only remove
            # bits from what os.open asked for; a caller asking for 0o644 gets 0o644.
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            else:  # Windows: only the read-only bit exists
                os.chmod(temp, mode)
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _move_into_place(temp: Path, path: Path, *, exclusive: bool) -> None:
    try:
        if not exclusive:
            os.replace(temp, path)
        elif os.name == "nt":
            # On Windows os.rename refuses to replace an existing file: an atomic "create only".
            os.rename(temp, path)
        else:
            _link_exclusive(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    fsync_dir(path.parent)


def _link_exclusive(temp: Path, path: Path) -> None:
    """POSIX "create only" move: a hard link fails with FileExistsError if ``path`` exists."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # File systems without hard links (FAT on a USB stick): reserve the name with O_EXCL, then
        # replace the empty placeholder. A crash in between leaves an empty file, which readers
        # report as damaged; that is still better than clobbering an existing file.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY | _O_CLOEXEC, 0o600)
        os.close(fd)
        os.replace(temp, path)
    else:
        os.unlink(temp)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file, never a torn one.

    ``mode`` is the permission of the new file (owner-only by default: CaseApp files hold personal
    data). With ``exclusive=True`` the write fails with ``FileExistsError`` if ``path`` already exists,
    decided atomically at the moment the file appears (no check-then-write race); used where an
    existing file must never be replaced, such as a workspace's key file.
    """
    path = Path(path)
    with _temp_beside(path, mode) as (handle, temp):
        handle.write(data)
    _move_into_place(temp, path, exclusive=exclusive)


def atomic_copy(src: Path, dst: Path, mode: int = 0o600, *, exclusive: bool = False) -> None:
    """Copy ``src`` to ``dst`` with the same guarantees as :func:`atomic_write_bytes`.

    The copy is streamed in chunks, so backups of any size never need to fit in memory. Only the
    content is copied, not the source's permissions or timestamps: the copy gets ``mode``.
    """
    src, dst = Path(src), Path(dst)
    with open(src, "rb") as source, _temp_beside(dst, mode) as (handle, temp):
        while chunk := source.read(COPY_CHUNK_SIZE):
            handle.write(chunk)
    _move_into_place(temp, dst, exclusive=exclusive)


def private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only if it does not exist (whatever the umask), and make it
    owner-only if it does. SQLite creates a database's -wal and -shm files with the database file's
    own permissions, so creating the database file this way before SQLite opens it covers them."""
    if os.name == "nt":  # only the read-only bit exists; the user profile's ACL protects the folder
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | _O_BINARY | _O_CLOEXEC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def make_private(folder: Path) -> None:
    """Make ``folder`` and everything in it owner-only (0700 folders, 0600 files), tightening what
    an older version, a copy or a permissive umask left readable to others. Symbolic links are not
    followed (their targets are not ours to change)."""
    if os.name == "nt":
        return
    _tighten(folder, PRIVATE_DIR)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            _tighten(Path(root) / name, PRIVATE_DIR)
        for name in files:
            _tighten(Path(root) / name, PRIVATE_FILE)


def _tighten(path: Path, mode: int) -> None:
    try:
        st = os.lstat(path)
        if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) != mode:
            os.chmod(path, mode)
    except FileNotFoundError:  # a -shm file removed by another process while we walked
        pass
