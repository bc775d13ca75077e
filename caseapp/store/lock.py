"""One sync of a workspace at a time, across processes: an advisory lock on a file in the folder.

Why: two syncs of one workspace at once (two ``caseapp sync``, or one beside the desktop app's
background sync) would push the same outbox twice and race to apply the same pages; SQLite then
refused one of them half-way with "database is locked". The second now stops before it starts and
says a sync is already running.

The lock is the operating system's (``flock`` on POSIX, ``msvcrt.locking`` on Windows): it is
released when its holder exits, even by kill -9 or a power cut, so there is never a stale lock to
clear by hand. ``flock`` locks belong to an open file, so two syncs in one process exclude each
other too. The file itself stays in the folder and holds nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from caseapp.store.faults import WorkspaceBusyError, from_os_error

SYNC_LOCK = "sync.lock"

# File systems that cannot lock (some network shares) get no exclusion rather than no sync.
_NO_LOCKING = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)})

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive(path: Path, busy_key: str) -> Iterator[None]:
    """Hold the lock on ``path`` (created owner-only if missing) for the block, or raise
    WorkspaceBusyError(``busy_key``) at once if another holder has it: never waits."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as error:
        raise (from_os_error(error, path) or error) from None
    try:
        try:
            locked: bool | None = _try_lock(fd)
        except OSError as error:
            if error.errno not in _NO_LOCKING:
                raise
            locked = None  # this file system cannot lock: go ahead unexcluded
        if locked is False:
            raise WorkspaceBusyError(busy_key)
        try:
            yield
        finally:
            if locked:
                _unlock(fd)
    finally:
        os.close(fd)


def sync_lock(folder: Path) -> contextlib.AbstractContextManager[None]:
    """Held for the whole of one sync of the workspace in ``folder``, by every program that syncs."""
    return exclusive(Path(folder) / SYNC_LOCK, "workspace.sync_running")
