"""`caseapp` as shipped, in its own process, with marks for a benchmark: ``python -m bench.timed_cli ARGS…``.

Runs ``caseapp.cli.main(ARGS)`` unchanged, after wrapping four functions so that a benchmark knows
when the command made its first request to the server (``SyncClient._request``, entered before the
body is encoded), when its push began and ended (``sync.run.push`` returns once the last verdict is
committed on the device), when its pull began and ended (``sync.run.pull`` returns once the last
page is committed and the search index rebuilt) and when that rebuild began. Each mark is one JSON
line, written as it happens to the file descriptor named by BENCH_MARKS_FD:
``{"mark": name, "t": time.perf_counter(), "cpu": CPU seconds of this process, every thread}``, so
that the benchmark can read the server process's CPU at the same moment (bench.pouch_bench).
``time.perf_counter`` is CLOCK_MONOTONIC on Linux: marks compare with the benchmark's own clock.

The wrappers cost a function call each; the sync modules they patch are imported a moment earlier
than the command would import them, before its first request.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import IO, Any, TypeVar

from caseapp import cli
from sync import apply, run
from sync.client import SyncClient

MARKS_FD = "BENCH_MARKS_FD"

F = TypeVar("F", bound=Callable[..., Any])


def marker(out: IO[str]) -> Callable[[str], None]:
    def mark(name: str) -> None:
        out.write(json.dumps({"mark": name, "t": time.perf_counter(), "cpu": time.process_time()}) + "\n")
        out.flush()

    return mark


def bracket(fn: F, mark: Callable[[str], None], name: str) -> F:
    """``fn`` marking ``name_start`` when called and ``name_end`` when it returns."""

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        mark(f"{name}_start")
        result = fn(*args, **kwargs)
        mark(f"{name}_end")
        return result

    return wrapped  # type: ignore[return-value]


def first_call(fn: F, mark: Callable[[str], None], name: str) -> F:
    """``fn`` marking ``name`` the first time it is called."""
    seen = False

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        if not seen:
            seen = True
            mark(name)
        return fn(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def main(argv: list[str]) -> int:
    out = os.fdopen(int(os.environ[MARKS_FD]), "w", encoding="utf-8")
    mark = marker(out)
    # sync.run.sync looks each of these up in its module when it calls them: patched there, the
    # command runs them wrapped.
    SyncClient._request = first_call(SyncClient._request, mark, "first_request")  # type: ignore[method-assign]
    run.push = bracket(run.push, mark, "push")
    run.pull = bracket(run.pull, mark, "pull")
    apply.rebuild_index_if_stale = first_call(apply.rebuild_index_if_stale, mark, "index_start")
    try:
        return cli.main(argv)
    finally:
        out.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
