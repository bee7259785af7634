"""Who looked: each opening of a person's record is written to the audit trail.

As the NHS Care Record Guarantee expects, every time someone opens a person's record an
audit line says who (the signed-in account), when, and whose record; the person's History
tab shows these "viewed by" lines among the changes. Opening the same person again within
five minutes, without opening anyone else in between, is one look, not many.

The line is written just after the record is on screen (it never delays showing it). While
the file is still being checked after opening, when nothing may be written yet, the looks
are kept and written once the check is done; none is dropped.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from arrs_desktop.app.operations.audit import record_view
from arrs_desktop.store import StoreCheckingError, StoreWriteError


class ViewAudit(QObject):
    """Write a "view" audit line for each person's record opened in a person view."""

    SAME_LOOK_S = 300.0
    quiet = True  # its lines are not "changes saved" (the status bar says nothing)
    RETRY_MS = 1500

    def __init__(self, context, person_view, parent: QObject | None = None) -> None:
        super().__init__(parent or person_view)
        self.context = context
        self._pending: list[str] = []
        self._last: tuple[str, float] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        person_view.person_shown.connect(self.record)

    def record(self, person_id: str) -> None:
        """Note that a person's record was opened; the line is written in a moment."""
        now = time.monotonic()
        if self._last is not None and self._last[0] == person_id \
                and now - self._last[1] < self.SAME_LOOK_S:
            return
        self._last = (person_id, now)
        self._pending.append(person_id)
        if not self._timer.isActive():
            self._timer.start(0)

    def flush(self) -> None:
        """Write every look not yet written (kept for later while the file is checked)."""
        while self._pending:
            person_id = self._pending[0]
            try:
                self.context.run(record_view, person_id, initiator=self)
            except StoreCheckingError:
                self._timer.start(self.RETRY_MS)
                return
            except StoreWriteError:
                self._timer.start(self.RETRY_MS * 4)  # busy or full: try again later
                return
            self._pending.pop(0)

    @property
    def pending(self) -> int:
        """Return how many looks are waiting to be written."""
        return len(self._pending)
