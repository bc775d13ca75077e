"""The fault scenarios' summary (one line per scenario at the end of the run), as pytest hooks.

Registered by tests/conftest.py rather than tests/faults/conftest.py: under pytest-xdist (`make
pytest`) the controller, which prints the summary, never collects tests and so never imports the
conftest of a subfolder. Each worker sends its tallies along when it finishes."""

from __future__ import annotations

from typing import Any

import pytest

from . import tally

FAULTS = "tests/faults/"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker
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
    if not report.nodeid.startswith(FAULTS):
        return
    if report.when == "call" or report.outcome != "passed":
        known_bug = hasattr(report, "wasxfail")
        outcome = ("xfailed" if report.skipped else "xpassed") if known_bug else report.outcome
        tally.OUTCOMES.setdefault(report.nodeid, outcome)
        if outcome != "passed":
            tally.OUTCOMES[report.nodeid] = outcome
