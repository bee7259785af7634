"""Open a caseload file safely and give every store area its audited write helpers."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from arrs_desktop.store.schema import APP_ID, MIGRATION_SET, known_migration_names, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BATCH_CACHE_KIB = 256 * 1024  # page cache for one bulk transaction (see StoreBase.batch)


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


def _raise_if_busy(exc: sqlite3.OperationalError) -> None:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        raise StoreBusyError(
            "The caseload file is busy in another window or program, so this change was not "
            "saved. Try again in a moment."
        ) from exc


def now_iso() -> str:
    """Return the current UTC time as ISO text with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    """Return a new random UUID as text."""
    return str(uuid.uuid4())


def iso(value: date | None) -> str | None:
    """Return a date as ISO text (or None)."""
    return value.isoformat() if value is not None else None


def to_date(value: str | None) -> date | None:
    """Parse ISO date text from the database."""
    return date.fromisoformat(value) if value else None


def connect_readonly(path: Path) -> sqlite3.Connection:
    """Open a file for reading only, leaving no -wal/-shm files behind that were not there."""
    path = Path(path)
    uri = path.resolve().as_uri()
    if path.with_name(path.name + "-wal").exists():
        return sqlite3.connect(f"{uri}?mode=ro", uri=True)
    # No write-ahead log: everything is in the file itself, so read it as it stands.
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)


def inspect_file(path: Path) -> str:
    """Classify a file without changing it: 'new', 'empty' or 'arrs'; raise if unusable."""
    path = Path(path)
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
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_MAGIC):
        raise NotArrsDatabaseError(
            f"{path.name} is not an ARRS Desktop database (it is not an SQLite file). "
            "It has not been changed."
        )
    if len(header) < 100 or (size < _expected_size(header) and not _has_journal(path)):
        raise CorruptDatabaseError(
            f"{path.name} is damaged (the file is cut short). It has not been changed. "
            "Restore it from a backup."
        )
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:  # pragma: no cover - depends on the file system
        raise CorruptDatabaseError(f"{path.name} cannot be read: {exc}. Not changed.") from exc
    try:
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
    except sqlite3.DatabaseError as exc:
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


def _expected_size(header: bytes) -> int:
    """Return the file size the SQLite header promises (0 when it does not say)."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    if pages == 0 or change_counter != valid_for:
        return 0
    return page_size * pages


def schema_version(db: Database) -> str:
    """Return the name of the newest migration applied to a database."""
    rows = list(
        db.query(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        )
    )
    return rows[-1]["name"] if rows else ""


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Serialise a row or value to stable JSON for the audit log."""
    return json.dumps(_jsonable(value), sort_keys=True, ensure_ascii=False)


class StoreBase:
    """Connection, pragmas, migrations and the audited insert/update helpers."""

    def __init__(
        self,
        path: str | Path,
        *,
        user: str = "",
        device_id: str = "",
        before_migrate=None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> None:
        self.path = Path(path)
        kind = inspect_file(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.user = user or "unknown user"
        self.device_id = device_id or "unknown-device"
        self.busy_timeout_ms = int(busy_timeout_ms)
        self.new_id = new_id  # replaceable for reproducible demo data
        self.write_listeners: list = []  # called with no arguments after each committed write
        # No sqlite-utils plugins: whatever happens to be installed next to the app must
        # not change the caseload's connection (and looking for them costs 50 ms at start).
        self.db = Database(self.path, execute_plugins=False)
        try:
            self._configure()
            self._migrate(kind, before_migrate)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise CorruptDatabaseError(
                f"{self.path.name} could not be opened ({exc}). It has not been changed."
            ) from exc
        except BaseException:
            self.db.close()
            raise
        self.is_new = kind in ("new", "empty")

    def _migrate(self, kind: str, before_migrate) -> None:
        """Bring the schema up to date: back up first, then every step in one transaction."""
        if kind != "arrs":
            migrations.apply(self.db)
            return
        if not migrations.pending(self.db):
            return
        if before_migrate is not None:
            try:
                before_migrate(self.path)
            except (OSError, sqlite3.Error) as exc:
                raise MigrationError(
                    f"{self.path.name} needs upgrading, but it could not be backed up first "
                    f"({exc}), so it was not upgraded and has not been changed."
                ) from exc
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            _raise_if_busy(exc)
            raise
        try:
            migrations.apply(self.db)
            conn.execute("COMMIT")
            # An upgrade that builds indexes leaves a large write-ahead log, and every read
            # checks it until it is folded back in: do that now, once.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, Exception):
                raise MigrationError(
                    f"Upgrading {self.path.name} to this version failed ({exc}). The file was "
                    "left as it was; it still opens with the version that made it."
                ) from exc
            raise

    def _configure(self) -> None:
        conn = self.db.conn
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the database file."""
        self.db.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Run a multi-step write as one transaction: all of it is saved, or none."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            _raise_if_busy(exc)
            raise
        try:
            with self.db.atomic():
                yield
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            _raise_if_busy(exc)
            raise
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        for listener in list(self.write_listeners):
            listener()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (bulk loads): all are saved, or none.

        The outermost batch gives the connection a larger page cache (BATCH_CACHE_KIB)
        for its length: a transaction of many thousand rows otherwise spills pages to the
        write-ahead log and writes them again and again (an import of 200,000 people made
        some 17 million writes to the log with the 2 MB default).
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self._writing():
                yield
            return
        before = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{BATCH_CACHE_KIB}")
        try:
            with self._writing():
                yield
        finally:
            conn.execute(f"PRAGMA cache_size = {int(before)}")

    @staticmethod
    def _check_id(field: str, value, *, required: bool = True) -> str | None:
        """Return a well-formed record id, or raise ValidationError naming the field."""
        from arrs_desktop.validation import ValidationError, clean_id

        try:
            return clean_id(value, required=required)
        except ValueError as exc:
            raise ValidationError(field, str(exc)) from None

    # -- reads -------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable | Mapping | None = None) -> list[dict]:
        return list(self.db.query(sql, params or []))

    def _row(self, sql: str, params: Iterable | Mapping | None = None) -> dict | None:
        for row in self.db.query(sql, params or []):
            return row
        return None

    def _scalar(self, sql: str, params: Iterable | Mapping | None = None):
        cursor = self.db.conn.execute(sql, list(params or []))
        row = cursor.fetchone()
        return row[0] if row else None

    # -- audited writes (call inside `with self.db.atomic():`) -------------------------
    def _audit(
        self,
        action: str,
        table: str,
        row_id: str,
        person_id: str | None,
        before: Mapping | None,
        after: Mapping | None,
    ) -> None:
        self.db.execute(
            "INSERT INTO audit_log (at, who, device_id, action, table_name, row_id, person_id,"
            " before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now_iso(),
                self.user,
                self.device_id,
                action,
                table,
                row_id,
                person_id,
                dumps(before) if before is not None else None,
                dumps(after) if after is not None else None,
            ],
        )

    def _insert(self, table: str, row: Mapping[str, Any], *, person_id: str | None) -> dict:
        stamp = now_iso()
        record = {"id": self.new_id(), **row, "created_at": stamp, "updated_at": stamp,
                  "device_id": self.device_id}
        cols = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(record.values()))
        self._audit("create", table, record["id"], person_id, None, record)
        return record

    def _update(
        self,
        table: str,
        row_id: str,
        changes: Mapping[str, Any],
        *,
        person_id: str | None,
        action: str = "update",
    ) -> tuple[dict, dict]:
        before = self._row(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if before is None:
            raise KeyError(f"{table} has no row {row_id}")
        diff = {k: v for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return before, before
        diff["updated_at"] = now_iso()
        diff["device_id"] = self.device_id
        assignments = ", ".join(f"{col} = ?" for col in diff)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", [*diff.values(), row_id]
        )
        after = {**before, **diff}
        changed_keys = [k for k in diff if k not in ("updated_at", "device_id")]
        self._audit(
            action,
            table,
            row_id,
            person_id,
            {k: before.get(k) for k in changed_keys},
            {k: after.get(k) for k in changed_keys},
        )
        return before, after
