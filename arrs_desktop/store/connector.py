"""How the store opens connections to a caseload file: the one place a connection is made.

`Connector` opens plain SQLite files with Python's `sqlite3`. An encrypted caseload is
opened by another connector (`arrs_desktop.access.connector.EncryptedConnector`) whose
methods return SQLCipher connections with the data key unlocked at sign-in, and whose
`errors` / `database_errors` are that library's classes as well as `sqlite3`'s: SQLCipher's
exceptions are not subclasses of `sqlite3`'s, so the store catches what its connector says
it raises.

Which connector a file needs is decided by its key file (`paths.key_file_path`), never by
opening the database: a file with no key file beside it is plain; a file with one is
encrypted, and is opened by the connector unlocked for that key file's data key
(`unlock_connector`, keyed by the key file's public `key_id`, so its backups, which carry a
copy of the key file, open with the same connector). An encrypted file whose key has not
been unlocked in this process raises `StoreLockedError`.

Every connection the process makes to a file comes from its connector: one SQLite library
per file (see security/cipher.py on locks).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from arrs_desktop import paths


class Connector:
    """Open plain SQLite connections: the store's own, readers for worker threads, a
    read-only look at a file that no store has open, and a new file (a backup's copy)."""

    #: What a connection from this connector raises (for `except` clauses in the store).
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)
    #: The subset that means the database refused (busy, damaged, not a database...).
    database_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
    #: Whether the files this connector opens are encrypted (and carry a key file).
    encrypted: bool = False
    #: The public fingerprint of the data key (the key file's `key_id`); "" when plain.
    key_id: str = ""

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

    def connect_new(self, path: Path) -> sqlite3.Connection:
        """Open a new, empty file to copy a database into (a backup); same encryption."""
        return sqlite3.connect(str(path))

    def connect_exclusive(self, path: Path, timeout: float) -> sqlite3.Connection:
        """Open the file in autocommit mode, to take and hold an exclusive lock (restore)."""
        return sqlite3.connect(str(path), timeout=timeout, isolation_level=None)


SQLITE = Connector()

_unlocked: dict[str, Connector] = {}
_lock = threading.Lock()


def unlock_connector(connector: Connector) -> None:
    """Let every file of this connector's data key (the caseload, its backups) be opened."""
    with _lock:
        _unlocked[connector.key_id] = connector


def forget_connector(connector: Connector) -> None:
    """Stop lending a connector (the window closed, the command finished)."""
    with _lock:
        if _unlocked.get(connector.key_id) is connector:
            del _unlocked[connector.key_id]


def key_file_id(db_path: Path) -> str | None:
    """Return the `key_id` named in the key file beside a database; None when there is none.

    Only the key file is read (an ordinary JSON file, never the database). A key file that
    cannot be read gives "" (encrypted, but which key is unknown).
    """
    key_file = paths.key_file_path(Path(db_path))
    if not key_file.exists():
        return None
    try:
        data = json.loads(key_file.read_text(encoding="ascii"))
        key_id = data.get("key_id") if isinstance(data, dict) else None
    except (OSError, ValueError, UnicodeError):
        return ""
    return key_id if isinstance(key_id, str) else ""


def connector_for(path: Path) -> Connector:
    """Return the connector that opens a file: plain, or the unlocked one for its key.

    Raise StoreLockedError for an encrypted file whose key nobody unlocked here.
    """
    from arrs_desktop.store.errors import StoreLockedError

    key_id = key_file_id(Path(path))
    if key_id is None:
        return SQLITE
    with _lock:
        found = _unlocked.get(key_id) if key_id else None
    if found is None:
        raise StoreLockedError(
            f"{Path(path).name} is an encrypted caseload: sign in with a passphrase (or the "
            "recovery key) to open it. It has not been changed.")
    return found


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a caseload file for reading only, through its connector."""
    return connector_for(Path(path)).connect_readonly(path)
