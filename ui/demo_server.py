"""The real sync server (``sync.server``) run on 127.0.0.1 inside the app, for the demo.

A newcomer who picks "Try a demo" gets a workspace that syncs with this server, so syncing, the
outbox and conflicts can be tried without any setup. Its data (fictional) is a SQLite file beside
the workspace; it listens on loopback only and lives as long as the app.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

PREFERRED_PORT = 8765
START_TIMEOUT_S = 15.0


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


class DemoServer:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.url = ""
        self._server: object | None = None
        self._thread: threading.Thread | None = None

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.folder / 'server.db'}"

    def start(self, port: int = PREFERRED_PORT) -> str:
        import uvicorn

        from sync.server.app import create_app
        from sync.server.db import Database

        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = Database(self.db_url)
        db.migrate()
        port = _free_port(port)
        config = uvicorn.Config(create_app(db, operations=False), host="127.0.0.1", port=port, log_level="warning",
                                access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        self._thread = threading.Thread(target=server.run, name="caseapp-demo-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the demo server did not start on port {port}")
            time.sleep(0.02)
        self._server = server
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def add_user(self, name: str, password: str, scopes: list[str], role: str = "caseworker") -> None:
        from sync.server import auth
        from sync.server.db import Database

        db = Database(self.db_url)
        try:
            with db.write() as conn:
                auth.add_user(conn, name, password, role, scopes)
        finally:
            db.dispose()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(timeout=START_TIMEOUT_S)
            self._thread = None
