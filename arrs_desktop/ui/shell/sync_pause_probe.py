"""For `arrs bench --team`: the window syncs in the background while a timer probes the UI."""

from __future__ import annotations

import os
import time


class SyncPauseProbe:
    """Open the real window on a caseload, sync it, and time the UI thread's longest pause."""

    INTERVAL_MS = 5

    def __init__(self, store, user: str = "Bench") -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from arrs_desktop.settings import Settings
        from arrs_desktop.ui.shell.main_window import MainWindow

        self.app = QApplication.instance() or QApplication([])
        self.window = MainWindow(store, Settings(user_name=user), None)
        self.window.resize(1366, 768)
        self.window.show()
        for _ in range(20):
            self.app.processEvents()

    def measure(self) -> tuple[float, float, int, str]:
        """Sync once in the background; return (longest pause ms, seconds, probes, outcome)."""
        from PySide6.QtCore import QTimer

        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        probe = QTimer()
        probe.setInterval(self.INTERVAL_MS)
        probe.timeout.connect(tick)
        probe.start()
        began = time.perf_counter()
        sync = self.window.team_sync
        sync.sync_now()
        while sync.running or sync.state == "syncing":
            self.app.processEvents()
            time.sleep(0.001)
        took = time.perf_counter() - began
        probe.stop()
        outcome = sync.last_error or "ok"
        self.window.close()
        return (max(gaps) * 1000 if gaps else 0.0), took, len(gaps), outcome
