"""Reference cycles holding Qt objects are freed on the window's thread, never a worker's."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, Qt

from arrs_desktop.ui.common.main_thread_garbage_collector import (
    MainThreadGarbageCollector,
    collect_if_due,
)


class _Cycle:
    """A Python object in a reference cycle, holding a Qt object (as a closed dialog's
    wrapper and its slots do)."""

    def __init__(self, freed_on: list[str]) -> None:
        self.me = self
        self.obj = QObject()
        self.obj.destroyed.connect(lambda *_: freed_on.append(threading.current_thread().name),
                                   Qt.ConnectionType.DirectConnection)


def _churn() -> list:
    """Allocate (and keep) enough container objects to pass every collection threshold."""
    return [[{}] for _ in range(30_000)]


def test_a_worker_that_allocates_frees_no_qt_object_and_the_window_thread_does(qtbot):
    collector = MainThreadGarbageCollector(interval_ms=20)
    freed_on: list[str] = []
    try:
        _Cycle(freed_on)
        kept: list = []
        worker = threading.Thread(target=lambda: kept.append(_churn()), name="worker")
        worker.start()
        worker.join()
        assert freed_on == []  # the worker's allocations collected nothing
        qtbot.waitUntil(lambda: freed_on != [], timeout=5_000)
        assert freed_on == [threading.main_thread().name]
        kept.clear()
    finally:
        collector.timer.stop()


def test_collect_if_due_collects_only_past_a_threshold():
    gc.collect()
    assert collect_if_due() == -1
    kept = _churn()
    assert collect_if_due() >= 0
    del kept
    assert not gc.isenabled()
