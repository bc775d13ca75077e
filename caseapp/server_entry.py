"""The sync server's entry points as an installed wheel offers them: the ``caseapp-server`` command
and the app factory process managers serve.

The server is ``sync.server``, which the wheel ships inside caseapp's folder (setup.py): ``sync``
becomes importable once ``caseapp`` is imported (caseapp/__init__.py), so the console script and
the factory are reached through here, and work from a source checkout just the same::

    uvicorn --factory caseapp.server_entry:app --workers 4 --host 0.0.0.0 --port 8443
    gunicorn 'caseapp.server_entry:app()' -k uvicorn_worker.UvicornWorker -w 4 -b 0.0.0.0:8443

The imports wait until called: the core imports no HTTP stack (tests/core/test_boundaries.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def main(argv: Sequence[str] | None = None) -> int:
    """``caseapp-server``: sync.server.cli."""
    from sync.server.cli import main as server_main

    return server_main(argv)


def app() -> Any:  # a FastAPI application: not named here, the core imports no HTTP framework
    """The app factory: sync.server.asgi.app."""
    from sync.server.asgi import app as factory

    return factory()
