"""Build the demo caseload on a worker thread with its own database connection."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal

DEMO_PEOPLE = 300


class DemoLoader(QThread):
    """Build the demo caseload on a worker thread with its own database connection."""

    progressed = Signal(int, int)
    failed = Signal(str)

    def __init__(self, db_path, people: int = DEMO_PEOPLE, parent=None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.people = people

    def run(self) -> None:
        from arrs_desktop.store import open_store
        from arrs_desktop.tools.demo import build_demo

        try:
            store = open_store(self.db_path, user="demo")
            try:
                build_demo(store, self.people, progress=self._report)
            finally:
                store.close()
        except Exception as exc:  # shown to the user; the demo is all-or-nothing per batch
            self.failed.emit(str(exc))

    def _report(self, done: int, total: int) -> None:
        if done % 10 == 0 or done == total:
            self.progressed.emit(done, total)
