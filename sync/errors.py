"""Typed sync errors. Each carries a message key from ``caseapp/messages/sync.py``; the CLI and the
UI translate it, the server puts it in its JSON error body as ``error``."""

from __future__ import annotations

from typing import Any

from caseapp.errors import CaseAppError


class SyncError(CaseAppError):
    """Base of every error raised by the sync client."""


class OfflineError(SyncError):
    """The server could not be reached at all (after retries)."""

    def __init__(self, url: str) -> None:
        super().__init__("sync.offline", None, url=url)


class NotLoggedInError(SyncError):
    def __init__(self) -> None:
        super().__init__("sync.not_logged_in")


class RefusedError(SyncError):
    """The server answered with a 4xx: ``key`` is the server's error key (translated locally)."""

    def __init__(self, key: str, status: int, **params: Any) -> None:
        super().__init__(key, None, **params)
        self.status = status


class RevokedError(RefusedError):
    def __init__(self) -> None:
        super().__init__("sync.device_revoked", 403)


class TooOldError(RefusedError):
    """The server no longer accepts this program version; the outbox is kept for after the upgrade."""

    def __init__(self) -> None:
        super().__init__("sync.client_too_old", 426)


class CursorGoneError(RefusedError):
    """The server cannot continue from our cursor (410): the scope is pulled again from scratch."""

    def __init__(self) -> None:
        super().__init__("sync.cursor_gone", 410)


class AnswerTooLargeError(SyncError):
    """A server's answer decoded past the most a real one can hold (``sync.client.ANSWER_LIMITS``):
    reading stopped there, so a hostile or broken server cannot exhaust the device's memory."""

    def __init__(self, limit: int) -> None:
        super().__init__("sync.answer_too_large", None, limit=f"{limit / (1 << 20):.1f} MiB")


class AnswerUndecodableError(SyncError):
    """A server's answer in an encoding we did not offer, or damaged compressed data."""

    def __init__(self) -> None:
        super().__init__("sync.answer_undecodable")


class ServerFailedError(SyncError):
    def __init__(self, status: int) -> None:
        super().__init__("sync.server_failed", None, status=status)


class ConflictClosedError(SyncError):
    def __init__(self, conflict_id: str) -> None:
        super().__init__("sync.conflict_closed", None, id=conflict_id)
