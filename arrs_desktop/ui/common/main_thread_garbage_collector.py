"""Python's cycle collector, run on the window's thread only.

Python collects reference cycles in whichever thread happens to allocate when a threshold
is passed. A cycle may hold Qt wrappers (a closed dialog, a view's old model), and freeing
such a wrapper deletes its Qt object there and then: on a worker thread (a background
report or export, a sync) that deletes widgets while the window's thread is painting or
delivering events to them, and the app crashes now and then. So the automatic collector is
switched off and the same collection, with the same thresholds, is run on the window's
thread from a timer (and by the test suite between tests).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_if_due() -> int:
    """Collect the youngest generation whose threshold is passed, as Python would; return
    the generation collected (-1 when none was due)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = -1
    for g in range(3):
        if thresholds[g] and counts[g] > thresholds[g]:
            generation = g
    if generation >= 0:
        gc.collect(generation)
    return generation


class MainThreadGarbageCollector(QObject):
    """Switch the automatic collector off and collect on this (the window's) thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_if_due)
        self.timer.start()
