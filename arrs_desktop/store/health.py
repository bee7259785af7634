"""Is the open caseload file undamaged? Checked before the first write, never written if not.

A file is checked with SQLite's `PRAGMA integrity_check` (its quick check misses most of the
damage a flipped byte does to an index). On a large caseload that takes seconds, so the
window checks in the background and refuses writes, in plain words, until it is done; the
command line checks before its first write. A file this app closed cleanly, that nothing
else has changed since (same inode, size and modification times, no other program's commit
seen while it was open), is trusted without a new check: that fingerprint is kept in the
settings folder.

Only SQLite reads the file here; the fingerprint comes from `os.stat`, which opens nothing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from arrs_desktop.remembered import RememberedFiles

UNCHECKED = "unchecked"
CHECKING = "checking"
OK = "ok"
DAMAGED = "damaged"

_MAX_PROBLEMS = 20
_REMEMBERED = 200  # files whose clean close is remembered


def fingerprint(path: Path) -> list[int]:
    """Return what identifies a file's present state without reading it."""
    st = os.stat(path)
    out = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]
    wal = path.with_name(path.name + "-wal")
    try:
        ws = os.stat(wal)
    except FileNotFoundError:
        out += [-1, -1]
    else:
        out += [ws.st_size, ws.st_mtime_ns]
    return out


def _checked_files_path() -> Path:
    from arrs_desktop.paths import checked_files_path

    return checked_files_path()


_CLEAN_CLOSES = RememberedFiles(_checked_files_path, limit=_REMEMBERED)


def is_trusted(path: Path) -> bool:
    """Return whether the file is as this app left it after a check and a clean close."""
    try:
        return bool(_CLEAN_CLOSES.get(path) == fingerprint(path))
    except OSError:
        return False


def remember_clean(path: Path) -> None:
    """Remember the file's state as checked and cleanly closed (best effort)."""
    try:
        print_ = fingerprint(path)
    except OSError:
        return
    _CLEAN_CLOSES.put(path, print_)


def forget(path: Path) -> None:
    """Forget a file's clean close (it is being replaced or was found damaged)."""
    _CLEAN_CLOSES.forget(path)


def run_integrity_check(conn: sqlite3.Connection,
                        database_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
                        ) -> list[str]:
    """Return SQLite's integrity findings for a connection's file ([] when undamaged).

    An error that says nothing about the file (it is busy, or the connection was misused)
    is raised, not taken for damage.
    """
    from arrs_desktop.store.errors import is_busy_error

    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({_MAX_PROBLEMS})")]
    except database_errors as exc:
        if type(exc).__name__ in ("ProgrammingError", "InterfaceError"):
            raise  # the connection was misused or closed: nothing about the file
        if is_busy_error(exc) or "interrupt" in str(exc).lower():
            raise
        return [str(exc)]
    return [] if rows == ["ok"] else rows


class FileHealth:
    """Whether an open store's file has been checked, and what the check found.

    `state` is one of unchecked, checking, ok, damaged. Listeners are called (on whatever
    thread finished the check) with the new state once a check ends.
    """

    def __init__(self, store: Any, *, trusted: bool) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._done = threading.Event()
        self.state = OK if trusted else UNCHECKED
        if trusted:
            self._done.set()
        self.problem = ""
        self._listeners: list[Callable[[str], None]] = []
        self._thread: threading.Thread | None = None
        self._version_at_check: int | None = None
        if trusted:
            self._version_at_check = self._data_version()

    # -- asking ---------------------------------------------------------------------------
    def add_listener(self, listener: Callable[[str], None]) -> None:
        """Call `listener(state)` when a check finishes (at once if it already has)."""
        with self._lock:
            self._listeners.append(listener)
            finished = self.state in (OK, DAMAGED)
        if finished:
            listener(self.state)

    def remove_listener(self, listener: Callable[[str], None]) -> None:
        """Stop calling a listener."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def wait(self, timeout: float | None = None) -> str:
        """Wait for a check under way to finish; return the state."""
        self._done.wait(timeout)
        return self.state

    def require_writable(self) -> None:
        """Raise unless the file has been found undamaged (checking first if need be)."""
        from arrs_desktop.store.errors import StoreCheckingError, StoreDamagedError

        if self.state == UNCHECKED:
            self.check_now()
        if self.state == CHECKING:
            raise StoreCheckingError(
                "The caseload file is still being checked for damage after opening (on a "
                "large caseload this takes a few seconds), so this change was not saved. "
                "What you typed is kept: save again in a moment."
            )
        if self.state == DAMAGED:
            raise StoreDamagedError(self.damaged_message())

    def damaged_message(self) -> str:
        """Say in plain words that the file is damaged and what to do."""
        name = Path(self._store.path).name
        return (
            f"{name} is damaged ({self.problem}), so nothing more will be written to it and "
            "this change was not saved. The file has been left as it was: restore it from a "
            "backup (File > Restore from backup, or `arrs restore`)."
        )

    # -- checking -------------------------------------------------------------------------
    def check_now(self) -> str:
        """Check the file on the store's own connection, now; return the state."""
        with self._lock:
            if self.state in (OK, DAMAGED):
                return self.state
            self.state = CHECKING
        self._version_at_check = self._data_version()
        problems = run_integrity_check(self._store.db.conn,
                                       self._store.connector.database_errors)
        self._finish(problems)
        return self.state

    def start(self) -> None:
        """Check the file on a worker thread; writes are refused until it is done."""
        with self._lock:
            if self.state != UNCHECKED:
                return
            self.state = CHECKING
        self._version_at_check = self._data_version()
        self._thread = threading.Thread(target=self._run, name="arrs-file-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._store.readers().borrow() as reader:
                problems = self._check(reader.db.conn)
        except Exception:  # noqa: BLE001 - not damage: the first write checks again itself
            with self._lock:
                self.state = UNCHECKED
            self._done.set()
            return
        self._finish(problems)

    def _check(self, conn: sqlite3.Connection) -> list[str]:
        return run_integrity_check(conn, self._store.connector.database_errors)

    def mark_damaged(self, problem: str) -> None:
        """Record damage found by a write (SQLite said the file is malformed)."""
        self._finish([problem])

    def _finish(self, problems: list[str]) -> None:
        with self._lock:
            self.state = DAMAGED if problems else OK
            self.problem = "; ".join(problems[:3])
            listeners = list(self._listeners)
        if problems:
            forget(Path(self._store.path))
        self._done.set()
        for listener in listeners:
            listener(self.state)

    # -- closing --------------------------------------------------------------------------
    def _data_version(self) -> int | None:
        try:
            return int(self._store.db.conn.execute("PRAGMA data_version").fetchone()[0])
        except self._store.connector.errors:
            return None

    def clean_close_trusted(self) -> bool:
        """Return whether the file may be trusted on its next open (call just before close).

        True when it was found undamaged and no other connection committed to it since.
        """
        if self.state != OK or self._version_at_check is None:
            return False
        return self._data_version() == self._version_at_check
