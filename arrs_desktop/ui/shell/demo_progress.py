"""Show progress while the demo caseload is made on a worker thread, then report back."""

from __future__ import annotations

from PySide6.QtWidgets import QProgressDialog, QWidget

from arrs_desktop.ui.shell.demo_loader import DEMO_PEOPLE, DemoLoader


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
