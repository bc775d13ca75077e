"""DB-API connections to the workspace file: SQLCipher, or plain SQLite for comparison benchmarks only.
The engines of ``caseapp.store.engine`` are made of them; nothing here imports SQLAlchemy, so a
command that only reads a few counts (``caseapp status``) starts without it.

Every connection is keyed with the raw 256-bit data key (``PRAGMA key = "x'…'"``), which skips
SQLCipher's own passphrase KDF: the passphrase is stretched once, by Argon2id, in the key file.

Pragmas and why:
- ``journal_mode=WAL``: readers never block the single writer, and a crash leaves the last committed
  state. SQLCipher encrypts WAL frames exactly like database pages.
- ``synchronous=FULL``: in WAL mode NORMAL is crash-safe for the application but may roll back the
  last few commits after a power cut. A caseworker's saved visit must survive the laptop's battery
  dying a second later, so every commit waits for the WAL fsync. Bulk work batches many rows per
  transaction, so this costs one fsync per batch, not per row.
- ``temp_store=MEMORY``: sort and temp tables never spill plaintext to temporary files.
- ``foreign_keys=ON``: members cannot point at households that do not exist.
- ``hide_parameters``: SQL errors never print record values into logs or crash output.

Failures about the disk or the file rather than the SQL (full disk, I/O error, a page that fails
SQLCipher's authentication, another program holding the lock) are raised as the typed errors of
``caseapp.store.faults``, at connect time and from every statement, so each reaches the user as
what it is; SQLCipher's own error log, which writes to stderr, is switched off for the same reason.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3

from caseapp.store.faults import DBAPI_ERRORS, WorkspaceDamagedError, from_sqlite

BUSY_TIMEOUT_MS = 10_000
WAL_CHECKPOINT_PAGES = 10_000
#: page cache per connection, in KiB (SQLCipher's default is 8 MB)
CACHE_KIB = 64 * 1024


def _configure(dbapi_conn: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    # Checkpoint the WAL into the database every ~40 MB instead of SQLite's 4 MB: a sync page or an
    # import writes several MB per commit, and checkpointing after nearly every one rewrote the
    # same index pages each time (applying a pulled page got 7-10% faster). Commits are just as
    # durable (the WAL is synced at each); the WAL is truncated when the workspace closes.
    cur.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
    cur.execute("PRAGMA temp_store = MEMORY")
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # A list sorted on a column reads its whole table (50,000 households are ~20 MB of pages):
    # with the default 8 MB every sort decrypted every page again (70 ms); held in the cache it is
    # 15 ms. The cache grows only as pages are read, up to this much per connection.
    cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cur.close()


def _unreadable(db_path: Path) -> WorkspaceDamagedError:
    return WorkspaceDamagedError("workspace.database_unreadable", path=str(db_path))


def open_dbapi(db_path: Path, key: bytes | None) -> Any:
    """A configured DB-API connection. Raises WorkspaceDamagedError if the key does not open the
    file, and the errors of ``caseapp.store.faults`` for a full or failing disk or a locked file."""
    try:
        if key is None:
            conn: Any = sqlite3.connect(str(db_path), check_same_thread=False, isolation_level=None)
        else:
            conn = sqlcipher3.dbapi2.connect(str(db_path), check_same_thread=False, isolation_level=None)
            # Its messages ("hmac check failed for pgno=…") would reach the terminal beside ours.
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    except DBAPI_ERRORS as error:
        raise from_sqlite(error, db_path) or _unreadable(db_path) from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        _configure(conn)
    except DBAPI_ERRORS as error:
        conn.close()
        # The key file vouched for the key, so a file it does not open is damaged (or is another
        # workspace's): unless the disk is the problem, which must never be reported as damage.
        raise from_sqlite(error, db_path) or _unreadable(db_path) from None
    return conn
