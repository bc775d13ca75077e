"""The demo a newcomer can try from the first-run screen: fictional households from
``caseapp.services.demo``, synced with a sync server running on this computer, with one conflict
already waiting so that resolving one can be tried too.

The conflict is made honestly: a second, hidden "colleague" workspace beside the demo server changes
a household's phone number and syncs, then this workspace changes the same number and syncs.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from caseapp.domain import Household
from caseapp.services import demo, records
from caseapp.store.workspace import Workspace
from ui.adapters import sync
from ui.demo_server import DemoServer

Progress = Callable[[int, int], None]
USER, COLLEAGUE = "demo", "colleague"
#: servers started by this process, by folder: the demo server lives as long as the app
_running: dict[Path, DemoServer] = {}


def folder_for(ws: Workspace) -> Path:
    """Beside the workspace (never inside it: the workspace folder belongs to the core)."""
    return ws.path.parent / f"{ws.path.name}-demo"


def ensure_server(ws: Workspace) -> str:
    """Start this demo workspace's server if it is not running (after a restart of the app) and
    point the workspace at it; returns the server's address."""
    folder = folder_for(ws)
    server = _running.get(folder)
    if server is None:
        server = DemoServer(folder / "server")
        server.start()
        _running[folder] = server
    if ws.get_setting("sync.server_url") != server.url:
        # Same server database, possibly another port: the token and cursor stay valid.
        ws.set_setting("sync.server_url", server.url)
    return server.url


def leave(path: Path, demo_folder: Path) -> None:
    """Delete a closed demo workspace and its server beside it: the demo's records are fictional,
    and a caseworker leaving it starts again with a workspace of their own."""
    server = _running.pop(demo_folder, None)
    if server is not None:
        server.stop()
    for folder in (path, demo_folder):
        if folder.exists():
            shutil.rmtree(folder)


def stop_servers() -> None:
    for server in _running.values():
        server.stop()
    _running.clear()


def _scope(ws: Workspace) -> str:
    """The smallest division (community, street or district) holding every demo household."""
    with ws.read() as db:
        codes = set(db.scalars(select(Household.org_code).distinct()))
    prefix = codes.pop() if codes else ""
    for code in codes:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for length in (12, 9, 6):
        if len(prefix) >= length:
            return prefix[:length]
    return prefix


def set_up(ws: Workspace, households: int, progress: Progress | None = None, seed: int = 0) -> str:
    """Fill ``ws``, start its server, connect, sync, and stage a conflict. Returns the org code for
    new records."""
    demo.generate(ws, households, seed=seed, progress=progress)
    scope = _scope(ws)
    url = ensure_server(ws)
    server = _running[folder_for(ws)]
    password = secrets.token_urlsafe(12)
    # The caseworker keeps the name typed on the first screen: the demo server knows them by it, so
    # their changes (and the conflict's "mine") carry their own name, not "demo".
    user = str(ws.get_setting("user.name", "") or "").strip() or USER
    colleague = COLLEAGUE if user != COLLEAGUE else f"{COLLEAGUE}-2"
    # Administrators see every org unit, so the demo's district and street records sync as well.
    for name in (user, colleague):
        server.add_user(name, password, [], role="admin")
    sync.login(ws, url, user, password)
    sync.sync_now(ws)
    _stage_conflict(ws, url, password, colleague)
    ws.set_setting("demo", True)
    ws.set_setting("org.default", scope)
    return scope


def _stage_conflict(ws: Workspace, url: str, password: str, name: str = COLLEAGUE) -> None:
    colleague_path = folder_for(ws) / "colleague"
    colleague, _recovery = Workspace.create(colleague_path, secrets.token_urlsafe(16), actor=name)
    try:
        sync.login(colleague, url, name, password)
        sync.sync_now(colleague)
        with colleague.read() as db:
            household_id = db.scalars(select(Household.id).where(Household.phone.is_not(None))
                                      .order_by(Household.head_name).limit(1)).first()
        if household_id is None:
            return
        _set_phone(colleague, household_id, "13912345678")
        sync.sync_now(colleague)
    finally:
        colleague.close()
    _set_phone(ws, household_id, "13787654321")
    sync.sync_now(ws)


def _set_phone(ws: Workspace, household_id: str, phone: str) -> Any:
    with ws.write() as db:
        return records.update(db, records.get(db, Household, household_id), {"phone": phone})
