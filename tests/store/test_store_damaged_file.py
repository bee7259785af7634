"""A damaged caseload file is never written to: refused before the first write, left as it was."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from arrs_desktop.domain.models import Person
from arrs_desktop.store import StoreWriteError, open_store
from arrs_desktop.store.errors import StoreCheckingError, StoreDamagedError


def digest(path: Path) -> str:
    """Return the SHA-256 of a closed file and its companions that exist."""
    h = hashlib.sha256()
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        part = path.with_name(name)
        h.update(name.encode() + (part.read_bytes() if part.exists() else b"-"))
    return h.hexdigest()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


def flip_a_byte(path: Path) -> int:
    """Flip one byte a third of the way in (or a little further on) until SQLite notices."""
    size = path.stat().st_size
    offset = size // 3
    while offset < size:
        data = bytearray(path.read_bytes())
        original = data[offset]
        data[offset] ^= 0xFF
        path.write_bytes(bytes(data))
        if integrity(path) != "ok":
            return offset
        data[offset] = original
        path.write_bytes(bytes(data))
        offset += 4096 + 37
    raise AssertionError("no byte flip was noticed")


@pytest.fixture
def damaged(tmp_path, _demo_template) -> Path:
    path = tmp_path / "damaged.db"
    shutil.copy(_demo_template, path)
    flip_a_byte(path)
    return path


def test_the_store_refuses_to_write_to_a_damaged_file_and_leaves_it_as_it_was(damaged):
    before = digest(damaged)
    store = open_store(damaged, user="W", device_id="d")
    with pytest.raises(StoreDamagedError) as info:
        store.people.add(Person(name="Never Written"))
    assert "damaged" in str(info.value) and "backup" in str(info.value)
    with pytest.raises(StoreDamagedError):  # and stays refused
        store.people.add(Person(name="Never Written Either"))
    store.close()
    assert digest(damaged) == before


def test_import_into_a_damaged_file_refuses_with_one_line_and_changes_nothing(damaged, tmp_path):
    from arrs_desktop.domain.validation import nhs_check_digit

    numbers = [f"{i}{nhs_check_digit(str(i))}" for i in range(999000000, 999000400)
               if nhs_check_digit(str(i)) is not None][:50]
    rows = "nhs_number,name,date_of_birth,postcode,gender\n" + "".join(
        f"{nhs},Person {n},1950-01-01,BF1 2AB,F\n" for n, nhs in enumerate(numbers))
    csv_path = tmp_path / "search.csv"
    csv_path.write_text(rows, encoding="utf-8")
    before = digest(damaged)
    done = subprocess.run([sys.executable, "-m", "arrs_desktop.cli", "import-people",
                           str(csv_path), "--db", str(damaged)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "ARRS_HOME": str(tmp_path / "home")})
    assert done.returncode != 0
    assert "damaged" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout.strip() == "" or "Imported" not in done.stdout
    assert digest(damaged) == before
    assert not (damaged.parent / "backups").exists() or not any(
        (damaged.parent / "backups").iterdir()), "a damaged file was backed up"


def test_a_write_while_the_file_is_still_being_checked_is_refused_not_lost(demo_db,
                                                                           monkeypatch):
    from arrs_desktop.store.health import FileHealth

    gate = threading.Event()
    real_check = FileHealth._check

    def slow_check(self, conn):
        gate.wait(30)  # a large caseload: the check takes a while
        return real_check(self, conn)

    monkeypatch.setattr(FileHealth, "_check", slow_check)
    store = open_store(demo_db, user="W", device_id="d", check_in_background=True)
    try:
        with pytest.raises(StoreCheckingError) as info:
            store.people.add(Person(name="Too Soon"))
        assert isinstance(info.value, StoreWriteError)
        assert "still being checked" in str(info.value) and "not saved" in str(info.value)
        gate.set()
        assert store.health.wait(30) == "ok"
        store.people.add(Person(name="Now Saved"))
    finally:
        gate.set()
        store.close()
    assert [r for r in _names(demo_db) if r in ("Too Soon", "Now Saved")] == ["Now Saved"]


def _names(path):
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM people")]
    finally:
        conn.close()


def test_a_damaged_file_found_in_the_background_is_refused_from_then_on(damaged):
    store = open_store(damaged, user="W", device_id="d", check_in_background=True)
    try:
        assert store.health.wait(60) == "damaged"
        # SQLite's own words for the damage (which ones depends on the page the flip hit).
        assert "database main" in store.health.problem or "index" in store.health.problem
        assert "damaged" in store.health.damaged_message()
        with pytest.raises(StoreDamagedError):
            store.people.add(Person(name="Never Written"))
    finally:
        store.close()


def test_a_file_closed_cleanly_opens_writable_at_once(demo_db):
    store = open_store(demo_db, user="W", device_id="d", check_in_background=True)
    assert store.health.wait(30) == "ok"
    store.people.add(Person(name="Saved Here"))
    store.close()
    again = open_store(demo_db, user="W", device_id="d", check_in_background=True)
    try:
        assert again.health.state == "ok", "a file this app closed cleanly was checked again"
    finally:
        again.close()


def test_a_file_changed_by_another_program_is_checked_again(demo_db):
    store = open_store(demo_db, user="W", device_id="d", check_in_background=True)
    assert store.health.wait(30) == "ok"
    store.close()
    from arrs_desktop.store import health

    assert health.is_trusted(demo_db)  # closed cleanly after a check
    other = sqlite3.connect(demo_db)
    other.execute("UPDATE people SET phone = '0' WHERE rowid = 1")
    other.commit()
    other.close()
    assert not health.is_trusted(demo_db)  # so the next open checks it again
    again = open_store(demo_db, user="W", device_id="d", check_in_background=True)
    try:
        # The check may already have finished on its thread, but it was started.
        assert again.health._thread is not None
        assert again.health.wait(30) == "ok"
    finally:
        again.close()


def test_the_window_says_the_file_is_damaged_and_saves_nothing(qtbot, damaged):
    from tests.ui_helpers import make_window

    before = digest(damaged)
    store = open_store(damaged, user="W", device_id="d", check_in_background=True)
    window = make_window(qtbot, store)
    qtbot.waitUntil(lambda: window.health_banner.isVisible(), timeout=60000)
    text = window.health_banner.text()
    assert "damaged" in text and "backup" in text.lower()
    assert window.health_banner.restore_button.isVisible()
    window.caseload.select_first()
    panel = window.needs_match.needs_panel
    box = next(iter(panel.boxes.values()))
    box.click()
    assert "damaged" in panel.error.text()
    window.close()
    store.close()
    assert digest(damaged) == before
