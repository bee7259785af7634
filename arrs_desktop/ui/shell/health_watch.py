"""Follow the store's damage check from its worker thread onto the UI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class HealthWatch(QObject):
    """Follow the store's damage check from its worker thread onto the UI thread."""

    finished = Signal(str)  # the check's outcome: "ok" or "damaged"

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def start(self) -> None:
        """Start following the check (connect to `finished` first: a finished check calls
        back at once)."""
        self._store.health.add_listener(self._on_finished)

    def _on_finished(self, state: str) -> None:
        # Called on the checking thread: Qt queues the signal onto the UI thread.
        self.finished.emit(state)

    def stop(self) -> None:
        """Stop following the check (the window is closing)."""
        self._store.health.remove_listener(self._on_finished)

    @property
    def state(self) -> str:
        """Return the check's state now."""
        return self._store.health.state
