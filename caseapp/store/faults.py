"""What went wrong under a workspace, told apart: a full disk, a failing disk, a damaged file, or
another program holding it.

Why: SQLite reports all of these as exceptions of one or two types, and a laptop's full disk once
reached the user as "the database cannot be decrypted; it may be damaged": a caseworker could have
thrown away a healthy workspace holding unsynced work. Each case has its own error here, with its
own message (what happened, that nothing was lost, what to do) and its own exit status on the
command line (``exit_status`` names a row of ``caseapp.cli.Exit``).

SQLite's own atomicity is what makes "nothing was lost" true: a statement that fails for want of
space or on an I/O error rolls back its transaction, and every earlier commit is already durable.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, ClassVar

import sqlcipher3

from caseapp.errors import WorkspaceError

# SQLite's primary result codes (https://sqlite.org/rescode.html); exceptions carry the extended
# code, whose low byte is the primary one.
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

#: Below this much free space (or this share of a small disk), an I/O error is taken for a full
#: disk: SQLite reports a -shm or WAL file it cannot grow as "disk I/O error", not as SQLITE_FULL.
LOW_SPACE_BYTES = 64 * 1024 * 1024
LOW_SPACE_SHARE = 0.02

DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
DISK_ERRNOS = frozenset({errno.EIO, errno.EFBIG, errno.EROFS})

DBAPI_ERRORS = (sqlite3.DatabaseError, sqlcipher3.dbapi2.DatabaseError)


class WorkspaceBusyError(WorkspaceError):
    """Another program holds the workspace: its database is locked, or a sync of it is running."""

    exit_status: ClassVar[str] = "BUSY"

    def __init__(self, key: str = "workspace.busy", **params: Any) -> None:
        super().__init__(key, None, **params)


class WorkspaceDamagedError(WorkspaceError):
    """The database file cannot be read back as written: a page fails its authentication check, or
    the file does not open with a key the key file vouches for."""

    exit_status: ClassVar[str] = "DAMAGED"

    def __init__(self, key: str = "workspace.damaged", **params: Any) -> None:
        super().__init__(key, None, **params)


class DiskFullError(WorkspaceError):
    """No space left where the workspace (or a file being written) lives."""

    exit_status: ClassVar[str] = "DISK_FULL"

    def __init__(self, path: Path | str) -> None:
        super().__init__("workspace.disk_full", None, path=str(path))


class DiskError(WorkspaceError):
    """The disk refused a read or a write for another reason: an I/O error, a file too large for
    the file system (FAT), a read-only medium, a USB drive pulled out."""

    exit_status: ClassVar[str] = "DISK_ERROR"

    def __init__(self, path: Path | str, key: str = "workspace.io_error") -> None:
        super().__init__(key, None, path=str(path))


#: Every error here: what ``Workspace.close`` may meet and let pass.
FAULTS = (WorkspaceBusyError, WorkspaceDamagedError, DiskFullError, DiskError)


def _existing(path: Path) -> Path | None:
    return next((p for p in (path, *path.parents) if p.exists()), None)


def low_on_space(path: Path) -> bool:
    """Whether the file system holding ``path`` (or its nearest existing parent) is nearly full."""
    found = _existing(path)
    try:
        usage = shutil.disk_usage(found) if found is not None else None
    except OSError:
        return False
    return usage is not None and usage.free < min(LOW_SPACE_BYTES, usage.total * LOW_SPACE_SHARE)


def read_only(path: Path) -> bool:
    """Whether ``path`` is on a file system mounted read-only (POSIX; False where it cannot tell)."""
    found = _existing(path)
    try:
        return found is not None and hasattr(os, "statvfs") and bool(os.statvfs(found).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _disk_trouble(folder: Path, key: str = "workspace.io_error") -> WorkspaceError:
    if read_only(folder):
        return DiskError(folder, "workspace.read_only")
    return DiskFullError(folder) if low_on_space(folder) else DiskError(folder, key)


def from_sqlite(error: BaseException, db_path: Path) -> WorkspaceError | None:
    """The typed error for a SQLite failure that is about the disk or the file, not the SQL;
    None for anything else (a constraint, a bug), which callers leave as it is."""
    if not isinstance(error, DBAPI_ERRORS):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    folder = db_path.parent
    if primary == SQLITE_FULL:
        return DiskFullError(folder)
    if primary == SQLITE_IOERR:
        return _disk_trouble(folder)
    if primary == SQLITE_CANTOPEN:  # the file or its -wal/-shm could not be opened or created
        return _disk_trouble(folder, "workspace.cannot_open")
    if primary == SQLITE_READONLY:
        return DiskError(folder, "workspace.read_only")
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return WorkspaceBusyError()
    if primary == SQLITE_CORRUPT:
        return WorkspaceDamagedError(path=str(db_path))
    if primary == SQLITE_NOTADB:
        return WorkspaceDamagedError("workspace.database_unreadable", path=str(db_path))
    return None


def from_os_error(error: OSError, fallback: Path | None = None) -> WorkspaceError | None:
    """The typed error for a file write or read the disk refused; None for other OS errors (a file
    not found, no permission), which are about the request rather than the disk."""
    where = error.filename or fallback or ""
    if error.errno in DISK_FULL_ERRNOS:
        return DiskFullError(where)
    if error.errno == errno.EROFS:
        return DiskError(where, "workspace.read_only")
    if error.errno in DISK_ERRNOS:
        return DiskError(where)
    return None
