"""The window's one change bus: every change to the caseload reaches the views through it.

An operation returns `Changes` (app/changes.py); whoever ran it publishes them here with
itself as the initiator, and every view that listens tests the flags of what it shows
(skipping the redraw when it made the change itself and has already shown it). A change
that does not come from this window takes the same road: a restore publishes
`Changes.EVERYTHING`, and team sync publishes `Changes.of_rows(...)` for what a pull wrote.

`publish` may be called from any thread: a listener is a Qt slot of an object living on
the window's thread, so the call is queued to that thread (Qt's automatic connection).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from arrs_desktop.app.changes import Changes


class ChangeBus(QObject):
    """Carry each `Changes` to every view: `changed(changes, initiator)`."""

    changed = Signal(object, object)  # Changes, the object that made them (or None)

    def publish(self, changes: Changes, initiator: object | None = None) -> None:
        """Tell every view what changed, and who changed it (None: not a view)."""
        self.changed.emit(changes, initiator)
