"""Sync settings kept inside the encrypted workspace (``settings`` table): server, token, cursor.

The token never touches a plain file: it lives in the SQLCipher database like the records it
protects. Helpers take a Connection so the cursor can be written in the same transaction as the
rows a pull applies.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select, text

from caseapp.store.tables import Setting

SERVER_URL = "sync.server_url"  # also shown by `caseapp status`
TOKEN = "sync.token"
USER = "sync.user"
ROLE = "sync.role"
SCOPES = "sync.scopes"
CA_FILE = "sync.ca_file"
CURSOR = "sync.cursor"
#: records to ask the server for again (their local edit was refused or lost): [{entity, id}]
REFETCH = "sync.refetch"
#: a scope re-pull is under way (records not re-sent by its end are removed)
RESET = "sync.reset"
LAST_SYNC = "sync.last_sync"  # also shown by `caseapp status`
#: the newest program release the server named at the last sync ("" if it named none)
LATEST_CLIENT = "sync.latest_client"
#: the household search index is being rebuilt after a pull of the whole scope (see sync.apply)
INDEX_STALE = "search.stale"


def read_setting(conn: Connection, key: str, default: Any = None) -> Any:
    value = conn.execute(select(Setting.value).where(Setting.key == key)).scalar_one_or_none()
    return default if value is None else json.loads(value)


def write_setting(conn: Connection, key: str, value: Any) -> None:
    conn.execute(text("INSERT INTO settings(key, value) VALUES (:k, :v) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                 {"k": key, "v": json.dumps(value, ensure_ascii=False)})
