"""Measure team sync against a throw-away local PostgreSQL (the test suite's server).

    .venv/bin/python scripts/team_bench.py [--people 100000]

Prints: server start, a day's work (200 changes) pushed and pulled, and a new laptop
joining a team of N people (push of N people by one laptop, then a fresh file's first sync).
Until `arrs bench --team` exists this is how docs/performance.md's team figures are made.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from arrs_desktop.store import open_store  # noqa: E402
from arrs_desktop.team import outbox, server  # noqa: E402
from arrs_desktop.team.entries import EntryKind, new_entry  # noqa: E402
from arrs_desktop.team.hlc import HybridClock  # noqa: E402
from arrs_desktop.team.sync import sync  # noqa: E402
from arrs_desktop.team.tables import CASELOAD_SCHEMA  # noqa: E402
from tests.pg_server import start_test_postgres  # noqa: E402
from tests.team.team_sim import person_values, session_values  # noqa: E402


def _laptop(folder: Path, name: str) -> tuple[sqlite3.Connection, HybridClock]:
    path = folder / f"{name}.db"
    open_store(path, user="bench", device_id=name).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(outbox.LOCAL_MIGRATION_SQL)
    return conn, outbox.load_clock(conn, name)


def _insert(conn: sqlite3.Connection, clock: HybridClock, table: str, row_id: str,
            values: dict) -> None:
    row = {"id": row_id, **values, "updated_at": values["created_at"],
           "device_id": clock.device}
    conn.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                 list(row.values()))
    outbox.record_change(conn, CASELOAD_SCHEMA, clock, "bench", table, row_id,
                         EntryKind.INSERT, values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    pg = start_test_postgres()
    print(f"server started in {pg.started_in:.2f} s (initdb + pg_ctl start)")
    try:
        dsn = pg.admin_dsn(pg.create_database())
        with psycopg.connect(dsn) as admin:
            server.migrate(admin, "bench_team")
            server.add_member(admin, "bench_ann", "pw")
        member = pg.member_dsn(dsn.rsplit("dbname=", 1)[1], "bench_ann", "pw")
        folder = Path(tempfile.mkdtemp(prefix="arrs-team-bench-"))
        day(folder, member, args.runs)
        join(folder, member, args.people)
    finally:
        pg.cleanup()


def day(folder: Path, dsn: str, runs: int) -> None:
    """A day's work: 50 people, each with a session and two edits (200 changes)."""
    import uuid

    a, clock_a = _laptop(folder, "day-a")
    b, clock_b = _laptop(folder, "day-b")
    pushes, pulls = [], []
    with psycopg.connect(dsn) as conn:
        for _ in range(runs):
            with a:
                for i in range(50):
                    pid = str(uuid.uuid4())
                    _insert(a, clock_a, "people", pid, person_values(f"Person {i}"))
                    _insert(a, clock_a, "sessions", str(uuid.uuid4()), session_values(pid))
                    for column in ("phone", "what_matters"):
                        a.execute(f"UPDATE people SET {column} = 'x' WHERE id = ?", [pid])
                        outbox.record_change(a, CASELOAD_SCHEMA, clock_a, "bench", "people",
                                             pid, EntryKind.UPDATE, {column: f"{column} {i}"})
            began = time.perf_counter()
            result = sync(a, conn, clock_a)
            pushes.append(time.perf_counter() - began)
            assert result.pushed == 200, result
            began = time.perf_counter()
            result = sync(b, conn, clock_b)
            pulls.append(time.perf_counter() - began)
            assert result.pulled == 200, result
    print(f"day's work, 200 changes: push+own pull-back {statistics.median(pushes) * 1000:.0f} ms,"
          f" pull on another laptop {statistics.median(pulls) * 1000:.0f} ms"
          f" (median of {runs})")


def join(folder: Path, dsn: str, people: int) -> None:
    """A team of N people (each with a session) on the server; a new laptop joins."""
    import uuid

    clock = HybridClock("bulk-laptop")
    entries = []
    for i in range(people):
        pid = str(uuid.uuid4())
        entries.append(new_entry(clock, "bench", "people", pid, EntryKind.INSERT,
                                 person_values(f"Person {i}", dob="1950-01-01")))
        entries.append(new_entry(clock, "bench", "sessions", str(uuid.uuid4()),
                                 EntryKind.INSERT, session_values(pid)))
    with psycopg.connect(dsn) as conn:
        began = time.perf_counter()
        for i in range(0, len(entries), 5_000):
            server.push(conn, entries[i:i + 5_000])
        took = time.perf_counter() - began
        print(f"bulk push of {people:,} people + {people:,} sessions ({len(entries):,} entries):"
              f" {took:.1f} s ({len(entries) / took:,.0f} entries/s)")
        laptop, lclock = _laptop(folder, "new-laptop")
        began = time.perf_counter()
        result = sync(laptop, conn, lclock)
        took = time.perf_counter() - began
        count = laptop.execute("SELECT count(*) FROM people").fetchone()[0]
        print(f"new laptop joining ({result.pulled:,} entries pulled and applied):"
              f" {took:.1f} s ({result.pulled / took:,.0f} entries/s); {count:,} people")


if __name__ == "__main__":
    main()
