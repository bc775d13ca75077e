"""Typed sync errors. Each carries a message key from ``caseapp/messages/sync.py``; the CLI and the
UI translate it, the server puts it in its JSON error body as ``error``. ``exit_status`` names the
command line's exit status (``caseapp.cli.Exit``) where it is not REFUSED."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, ClassVar

import pydantic

from caseapp.errors import CaseAppError
from caseapp.release import __version__
from sync import protocol as p


class SyncError(CaseAppError):
    """Base of every error raised by the sync client."""


class OfflineError(SyncError):
    """The server could not be reached at all (after retries)."""

    exit_status: ClassVar[str] = "OFFLINE"

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

    def __init__(self, min_release: str = "") -> None:
        if min_release:  # the server named the oldest release it serves
            super().__init__("sync.client_release_too_old", 426, release=__version__, min=min_release)
        else:
            super().__init__("sync.client_too_old", 426)
        self.min_release = min_release


class CursorGoneError(RefusedError):
    """The server cannot continue from our cursor (410): the scope is pulled again from scratch."""

    def __init__(self) -> None:
        super().__init__("sync.cursor_gone", 410)


class AnswerTooLargeError(SyncError):
    """A server's answer decoded past the most a real one can hold (``sync.client.ANSWER_LIMITS``):
    reading stopped there, so a hostile or broken server cannot exhaust the device's memory."""

    exit_status: ClassVar[str] = "OFFLINE"

    def __init__(self, limit: int) -> None:
        super().__init__("sync.answer_too_large", None, limit=f"{limit / (1 << 20):.1f} MiB")


class AnswerUndecodableError(SyncError):
    """A server's answer in an encoding we did not offer, or damaged compressed data."""

    exit_status: ClassVar[str] = "OFFLINE"  # the server answers badly: nothing on this side is wrong

    def __init__(self) -> None:
        super().__init__("sync.answer_undecodable")


class ServerFailedError(SyncError):
    exit_status: ClassVar[str] = "OFFLINE"

    #: what a server may say of its own failure, beyond the status (the rest is read as that)
    KEYS: ClassVar[frozenset[str]] = frozenset({"sync.server_failed", "sync.server_busy", "sync.database_unavailable"})

    def __init__(self, status: int, key: str = "sync.server_failed") -> None:
        super().__init__(key, None, status=status)


class ConflictClosedError(SyncError):
    def __init__(self, conflict_id: str) -> None:
        super().__init__("sync.conflict_closed", None, id=conflict_id)


class BadAnswerError(SyncError):
    """An answer that cannot be used, so nothing from it was applied: cut off mid-body even after
    retrying (``sync.answer_cut``), a web page from a proxy or login portal in the way
    (``sync.not_sync_server``), not JSON (``sync.answer_not_json``), or JSON of another shape
    than this version's protocol (``sync.answer_wrong_shape``). Like being offline, trying later
    (or elsewhere) is the remedy; the outbox is untouched."""

    exit_status: ClassVar[str] = "OFFLINE"

    def __init__(self, key: str, url: str) -> None:
        super().__init__(key, None, url=url)


#: The protocol models the client reads answers into (and only answers).
ANSWER_MODELS = frozenset(m.__name__ for m in (p.HandshakeOut, p.LoginOut, p.PushOut, p.PullOut, p.MissingOut,
                                               p.AttachmentStatus))


def _raised_in(error: BaseException, module: str) -> bool:
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_globals.get("__name__") == module:
            return True
        tb = tb.tb_next
    return False


def unusable_answer(error: BaseException, url: str) -> BadAnswerError | None:
    """The BadAnswerError for an exception raised reading a server's answer: JSON of the wrong
    shape (pydantic names the answer model it failed), or bytes the client could not decode as
    JSON. None for anything else, which is not the server's doing."""
    if isinstance(error, pydantic.ValidationError):
        if error.title not in ANSWER_MODELS:
            return None
        not_json = any(e["type"] == "json_invalid" for e in error.errors())
        return BadAnswerError("sync.answer_not_json" if not_json else "sync.answer_wrong_shape", url)
    if isinstance(error, (json.JSONDecodeError, UnicodeDecodeError)) and _raised_in(error, "sync.client"):
        return BadAnswerError("sync.answer_not_json", url)
    return None
