"""Fixtures shared by every test: real encrypted workspaces in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The program's own ui package, imported before pytest imports the test package tests/ui: in
# importlib mode pytest looks its parent name "ui" up under tests/ and would make tests/ui the module
# "ui" if no "ui" were loaded yet (the wheel's layout maps ui into caseapp/_parts, so no installed
# finder answers for "ui" any more; caseapp's import puts the checkout on sys.path).
import ui  # noqa: F401  (isort: after the environment is set)
from caseapp.crypto.keyfile import TEST_KDF
from caseapp.store.workspace import Workspace
from tests.faults.summary import (  # noqa: F401  (hooks: here, so the xdist controller has them too)
    pytest_runtest_logreport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    """A fresh, real SQLCipher workspace (cheap KDF parameters chosen explicitly for tests)."""
    workspace, _ = Workspace.create(ws_path, PASSPHRASE, kdf=TEST_KDF, actor="tester")
    yield workspace
    workspace.close()
