"""A file another program keeps to itself is reported as busy, never as damaged."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from arrs_desktop.domain.models import Person
from arrs_desktop.store import StoreOpenError, open_store
from arrs_desktop.store.errors import CorruptDatabaseError, FileBusyError

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("COMMIT")
print("holding", flush=True)
time.sleep(60)
"""


@pytest.fixture
def held_file(store):
    store.people.add(Person(name="Ada Held"))
    path = store.path
    store.close()
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "holding"
    yield path
    proc.kill()
    proc.wait()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opening_a_held_file_says_busy_and_what_to_do(held_file):
    before = _digest(held_file)
    with pytest.raises(StoreOpenError) as info:
        open_store(held_file, user="W", device_id="d", busy_timeout_ms=100)
    assert isinstance(info.value, FileBusyError)
    assert not isinstance(info.value, CorruptDatabaseError)
    text = str(info.value)
    assert "in use by another program" in text and "not damaged" in text
    assert "Restore" not in text and "backup" not in text.split("(")[0]
    assert _digest(held_file) == before


def test_checking_a_held_file_says_busy_not_damaged(held_file):
    from arrs_desktop.store.backup import check_database

    report = check_database(held_file)
    assert not report.ok
    assert "in use by another program" in report.problems[0]
    assert "damaged" not in report.problems[0].replace("not damaged", "")


def test_the_window_reports_a_held_file_as_busy(held_file):
    done = subprocess.run(
        [sys.executable, "-m", "arrs_desktop.ui.shell.app", "--db", str(held_file),
         "--screenshot", str(held_file.parent / "s.png")],
        capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    err = done.stderr
    assert "in use by another program" in err
    assert "damaged" not in err.replace("not damaged", "")
