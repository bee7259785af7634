"""The caseload store: every read and write of the SQLite caseload log goes through here.

`open_store(path)` opens a file and returns a `Store`, a facade of explicit parts
(`store.people`, `store.episodes`, `store.sessions`, … and the queries `store.caseload`,
`store.triage`, `store.follow_ups`, `store.reports`); see store/store.py.
"""

from __future__ import annotations

from pathlib import Path

from arrs_desktop.domain.validation import DuplicatePersonError, ValidationError
from arrs_desktop.store.connector import Connector, connector_for
from arrs_desktop.store.errors import (
    ConcurrentChange,
    CorruptDatabaseError,
    FileBusyError,
    MigrationError,
    NewerSchemaError,
    NotArrsDatabaseError,
    StoreBusyError,
    StoreCheckingError,
    StoreConflictError,
    StoreDamagedError,
    StoreFullError,
    StoreIOError,
    StoreLockedError,
    StoreOpenError,
    StoreReadOnlyError,
    StoreWriteError,
)
from arrs_desktop.store.store import BUSY_TIMEOUT_MS, ReaderPool, Store, schema_version
from arrs_desktop.store.writer import RowWritten, WriteHook

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ConcurrentChange",
    "Connector",
    "CorruptDatabaseError",
    "DuplicatePersonError",
    "FileBusyError",
    "MigrationError",
    "NewerSchemaError",
    "NotArrsDatabaseError",
    "ReaderPool",
    "RowWritten",
    "Store",
    "StoreBusyError",
    "StoreCheckingError",
    "StoreConflictError",
    "StoreDamagedError",
    "StoreFullError",
    "StoreIOError",
    "StoreLockedError",
    "StoreOpenError",
    "StoreReadOnlyError",
    "StoreWriteError",
    "ValidationError",
    "WriteHook",
    "open_store",
    "schema_version",
]


def open_store(
    path: str | Path,
    *,
    user: str = "",
    device_id: str = "",
    backup_on_open: bool = False,
    backup_in_background: bool = False,
    check_in_background: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    connector: Connector | None = None,
) -> Store:
    """Open (creating if needed) a caseload file; raise StoreOpenError if it is unusable.

    The file is checked for damage before the first write to it (`store.health`); with
    `check_in_background` (the window) that check starts now on a worker thread, and writes
    are refused in plain words until it has finished. The file is always backed up before
    a schema upgrade. With `backup_on_open` (the window and the `arrs` commands that write)
    it is also backed up once a day, next to the file, once the check has found it sound;
    a backup that fails does not stop the open but is told by `store.daily_backup`.
    With `backup_in_background` (the window) that daily copy runs in a thread so a large
    caseload opens at once. `connector` opens the connections (store/connector.py); by
    default the one the file's key file calls for: plain SQLite when it has none, the
    connector a sign-in unlocked when it has one (StoreLockedError if nobody did).
    """
    if connector is None:
        connector = connector_for(Path(path))
    if not device_id:
        from arrs_desktop.settings import device_id as _device_id

        device_id = _device_id()
    store = Store(path, user=user, device_id=device_id, before_migrate=_backup_before_upgrade,
                  busy_timeout_ms=busy_timeout_ms, connector=connector)
    if check_in_background or (backup_on_open and backup_in_background):
        store.health.start()
    if backup_on_open and not store.is_new:
        if backup_in_background:
            store.daily_backup.start(store)
        else:
            store.daily_backup.make(store)
    return store


def _backup_before_upgrade(path: Path) -> Path:
    """Back the file up before an upgrade (backup is imported only when one is due)."""
    from arrs_desktop.store import backup

    return backup.backup_before_upgrade(path)
