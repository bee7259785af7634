"""Open encrypted caseload databases with SQLCipher 4 (the ``sqlcipher3`` wheel).

A caseload is encrypted with its 256-bit data key given to SQLCipher **raw**
(``PRAGMA key = "x'<64 hex digits>'"``), so SQLCipher runs no key derivation of its own:
Argon2id already did that work when a key slot was opened, and opening costs nothing more.
Each connection pins the SQLCipher 4 settings explicitly (``PRAGMA cipher_compatibility =
4``: AES-256-CBC pages with a random IV each, HMAC-SHA512 per page, 4096-byte pages) so a
later SQLCipher changing its defaults cannot make a caseload unreadable, and keeps
temporary tables and sort files in memory (``temp_store = MEMORY``) so nothing of the
caseload is spilled to an unencrypted temporary file. Pages in the WAL are encrypted like
those in the file; the ``-shm`` index holds page numbers and checksums, never content.

The key is checked at once, by reading the schema: a wrong key (or a file that is not a
caseload) gives SQLite's "file is not a database", raised here as :class:`WrongKeyError`; a
plain, unencrypted SQLite file is told apart as :class:`NotEncryptedError`.

One SQLite library per file, per process
----------------------------------------
``sqlcipher3`` bundles its own SQLite (3.53 here), separate from the one Python's ``sqlite3``
module uses (3.40 here). SQLite works around POSIX locks being per process (closing *any*
descriptor on a file drops every lock the process holds on it) by keeping one table of open
files and deferring closes, but each library keeps its own table and knows nothing of the
other's. So in one process, **never open the same database file with both ``sqlite3`` and
``sqlcipher3`` while either has it open**: closing the one drops the other's locks, and
another program can then write over a transaction in progress or delete a WAL still in
use. ``tests/security/test_cipher_locks.py`` shows it happen, and shows what is safe: two
``sqlcipher3`` connections to one file (one library: its table defers the close), the two
libraries on *different* files at once (locks are per file), and the two libraries one
after the other on the same file. ``sqlcipher3`` opened without a key reads plain SQLite
files too, so the simplest rule for the store is to open every caseload file, plain or
encrypted (checking, converting, backing up), through this module only.

Errors
------
``sqlcipher3``'s exceptions are its own classes (``sqlcipher3.dbapi2.OperationalError``
...), not subclasses of ``sqlite3``'s, so an ``except sqlite3.Error`` clause does not catch
them, nor sqlite-utils' own ``except sqlite3.OperationalError`` clauses (over a
``sqlcipher3`` connection its ``Table.drop(ignore=True)`` and ``View.drop(ignore=True)``
raise on a missing table: use ``DROP TABLE IF EXISTS``; and ``db.query()`` of an ``INSERT
... RETURNING`` fails with "cannot release savepoint": write through ``db.execute()``).
They carry the same ``sqlite_errorcode`` and ``sqlite_errorname`` attributes (``"SQLITE_BUSY"``,
``"SQLITE_NOTADB"`` ...). :data:`DB_ERRORS` and its siblings are tuples of both modules'
classes, for ``except`` clauses that must catch either (sqlite-utils itself raises the
stdlib's ``sqlite3.IntegrityError`` from ``Table.transform``, whichever connection it has).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlcipher3 import dbapi2 as _sqlcipher  # type: ignore[import-untyped]

from arrs_desktop.security.data_key import DataKey
from arrs_desktop.security.errors import NotEncryptedError, SecurityError, WrongKeyError

SQLITE_VERSION: str = cast(str, _sqlcipher.sqlite_version)
CIPHER_COMPATIBILITY = 4

CipherConnection = sqlite3.Connection
"""The type a ``sqlcipher3`` connection is given here: the same DB-API interface as
``sqlite3.Connection`` (what sqlite-utils' ``Database(conn)`` is typed to take), though not a
subclass of it: never test one with ``isinstance(conn, sqlite3.Connection)``."""

# Both modules' classes, for except clauses that must catch either.
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, _sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, _sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError,
                                                   _sqlcipher.OperationalError)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,
                                                 _sqlcipher.IntegrityError)
PROGRAMMING_ERRORS: tuple[type[Exception], ...] = (sqlite3.ProgrammingError,
                                                   _sqlcipher.ProgrammingError)
INTERFACE_ERRORS: tuple[type[Exception], ...] = (sqlite3.InterfaceError,
                                                 _sqlcipher.InterfaceError)
NOT_SUPPORTED_ERRORS: tuple[type[Exception], ...] = (sqlite3.NotSupportedError,
                                                     _sqlcipher.NotSupportedError)

_WRONG_KEY = ("{name} does not open with this key: it belongs to another key file, or it is "
              "not an ARRS Desktop caseload. It has not been changed.")


def error_name(exc: BaseException) -> str:
    """Return SQLite's name for an error of either module ("SQLITE_BUSY"), or ""."""
    name = getattr(exc, "sqlite_errorname", None)
    return name if isinstance(name, str) else ""


def is_busy_error(exc: BaseException) -> bool:
    """Return whether an error of either module means another connection holds a lock."""
    if error_name(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


def is_not_a_database(exc: BaseException) -> bool:
    """Return whether an error says the bytes are not a database (or the key is wrong)."""
    return error_name(exc) == "SQLITE_NOTADB" or "file is not a database" in str(exc).lower()


def _uri(path: Path, mode: str, immutable: bool = False) -> str:
    tail = "&immutable=1" if immutable else ""
    return f"{Path(path).resolve().as_uri()}?mode={mode}{tail}"


def _raw_connect(path: Path, *, mode: str, timeout: float,
                 check_same_thread: bool, immutable: bool = False,
                 isolation_level: str | None = "") -> CipherConnection:
    conn = _sqlcipher.connect(_uri(path, mode, immutable), uri=True, timeout=timeout,
                              check_same_thread=check_same_thread,
                              isolation_level=isolation_level)
    # SQLCipher writes a line to stderr for every page that fails to decrypt; a wrong key is
    # reported here as an exception instead, and a command's output stays one plain line.
    conn.execute("PRAGMA cipher_log_level = NONE")
    return cast(CipherConnection, conn)


def _apply_key(conn: CipherConnection, key: DataKey, schema: str = "main") -> None:
    conn.execute(f'PRAGMA {schema}.key = "{key.sqlcipher_key()}"')
    conn.execute(f"PRAGMA {schema}.cipher_compatibility = {CIPHER_COMPATIBILITY}")


def _create_private(path: Path) -> None:
    """Make an empty file, mode 0600, for SQLite to start a database in.

    SQLite gives the -wal, -shm and -journal files the mode of the database file, so the
    whole caseload is private to the user from its first byte. No connection has the new
    file open yet, so this ordinary open cannot drop anybody's locks.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def connect(path: Path, key: DataKey, *, create: bool = False, readonly: bool = False,
            timeout: float = 5.0, check_same_thread: bool = True, immutable: bool = False,
            isolation_level: str | None = "", cache_kib: int = 0) -> CipherConnection:
    """Open an encrypted database with its data key, checking the key at once.

    ``create`` allows a new file (encrypted from its first page, mode 0600); otherwise a
    missing file raises FileNotFoundError rather than being made. ``immutable`` (with
    ``readonly``) reads a file that has no write-ahead log as it stands, leaving no -shm
    behind; ``isolation_level`` is the DB-API's (None: autocommit); ``cache_kib`` sizes the
    page cache, which holds decrypted pages (0: SQLite's default, 2 MiB). Raises
    :class:`WrongKeyError` when the key does not open the file and
    :class:`NotEncryptedError` for a plain SQLite file; busy and I/O errors pass through as
    they are (see :func:`is_busy_error`).
    """
    path = Path(path)
    if not create and not path.exists():
        raise FileNotFoundError(f"There is no caseload file at {path}.")
    if create and not path.exists():
        _create_private(path)
    mode = "ro" if readonly else ("rwc" if create else "rw")
    conn = _raw_connect(path, mode=mode, timeout=timeout, check_same_thread=check_same_thread,
                        immutable=immutable and readonly, isolation_level=isolation_level)
    try:
        _apply_key(conn, key)
        conn.execute("PRAGMA temp_store = MEMORY")
        if cache_kib > 0:
            conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS as exc:
        conn.close()
        if not is_not_a_database(exc):
            raise
        if is_plain_database(path):
            raise NotEncryptedError(
                f"{path.name} is a plain SQLite file, not encrypted. It has not been "
                "changed.") from exc
        raise WrongKeyError(_WRONG_KEY.format(name=path.name)) from exc
    return conn


def connect_plain(path: Path, *, readonly: bool = True, timeout: float = 5.0,
                  check_same_thread: bool = True) -> CipherConnection:
    """Open a plain (unencrypted) SQLite file through sqlcipher3's SQLite, with no key.

    For reading a caseload made before encryption in the same SQLite library as the
    encrypted ones (see the module notes on locks). The connection is not checked.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"There is no caseload file at {path}.")
    return _raw_connect(path, mode="ro" if readonly else "rw", timeout=timeout,
                        check_same_thread=check_same_thread)


def is_plain_database(path: Path) -> bool:
    """Return whether a file reads as a plain SQLite database with no key (via sqlcipher3)."""
    try:
        conn = connect_plain(path)
    except FileNotFoundError:
        return False
    except DB_ERRORS:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DATABASE_ERRORS:
        return False
    finally:
        conn.close()


def verify_key(path: Path, key: DataKey) -> None:
    """Raise WrongKeyError / NotEncryptedError unless ``key`` opens the database at ``path``."""
    connect(path, key, readonly=True).close()


def cipher_version(conn: CipherConnection) -> str:
    """Return the SQLCipher version of a connection ("4.19.0 community")."""
    row = conn.execute("PRAGMA cipher_version").fetchone()
    return str(row[0]) if row else ""


def integrity_problems(conn: CipherConnection) -> list[str]:
    """Return what SQLite's integrity_check and SQLCipher's page HMAC check find ([] if ok)."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    problems = [] if rows == ["ok"] else rows
    problems += [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    return problems


def row_counts(conn: CipherConnection, schema: str = "main") -> dict[str, int]:
    """Return the number of rows in every table of a database, by table name."""
    names = [str(r[0]) for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name")]
    counts: dict[str, int] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        counts[name] = int(conn.execute(f"SELECT count(*) FROM {schema}.{quoted}").fetchone()[0])
    return counts


class ConversionError(SecurityError):
    """An encrypted copy that does not hold what the plain file holds; it was removed."""


@dataclass(frozen=True)
class ExportReport:
    """What an encrypted copy was checked to hold."""

    row_counts: dict[str, int]
    user_version: int


def _pragma_int(conn: CipherConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path.with_name(path.name + suffix))


def export_plain_to_encrypted(plain_path: Path, encrypted_path: Path,
                              key: DataKey) -> ExportReport:
    """Copy a plain SQLite file into a new encrypted file, then check the copy.

    Uses ``sqlcipher_export`` (schema, rows, indexes, triggers, views) and copies what it
    leaves behind (``user_version``, ``application_id``); the copy is put in WAL mode and
    checked: every table's row count equal to the plain file's, SQLite's integrity_check and
    SQLCipher's cipher_integrity_check clean. A copy that fails is removed and
    ConversionError raised; the plain file is only ever read. The caller keeps the backup,
    closes its own connections to the plain file first, and swaps the files.
    """
    plain_path, encrypted_path = Path(plain_path), Path(encrypted_path)
    if encrypted_path.exists():
        raise FileExistsError(f"{encrypted_path} is already there; it was not changed.")
    source = connect_plain(plain_path, readonly=True)
    _create_private(encrypted_path)
    try:
        expected = row_counts(source)
        user_version = _pragma_int(source, "PRAGMA user_version")
        application_id = _pragma_int(source, "PRAGMA application_id")
        source.execute("ATTACH DATABASE ? AS encrypted KEY ?",
                       (_uri(encrypted_path, "rwc"), key.sqlcipher_key()))
        try:
            source.execute(f"PRAGMA encrypted.cipher_compatibility = {CIPHER_COMPATIBILITY}")
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute(f"PRAGMA encrypted.user_version = {user_version}")
            source.execute(f"PRAGMA encrypted.application_id = {application_id}")
        finally:
            source.execute("DETACH DATABASE encrypted")
    except BaseException:
        source.close()
        _remove_database(encrypted_path)
        raise
    source.close()
    try:
        copy = connect(encrypted_path, key)
        try:
            copy.execute("PRAGMA journal_mode = WAL").fetchone()
            found = row_counts(copy)
            problems = integrity_problems(copy)
            found_version = _pragma_int(copy, "PRAGMA user_version")
        finally:
            copy.close()
        if found != expected or problems or found_version != user_version:
            raise ConversionError(
                "The encrypted copy does not hold exactly what the plain file holds "
                f"({_difference(expected, found) or '; '.join(problems[:3])}); it was removed "
                "and the plain file was not changed.")
    except BaseException:
        _remove_database(encrypted_path)
        raise
    return ExportReport(row_counts=found, user_version=user_version)


def _difference(expected: dict[str, int], found: dict[str, int]) -> str:
    names = sorted(set(expected) | set(found))
    return ", ".join(f"{n}: {expected.get(n)} rows, copy {found.get(n)}" for n in names
                     if expected.get(n) != found.get(n))


def backup_encrypted(source: CipherConnection, destination: Path, key: DataKey, *,
                     pages_per_step: int = 1024) -> None:
    """Copy an open encrypted database to a new file encrypted with the same key.

    SQLite's online backup between two connections keyed alike (the only kind SQLCipher
    allows: it copies encrypted pages). Written to a temporary name beside ``destination``,
    checked, then renamed into place, so a half-made backup never carries the final name.
    """
    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(f"{destination} is already there; it was not changed.")
    tmp = destination.with_name(f".{destination.name}.{secrets.token_hex(6)}.tmp")
    try:
        target = connect(tmp, key, create=True)
        try:
            source.backup(cast(Any, target), pages=pages_per_step)
            problems = integrity_problems(target)
        finally:
            target.close()
        if problems:
            raise ConversionError("The backup copy failed its check: " + "; ".join(problems[:3]))
        os.replace(tmp, destination)
    except BaseException:
        _remove_database(tmp)
        raise


def rekey(conn: CipherConnection, new_key: DataKey) -> None:
    """Re-encrypt an open database under a new data key (every page is rewritten).

    Not needed to change a passphrase (that rewraps one key slot); only for replacing the
    data key itself, after which every key slot must be made again.
    """
    conn.execute(f'PRAGMA rekey = "{new_key.sqlcipher_key()}"')
