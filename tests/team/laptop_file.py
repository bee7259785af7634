"""A caseload file with the team tables, for the local-side and sync tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from arrs_desktop.store import open_store
from arrs_desktop.team import outbox
from arrs_desktop.team.entries import ChangeEntry, EntryKind, JSONValue
from arrs_desktop.team.tables import CASELOAD_SCHEMA
from tests.team.team_sim import next_id

SCHEMA = CASELOAD_SCHEMA


class Laptop:
    """A caseload file with the team tables, written the way the store will write it."""

    def __init__(self, path: Path, device: str) -> None:
        store = open_store(path, user="Test Worker", device_id=device)
        store.close()
        self.path = path
        self.device = device
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'team_outbox'"
                                 ).fetchone():
            self.conn.executescript(outbox.LOCAL_MIGRATION_SQL)
        self.clock = outbox.load_clock(self.conn, device)

    def insert(self, table: str, values: dict[str, JSONValue]) -> ChangeEntry:
        """Add a row and record it, in one transaction (as a store write would)."""
        row_id = next_id()
        with self.conn:
            row = {"id": row_id, **values, "updated_at": "2026-01-01T00:00:00.000000+00:00",
                   "device_id": self.device}
            self.conn.execute(
                f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()))
            return outbox.record_change(self.conn, SCHEMA, self.clock, "Test Worker", table,
                                        row_id, EntryKind.INSERT, values)

    def update(self, table: str, row_id: str, values: dict[str, JSONValue], *,
               resolve: bool = False) -> ChangeEntry:
        with self.conn:
            sets = ", ".join(f"{c} = ?" for c in values)
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?",
                              [*values.values(), row_id])
            return outbox.record_change(self.conn, SCHEMA, self.clock, "Test Worker", table,
                                        row_id, EntryKind.UPDATE, values, resolve=resolve)

    def value(self, table: str, row_id: str, column: str) -> object:
        row = self.conn.execute(f"SELECT {column} FROM {table} WHERE id = ?", [row_id]
                                ).fetchone()
        return None if row is None else row[0]

    def take(self, entries: list[ChangeEntry], cursor: int = 0) -> outbox.AppliedPull:
        return outbox.apply_pulled(self.conn, SCHEMA, entries, cursor, self.clock)
