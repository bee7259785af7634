"""Follow today's backup from its worker thread onto the UI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class BackupWatch(QObject):
    """Say, on the UI thread, when the open store's daily backup has finished and how."""

    finished = Signal(str)  # what went wrong ("" when nothing did)

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def start(self) -> None:
        """Start following the backup (connect to `finished` first: a finished backup calls
        back at once)."""
        self._store.daily_backup.add_listener(self._on_finished)

    def _on_finished(self, problem: str) -> None:
        # Called on the backup's thread: Qt queues the signal onto the UI thread.
        self.finished.emit(problem)

    def stop(self) -> None:
        """Stop following the backup (the window is closing)."""
        self._store.daily_backup.remove_listener(self._on_finished)
