"""The bench's own SQL (`arrs bench`, tools/bench.py): picking its people, and the bare-SQL
floor each figure is compared with, run on bare connections to the bench file (from its
connector: plain SQLite, or SQLCipher with the same data key for an encrypted bench file).

Kept in the store, like every other SQL statement of the package; only the bench uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrs_desktop.domain.models import CaseloadFilter
from arrs_desktop.store.connector import connect_readonly, connector_for

if TYPE_CHECKING:
    from arrs_desktop.store.store import Store


def people_on(path: Path) -> int:
    try:  # read only, leaving no -wal or -shm behind that was not there
        errors = connector_for(path).errors
        conn = connect_readonly(path)
    except Exception:  # noqa: BLE001 - locked, damaged, not a caseload: no people to count
        return -1
    try:
        return int(conn.execute("SELECT count(*) FROM people WHERE deleted_at IS NULL"
                                ).fetchone()[0])
    except errors:
        return -1
    finally:
        conn.close()


def reads_during(store: Store, func: Callable[[], object]) -> list[str]:
    """Run `func`; return the read statements it sent to the store's file, as run."""
    statements: list[str] = []
    conn = store.conn
    conn.set_trace_callback(statements.append)
    try:
        func()
    finally:
        conn.set_trace_callback(None)
    return [s for s in statements if s.lstrip()[:6].upper().startswith(("SELECT", "WITH"))]


class FloorQueries:
    """The bare SQL behind each figure, on a bare connection from the file's connector."""

    def __init__(self, path: Path) -> None:
        self.conn = connector_for(path).connect(path)
        self.conn.isolation_level = None
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._floor_ids: list[str] = []

    def close(self) -> None:
        """Remove the floor's own session rows and close."""
        if self._floor_ids:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("DELETE FROM sessions WHERE id = ?",
                                  [(i,) for i in self._floor_ids])
            self.conn.execute("COMMIT")
        self.conn.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Return every row of a query."""
        return self.conn.execute(sql, list(params)).fetchall()

    def open_first_page(self, path: Path, store: Store, flt: CaseloadFilter) -> None:
        """Connect, then count and first page."""
        conn = connector_for(path).connect(path)
        for sql, params in (store.caseload.count_sql(flt), store.caseload.page_sql(flt, 0, 200)):
            conn.execute(sql, params).fetchall()
        conn.close()

    def replay(self, statements: list[str]) -> None:
        """Run read statements exactly as the app ran them, fetching every row."""
        for sql in statements:
            self.conn.execute(sql).fetchall()

    def write_session(self, row: dict[str, Any]) -> None:
        """Durably insert one session row (removed again when the bench ends)."""
        row = {**row, "id": f"bench-floor-{len(self._floor_ids)}-{time.time_ns()}"}
        self._floor_ids.append(row["id"])
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(f"INSERT INTO sessions ({cols}) VALUES ({marks})", list(row.values()))
        self.conn.execute("COMMIT")

    def checkpoint(self) -> None:
        """Fold the write-ahead log back into the file."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@dataclass
class BenchPerson:
    """The person the per-person figures use: the busiest one with an open episode."""

    id: str
    nhs_number: str | None
    episode_id: str
    role: str
    worker: str


def pick_person(path: Path) -> BenchPerson:
    """Return the person with the most sessions among those with an active episode."""
    conn = connect_readonly(path)
    try:
        row = conn.execute(
            "SELECT p.id, p.nhs_number, e.id, e.role, e.worker FROM people p"
            " JOIN episodes e ON e.person_id = p.id AND e.status = 'active'"
            " WHERE p.deleted_at IS NULL AND p.nhs_number IS NOT NULL"
            " ORDER BY (SELECT count(*) FROM sessions s WHERE s.person_id = p.id) DESC, p.id"
            " LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise LookupError("the caseload has no one with an active episode to open")
    return BenchPerson(*row)


def pick_other_person(path: Path, person_id: str) -> str:
    """Return someone else with an open episode, to be on screen before the bench person."""
    conn = connect_readonly(path)
    try:
        row = conn.execute(
            "SELECT id FROM people WHERE deleted_at IS NULL AND id != ?"
            " AND episode_status IN ('active', 'on_hold') ORDER BY id LIMIT 1", [person_id]
        ).fetchone()
    finally:
        conn.close()
    return row[0] if row else person_id


def describe_caseload(path: Path) -> dict[str, Any]:
    conn = connect_readonly(path)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("people", "episodes", "goals", "sessions", "goal_progress")}
    finally:
        conn.close()
    size = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal")
               if Path(f"{path}{s}").exists())
    return {"rows": counts, "db_size_mb": round(size / 2**20, 1)}
