"""Restore never loses a write another program confirmed: it refuses, or holds the file first."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from arrs_desktop.cli import main
from arrs_desktop.domain.models import CaseloadFilter, Person
from arrs_desktop.store import backup, open_store
from arrs_desktop.store.backup import RestoreRefusedError
from tests.crash_helpers import acknowledged, seed_person, start_writer

REOPENING = Path(__file__).resolve().parents[1] / "reopening_writer.py"


def ids_in(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM sessions")}
    finally:
        conn.close()


def names_in(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM people")}
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_restore_refuses_while_another_program_has_the_file_open(tmp_path):
    db = tmp_path / "shared.db"
    person_id, goal_id = seed_person(db)
    first = backup.make_backup(db, "manual")
    writer = start_writer(db, person_id, goal_id, 0)  # writes until killed
    try:
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(0.3)
        with pytest.raises(RestoreRefusedError) as info:
            backup.restore_backup(db, first)
        text = str(info.value)
        assert "another program" in text and "Nothing was changed" in text
    finally:
        writer.kill()
        out, _err = writer.communicate(timeout=30)
    confirmed = set(acknowledged(out))
    assert confirmed and confirmed <= ids_in(db), "a confirmed write was lost"
    assert [b.reason for b in backup.list_backups(db)] == ["manual"]


def test_writes_confirmed_around_a_restore_are_each_kept_somewhere(tmp_path):
    db = tmp_path / "shared.db"
    person_id, _goal = seed_person(db)
    first = backup.make_backup(db, "manual")
    env = {**os.environ, "PYTHONPATH": str(REOPENING.parent.parent)}
    writer = subprocess.Popen([sys.executable, str(REOPENING), str(db), person_id, "400"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env)
    assert writer.stdout.readline().strip() == "ready"
    safety = None
    deadline = time.monotonic() + 60
    while safety is None and time.monotonic() < deadline:
        try:
            safety = backup.restore_backup(db, first)
        except RestoreRefusedError:
            time.sleep(0.005)  # the writer had the file open: try again between its writes
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert safety is not None, "the restore never found the file free"
    confirmed = set(acknowledged(out))
    assert len(confirmed) == 400
    now, before = ids_in(db), ids_in(safety)
    lost = confirmed - now - before
    assert not lost, f"{len(lost)} confirmed writes are in neither the file nor its safety copy"
    assert now & confirmed, "no write landed after the restore"


def test_restore_backs_up_the_file_as_it_was_and_records_itself(demo_db):
    first = backup.make_backup(demo_db, "manual")
    store = open_store(demo_db, user="W", device_id="d")
    store.people.add(Person(name="Added After The Backup"))
    store.close()
    safety = backup.restore_backup(demo_db, first)
    assert safety.name.endswith(".before-restore.db")
    conn = sqlite3.connect(safety)
    assert conn.execute("SELECT count(*) FROM people WHERE name = 'Added After The Backup'"
                        ).fetchone()[0] == 1
    conn.close()
    assert backup.check_database(demo_db).ok


def test_restore_over_a_damaged_file_nobody_holds_keeps_its_bytes(demo_db, tmp_path):
    good = backup.copy_database(demo_db, tmp_path / "good.db")
    demo_db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    damaged = demo_db.read_bytes()
    safety = backup.restore_backup(demo_db, good)
    assert safety.read_bytes() == damaged
    assert backup.check_database(demo_db).ok


def test_arrs_restore_from_a_named_backup(demo_db, capsys):
    first = backup.make_backup(demo_db, "manual")
    store = open_store(demo_db, user="W", device_id="d")
    store.people.add(Person(name="Added After The Backup"))
    store.close()
    assert main(["restore", "--db", str(demo_db), "--from", str(first)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and first.name in out and "before-restore" in out
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT count(*) FROM people WHERE name = 'Added After The Backup'"
                        ).fetchone()[0] == 0
    conn.close()


def test_arrs_restore_takes_the_newest_sound_backup_when_none_is_named(demo_db, tmp_path,
                                                                        capsys):
    older = backup.make_backup(demo_db, "manual")
    newer = backup.make_backup(demo_db, "manual")
    newer.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # the newest is damaged
    assert main(["restore", "--db", str(demo_db)]) == 0
    out = capsys.readouterr()
    assert older.name in out.out and newer.name in out.err


def test_arrs_restore_refuses_with_one_line_when_the_file_is_in_use(tmp_path):
    db = tmp_path / "shared.db"
    person_id, goal_id = seed_person(db)
    first = backup.make_backup(db, "manual")
    writer = start_writer(db, person_id, goal_id, 0)
    try:
        assert writer.stdout.readline().strip() == "ready"
        done = subprocess.run([sys.executable, "-m", "arrs_desktop.cli", "restore", "--db",
                               str(db), "--from", str(first)], capture_output=True, text=True,
                              timeout=120)
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) == 1 and "another program" in done.stderr
    assert "Traceback" not in done.stderr


# -- in the window ------------------------------------------------------------------------
def test_the_window_says_when_another_program_stops_a_restore_and_carries_on(qtbot, tmp_path):
    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.settings import Settings
    from arrs_desktop.ui.shell.app import create_window

    db = tmp_path / "shared.db"
    person_id, goal_id = seed_person(db)
    first = backup.make_backup(db, "manual")
    store = open_store(db, user="Sam Worker", device_id="d")
    window = create_window(store, Settings(user_name="Sam Worker"), load_rules(None))
    qtbot.addWidget(window)
    window.show()
    window.safety.quiet = True
    holder = sqlite3.connect(db)  # another program with the file open
    holder.execute("SELECT count(*) FROM people").fetchone()
    try:
        assert window.safety.restore(first) is False
    finally:
        holder.close()
    assert window.isVisible()
    assert "another program" in window.statusBar().currentMessage()
    store.people.add(Person(name="Saved After The Refusal"))
    assert "Saved After The Refusal" in names_in(db)
    window.close()
    store.close()


def test_a_damaged_file_at_start_is_offered_its_backups(demo_db, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from arrs_desktop.store import StoreOpenError
    from arrs_desktop.ui.shell import app
    from arrs_desktop.ui.shell.damaged_file_dialog import DamagedFileDialog
    from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog

    good = backup.make_backup(demo_db, "manual")
    demo_db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(StoreOpenError) as info:
        open_store(demo_db, user="W", device_id="d")
    monkeypatch.setattr(DamagedFileDialog, "ask", classmethod(lambda cls, p, m: (True, True)))
    monkeypatch.setattr(RestoreBackupDialog, "ask",
                        classmethod(lambda cls, p, path: (good, True)))
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda *a: told.append(a[2])))
    assert app.offer_restore_on_open(demo_db, info.value) is True
    assert "restored from" in told[0] and "damaged file is kept" in told[0]
    reopened = open_store(demo_db, user="W", device_id="d")
    assert reopened.people.count() == 60
    reopened.close()


def test_a_backup_from_before_joining_a_team_is_refused_unless_asked_to_rejoin(tmp_path):
    from arrs_desktop.store.team_restore import read_backup_facts

    db = tmp_path / "caseload.db"
    store = open_store(db, user="Ann Worker", device_id="laptop-a")
    try:
        store.people.add(Person(name="Before Joining"))
        made = backup.make_backup(db)
        store.team.link("host=127.0.0.1 port=9 dbname=team user=ann", "secret")
        store.people.add(Person(name="Waiting To Be Sent"))
        waiting = store.team.waiting_count()
        clock = store.team.clock.last
    finally:
        store.close()
    with pytest.raises(backup.RestoreOutsideTeamError, match="out of the team") as refused:
        backup.restore_backup(db, made)
    assert refused.value.plan.rejoin and refused.value.plan.lost == waiting
    assert not [b for b in backup.list_backups(db) if b.reason == "before-restore"]
    assert backup.restore_backup(db, made, rejoin=True) is not None
    facts = read_backup_facts(db)  # the restored file, read the same way
    assert facts.server == "host=127.0.0.1 port=9 dbname=team user=ann"
    assert facts.password == "secret" and not facts.waiting
    assert facts.clock is not None and clock is not None and facts.clock >= clock.to_text()
    store = open_store(db, user="Ann Worker", device_id="laptop-a")
    try:
        assert store.team.status().rejoining and store.team.linked()
        assert [p.name for p in store.caseload.page(CaseloadFilter(), 0, 5)] == [
            "Before Joining"]
        store.people.add(Person(name="Added While Waiting"))
        assert store.team.waiting_count() == 0  # sent as a record at the re-join
        assert store.team.finish_rejoin() == 2 and not store.team.rejoining()
    finally:
        store.close()


def test_arrs_restore_keeps_a_team_caseload_in_its_team_and_says_what_was_lost(tmp_path,
                                                                               capsys):
    db = tmp_path / "caseload.db"
    store = open_store(db, user="Ann Worker", device_id="laptop-a")
    store.people.add(Person(name="Before Joining"))
    before_joining = backup.make_backup(db)
    store.team.link("host=127.0.0.1 port=9 dbname=team user=ann", "secret")
    store.people.add(Person(name="In The Backup"))
    in_team = backup.make_backup(db)
    store.people.add(Person(name="Never Sent"))
    store.close()
    assert main(["restore", "--db", str(db), "--from", str(before_joining)]) == 1
    err = capsys.readouterr().err
    assert "out of the team" in err and "--rejoin-team" in err
    assert main(["restore", "--db", str(db), "--from", str(in_team)]) == 0
    out = capsys.readouterr().out
    assert "1 change not yet sent to the team was lost" in out
    assert "pulled again at the next sync" in out
    assert main(["restore", "--db", str(db), "--from", str(before_joining),
                 "--rejoin-team"]) == 0
    assert "re-join" in capsys.readouterr().out
