"""Fault scenarios: the real command line, a real server (SQLite and PostgreSQL, from
tests/sync/conftest.py) and the fault proxy between them.

Bounded for CI by default; CASEAPP_FAULT_ROUNDS (and CASEAPP_FAULT_SEEDS, CASEAPP_FAULT_DEVICES)
make every scenario longer and enable the tests marked ``faults_long`` (`make fuzz`). The summary
at the end of the run has one line per scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.sync.conftest import backend, pg_available, server, server_db  # noqa: F401  (fixtures)

from . import tally
from .proxy import FaultProxy


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults_long: a long fault variant, run by make fuzz (CASEAPP_FAULT_ROUNDS)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if tally.LONG:  # the project's 300 s per test would cut the long variants short
        for item in items:
            if item.path.is_relative_to(Path(__file__).parent):
                item.add_marker(pytest.mark.timeout(3600))
        return
    skip = pytest.mark.skip(reason="long fault variant: set CASEAPP_FAULT_ROUNDS (make fuzz) to run it")
    for item in items:
        if "faults_long" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _tally_current_test(request: pytest.FixtureRequest) -> Iterator[None]:
    tally.CURRENT = request.node.nodeid
    yield
    tally.CURRENT = ""


@pytest.fixture
def make_proxy() -> Iterator[Callable[..., FaultProxy]]:
    """Factory: make_proxy(server_url, schedule=…, bandwidth=…) → a started proxy, stopped after the test."""
    made: list[FaultProxy] = []

    def make(upstream: str, **kwargs: object) -> FaultProxy:
        proxy = FaultProxy(upstream, **kwargs)  # type: ignore[arg-type]
        made.append(proxy.start())
        return proxy

    yield make
    for proxy in made:
        proxy.stop()

