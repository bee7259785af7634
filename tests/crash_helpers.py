"""Crash-safety helpers: start a writer process, read what it acknowledged, check the file."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from arrs_desktop.domain.models import Goal, Person
from arrs_desktop.store import open_store

WRITER = Path(__file__).resolve().parent / "crash_writer.py"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def start_writer(db: Path, person_id: str, goal_id: str, count: int = 0,
                 busy_ms: int = 10_000) -> subprocess.Popen:
    """Start a writer process on the file."""
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), person_id, goal_id, str(count), str(busy_ms)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def acknowledged(output: str) -> list[str]:
    """Return the ids a writer printed in full (a line cut by the kill is not counted)."""
    lines = output.split("\n")[:-1]  # the last piece has no newline: not acknowledged
    return [line for line in lines if UUID.match(line)]


def seed_person(db: Path) -> tuple[str, str]:
    """Add one person with a goal; return their ids."""
    store = open_store(db, user="Test Worker", device_id="test-device")
    person = store.people.add(Person(name="Crash Test", date_of_birth=date(1950, 1, 1)))
    goal = store.goals.add(Goal(person_id=person.id, title="Walk to the shop", owner_role="splw",
                               baseline=3))
    store.close()
    return person.id, goal.id


def check_whole(db: Path, expected: set[str]) -> None:
    """Reopen the file and check nothing acknowledged is missing and nothing is half-written."""
    store = open_store(db, user="Checker", device_id="checker")
    try:
        conn = store.db.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        present = {r[0] for r in conn.execute("SELECT id FROM sessions")}
        missing = expected - present
        assert not missing, f"{len(missing)} acknowledged sessions lost"
        # Every session the writer logged carries ONS4 and a goal score: all or nothing.
        assert conn.execute(
            "SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM outcome_measures m"
            " WHERE m.session_id = s.id AND m.ons4_life_satisfaction IS NOT NULL)"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM sessions s WHERE NOT EXISTS"
            " (SELECT 1 FROM goal_progress g WHERE g.session_id = s.id)"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM goal_progress g WHERE NOT EXISTS"
            " (SELECT 1 FROM goals WHERE id = g.goal_id) OR (g.session_id IS NOT NULL AND"
            " NOT EXISTS (SELECT 1 FROM sessions WHERE id = g.session_id))"
        ).fetchone()[0] == 0
        # Every saved row has its audit line, and no audit line outlived its write.
        assert conn.execute(
            "SELECT count(*) FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
            " WHERE a.table_name = 'sessions' AND a.row_id = s.id AND a.action = 'create')"
        ).fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM audit_log a WHERE a.table_name = 'sessions' AND NOT EXISTS"
            " (SELECT 1 FROM sessions s WHERE s.id = a.row_id)"
        ).fetchone()[0] == 0
    finally:
        store.close()
