"""A read of the store run on a worker thread, on a reader borrowed from the store's pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal


class _JobSignals(QObject):
    """What a job says when it ends (a QRunnable is no QObject and has no signals)."""

    finished = Signal(int, object)
    failed = Signal(int, str)


class StoreJob(QRunnable):
    """Borrow a reader of the open store, run a function of the store on it, hand it back."""

    def __init__(self, store, generation: int, work: Callable[[Any], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.readers = store.readers()
        self.generation = generation
        self.work = work
        self.signals = _JobSignals()

    def run(self) -> None:
        try:
            with self.readers.borrow() as reader:
                result = self.work(reader)
        except Exception as exc:  # noqa: BLE001 - shown in the view, not swallowed
            self.signals.failed.emit(self.generation, str(exc) or type(exc).__name__)
            return
        self.signals.finished.emit(self.generation, result)
