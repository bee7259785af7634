"""What the store raises, in plain words: a file that cannot be opened, a write refused.

Each message says what happened, that nothing was changed or saved, and what to do. The
text of an SQLite error is turned into one of these in one place (`write_error`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class StoreOpenError(Exception):
    """The file cannot be opened as a caseload log; it has been left untouched."""


class NotArrsDatabaseError(StoreOpenError):
    """The file is not an ARRS Desktop database."""


class CorruptDatabaseError(StoreOpenError):
    """The file is damaged."""


class NewerSchemaError(StoreOpenError):
    """The file was written by a newer version of ARRS Desktop."""


class MigrationError(StoreOpenError):
    """Upgrading the file to this version's schema failed; the file was left as it was."""


class FileBusyError(StoreOpenError):
    """Another program holds the file to itself; it is not damaged and was not changed."""


class StoreLockedError(StoreOpenError):
    """An encrypted caseload whose data key has not been unlocked by a sign-in here."""


class StoreWriteError(Exception):
    """A change could not be saved; nothing of it was written. The text says why."""


class StoreBusyError(StoreWriteError):
    """Another program held the database too long; the change was not saved."""


class StoreReadOnlyError(StoreWriteError):
    """The caseload file (or its folder) cannot be written; the change was not saved."""


class StoreFullError(StoreWriteError):
    """The disk holding the caseload file is full; the change was not saved."""


class StoreIOError(StoreWriteError):
    """The disk reported an error while saving; the change was not saved."""


class StoreDamagedError(StoreWriteError):
    """The file is damaged: nothing is written to it; the change was not saved."""


class StoreCheckingError(StoreWriteError):
    """The file is still being checked for damage after opening; the change was not saved."""


@dataclass(frozen=True)
class ConcurrentChange:
    """A change someone else saved to a record after a form loaded it."""

    at: str
    who: str
    device_id: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]


class StoreConflictError(StoreWriteError):
    """The record changed after the form loaded it; nothing was saved.

    `theirs` are the changes saved since (oldest first), `mine` the fields this save would
    have changed (name -> new value), `current` the record as it is now.
    """

    def __init__(self, table: str, row_id: str, theirs: list[ConcurrentChange],
                 mine: dict[str, Any], current: dict[str, Any] | None,
                 message: str = "") -> None:
        self.table = table
        self.row_id = row_id
        self.theirs = theirs
        self.mine = mine
        self.current = current
        super().__init__(message or self._describe())

    @property
    def overlapping(self) -> set[str]:
        """Return the fields both this save and someone else's changed."""
        touched = {k for change in self.theirs for k in change.after}
        return touched & set(self.mine)

    def _describe(self) -> str:
        from arrs_desktop.domain.audit_text import describe_change, show_stamp

        if not self.theirs:
            return ("This record was changed after you opened it, so nothing was saved. "
                    "What you typed is kept.")
        last = self.theirs[-1]
        what = describe_change(self.table, last.action, last.before, last.after)
        more = (f" (and {len(self.theirs) - 1} earlier change"
                f"{'s' if len(self.theirs) > 2 else ''})") if len(self.theirs) > 1 else ""
        return (f"{last.who} changed this record at {show_stamp(last.at)} after you opened "
                f"it{more}: {what}. Nothing was saved; what you typed is kept.")


def error_name(exc: BaseException) -> str:
    """Return SQLite's name for an error ("SQLITE_BUSY"), or "" (either SQLite library)."""
    name = getattr(exc, "sqlite_errorname", None)
    return name if isinstance(name, str) else ""


def is_busy_error(exc: BaseException) -> bool:
    """Return whether an SQLite error means another connection holds a lock."""
    if error_name(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "locked" in text


def busy_open_message(path: Path) -> str:
    """Say that another program keeps the file to itself (nothing is wrong with it)."""
    return (
        f"{path.name} is in use by another program that keeps it to itself, so it cannot be "
        "opened now. The file is not damaged and has not been changed: close the other "
        "program (another ARRS Desktop window, a database tool or a backup tool), then "
        "open it again."
    )


def write_error(exc: BaseException) -> StoreWriteError | None:
    """Return the StoreWriteError that says in plain words why SQLite refused a write.

    None when the error is not about the file or the disk (a bug, or a constraint).
    """
    code = error_name(exc)
    detail = str(exc)
    if is_busy_error(exc):
        return StoreBusyError(
            "The caseload file is busy in another window or program, so this change was not "
            "saved. Try again in a moment."
        )
    if code.startswith("SQLITE_FULL") or "database or disk is full" in detail:
        return StoreFullError(
            "The disk holding the caseload file is full, so this change was not saved. Free "
            "some space on it, then save again."
        )
    if code.startswith("SQLITE_READONLY") or "readonly database" in detail:
        return StoreReadOnlyError(
            "The caseload file cannot be written (the file or its folder is read-only), so "
            "this change was not saved. Ask for the file to be made writable, then save again."
        )
    if code.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) or "disk i/o error" in detail:
        return StoreIOError(
            f"The disk reported an error while saving ({detail}), so this change was not "
            "saved. Check the disk or the network drive, then save again."
        )
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in detail:
        return StoreDamagedError(
            "The caseload file is damaged, so nothing more will be written to it and this "
            "change was not saved. Restore it from a backup (File > Restore from backup)."
        )
    return None
