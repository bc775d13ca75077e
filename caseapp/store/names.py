"""The names of the store's own tables, the user-name setting, and the states a journal entry passes through: plain
constants, with no SQLAlchemy, so that a reader without the ORM (``caseapp status``) and the table
declarations in ``caseapp.store.tables`` say them once, here."""

from __future__ import annotations

import os
from typing import Any

JOURNAL = "journal"
AUDIT = "audit"
DEVICE_STATE = "device_state"
SETTINGS = "settings"
CONFLICTS = "conflicts"
#: the store's own tables, which are never journaled or synced as records
OWN_TABLES = (JOURNAL, AUDIT, DEVICE_STATE, SETTINGS, CONFLICTS)

#: setting: the name this workspace's user signs changes with
USER_NAME = "user.name"


def actor(stored: Any) -> str:
    """Who the workspace's changes are stamped with: the stored user name, else the login name."""
    return str(stored or "") or os.environ.get("USER", "caseworker")

# Journal entry states. An entry leaves the outbox (pending/sent) only once the server has given
# a verdict; rejected entries stay visible to the user with their reason.
PENDING = "pending"
SENT = "sent"
APPLIED = "applied"
#: the reason of an applied journal entry whose record left the device's scope: its value is gone
LEFT_SCOPE = "sync.left_scope"
MERGED = "merged"
CONFLICT = "conflict"
REJECTED = "rejected"
#: not sent: it changes a field the server does not know yet (an older server); released, and
#: sent, once the server knows it
HELD = "held"
OUTBOX_STATES = (PENDING, SENT)
