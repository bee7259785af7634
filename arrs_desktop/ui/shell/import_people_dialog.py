"""File → Import people…: bring in a GP system search export with a progress bar.

The file is read, checked and saved on a worker thread with a store of its own on the same
file (the window's thread never waits); a backup is made first. The dialog shows how far it
has got, lets the user cancel (nothing is imported then: the rows are saved in one
transaction) and ends with what was imported and every line that was not, with its reason.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store import Store
from arrs_desktop.ui.shell.import_people_worker import ImportPeopleWorker


class ImportPeopleDialog(QDialog):
    """Show an import's progress, then what it imported and each line it did not."""

    imported = Signal(object)  # the Changes to publish once people were saved

    def __init__(self, store: Store, source: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importPeopleDialog")
        self.setWindowTitle(self.tr("Import people"))
        self.setMinimumWidth(520)
        self.source = Path(source)
        self.title = QLabel(self.tr("Importing people from {0}").format(self.source.name), self)
        self.title.setWordWrap(True)
        self.status = QLabel(self.tr("Reading and checking the file…"), self)
        self.status.setObjectName("importStatus")
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("importProgress")
        self.bar.setRange(0, 0)  # busy until the file's rows are counted
        self.bar.setAccessibleName(self.tr("Import progress"))
        self.problems = QPlainTextEdit(self)
        self.problems.setObjectName("importProblems")
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName(self.tr("Lines not imported, with the reason"))
        self.problems.setMinimumHeight(self.problems.fontMetrics().lineSpacing() * 8)
        self.problems.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self.worker = ImportPeopleWorker(store, self.source, self)
        self.worker.was_read.connect(self._on_read)
        self.worker.progressed.connect(self._on_progress)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self._failure: str | None = None
        self.worker.start()

    @property
    def running(self) -> bool:
        """Return whether the import is still working."""
        return self.worker.isRunning()

    def wait(self, seconds: float = 120.0) -> None:
        """Wait for the worker (tests, closing the window)."""
        self.worker.wait(int(seconds * 1000))

    # -- progress --------------------------------------------------------------------------
    def _on_read(self, rows: int, encoding: str) -> None:
        self.bar.setRange(0, max(rows, 1))
        self.bar.setValue(0)
        self.status.setText(self.tr("Saving {0} rows ({1})…").format(f"{rows:,}", encoding))

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)
        self.status.setText(self.tr("Saved {0} of {1} rows…").format(f"{done:,}", f"{total:,}"))

    def _on_failed(self, message: str) -> None:
        self._failure = message

    def _on_finished(self) -> None:
        result = self.worker.result
        self.buttons.clear()
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()
        self.bar.setRange(0, 1)
        self.title.setText(self.tr("Import from {0}").format(self.source.name))
        if self._failure is not None:
            self.bar.setValue(0)
            self.status.setText(self._failure)
            self.status.setProperty("tone", "error")
            return
        assert result is not None
        self.bar.setValue(1)
        summary = self.tr("Imported {0} of {1} people from {2}.").format(
            f"{result.imported:,}", f"{result.rows:,}", self.source.name)
        if result.problems:
            summary += " " + self.tr("{0} line(s) were not imported; each is listed below "
                                     "with the reason. Correct them in the file and import "
                                     "it again.").format(f"{len(result.problems):,}")
            self.problems.setPlainText("\n".join(
                f"line {p.line}: {p.message}" for p in result.problems))
            self.problems.show()
            self.adjustSize()
        self.status.setText(summary)
        if self.worker.changes is not None and self.worker.changes.saved:
            self.imported.emit(self.worker.changes)

    def _cancel_or_close(self) -> None:
        if self.running:
            self.worker.cancel()
            self.status.setText(self.tr("Cancelling… nothing will be imported."))
            return
        self.reject()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.running:  # closing the dialog cancels the import and waits for it
            self.worker.cancel()
            self.worker.wait()
        super().closeEvent(event)
