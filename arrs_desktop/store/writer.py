"""The one way anything is written to the caseload: a transaction, audited row writes.

Every part of the store writes through one `Writer`: `transaction()` makes a multi-step
write all-or-nothing and turns SQLite's refusals into plain words; `insert`, `update` and
`delete` write a row of the log and its audit line; `event` writes an audit line alone;
`erased` and `bulk_loaded` audit an erasure and a bulk load; `execute` is for the derived
columns the store keeps in step itself (never audited, never offered to the hooks).

The writer is the choke point for whatever must happen with every local write, in the
same transaction: each row written is offered to the `hooks` (a `RowWritten` each) before
the transaction commits: one for each audit line, and no audit line is written any other
way. Team sync adds its hook here (it records the change in the outbox:
`arrs_desktop.team.outbox.record_change`); a hook that raises rolls the write back.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from arrs_desktop.store.errors import (
    ConcurrentChange,
    StoreConflictError,
    StoreDamagedError,
    write_error,
)
from arrs_desktop.store.rows import Db, Params, Row, dumps, later_than, new_id, now_iso

BATCH_CACHE_KIB = 256 * 1024  # page cache for one bulk transaction (see Writer.batch)

WriteKind = Literal["insert", "update", "delete", "event", "erase", "bulk"]


@dataclass(frozen=True)
class RowWritten:
    """One row written in a transaction (what a write hook is told).

    `values` are the columns written: every column of an insert, the changed ones of an
    update (with `updated_at`, `device_id`), none of a delete. `kind` "event" is an audit
    line that changes no row; "erase" is a person erased with everything about them;
    "bulk" is a bulk load (demo caseloads), told once with its row counts, not row by row.
    """

    kind: WriteKind
    table: str
    row_id: str
    person_id: str | None
    values: Mapping[str, Any] = field(default_factory=dict)
    action: str = ""  # the audit action (create, update, delete, restore, erase...)


WriteHook = Callable[[RowWritten], None]


class Health(Protocol):
    """What the writer asks of the file's health before writing (store/health.py)."""

    def require_writable(self) -> None: ...

    def mark_damaged(self, problem: str) -> None: ...

    def damaged_message(self) -> str: ...


_savepoints = itertools.count(1)


class Writer:
    """Audited, atomic writes on the store's connection, offered to the write hooks."""

    def __init__(self, db: Db, health: Health, *, user: str, device_id: str,
                 errors: tuple[type[Exception], ...] = (sqlite3.Error,)) -> None:
        self.db = db
        self.health = health
        self.user = user
        self.device_id = device_id
        self.errors = errors
        self.new_id: Callable[[], str] = new_id  # replaceable for reproducible demo data
        self.hooks: list[WriteHook] = []

    @property
    def conn(self) -> sqlite3.Connection:
        """Return the connection written through (the store's; a new one after a reopen)."""
        return self.db.conn

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a multi-step write as one transaction: all of it is saved, or none.

        Inside another transaction this is a savepoint (its part alone rolls back on an
        error). A refusal by the file or the disk (busy, read-only, full, I/O error,
        damage) is raised as a StoreWriteError that says why in plain words; nothing was
        written.
        """
        conn = self.conn
        if conn.in_transaction:
            with self._savepoint():
                yield
            return
        self.health.require_writable()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except self.errors as exc:
            raise self._refusal(exc) from exc
        try:
            yield
            conn.execute("COMMIT")
        except self.errors as exc:
            if conn.in_transaction:
                with contextlib.suppress(*self.errors):
                    conn.execute("ROLLBACK")
            raise self._refusal(exc) from exc
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(*self.errors):
                    conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"arrs_{next(_savepoints)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.conn.execute(f"RELEASE SAVEPOINT {name}")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (bulk loads): all are saved, or none.

        The outermost batch gives the connection a larger page cache (BATCH_CACHE_KIB)
        for its length: a transaction of many thousand rows otherwise spills pages to the
        write-ahead log and writes them again and again (an import of 200,000 people made
        some 17 million writes to the log with the 2 MB default).
        """
        conn = self.conn
        if conn.in_transaction:
            with self.transaction():
                yield
            return
        before = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{BATCH_CACHE_KIB}")
        try:
            with self.transaction():
                yield
        finally:
            conn.execute(f"PRAGMA cache_size = {int(before)}")

    def _refusal(self, exc: BaseException) -> BaseException:
        """Return what to raise for an SQLite error during a write (damage is remembered)."""
        mapped = write_error(exc)
        if isinstance(mapped, StoreDamagedError):
            self.health.mark_damaged(str(exc))
            return StoreDamagedError(self.health.damaged_message())
        return mapped if mapped is not None else exc

    # -- row writes (inside `transaction()`) -----------------------------------------------
    def _audit(self, action: str, table: str, row_id: str, person_id: str | None,
               before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, *,
               at: str | None = None) -> None:
        """Append an audit line, chained to the one before it (store/audit_chain.py)."""
        from arrs_desktop.store.audit_chain import GENESIS, chain_hash, values_hash

        at = at or now_iso()
        before_json = dumps(before) if before is not None else None
        after_json = dumps(after) if after is not None else None
        values = values_hash(before_json, after_json)
        previous = self.db.scalar(
            "SELECT chain_hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
        chained = chain_hash(previous, at, self.user, self.device_id, action, table, row_id,
                             person_id, values)
        self.conn.execute(
            "INSERT INTO audit_log (at, who, device_id, action, table_name, row_id, person_id,"
            " before_json, after_json, values_hash, chain_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [at, self.user, self.device_id, action, table, row_id, person_id, before_json,
             after_json, values, chained],
        )

    def event(self, action: str, detail: Mapping[str, Any] | None = None, *,
              person_id: str | None = None) -> None:
        """Audit something that changes no row (the window was locked, a backup restored,
        a person's record was looked at: `person_id` says whose)."""
        self._audit(action, "app", "-", person_id, None, detail or {})
        self._tell(RowWritten("event", "app", "-", person_id, dict(detail or {}), action))

    def insert(self, table: str, row: Mapping[str, Any], *, person_id: str | None) -> Row:
        """Insert a row (given a new id unless it has one) and audit it; return the row."""
        stamp = now_iso()
        record = {"id": self.new_id(), **row, "created_at": stamp, "updated_at": stamp,
                  "device_id": self.device_id}
        cols = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})",
                          list(record.values()))
        self._audit("create", table, record["id"], person_id, None, record, at=stamp)
        self._tell(RowWritten("insert", table, record["id"], person_id, record, "create"))
        return record

    def insert_link(self, table: str, row: Mapping[str, Any], *, row_id: str,
                    person_id: str | None) -> None:
        """Insert a row with no id of its own (a link between two rows) and audit it."""
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        self._audit("create", table, row_id, person_id, None, row)
        self._tell(RowWritten("insert", table, row_id, person_id, dict(row), "create"))

    def update(self, table: str, row_id: str, changes: Mapping[str, Any], *,
               person_id: str | None, action: str = "update", base_version: str | None = None,
               on_top: bool = False) -> tuple[Row, Row]:
        """Write the fields that differ; with `base_version`, refuse an edit of an old copy.

        `base_version` is the `updated_at` of the copy the form loaded. If the row has
        changed since, a StoreConflictError says who changed what and when, and nothing is
        written; with `on_top` only the fields this edit itself changed (measured against
        the copy it loaded, rebuilt from the audit trail) are written over the row as it is.
        Returns the row before and after.
        """
        before = self.db.row(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if before is None:
            raise KeyError(f"{table} has no row {row_id}")
        if base_version and before["updated_at"] != base_version:
            theirs = self.changes_since(table, row_id, base_version)
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
        stamp = later_than(now_iso(), before.get("updated_at"))
        diff["updated_at"] = stamp
        diff["device_id"] = self.device_id
        assignments = ", ".join(f"{col} = ?" for col in diff)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?",
                          [*diff.values(), row_id])
        after = {**before, **diff}
        changed_keys = [k for k in diff if k not in ("updated_at", "device_id")]
        self._audit(action, table, row_id, person_id,
                    {k: before.get(k) for k in changed_keys},
                    {k: after.get(k) for k in changed_keys}, at=stamp)
        self._tell(RowWritten("update", table, row_id, person_id, diff, action))
        return before, after

    def delete(self, table: str, row_id: str, *, person_id: str | None) -> Row:
        """Delete a row for good and audit what it held; return it."""
        before = self.db.row(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        if before is None:
            raise KeyError(f"{table} has no row {row_id}")
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        self._audit("delete", table, row_id, person_id, before, None)
        self._tell(RowWritten("delete", table, row_id, person_id, {}, "delete"))
        return before

    def erased(self, person_id: str, detail: Mapping[str, Any]) -> None:
        """Audit a person erased with everything about them (the rows are gone already)."""
        self._audit("erase", "people", person_id, person_id, None, detail)
        self._tell(RowWritten("erase", "people", person_id, person_id, dict(detail), "erase"))

    def bulk_loaded(self, detail: Mapping[str, Any]) -> None:
        """Audit a bulk load (its rows were written with `executemany`) in one line."""
        row_id = self.new_id()
        self._audit("bulk_import", "*", row_id, None, None, detail)
        self._tell(RowWritten("bulk", "*", row_id, None, dict(detail), "bulk_import"))

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run a write that is not a row of the log (derived columns kept in step by the
        store, bulk loads); it is neither audited nor offered to the hooks."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one write for many rows (bulk loads; audited by their caller)."""
        return self.conn.executemany(sql, rows)

    def _tell(self, written: RowWritten) -> None:
        for hook in list(self.hooks):
            hook(written)

    # -- reading the audit trail -----------------------------------------------------------
    def changes_since(self, table: str, row_id: str, version: str) -> list[ConcurrentChange]:
        """Return the audited changes to a row saved after `version`, oldest first."""
        rows = self.db.rows(
            "SELECT at, who, device_id, action, before_json, after_json FROM audit_log"
            " WHERE table_name = ? AND row_id = ? AND at > ? ORDER BY seq",
            [table, row_id, version])
        return [ConcurrentChange(
            at=r["at"], who=r["who"], device_id=r["device_id"], action=r["action"],
            before=json.loads(r["before_json"]) if r["before_json"] else {},
            after=json.loads(r["after_json"]) if r["after_json"] else {}) for r in rows]
