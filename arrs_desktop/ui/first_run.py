"""First start on an empty database: start empty, or load a synthetic demo caseload."""

from __future__ import annotations

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.ui.widgets import heading, muted

DEMO_PEOPLE = 300


class FirstRunDialog(QDialog):
    """Offer a new, empty caseload file a demo caseload."""

    EMPTY = "empty"
    DEMO = "demo"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to ARRS Desktop"))
        self.choice = self.EMPTY
        self.empty_button = QPushButton(self.tr("Start with an empty caseload"), self)
        self.empty_button.setObjectName("startEmptyButton")
        self.empty_button.setProperty("primary", True)
        self.demo_button = QPushButton(self.tr("Load a demo caseload"), self)
        self.demo_button.setObjectName("loadDemoButton")
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("This caseload is empty")))
        layout.addWidget(muted(self.tr(
            "Start empty to record your own caseload, or load a demo caseload of {0} "
            "made-up people to try things out. The demo people are invented, with NHS numbers "
            "from the test range: never use a demo file for real work.").format(DEMO_PEOPLE)))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.empty_button)
        layout.addLayout(buttons)
        self.empty_button.clicked.connect(self._choose_empty)
        self.demo_button.clicked.connect(self._choose_demo)
        self.empty_button.setDefault(True)

    def _choose_empty(self) -> None:
        self.choice = self.EMPTY
        self.accept()

    def _choose_demo(self) -> None:
        self.choice = self.DEMO
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> tuple[str, bool]:
        """Return ('empty' | 'demo', True), or ('empty', False) if closed."""
        dialog = cls(parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.choice, ok


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
