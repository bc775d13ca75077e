"""The open (or locked) workspace as the GUI sees it: who holds the key, how work reaches it, and
which records changed.

Screens never touch the Workspace directly. They hand a function to ``read()`` (runs on the read
pool with a read-only SQLAlchemy session) or ``write()`` (runs on the single writer with a write
session) and get the result back on the GUI thread. After a write commits, ``changed`` announces
which record types were touched; each screen decides for itself whether to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from caseapp.domain import orgs
from caseapp.errors import CaseAppError, WorkspaceError
from caseapp.messages import message, render
from ui.language import core_lang
from ui.qt import QObject, QTimer, Signal
from ui.tasks import Failed, TaskManager

if TYPE_CHECKING:
    # The store pulls in SQLAlchemy, the migrations and the search index: imported when the
    # workspace is first opened, so the unlock screen appears without waiting for them.
    from sqlalchemy.orm import Session as DbSession

    from caseapp.crypto.keyfile import KdfParams
    from caseapp.store.workspace import Workspace

T = TypeVar("T")

#: how long after the last change a setting given to set_setting_soon is saved
SAVE_SOON_MS = 2000

# Workspace settings the UI reads once at unlock (key → default).
SETTINGS: dict[str, Any] = {
    "org.default": "",
    "ui.autolock_minutes": 5,
    "sync.server_url": "",
    "sync.ca_file": "",
    # the role the server gave the user at sign-in (sync.settings.ROLE): who may take which step
    "sync.role": "",
    # the scopes the server gave the user (sync.settings.SCOPES): with the role, what reaches them
    "sync.scopes": [],
    "demo": False,
    "setup.mode": "",
    # every list's remembered filter and sort (ui.widgets.list_panel)
    "lists.filters": {},
}


class Session(QObject):
    unlocked = Signal()
    locked = Signal()
    #: frozenset of entity names written by a committed change
    changed = Signal(object)
    settings_changed = Signal()

    def __init__(self, path: Path, tasks: TaskManager, lang: str, *, kdf: KdfParams | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.tasks = tasks
        self.lang = lang
        # Only tests pass a cheap KDF; production always uses the workspace module's default.
        self._kdf = kdf
        self.ws: Workspace | None = None
        self.settings: dict[str, Any] = dict(SETTINGS)
        # settings to save once changes pause (a list's filter, changed click by click)
        self._unsaved: dict[str, Any] = {}
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_SOON_MS)
        self._save_timer.timeout.connect(self._save_unsaved)

    # -- language -------------------------------------------------------------------------------
    @property
    def core_lang(self) -> str:
        return core_lang(self.lang)

    def message(self, error: BaseException) -> str:
        if isinstance(error, CaseAppError):
            return render(error, self.core_lang)
        return str(error)

    def field_message(self, error: CaseAppError) -> str:
        """The reason alone, for showing right under the field it concerns."""
        return message(error.key, self.core_lang, **error.params)

    @property
    def org_code(self) -> str:
        return str(self.settings.get("org.default") or "")

    @property
    def role(self) -> str | None:
        """The role the server gave this user at sign-in (who may take which workflow step); None
        for a workspace never signed in, where the one office holds every role."""
        return str(self.settings.get("sync.role") or "") or None

    @property
    def reach(self) -> tuple[str, ...] | None:
        """The org-code prefixes this user reaches, as the server reckons them (caseapp.domain.orgs);
        None for a workspace never signed in, which holds everything."""
        role = self.role
        if role is None:
            return None
        return orgs.reach(role, [str(s) for s in self.settings.get("sync.scopes") or []])

    @property
    def actor(self) -> str:
        return self.ws.actor if self.ws is not None else ""

    @property
    def kdf(self) -> KdfParams | None:
        """The KDF for new key material: None (the production default) except in tests."""
        return self._kdf

    @property
    def is_open(self) -> bool:
        return self.ws is not None

    # -- opening and locking --------------------------------------------------------------------
    def create(self, passphrase: str, actor: str, on_done: Callable[[str], None], on_error: Failed) -> None:
        """Create the workspace (Argon2id runs on the writer, not the GUI); ``on_done`` gets the
        recovery key, which is never stored anywhere."""
        path, kdf = self.path, self._kdf

        def job() -> tuple[Workspace, str, dict[str, Any]]:
            from caseapp.store.workspace import Workspace

            if kdf is None:
                ws, recovery = Workspace.create(path, passphrase, actor=actor)
            else:
                ws, recovery = Workspace.create(path, passphrase, actor=actor, kdf=kdf)
            return ws, recovery, self._load_settings_now(ws)

        def done(result: tuple[Workspace, str, dict[str, Any]]) -> None:
            ws, recovery, settings = result
            self._opened(ws, settings)
            on_done(recovery)

        self.tasks.write(job, done, on_error)

    def unlock(self, passphrase: str, on_done: Callable[[], None], on_error: Failed) -> None:
        self._open(lambda workspace: workspace.open(self.path, passphrase), on_done, on_error)

    def unlock_with_recovery_key(self, key: str, on_done: Callable[[], None], on_error: Failed) -> None:
        self._open(lambda workspace: workspace.open_with_recovery_key(self.path, key), on_done, on_error)

    def _open(self, opener: Callable[[type[Workspace]], Workspace], on_done: Callable[[], None],
              on_error: Failed) -> None:
        def job() -> tuple[Workspace, dict[str, Any]]:
            from caseapp.services import one_off_amounts
            from caseapp.store.workspace import Workspace

            ws = opener(Workspace)
            one_off_amounts.on_open(ws)  # grants typed as monthly amounts become their payments
            return ws, self._load_settings_now(ws)

        def done(result: tuple[Workspace, dict[str, Any]]) -> None:
            self._opened(*result)
            on_done()

        self.tasks.write(job, done, on_error)

    @staticmethod
    def _load_settings_now(ws: Workspace) -> dict[str, Any]:
        return {key: ws.get_setting(key, default) for key, default in SETTINGS.items()}

    def _opened(self, ws: Workspace, settings: dict[str, Any]) -> None:
        self.ws = ws
        self.settings = settings
        self.unlocked.emit()

    def lock(self) -> None:
        """Forget the key now; the database closes once the writes already queued are saved."""
        ws, self.ws = self.ws, None
        self.tasks.new_epoch()
        if ws is not None:
            self._save_timer.stop()
            unsaved, self._unsaved = self._unsaved, {}
            if unsaved:  # saved before the close, queued behind it on the writer
                self.tasks.write(lambda: _save_all(ws, unsaved))
            self.tasks.write(ws.close)
        self.locked.emit()

    def close(self) -> None:
        """Lock and wait for the writer: used when the application quits."""
        self.lock()
        self.tasks.drain_writes()

    # -- work -----------------------------------------------------------------------------------
    def _need_ws(self) -> Workspace:
        ws = self.ws
        if ws is None:
            raise WorkspaceError("workspace.locked")
        return ws

    def read(self, fn: Callable[[DbSession], T], on_done: Callable[[T], None] | None = None,
             on_error: Failed | None = None) -> None:
        ws = self._need_ws()

        def job() -> T:
            with ws.read() as db:
                return fn(db)

        self.tasks.read(job, on_done, on_error)

    def write(self, fn: Callable[[DbSession], T], on_done: Callable[[T], None] | None = None,
              on_error: Failed | None = None) -> None:
        ws = self._need_ws()
        touched: set[str] = set()

        def job() -> T:
            from sqlalchemy import event

            with ws.write() as db:
                event.listen(db, "after_flush", lambda s, _ctx: touched.update(_entities(s)))
                return fn(db)

        def done(result: T) -> None:
            if touched:
                self.changed.emit(frozenset(touched))
            if on_done is not None:
                on_done(result)

        self.tasks.write(job, done, on_error)

    def with_workspace(self, fn: Callable[[Workspace], T], on_done: Callable[[T], None] | None = None,
                       on_error: Failed | None = None, *, writer: bool = True) -> None:
        """Run ``fn(ws)`` for work that is not a record session (settings, keys, attachments)."""
        ws = self._need_ws()
        submit = self.tasks.write if writer else self.tasks.read
        submit(lambda: fn(ws), on_done, on_error)

    def writer_for(self, ws: Workspace) -> Callable[[Callable[[], T]], T]:
        """For a pool job working on ``ws`` (a sync): run each of its writes on the writer, and
        refuse them once the workspace has been locked (the lock queued its close before them)."""

        def write(fn: Callable[[], T]) -> T:
            def guarded() -> T:
                if self.ws is not ws:
                    raise WorkspaceError("workspace.locked")
                return fn()

            return self.tasks.on_writer(guarded)

        return write

    def set_setting_soon(self, key: str, value: Any) -> None:
        """Change a setting now and save it once changes pause (or at the latest when the workspace
        locks): a list's filter changes click by click, and a save on the writer for each one took
        the connection, and the page cache, the next page was to be read with."""
        self.settings[key] = value
        self._unsaved[key] = value
        self._save_timer.start()

    def _save_unsaved(self) -> None:
        ws, unsaved, self._unsaved = self.ws, self._unsaved, {}
        if ws is not None and unsaved:
            self.tasks.write(lambda: _save_all(ws, unsaved))

    def set_setting(self, key: str, value: Any, on_done: Callable[[None], None] | None = None) -> None:
        self.settings[key] = value
        self.with_workspace(lambda ws: ws.set_setting(key, value), on_done)
        self.settings_changed.emit()


def _save_all(ws: Workspace, settings: dict[str, Any]) -> None:
    for key, value in settings.items():
        ws.set_setting(key, value)


def _entities(db: DbSession) -> set[str]:
    from caseapp.domain import Record

    return {type(obj).entity for obj in (*db.new, *db.dirty) if isinstance(obj, Record)}


#: announced after a sync: anything may have changed
EVERYTHING = frozenset({"*"})


def touches(entities: frozenset[str], watched: frozenset[str]) -> bool:
    return "*" in entities or "*" in watched or bool(entities & watched)
