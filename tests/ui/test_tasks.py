"""The task manager: one writer, a pool for long jobs, and pool jobs handing their writes to the
writer one at a time, so a save never queues behind a whole sync."""

from __future__ import annotations

import threading
import time
from concurrent.futures import CancelledError

import pytest

from ui.tasks import TaskManager


def test_a_save_runs_between_the_writes_of_a_long_pool_job(qtbot, tasks: TaskManager) -> None:
    order: list[str] = []
    first_page_applied = threading.Event()
    network = threading.Event()  # the "server" answers only once the save has been made

    def long_sync() -> str:
        tasks.on_writer(lambda: order.append("page 1"))
        first_page_applied.set()
        assert network.wait(10)
        tasks.on_writer(lambda: order.append("page 2"))
        return "synced"

    finished: list[str] = []
    tasks.read(long_sync, finished.append)
    assert first_page_applied.wait(10)
    saved: list[None] = []
    tasks.write(lambda: order.append("save"), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=5_000)  # saved while the sync still waits
    assert not finished
    network.set()
    qtbot.waitUntil(lambda: bool(finished), timeout=5_000)
    assert order == ["page 1", "save", "page 2"]


def test_on_writer_hands_back_the_error(qtbot, tasks: TaskManager) -> None:
    errors: list[Exception] = []

    def job() -> None:
        tasks.on_writer(lambda: 1 / 0)

    tasks.read(job, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_on_writer_refuses_the_gui_thread(tasks: TaskManager) -> None:
    with pytest.raises(RuntimeError):
        tasks.on_writer(lambda: None)


def test_shutdown_releases_a_pool_job_that_writes_after_the_writer_stopped(qapp: object) -> None:
    manager = TaskManager()
    go = threading.Event()
    outcome: list[BaseException] = []

    def job() -> None:
        assert go.wait(10)
        try:
            manager.on_writer(lambda: None)  # the writer has stopped: nothing will ever run this
        except (CancelledError, RuntimeError) as error:
            outcome.append(error)

    manager.read(job)
    stopper = threading.Thread(target=manager.shutdown)
    stopper.start()
    deadline = time.monotonic() + 10
    while not manager._writer.isFinished() and time.monotonic() < deadline:
        time.sleep(0.01)
    go.set()
    stopper.join(20)
    assert not stopper.is_alive() and outcome
