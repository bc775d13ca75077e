"""Fault scenarios: the real command line, a real server (SQLite and PostgreSQL, from
tests/sync/conftest.py) and the fault proxy between them.

Bounded for CI by default; CASEAPP_FAULT_ROUNDS (and CASEAPP_FAULT_SEEDS, CASEAPP_FAULT_DEVICES)
make every scenario longer and enable the tests marked ``faults_long`` (`make fuzz`). The summary
at the end of the run has one line per scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under pytest-xdist (`make pytest`) the scenarios run in worker processes, the summary is printed
    # by the controller: each worker sends its tallies along when it finishes.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["fault_tallies"] = tally.dump()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: without the plugin, never called
def pytest_testnodedown(node: Any, error: object) -> None:
    tally.merge(getattr(node, "workeroutput", {}).get("fault_tallies", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not tally.TALLIES:
        return
    terminalreporter.section("fault scenarios")
    terminalreporter.write_line(f"seed {tally.BASE_SEED}, rounds {tally.CONVERGENCE_ROUNDS}, seeds {tally.SEEDS}, "
                                f"devices {tally.DEVICES}")
    for name in sorted(tally.TALLIES):
        terminalreporter.write_line(tally.TALLIES[name].line(name))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or report.outcome != "passed":
        known_bug = hasattr(report, "wasxfail")
        outcome = ("xfailed" if report.skipped else "xpassed") if known_bug else report.outcome
        tally.OUTCOMES.setdefault(report.nodeid, outcome)
        if outcome != "passed":
            tally.OUTCOMES[report.nodeid] = outcome


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

