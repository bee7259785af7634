"""Two programs on one file: no lost write, no corruption, a clear message when busy."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from arrs_desktop.domain.models import Ons4, Person, Session, SessionEntry
from arrs_desktop.store import StoreBusyError, open_store
from tests.crash_helpers import acknowledged, check_whole, seed_person, start_writer

PER_WRITER = 60


def test_two_writer_processes_and_this_one(tmp_path):
    db = tmp_path / "shared.db"
    person_id, goal_id = seed_person(db)
    writers = [start_writer(db, person_id, goal_id, PER_WRITER) for _ in range(2)]
    store = open_store(db, user="Window", device_id="window")
    mine = []
    for n in range(PER_WRITER):
        saved = store.sessions.log(SessionEntry(
            session=Session(person_id=person_id, date=date.today(), role="cc", kind="review",
                            mode="video", minutes=n + 1),
            ons4=Ons4(1, 2, 3, 4), goal_scores=((goal_id, 5, ""),)))
        mine.append(saved.id)
        store.people.add(Person(name=f"Walk-in {n}"))
    store.close()
    theirs = []
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "locked" not in err
        theirs += acknowledged(out)
    assert len(theirs) == 2 * PER_WRITER
    check_whole(db, set(mine) | set(theirs))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 3 * PER_WRITER
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == PER_WRITER + 1
    conn.close()


def test_write_held_off_too_long_gives_a_clear_message(store):
    store.close()
    waiting = open_store(store.path, user="W", device_id="d", busy_timeout_ms=50)
    audit_before = waiting.audit.count()
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusyError, match="busy in another window or program") as info:
            waiting.people.add(Person(name="Cannot Save Yet"))
        assert "not saved" in str(info.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert waiting.people.count() == 0
    assert waiting.audit.count() == audit_before
    # once the other program lets go, the same write goes through
    waiting.people.add(Person(name="Saved Now"))
    assert waiting.people.count() == 1
    waiting.close()


def test_default_busy_timeout_is_set(store):
    assert store.db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
