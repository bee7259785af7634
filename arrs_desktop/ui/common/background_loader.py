"""Store reads run away from the UI thread, each on a read-only connection of the store's.

A job borrows a reader from the open store's pool (an SQLite connection to the same file,
never another kind of handle, which would drop the window's locks on it), runs one function
of the store on it, hands the reader back and the result to the UI thread. Only the newest
job's result is delivered; one started earlier and finishing later is dropped, so a list
never shows figures from before a later change of filter or data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

from arrs_desktop.ui.common.store_job import StoreJob


class BackgroundLoader(QObject):
    """Run store reads one after another in a worker thread; deliver the newest result."""

    loaded = Signal(object)  # the newest job's result
    failed = Signal(str)  # the newest job's error, in plain words
    busy_changed = Signal(bool)

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._jobs: dict[int, StoreJob] = {}

    @property
    def busy(self) -> bool:
        """Return whether the newest job has not finished yet."""
        return self._generation in self._jobs

    def start(self, work: Callable[[Any], Any]) -> int:
        """Run `work(store)` in the background; return its generation number."""
        was_busy = self.busy
        self._generation += 1
        job = StoreJob(self._store, self._generation, work)
        job.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._jobs[self._generation] = job
        # Only the newest result counts: a job still queued behind the running one is
        # dropped rather than run for nothing.
        for generation, queued in list(self._jobs.items()):
            if generation != self._generation and self._pool.tryTake(queued):
                del self._jobs[generation]
        self._pool.start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return self._generation

    def cancel(self) -> None:
        """Forget any job in progress: its result will not be delivered."""
        was_busy = self.busy
        self._generation += 1
        if was_busy:
            self.busy_changed.emit(False)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Wait for the worker thread to finish (for tests and closing)."""
        return self._pool.waitForDone(msecs)

    def _on_finished(self, generation: int, result) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return
        self.loaded.emit(result)
        self.busy_changed.emit(False)

    def _on_failed(self, generation: int, message: str) -> None:
        self._jobs.pop(generation, None)
        if generation != self._generation:
            return
        self.failed.emit(message)
        self.busy_changed.emit(False)
