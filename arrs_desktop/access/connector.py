"""The store's connections to an encrypted caseload: SQLCipher with the unlocked data key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from arrs_desktop.security import cipher
from arrs_desktop.security.data_key import DataKey
from arrs_desktop.security.errors import NotEncryptedError, WrongKeyError
from arrs_desktop.store.connector import Connector

#: SQLCipher's page cache, in KiB: pages sit decrypted in it, so repeated reads of the hot
#: tables cost what plain ones do. The store's own connection gets the larger cache; each
#: reader lent to a worker thread a smaller one (there may be a few at once); short-lived
#: connections (a look before opening, a backup) keep SQLite's default of 2 MiB.
CACHE_KIB = 32 * 1024
READER_CACHE_KIB = 16 * 1024

_NOT_A_DATABASE: type[Exception] = cipher.DATABASE_ERRORS[1]


class EncryptedConnector(Connector):
    """Open SQLCipher connections to the files of one data key (a caseload, its backups).

    A key that does not open a file (a foreign or damaged file, or a plain one) is raised
    as SQLite's own "file is not a database", so the store reports it as it reports any
    file that is not a caseload, and changes nothing.
    """

    errors = cipher.DB_ERRORS
    database_errors = cipher.DATABASE_ERRORS
    encrypted = True

    def __init__(self, key: DataKey) -> None:
        self._key = key
        self.key_id = key.key_id

    def _open(self, path: Path, **options: object) -> sqlite3.Connection:
        try:
            return cipher.connect(Path(path), self._key, **options)  # type: ignore[arg-type]
        except (WrongKeyError, NotEncryptedError) as exc:
            raise _NOT_A_DATABASE(f"file is not a database ({exc})") from exc

    def connect(self, path: Path) -> sqlite3.Connection:
        return self._open(path, create=True, cache_kib=CACHE_KIB)

    def connect_reader(self, path: Path) -> sqlite3.Connection:
        return self._open(path, check_same_thread=False, cache_kib=READER_CACHE_KIB)

    def connect_readonly(self, path: Path) -> sqlite3.Connection:
        path = Path(path)
        wal = path.with_name(path.name + "-wal").exists()
        return self._open(path, readonly=True, immutable=not wal, timeout=2.0)

    def connect_new(self, path: Path) -> sqlite3.Connection:
        return self._open(path, create=True)

    def connect_exclusive(self, path: Path, timeout: float) -> sqlite3.Connection:
        return self._open(path, timeout=timeout, isolation_level=None)
