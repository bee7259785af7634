"""Nothing acknowledged is lost: kill a writer mid-write again and again, then check the file."""

from __future__ import annotations

import random
import signal
import sqlite3
import time

import pytest

from tests.crash_helpers import acknowledged, check_whole, seed_person, start_writer

KILLS = 24


def test_killed_writer_loses_nothing_acknowledged(tmp_path):
    db = tmp_path / "crash.db"
    person_id, goal_id = seed_person(db)
    rng = random.Random(20261126)
    expected: set[str] = set()
    killed_mid_stream = 0
    for _ in range(KILLS):
        proc = start_writer(db, person_id, goal_id)
        ready = proc.stdout.readline()
        assert ready.strip() == "ready", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        ids = acknowledged(out)
        killed_mid_stream += bool(ids)
        expected.update(ids)
        check_whole(db, expected)
    # The kills really landed while sessions were being written.
    assert killed_mid_stream >= KILLS // 2
    assert len(expected) > KILLS


def test_check_notices_a_lost_write(tmp_path):
    """The checker above can fail: an acknowledged id that is not in the file is caught."""
    db = tmp_path / "crash.db"
    seed_person(db)
    with pytest.raises(AssertionError, match="lost"):
        check_whole(db, {"00000000-0000-4000-8000-000000000000"})


def test_check_notices_a_half_written_session(tmp_path):
    """A session row without its ONS4 row is caught by the checker."""
    db = tmp_path / "crash.db"
    person_id, _goal_id = seed_person(db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO sessions (id, person_id, date, role, kind, mode, minutes, created_at,"
        " updated_at, device_id) VALUES ('s1', ?, '2026-01-01', 'splw', 'review', 'phone', 5,"
        " 'x', 'x', 'x')", [person_id])
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError):
        check_whole(db, {"s1"})


def test_killed_writer_loses_nothing_acknowledged_in_an_encrypted_caseload(tmp_path,
                                                                           monkeypatch):
    """The same, with SQLCipher writing the file and its WAL under the data key."""
    from arrs_desktop.access.session import create_caseload
    from tests.security.conftest import CHEAP

    db = tmp_path / "crash.db"
    passphrase = "kettle orbit lantern"
    session, _recovery = create_caseload(db, name="Crash Writer", role="splw",
                                         passphrase=passphrase, kdf=CHEAP)
    monkeypatch.setenv("ARRS_PASSPHRASE", passphrase)  # the writer processes sign in
    try:
        person_id, goal_id = seed_person(db)
        rng = random.Random(20261201)
        expected: set[str] = set()
        for _ in range(KILLS // 2):
            proc = start_writer(db, person_id, goal_id)
            ready = proc.stdout.readline()
            assert ready.strip() == "ready", proc.stderr.read()
            time.sleep(rng.uniform(0.0, 0.25))
            proc.send_signal(signal.SIGKILL)
            out, _err = proc.communicate(timeout=30)
            expected.update(acknowledged(out))
            check_whole(db, expected)
        assert len(expected) > KILLS // 2
        assert db.read_bytes()[:16] != b"SQLite format 3\x00"
    finally:
        session.end()
