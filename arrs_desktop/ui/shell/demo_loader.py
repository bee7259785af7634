"""Build the demo caseload on a worker thread with its own database connection."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QProgressDialog,
    QWidget,
)

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


class DemoProgress(QProgressDialog):
    """Show progress while the demo caseload is made, then report back."""

    def __init__(self, parent: QWidget, db_path, on_done, people: int = DEMO_PEOPLE) -> None:
        super().__init__(parent.tr("Making a demo caseload…"), "", 0, people, parent)
        self.setCancelButton(None)
        self.setMinimumDuration(0)
        self.setWindowTitle(parent.tr("Demo caseload"))
        self._on_done = on_done
        self._error: str | None = None
        self.loader = DemoLoader(db_path, people, parent=self)
        self.loader.progressed.connect(self._on_progress)
        self.loader.failed.connect(self._on_failed)
        self.loader.finished.connect(self._on_finished)
        self.loader.start()

    def _on_progress(self, done: int, _total: int) -> None:
        self.setValue(done)

    def _on_failed(self, message: str) -> None:
        self._error = message

    def _on_finished(self) -> None:
        self.close()
        self._on_done(self._error)


def load_demo_with_progress(parent: QWidget, db_path, on_done,
                            people: int = DEMO_PEOPLE) -> DemoProgress:
    """Start loading the demo on a worker thread, with a progress dialog; call on_done(error)."""
    return DemoProgress(parent, db_path, on_done, people)
