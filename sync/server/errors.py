"""Errors the server answers with: an HTTP status and a message key (``caseapp/messages/sync.py``).

Route handlers and services raise ``ApiError``; one exception handler turns it into
``{"error": key, "message": text}``, so every refusal has the same shape and a stable key clients
translate into their user's language.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, key: str, **params: Any) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.params = params


class Rejected(Exception):
    """One pushed operation refused (the rest of the batch goes on): ``reason`` is a message key,
    ``field`` the field it concerns and ``params`` the message's parameters, so the device can say
    exactly what was wrong in its user's language."""

    def __init__(self, reason: str, field: str | None = None, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.params = params
