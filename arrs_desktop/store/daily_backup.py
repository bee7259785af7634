"""Today's backup of an open caseload file, made once the file is known to be sound.

`open_store(..., backup_on_open=True)` makes it at once or, for the window, on a thread of
its own (`backup_in_background`); whoever wants to know how it went adds a listener,
called with what went wrong ("" when nothing did) on the thread that finished it, or at
once if it has finished already (or none was asked for).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from arrs_desktop.store.store import Store

DAMAGED = ("Today's backup was not made: the caseload file is damaged, and a copy of it "
           "would push a good backup out of the rotation.")


class DailyBackup:
    """The day's backup of one open store: whether it has finished, and what went wrong."""

    def __init__(self) -> None:
        self.problem = ""  # why today's backup was not made ("" when it was, or not asked)
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._done.set()  # nothing to wait for until a backup is started
        self._listeners: list[Callable[[str], None]] = []

    def start(self, store: Store) -> None:
        """Make today's backup on a worker thread."""
        self._done.clear()
        self.thread = threading.Thread(target=self.make, args=(store,),
                                       name="arrs-daily-backup", daemon=True)
        self.thread.start()

    def make(self, store: Store) -> None:
        """Make today's backup now, on this thread, once the file is known to be sound."""
        from arrs_desktop.store import backup

        self._done.clear()
        problem = ""
        if store.health.state == "unchecked":
            store.health.check_now()  # on the caller's thread: the background one was started
        if store.health.wait() != "ok":
            problem = DAMAGED
        else:
            try:
                backup.daily_backup(store.path)
            except (OSError, backup.BackupError) as exc:
                problem = f"Today's backup could not be made: {exc}"
        with self._lock:
            self.problem = problem
            listeners = list(self._listeners)
            self._done.set()
        for listener in listeners:
            listener(problem)

    def add_listener(self, listener: Callable[[str], None]) -> None:
        """Call `listener(problem)` when the backup has finished (at once if it has)."""
        with self._lock:
            self._listeners.append(listener)
            finished = self._done.is_set()
        if finished:
            listener(self.problem)

    def remove_listener(self, listener: Callable[[str], None]) -> None:
        """Stop calling a listener."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a backup under way; return whether it has finished."""
        return self._done.wait(timeout)
