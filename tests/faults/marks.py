"""Marks and parameters shared by the fault scenarios (imported by test modules only, after the
conftest has registered the ``faults_long`` marker)."""

from __future__ import annotations

from typing import Any

import pytest

from . import tally

#: for scenarios whose server side does not depend on the backend (the fault is on the device, or
#: the server logic is the same SQL on both): SQLite in CI, PostgreSQL as well under make fuzz
SQLITE_THEN_POSTGRES_LONG = pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.faults_long])],
    indirect=True)

#: the reverse, for the scenario whose point is concurrency on the server: PostgreSQL (true
#: concurrent transactions, advisory lock, snapshots) in CI, SQLite as well under make fuzz
POSTGRES_THEN_SQLITE_LONG = pytest.mark.parametrize(
    "backend", [pytest.param("sqlite", marks=pytest.mark.faults_long),
                pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


def seeds() -> list[Any]:
    """CASEAPP_FAULT_SEED in CI; under make fuzz CASEAPP_FAULT_SEEDS of them, the extra ones long."""
    return [pytest.param(tally.BASE_SEED + n, marks=[pytest.mark.faults_long] if n else [])
            for n in range(tally.SEEDS)]
