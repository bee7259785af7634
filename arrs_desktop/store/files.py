"""Look at a caseload file before opening it, and keep a new one private from its first byte.

Only SQLite reads the file: opening and closing any other handle on it would drop the locks
that this process's own connections hold (POSIX advisory locks are per process), and the
next program to close the file would then delete its write-ahead log.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from arrs_desktop.store.connector import Connector, connector_for
from arrs_desktop.store.errors import (
    CorruptDatabaseError,
    FileBusyError,
    NewerSchemaError,
    NotArrsDatabaseError,
    busy_open_message,
    is_busy_error,
)
from arrs_desktop.store.schema import APP_ID, MIGRATION_SET, known_migration_names


def inspect_file(path: Path, connector: Connector | None = None) -> str:
    """Classify a file without changing it: 'new', 'empty' or 'arrs'; raise if unusable.

    `connector` reads it (by default the one its key file calls for: store/connector.py).
    """
    path = Path(path)
    if connector is None:
        connector = connector_for(path)
    if not path.exists():
        return "new"
    if path.is_dir():
        raise NotArrsDatabaseError(f"{path} is a folder, not a caseload database file.")
    size = path.stat().st_size
    if size == 0:
        raise NotArrsDatabaseError(
            f"{path.name} is an empty file, not an ARRS Desktop database. It has not been "
            "changed; remove it or choose another file to start a new caseload."
        )
    try:
        conn = connector.connect_readonly(path)
    except connector.errors as exc:  # pragma: no cover - depends on the file system
        raise CorruptDatabaseError(f"{path.name} cannot be read: {exc}. Not changed.") from exc
    try:
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        except connector.database_errors as exc:
            if is_busy_error(exc):
                raise FileBusyError(busy_open_message(path)) from exc
            if "not a database" in str(exc).lower():
                raise NotArrsDatabaseError(
                    f"{path.name} is not an ARRS Desktop database (it is not an SQLite "
                    "file). It has not been changed."
                ) from exc
            raise
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        if size < page_size * pages and not _has_journal(path):
            raise CorruptDatabaseError(
                f"{path.name} is damaged (the file is cut short). It has not been changed. "
                "Restore it from a backup."
            )
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if not tables:
            return "empty"
        if "arrs_meta" not in tables:
            raise NotArrsDatabaseError(
                f"{path.name} is an SQLite database, but not an ARRS Desktop caseload log. "
                "It has not been changed."
            )
        app = conn.execute("SELECT value FROM arrs_meta WHERE key = 'app'").fetchone()
        if not app or app[0] != APP_ID:
            raise NotArrsDatabaseError(
                f"{path.name} is not an ARRS Desktop caseload log. It has not been changed."
            )
        applied = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            )
        ]
        unknown = [name for name in applied if name not in known_migration_names()]
        if unknown:
            raise NewerSchemaError(
                f"{path.name} was written by a newer version of ARRS Desktop "
                f"(schema {unknown[-1]}). Update ARRS Desktop to open it; "
                "the file has not been changed."
            )
        return "arrs"
    except connector.database_errors as exc:
        if is_busy_error(exc):
            raise FileBusyError(busy_open_message(path)) from exc
        raise CorruptDatabaseError(
            f"{path.name} is damaged and cannot be opened ({exc}). It has not been changed. "
            "Restore it from a backup."
        ) from exc
    finally:
        conn.close()


def _has_journal(path: Path) -> bool:
    """Return True if a write-ahead log or rollback journal may still complete the file."""
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists() and companion.stat().st_size > 0:
            return True
    return False


def make_private_before_connecting(path: Path, kind: str) -> None:
    """Make an existing file (and its log) readable by this user only, if others could.

    No connection to the file exists yet in this store, and `chmod` opens no handle. A new
    file is made private as SQLite creates it (see `private_creation`).
    """
    from arrs_desktop.paths import make_private

    if kind == "new":
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        make_private(path.with_name(name))


@contextmanager
def private_creation(new: bool) -> Iterator[None]:
    """While SQLite creates a new file, let it be readable by this user only.

    The umask is the process's: for this moment any file made by another thread is made
    private too, never less private. SQLite gives the `-wal` and `-shm` the database's mode.
    """
    if not new or os.name != "posix":
        yield
        return
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)
