"""One owner of the file per process: the window never loses SQLite's locks on its file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from arrs_desktop.domain.models import Person
from tests.ui_helpers import make_window

HOLDER = Path(__file__).resolve().parents[1] / "window_holder.py"


def held_locks(path: Path, pid: int | None = None) -> list[str]:
    """Return the lines of /proc/locks for `pid` (default: this process) on a file's inode."""
    pid = os.getpid() if pid is None else pid
    st = os.stat(path)
    wanted = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    found = []
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[4] == str(pid) and fields[5] == wanted:
            found.append(line)
    return found


def test_a_write_after_list_loads_survives_another_program_and_a_kill(demo_db):
    env = {**os.environ, "PYTHONPATH": str(HOLDER.parent.parent)}
    proc = subprocess.Popen([sys.executable, str(HOLDER), str(demo_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "loaded", proc.stderr.read()
        # Another program (the sqlite3 shell, `arrs export`, a backup tool) opens the file,
        # reads it and closes it: it must see that the window still has the file open.
        other = sqlite3.connect(demo_db)
        other.execute("SELECT count(*) FROM people").fetchone()
        other.close()
        assert demo_db.with_name(demo_db.name + "-wal").exists()
        proc.stdin.write("write\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "written", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    fresh = sqlite3.connect(demo_db)
    try:
        assert fresh.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert fresh.execute("SELECT count(*) FROM people WHERE name = 'Marker'").fetchone()[0] == 1
    finally:
        fresh.close()


def test_the_window_keeps_its_lock_through_every_kind_of_load(qtbot, demo_store):
    path = demo_store.path
    window = make_window(qtbot, demo_store)
    assert held_locks(path), "no lock held after opening"
    for view in (window.triage, window.follow_ups, window.reports, window.care_homes,
                 window.community):
        window.views.setCurrentWidget(view.parentWidget() or view)
        if hasattr(view, "refresh"):
            view.refresh()
        if hasattr(view, "wait_for_idle"):
            qtbot.waitUntil(lambda v=view: not getattr(v, "loading", False)
                            and v.wait_for_idle(10), timeout=30000)
        qtbot.wait(50)
        assert held_locks(path), f"lock lost after loading {type(view).__name__}"
    window.caseload.select_first()
    qtbot.wait(50)
    assert held_locks(path), "lock lost after opening a person"
    demo_store.people.add(Person(name="Still Mine"))
    assert held_locks(path), "lock lost after a write"


def test_opening_a_second_store_on_the_file_keeps_the_first_ones_lock(store):
    from arrs_desktop.store import open_store

    store.people.add(Person(name="First"))
    assert held_locks(store.path)
    second = open_store(store.path, user="Second", device_id="second")
    second.close()
    assert held_locks(store.path), "opening and closing another store dropped the lock"


def test_checking_and_backing_up_the_open_file_keeps_its_lock(store):
    from arrs_desktop.store import backup

    store.people.add(Person(name="First"))
    backup.check_database(store.path)
    backup.make_backup(store.path)
    assert held_locks(store.path), "checking or backing up the open file dropped its lock"
