"""Background work for the GUI, in the spirit of Anki's taskman.

* One writer thread owns every change to the workspace: jobs run one after another in the order
  they were submitted, so a save can never race another save and SQLite never sees two writers.
* A small pool runs reads and network calls in parallel (WAL lets readers run beside the writer).
* Results come back to the GUI thread through a queued signal; the GUI thread never waits.
* A long background job (a sync) runs on the pool and hands each of its writes to the writer
  (``on_writer``), so saves queue behind one of its writes, never behind all of it.

Each job carries the *epoch* it was submitted in. Locking the workspace starts a new epoch, and a
result from an older epoch is dropped instead of being delivered, so a list that was loading when
the screen locked cannot repaint personal data behind the lock screen.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from caseapp.errors import CaseAppError
from ui.qt import QObject, QThread, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class _WriterThread(QThread):
    """Runs queued jobs strictly in order; ``None`` on the queue stops it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseapp-writer")
        self.jobs: queue.Queue[Callable[[], None] | None] = queue.Queue()

    def run(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            job()


class TaskManager(QObject):
    """Submit work off the GUI thread; callbacks run on the GUI thread."""

    _deliver = Signal(object)
    #: an unexpected exception (a bug, not a CaseAppError) escaped a job without an error callback
    crashed = Signal(object)
    #: number of jobs submitted but not yet delivered changed (drives the busy indicator)
    busy_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, read_workers: int = 3) -> None:
        super().__init__(parent)
        self._writer = _WriterThread()
        self._writer.start()
        # Reads get their own threads so a slow search never queues behind a long save.
        self._pool = ThreadPoolExecutor(max_workers=read_workers, thread_name_prefix="caseapp-read")
        self._epoch = 0
        # Touched only on the GUI thread: jobs are submitted and delivered there.
        self._pending = 0
        # Writes pool jobs are waiting for; cancelled at shutdown so no pool thread waits forever.
        self._awaited: set[Future[Any]] = set()
        self._awaited_lock = threading.Lock()
        self._stopped = False
        self._deliver.connect(self._on_deliver)

    # -- submitting ---------------------------------------------------------------------------
    def write(self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None,
              on_error: Failed | None = None) -> None:
        """Run ``fn`` on the writer thread (after every write submitted before it)."""
        self._writer.jobs.put(self._wrap(fn, on_done, on_error))

    def read(self, fn: Callable[[], T], on_done: Callable[[T], None] | None = None,
             on_error: Failed | None = None) -> None:
        """Run ``fn`` on a pool thread (reads and network calls)."""
        self._pool.submit(self._wrap(fn, on_done, on_error))

    def on_writer(self, fn: Callable[[], T]) -> T:
        """From a pool job: run ``fn`` on the writer thread, after the writes queued before it, and
        return its result (or raise its error). Never from the GUI thread, which does not wait, nor
        from the writer itself, which would wait for itself."""
        if threading.current_thread() is threading.main_thread() or QThread.currentThread() is self._writer:
            raise RuntimeError("on_writer is for pool jobs")
        future: Future[T] = Future()
        with self._awaited_lock:
            if self._stopped:
                raise RuntimeError("the writer has stopped")
            self._awaited.add(future)

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn())
            except BaseException as error:  # handed to the waiting job, which decides
                future.set_exception(error)

        self._writer.jobs.put(job)
        try:
            return future.result()
        finally:
            with self._awaited_lock:
                self._awaited.discard(future)

    def _wrap(self, fn: Callable[[], Any], on_done: Done | None, on_error: Failed | None) -> Callable[[], None]:
        epoch = self._epoch
        self._count(+1)

        def job() -> None:
            try:
                result = fn()
            except Exception as error:
                self._deliver.emit((epoch, on_error, error, True))
            else:
                self._deliver.emit((epoch, on_done, result, False))

        return job

    # -- delivering (GUI thread) ----------------------------------------------------------------
    def _on_deliver(self, packet: tuple[int, Callable[[Any], None] | None, Any, bool]) -> None:
        epoch, callback, value, failed = packet
        self._count(-1)
        if epoch != self._epoch:
            return  # submitted before a lock: the screen it was for is gone
        if failed and callback is None:
            if not isinstance(value, CaseAppError):
                log.error("background job failed", exc_info=value)
            self.crashed.emit(value)
            return
        if callback is not None:
            callback(value)

    def _count(self, delta: int) -> None:
        self._pending += delta
        self.busy_changed.emit(self._pending)

    @property
    def pending(self) -> int:
        return self._pending

    # -- lifecycle ------------------------------------------------------------------------------
    def new_epoch(self) -> None:
        """Drop the results of every job submitted so far (they still run to completion)."""
        self._epoch += 1

    def drain_writes(self, timeout_ms: int = 30_000) -> bool:
        """Block until the writer has finished the jobs queued so far (used only when quitting)."""
        done = threading.Event()
        self._writer.jobs.put(done.set)
        return done.wait(timeout_ms / 1000)

    def shutdown(self) -> None:
        self._writer.jobs.put(None)
        self._writer.wait()
        with self._awaited_lock:
            self._stopped = True
            for future in self._awaited:
                future.cancel()  # queued behind the stop: the pool job waiting for it gets CancelledError
        self._pool.shutdown(wait=True)
