"""Open a caseload file safely and give every store area its audited write helpers."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from arrs_desktop.store.schema import APP_ID, MIGRATION_SET, known_migration_names, migrations

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


class StoreDamagedError(StoreWriteError):
    """The file is damaged: nothing is written to it; the change was not saved."""


@dataclass(frozen=True)
class ConcurrentChange:
    """A change someone else saved to a record after a form loaded it."""

    at: str
    who: str
    device_id: str
    action: str
    before: dict
    after: dict


class StoreConflictError(StoreWriteError):
    """The record changed after the form loaded it; nothing was saved.

    `theirs` are the changes saved since (oldest first), `mine` the fields this save would
    have changed (name -> new value), `current` the record as it is now.
    """

    def __init__(self, table: str, row_id: str, theirs: list[ConcurrentChange],
                 mine: dict, current: dict | None, message: str = "") -> None:
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


class StoreCheckingError(StoreWriteError):
    """The file is still being checked for damage after opening; the change was not saved."""


def write_error(exc: sqlite3.Error) -> StoreWriteError | None:
    """Return the StoreWriteError that says in plain words why SQLite refused a write.

    None when the error is not about the file or the disk (a bug, or a constraint).
    """
    code = getattr(exc, "sqlite_errorname", "") or ""
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
        return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=2.0)
    # No write-ahead log: everything is in the file itself, so read it as it stands.
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=2.0)


class FileBusyError(StoreOpenError):
    """Another program holds the file to itself; it is not damaged and was not changed."""


def _busy_open_message(path: Path) -> str:
    return (
        f"{path.name} is in use by another program that keeps it to itself, so it cannot be "
        "opened now. The file is not damaged and has not been changed: close the other "
        "program (another ARRS Desktop window, a database tool or a backup tool), then "
        "open it again."
    )


def is_busy_error(exc: BaseException) -> bool:
    """Return whether an SQLite error means another connection holds a lock."""
    code = getattr(exc, "sqlite_errorname", "") or ""
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "locked" in text


def inspect_file(path: Path) -> str:
    """Classify a file without changing it: 'new', 'empty' or 'arrs'; raise if unusable.

    Only SQLite reads the file: opening and closing any other handle on it would drop the
    locks that this process's own connections hold (POSIX advisory locks are per process),
    and the next program to close the file would then delete its write-ahead log.
    """
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
    try:
        conn = connect_readonly(path)
    except sqlite3.Error as exc:  # pragma: no cover - depends on the file system
        raise CorruptDatabaseError(f"{path.name} cannot be read: {exc}. Not changed.") from exc
    try:
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            if is_busy_error(exc):
                raise FileBusyError(_busy_open_message(path)) from exc
            if "not a database" in str(exc).lower():
                raise NotArrsDatabaseError(
                    f"{path.name} is not an ARRS Desktop database (it is not an SQLite "
                    "file). It has not been changed."
                ) from exc
            raise
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
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
    except sqlite3.DatabaseError as exc:
        if is_busy_error(exc):
            raise FileBusyError(_busy_open_message(path)) from exc
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


def _make_private_before_connecting(path: Path, kind: str) -> None:
    """Make an existing file (and its log) readable by this user only, if others could.

    No connection to the file exists yet in this store, and `chmod` opens no handle. A new
    file is made private as SQLite creates it (see `_connect`).
    """
    from arrs_desktop.paths import make_private

    if kind == "new":
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        make_private(path.with_name(name))


@contextmanager
def _private_creation(new: bool) -> Iterator[None]:
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
        from arrs_desktop.store.health import FileHealth, is_trusted

        self.path = Path(path)
        kind = inspect_file(self.path)
        trusted = kind != "arrs" or is_trusted(self.path)
        _make_private_before_connecting(self.path, kind)
        self.user = user or "unknown user"
        self.device_id = device_id or "unknown-device"
        self.busy_timeout_ms = int(busy_timeout_ms)
        self._before_migrate = before_migrate
        self.new_id = new_id  # replaceable for reproducible demo data
        self.write_listeners: list = []  # called with no arguments after each committed write
        self._readers: ReaderPool | None = ReaderPool(self)
        # No sqlite-utils plugins: whatever happens to be installed next to the app must
        # not change the caseload's connection (and looking for them costs 50 ms at start).
        with _private_creation(kind == "new"):
            self.db = Database(self.path, execute_plugins=False)
            self.db.conn.execute("PRAGMA schema_version").fetchone()  # the file exists now
        try:
            self._configure()
            self.health = FileHealth(self, trusted=trusted)
            self._migrate(kind, before_migrate)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if is_busy_error(exc):
                raise FileBusyError(_busy_open_message(self.path)) from exc
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
        if self.health.check_now() != "ok":
            raise CorruptDatabaseError(
                f"{self.path.name} needs upgrading to this version, but it is damaged "
                f"({self.health.problem}), so it was not upgraded and has not been changed. "
                "Restore it from a backup."
            )
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
            if is_busy_error(exc):
                raise FileBusyError(_busy_open_message(self.path)) from exc
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
        """Close the database file (and every reader borrowed from this store).

        A file found undamaged that no other connection changed meanwhile is remembered as
        cleanly closed, so that the next open need not check it again.
        """
        from arrs_desktop.store.health import remember_clean

        health = getattr(self, "health", None)
        trusted = health is not None and health.clean_close_trusted()
        self._record_audit_anchor()
        readers = getattr(self, "_readers", None)
        if readers is not None:
            readers.close()
        self.db.close()
        if trusted:
            remember_clean(self.path)

    def _record_audit_anchor(self) -> None:
        """Remember the newest audit line outside the file, so a cut log is noticed."""
        from arrs_desktop.store.audit_chain import record_anchor_from

        record_anchor_from(self.db.conn, self.path)

    def reopen(self) -> None:
        """Open the file again after `close()` (after a restore), as the same store object.

        Whoever holds this store keeps it; the file is checked and upgraded as on any open.
        """
        listeners = self.write_listeners
        StoreBase.__init__(self, self.path, user=self.user, device_id=self.device_id,
                           before_migrate=self._before_migrate,
                           busy_timeout_ms=self.busy_timeout_ms)
        self.write_listeners = listeners

    def readers(self) -> ReaderPool:
        """Return the pool of read-only connections that worker threads borrow."""
        if self._readers is None:
            raise StoreOpenError("A reader lends no readers of its own.")
        return self._readers

    @classmethod
    def _as_reader(cls, owner: StoreBase) -> StoreBase:
        """Return a read-only store of the same kind on a new connection to owner's file.

        The schema is the owner's (it opened and upgraded the file), so nothing is checked
        or migrated here; the connection refuses writes.
        """
        reader = cls.__new__(cls)
        reader.path = owner.path
        reader.user = owner.user
        reader.device_id = owner.device_id
        reader.busy_timeout_ms = owner.busy_timeout_ms
        reader.new_id = new_id
        reader.write_listeners = []
        reader.is_new = False
        reader._readers = None
        reader.health = owner.health
        conn = sqlite3.connect(owner.path, check_same_thread=False)
        reader.db = Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {owner.busy_timeout_ms}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA query_only = ON")
        return reader

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Run a multi-step write as one transaction: all of it is saved, or none.

        A refusal by the file or the disk (busy, read-only, full, I/O error, damage) is
        raised as a StoreWriteError that says why in plain words; nothing was written.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.health.require_writable()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._refusal(exc) from exc
        try:
            with self.db.atomic():
                yield
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise self._refusal(exc) from exc
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        for listener in list(self.write_listeners):
            listener()

    def _refusal(self, exc: sqlite3.Error) -> Exception:
        """Return what to raise for an SQLite error during a write (damage is remembered)."""
        mapped = write_error(exc)
        if isinstance(mapped, StoreDamagedError):
            self.health.mark_damaged(str(exc))
            return StoreDamagedError(self.health.damaged_message())
        return mapped if mapped is not None else exc

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
        from arrs_desktop.domain.validation import ValidationError, clean_id

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
        *,
        at: str | None = None,
    ) -> None:
        from arrs_desktop.store.audit_chain import GENESIS, chain_hash, values_hash

        at = at or now_iso()
        before_json = dumps(before) if before is not None else None
        after_json = dumps(after) if after is not None else None
        values = values_hash(before_json, after_json)
        previous = self._scalar(
            "SELECT chain_hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
        chained = chain_hash(previous, at, self.user, self.device_id, action, table, row_id,
                             person_id, values)
        self.db.execute(
            "INSERT INTO audit_log (at, who, device_id, action, table_name, row_id, person_id,"
            " before_json, after_json, values_hash, chain_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [at, self.user, self.device_id, action, table, row_id, person_id, before_json,
             after_json, values, chained],
        )

    def _insert(self, table: str, row: Mapping[str, Any], *, person_id: str | None) -> dict:
        stamp = now_iso()
        record = {"id": self.new_id(), **row, "created_at": stamp, "updated_at": stamp,
                  "device_id": self.device_id}
        cols = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(record.values()))
        self._audit("create", table, record["id"], person_id, None, record, at=stamp)
        return record

    def _update(
        self,
        table: str,
        row_id: str,
        changes: Mapping[str, Any],
        *,
        person_id: str | None,
        action: str = "update",
        base_version: str | None = None,
        on_top: bool = False,
    ) -> tuple[dict, dict]:
        """Write the fields that differ; with `base_version`, refuse an edit of an old copy.

        `base_version` is the `updated_at` of the copy the form loaded. If the row has
        changed since, a StoreConflictError says who changed what and when, and nothing is
        written; with `on_top` only the fields this edit itself changed (measured against
        the copy it loaded, rebuilt from the audit trail) are written over the row as it is.
        """
        before = self._row(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if before is None:
            raise KeyError(f"{table} has no row {row_id}")
        if base_version and before["updated_at"] != base_version:
            theirs = self._changes_since(table, row_id, base_version)
            loaded = dict(before)
            for change in reversed(theirs):
                loaded.update(change.before)
            mine = {k: v for k, v in changes.items() if loaded.get(k) != v}
            if not on_top:
                raise StoreConflictError(table, row_id, theirs, mine, dict(before))
            changes = mine
        diff = {k: v for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return before, before
        stamp = _later_than(now_iso(), before.get("updated_at"))
        diff["updated_at"] = stamp
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
            at=stamp,
        )
        return before, after

    def _changes_since(self, table: str, row_id: str, version: str) -> list[ConcurrentChange]:
        """Return the audited changes to a row saved after `version`, oldest first."""
        rows = self._rows(
            "SELECT at, who, device_id, action, before_json, after_json FROM audit_log"
            " WHERE table_name = ? AND row_id = ? AND at > ? ORDER BY seq",
            [table, row_id, version])
        return [ConcurrentChange(
            at=r["at"], who=r["who"], device_id=r["device_id"], action=r["action"],
            before=json.loads(r["before_json"]) if r["before_json"] else {},
            after=json.loads(r["after_json"]) if r["after_json"] else {}) for r in rows]


def _later_than(stamp: str, previous: str | None) -> str:
    """Return `stamp`, or a microsecond after `previous` if the clock has not moved past it.

    Every saved change gives its row a new version, even when two land in the same
    microsecond or the clock has been set back.
    """
    if not previous or stamp > previous:
        return stamp
    try:
        return (datetime.fromisoformat(previous) + timedelta(microseconds=1)).isoformat(
            timespec="microseconds")
    except ValueError:
        return stamp


class ReaderPool:
    """Read-only connections to an open store's file, lent to worker threads one at a time.

    Every connection here is an SQLite connection to the same file, so the process never
    opens the file any other way. A reader is made on first need, handed back after each
    job and reused. Closing the pool closes the idle readers, interrupts the ones lent out
    and waits (a little) for them to come back, so that the file is really let go.
    """

    CLOSE_WAIT_S = 10.0

    def __init__(self, owner: StoreBase) -> None:
        self._owner = owner
        self._idle: list[StoreBase] = []
        self._lent: list[StoreBase] = []
        self._cond = threading.Condition()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Any]:
        """Lend a read-only store (of the owner's kind) for the length of a `with` block."""
        with self._cond:
            if self._closed:
                raise StoreOpenError("The caseload file has been closed.")
            reader = self._idle.pop() if self._idle else None
            if reader is not None:
                self._lent.append(reader)
        if reader is None:
            reader = type(self._owner)._as_reader(self._owner)
            with self._cond:
                self._lent.append(reader)
        try:
            yield reader
        finally:
            with self._cond:
                self._lent.remove(reader)
                keep = not self._closed
                if keep:
                    self._idle.append(reader)
                self._cond.notify_all()
            if not keep:
                reader.db.close()

    def close(self) -> None:
        """Close every reader: the idle ones now, the lent ones once interrupted and back."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            for reader in self._lent:
                reader.db.conn.interrupt()
            self._cond.wait_for(lambda: not self._lent, timeout=self.CLOSE_WAIT_S)
        for reader in idle:
            reader.db.close()
