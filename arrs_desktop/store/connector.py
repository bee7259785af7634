"""How the store opens connections to a caseload file: the one place a connection is made.

`Connector` opens plain SQLite files with Python's `sqlite3`. An encrypted caseload is
opened by giving the store another connector (`open_store(path, connector=...)`) whose
methods return SQLCipher connections (`arrs_desktop.security.cipher.connect` with the data
key) and whose `errors` / `database_errors` are that library's classes as well as
`sqlite3`'s (`cipher.DB_ERRORS`, `cipher.DATABASE_ERRORS`): SQLCipher's exceptions are not
subclasses of `sqlite3`'s, so the store catches what its connector says it raises.

Every connection the process makes to the file comes from the same connector: one SQLite
library per file (see security/cipher.py on locks).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class Connector:
    """Open plain SQLite connections: the store's own, readers for worker threads, and a
    read-only look at a file that no store has open."""

    #: What a connection from this connector raises (for `except` clauses in the store).
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    #: The subset that means the database refused (busy, damaged, not a database...).
    database_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)

    def connect(self, path: Path) -> sqlite3.Connection:
        """Return the store's read-write connection (SQLite creates a missing file)."""
        return sqlite3.connect(str(path))

    def connect_reader(self, path: Path) -> sqlite3.Connection:
        """Return a connection a worker thread may use (the store makes it read-only)."""
        return sqlite3.connect(str(path), check_same_thread=False)

    def connect_readonly(self, path: Path) -> sqlite3.Connection:
        """Open a file for reading only, leaving no -wal/-shm files behind that were not there.

        For looking at a file before (or without) opening it as a store.
        """
        path = Path(path)
        uri = path.resolve().as_uri()
        if path.with_name(path.name + "-wal").exists():
            return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=2.0)
        # No write-ahead log: everything is in the file itself, so read it as it stands.
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=2.0)


SQLITE = Connector()


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a plain caseload file for reading only (see `Connector.connect_readonly`)."""
    return SQLITE.connect_readonly(path)
