"""Typed errors raised by the core.

Every error carries a message key (looked up in caseapp.messages), the field it concerns (if any)
and the parameters the message needs. The core never formats user-facing text; the edges (CLI, UI,
HTTP) translate with ``caseapp.messages.render``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar


class CaseAppError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, key: str, field: str | None = None, *, entity: str | None = None, **params: Any) -> None:
        super().__init__(key, field, params)
        self.key = key
        self.field = field
        #: the record type the field belongs to, when known: it picks the field's label
        self.entity = entity
        self.params: dict[str, Any] = dict(params)

    def __str__(self) -> str:
        # For logs and tracebacks only: the edges render it in the user's language
        # (caseapp.messages.render), so the core needs no catalogue.
        where = f"{self.entity}.{self.field}" if self.entity and self.field else (self.field or "")
        return " ".join(part for part in (self.key, where, repr(self.params) if self.params else "") if part)


class ValidationError(CaseAppError):
    """One bad value: the key says what is wrong, ``field`` which input."""


class ValidationErrors(CaseAppError):
    """Several bad values found at once (a form, an import row)."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.errors = list(errors)
        super().__init__("validation.many", None, count=len(self.errors))

    def __str__(self) -> str:
        return "; ".join(str(e) for e in self.errors)

    def by_field(self) -> Mapping[str | None, ValidationError]:
        return {e.field: e for e in self.errors}


class WorkflowError(CaseAppError):
    """A state-machine transition that is not allowed from the current state."""


class NotFoundError(CaseAppError):
    """A record asked for by id does not exist (or is outside the caller's scope)."""


class WorkspaceError(CaseAppError):
    """The workspace cannot be opened, unlocked or written."""


class WrongPassphraseError(WorkspaceError):
    def __init__(self) -> None:
        super().__init__("workspace.wrong_passphrase")


class KeyFileError(WorkspaceError):
    """The key file is missing, unreadable or has been tampered with (key names which)."""


class SchemaTooNewError(WorkspaceError):
    def __init__(self, found: str, supported: str) -> None:
        super().__init__("workspace.schema_too_new", found=found, supported=supported)


class ResourceMissingError(CaseAppError):
    """A file of the program itself (a migration, a catalogue) is missing: an incomplete install."""

    exit_status: ClassVar[str] = "UNEXPECTED"

    def __init__(self, resource: str) -> None:
        super().__init__("app.resource_missing", resource=resource)


class ImportRowError(CaseAppError):
    """An import file row that cannot be read (bad JSON, unknown type)."""
