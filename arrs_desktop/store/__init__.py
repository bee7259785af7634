"""The caseload store: every read and write of the SQLite caseload log goes through here."""

from __future__ import annotations

from pathlib import Path

from arrs_desktop.domain.validation import DuplicatePersonError, ValidationError
from arrs_desktop.store.audit import AuditStore
from arrs_desktop.store.base import (
    BUSY_TIMEOUT_MS,
    CorruptDatabaseError,
    MigrationError,
    NewerSchemaError,
    NotArrsDatabaseError,
    StoreBusyError,
    StoreConflictError,
    StoreFullError,
    StoreIOError,
    StoreOpenError,
    StoreReadOnlyError,
    StoreWriteError,
    schema_version,
)
from arrs_desktop.store.bulk import BulkLoader
from arrs_desktop.store.care_homes_overview import CareHomesOverviewStore
from arrs_desktop.store.community import CommunityStore
from arrs_desktop.store.episodes import EpisodesStore
from arrs_desktop.store.erase import EraseStore
from arrs_desktop.store.follow_ups import FollowUpsStore
from arrs_desktop.store.goals import GoalsStore
from arrs_desktop.store.gp_codes import GpCodesStore
from arrs_desktop.store.needs import NeedsStore
from arrs_desktop.store.people import PeopleStore
from arrs_desktop.store.reports import ReportsStore
from arrs_desktop.store.sessions import SessionsStore
from arrs_desktop.store.triage import TriageStore

__all__ = [
    "CaseloadStore",
    "CorruptDatabaseError",
    "DuplicatePersonError",
    "MigrationError",
    "NewerSchemaError",
    "NotArrsDatabaseError",
    "StoreBusyError",
    "StoreConflictError",
    "StoreFullError",
    "StoreIOError",
    "StoreOpenError",
    "StoreReadOnlyError",
    "StoreWriteError",
    "ValidationError",
    "open_store",
]


class CaseloadStore(
    PeopleStore,
    NeedsStore,
    EpisodesStore,
    GoalsStore,
    SessionsStore,
    CommunityStore,
    CareHomesOverviewStore,
    GpCodesStore,
    ReportsStore,
    TriageStore,
    FollowUpsStore,
    AuditStore,
    BulkLoader,
    EraseStore,
):
    """One open caseload file: typed reads and audited, atomic writes."""

    def schema_version(self) -> str:
        """Return the newest migration applied to this file."""
        return schema_version(self.db)

    def table_counts(self) -> dict[str, int]:
        """Return the number of rows in each table of the log."""
        names = [
            r["name"]
            for r in self._rows(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        return {name: self._scalar(f'SELECT count(*) FROM "{name}"') for name in names}


def open_store(
    path: str | Path,
    *,
    user: str = "",
    device_id: str = "",
    backup_on_open: bool = False,
    backup_in_background: bool = False,
    check_in_background: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> CaseloadStore:
    """Open (creating if needed) a caseload file; raise StoreOpenError if it is unusable.

    The file is checked for damage before the first write to it (`store.health`); with
    `check_in_background` (the window) that check starts now on a worker thread, and writes
    are refused in plain words until it has finished. The file is always backed up before
    a schema upgrade. With `backup_on_open` (the window and the `arrs` commands that write)
    it is also backed up once a day, next to the file, once the check has found it sound;
    a backup that fails does not stop the open but is kept in `store.backup_problem`.
    With `backup_in_background` (the window) that daily copy runs in a thread
    (`store.backup_thread`) so a large caseload opens at once.
    """
    if not device_id:
        from arrs_desktop.settings import device_id as _device_id

        device_id = _device_id()
    store = CaseloadStore(path, user=user, device_id=device_id,
                          before_migrate=_backup_before_upgrade,
                          busy_timeout_ms=busy_timeout_ms)
    store.backup_problem = ""
    store.backup_thread = None
    if check_in_background or (backup_on_open and backup_in_background):
        store.health.start()
    if backup_on_open and not store.is_new:
        if backup_in_background:
            import threading

            store.backup_thread = threading.Thread(
                target=_daily_backup, args=(store,), name="arrs-daily-backup", daemon=True)
            store.backup_thread.start()
        else:
            _daily_backup(store)
    return store


def _backup_before_upgrade(path: Path) -> Path:
    """Back the file up before an upgrade (backup is imported only when one is due)."""
    from arrs_desktop.store import backup

    return backup.backup_before_upgrade(path)


def _daily_backup(store: CaseloadStore) -> None:
    """Make today's backup of an open store's file, once it is known to be sound."""
    from arrs_desktop.store import backup

    if store.health.state == "unchecked":
        store.health.check_now()  # on the caller's thread: the background one was started
    if store.health.wait() != "ok":
        store.backup_problem = (
            "Today's backup was not made: the caseload file is damaged, and a copy of it "
            "would push a good backup out of the rotation.")
        return
    try:
        backup.daily_backup(store.path)
    except (OSError, backup.BackupError) as exc:
        store.backup_problem = f"Today's backup could not be made: {exc}"
