"""Lists people work from, at district size (issue 10): ``python -m bench.list_bench
[--households N] [--workspace DIR --passphrase P] [--no-write]``.

Through the real window (Chinese UI, offscreen), on an N-household demo workspace (default
50,000): every filter change a caseworker makes on the household list (each assistance category,
each case state, the area: street, community, grid, and back to everything, clearing the filters)
and a click on every column header, both ways. Each is timed from the change reaching the widget
to the new first page painted in the table (the same end point as the search benchmark: the
table's first paint after the rows arrive). The total is counted afterwards and is not part of
it; the next change waits for it, as a person reads the count before choosing again.

The other lists (assistance cases, elders, visits, grid events) are measured the same way, a
sort on every column and each choice of their first filter. Rewrites the "lists" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import doc, machine
from bench.stats import median, ms, percentile
from bench.ui_bench import PASSPHRASE, count_households, paint_counter, prepare, wait, wait_for

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
TARGET_P95_S = 0.100
OTHER_LISTS = ("cases", "elders", "visits", "grid_events")


class Timer:
    """Times actions on one list: from the action to the table's first paint after the new first
    page arrived."""

    def __init__(self, app: Any, panel: Any) -> None:
        self.app = app
        self.panel = panel
        self.model = panel.model
        self.viewport = panel.table.viewport()
        self.paints = paint_counter(self.viewport)
        self.arrived = 0
        self.model.loaded.connect(self._loaded)

    def _loaded(self) -> None:
        self.arrived += 1

    def time(self, action: Callable[[], None]) -> float | None:
        """Seconds from ``action()`` to the new rows painted; None if the action changed nothing."""
        before = self.arrived
        started = time.perf_counter()
        action()
        if self.arrived == before and not self.model.loading:
            return None  # the same filter again: nothing to load
        wait_for([self.model.loaded], lambda: self.arrived > before and not self.model.loading,
                 on_done=self.paints.arrived)
        if not self.paints.since_arrived:
            self.viewport.repaint()
        elapsed = time.perf_counter() - started
        # a person reads the count before the next change: let it arrive, untimed
        wait(self.app, lambda: self.model.total is not None)
        return elapsed


def _counted(panel: Any) -> bool:
    return panel.model.total is not None


def _combo_steps(combo: Any) -> list[Callable[[], None]]:
    steps: list[Callable[[], None]] = [partial(combo.setCurrentIndex, i) for i in range(1, combo.count())]
    steps.append(lambda: combo.setCurrentIndex(0))
    return steps


def _sort_steps(panel: Any) -> list[tuple[str, Callable[[], None]]]:
    from ui.qt import Qt

    steps: list[tuple[str, Callable[[], None]]] = []
    for column, spec_column in enumerate(panel.model.spec.columns):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            # what a header click does: the view sorts its model by that column
            steps.append((spec_column.key, partial(panel.table.sortByColumn, column, order)))
    return steps


def _scope_steps(bar: Any) -> list[Callable[[], None]]:
    """The first street, community and grid the scope offers, then everything again."""
    picks: dict[int, int] = {}
    for index in range(bar.scope.count()):
        depth = (len(bar.scope.itemText(index)) - len(bar.scope.itemText(index).lstrip(" "))) // 2
        if depth in (2, 3, 4) and depth not in picks:
            picks[depth] = index
    steps: list[Callable[[], None]] = [partial(bar.scope.setCurrentIndex, i) for i in picks.values()]
    steps.append(lambda: bar.scope.setCurrentIndex(0))
    return steps


def measure(workspace: Path, passphrase: str, scratch: Path) -> dict[str, Any]:
    from caseapp.services import listing
    from ui import language
    from ui.app import warm_up
    from ui.prefs import Prefs
    from ui.qt import QApplication
    from ui.session import Session
    from ui.tasks import TaskManager
    from ui.window import AppWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    language.install(language.ZH)
    tasks = TaskManager()
    window = AppWindow(Session(workspace, tasks, language.ZH), Prefs(scratch / "prefs.json", language=language.ZH))
    window.resize(1366, 768)
    window.show()
    warm_up()
    out: dict[str, Any] = {}
    try:
        window.unlock_screen.secret.setText(passphrase)
        window.unlock_screen.unlock.click()
        wait(app, lambda: window.session.is_open)
        main = window.main_screen
        wait(app, lambda: main.today.visits.ready and tasks.pending == 0, timeout=120)
        page = main.households
        main.go(page)
        panel = page.panel
        timer = Timer(app, panel)
        wait(app, lambda: panel.model.total is not None and panel.bar.scope.count() > 1, timeout=60)
        # start from the plain list, whatever an earlier run left remembered
        timer.time(lambda: panel.apply(listing.ListFilter()))
        filters: list[float] = []
        slowest: list[tuple[float, str]] = []
        for key, combo in panel.bar.choices.items():
            for n, step in enumerate(_combo_steps(combo)):
                took = timer.time(step)
                if took is not None:
                    filters.append(took)
                    slowest.append((took, f"{key} #{n}"))
        for n, step in enumerate(_scope_steps(panel.bar)):
            took = timer.time(step)
            if took is not None:
                filters.append(took)
                slowest.append((took, f"scope #{n}"))
        # a category with a scope, then clearing every filter at once
        for step in (lambda: panel.bar.choices["categories"].setCurrentIndex(1),
                     lambda: panel.bar.scope.setCurrentIndex(min(2, panel.bar.scope.count() - 1)),
                     panel.bar.clear_filters):
            took = timer.time(step)
            if took is not None:
                filters.append(took)
        sorts: list[float] = []
        by_column: dict[str, list[float]] = {}
        for key, step in _sort_steps(panel):
            took = timer.time(step)
            if took is not None:
                sorts.append(took)
                by_column.setdefault(key, []).append(took)
        out["households"] = {"filters": filters, "sorts": sorts, "by_column": by_column,
                             "slowest_filter": sorted(slowest, reverse=True)[:3]}

        for name in OTHER_LISTS:
            target = _panel_for(main, name)
            timer = Timer(app, target)
            wait(app, partial(_counted, target), timeout=60)
            timer.time(partial(target.apply, listing.ListFilter()))
            samples: list[float] = []
            columns: dict[str, list[float]] = {}
            for key, step in _sort_steps(target):
                took = timer.time(step)
                if took is not None:
                    samples.append(took)
                    columns.setdefault(key, []).append(took)
            changes: list[float] = []
            for combo in list(target.bar.choices.values())[:1]:
                for step in _combo_steps(combo):
                    took = timer.time(step)
                    if took is not None:
                        changes.append(took)
            out[name] = {"sorts": samples, "filters": changes, "by_column": columns}
        return out
    finally:
        window.session.close()
        tasks.shutdown()


def _panel_for(main: Any, name: str) -> Any:
    """Show the list's page and tab; returns its ListPanel."""
    if name == "cases":
        main.go(main.households)
        main.households.tabs.setCurrentWidget(main.households.cases)
        return main.households.cases
    if name in ("elders", "visits"):
        main.go(main.visits)
        panel = main.visits.elders if name == "elders" else main.visits.recorded
        main.visits.tabs.setCurrentWidget(panel)
        return panel
    main.go(main.grid)
    main.grid.tabs.setCurrentWidget(main.grid.events)
    return main.grid.events.panel


def _p(samples: list[float]) -> str:
    return f"p95 {ms(percentile(samples, 95))}, median {ms(median(samples))} ({len(samples)})" if samples else "–"


def report(results: dict[str, Any]) -> tuple[str, list[str]]:
    house = results["households"]
    rows = [
        ("Household list: filter change to first page painted", house["filters"], True),
        ("Household list: header click (sort) to first page painted", house["sorts"], True),
    ]
    lines = ["| Measure | Result | Target | Met |", "|---|---|---|---|"]
    missed = []
    for title, samples, targeted in rows:
        ok = bool(samples) and percentile(samples, 95) <= TARGET_P95_S
        if targeted and not ok:
            missed.append(title)
        lines.append(f"| {title} | {_p(samples)} | p95 ≤ {TARGET_P95_S * 1000:.0f} ms | {'yes' if ok else '**no**'} |")
    for name in OTHER_LISTS:
        other = results[name]
        lines.append(f"| {name}: sort on each column | {_p(other['sorts'])} | – | – |")
        lines.append(f"| {name}: filter change | {_p(other['filters'])} | – | – |")
    return "\n".join(lines), missed


def _columns(results: dict[str, Any]) -> str:
    parts = []
    for name in ("households", *OTHER_LISTS):
        worst = sorted(((max(v), k) for k, v in results[name]["by_column"].items()), reverse=True)[:3]
        parts.append(f"{name}: " + ", ".join(f"{k} {ms(v)}" for v, k in worst))
    return "; ".join(parts)


NOTES = """Filtering and sorting run in SQL (caseapp.services.listing) on the read pool; the GUI thread
only swaps in the page (50 rows, already formatted on the pool) and paints it. A page is read in two
steps: the ids in order (only what filters and sorts is computed, for every row), then the columns of
those 50 ids (SQLite would otherwise compute every column of every row, a household's size and
cases 50,000 times, before its sort). A filter on a household's assistance category or state reads
the households off the cases; an area is a prefix of the org code. 户主 sorts in pinyin order off
the search index's sort key and its index (one page read, not 50,000 sorted); community and grid off
the org code's index; other stored columns read the table once and keep the first 50 (SQLite's top-N
sort, from a 64 MiB page cache); a household's size is counted off the members' (household,
archived) index. The filter is remembered in memory at once and saved once changes pause: a save
at every click took the reader's warm connection. The other lists show where this is not yet done:
an elder's name and age are their member's (156,000 rows, no index on the name), so sorting the
31,000 elders by them, or by last visit, looks each one up, and their filters scan the elders in
id order; visits are similar. On this shared two-core machine the figures move with the load of
other work (other agents' test runs); compare runs taken at similar load. Without `--workspace`
the benchmark makes its own workspace (`demo.generate(ws, 50000, seed=0)`); the run above reused one
made that way."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.list_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument("--no-write", action="store_true")
    given = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(given)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        workspace, passphrase = prepare(args, scratch)
        households = count_households(workspace, passphrase)
        load = os.getloadavg()[0]
        results = measure(workspace, passphrase, scratch)
    table, missed = report(results)
    print(table)
    print(_columns(results))
    body = "\n".join([
        f"Command: `python -m bench.list_bench{' ' + shlex.join(given) if given else ''}` (part of `make bench-ui`)  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}  ",
        f"Machine: {machine.describe()}  ",
        f"Load average (1 min) at start: {load:.1f}; offscreen Qt platform, Chinese UI, window 1366×768  ",
        f"Workspace: {households:,} demo households (caseapp.services.demo)",
        "",
        table,
        "",
        "All targets met." if not missed else "**Targets missed:** " + "; ".join(missed) + ".",
        "",
        "Slowest columns to sort by (worst of both directions): " + _columns(results) + ".",
        "",
        NOTES,
    ])
    if not args.no_write:
        doc.write_section(DOCS, "lists", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
