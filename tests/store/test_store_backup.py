"""Backups: daily on open, retention, `arrs backup`, `arrs check`, and checked restore."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from arrs_desktop import paths
from arrs_desktop.cli import main
from arrs_desktop.domain.models import Person
from arrs_desktop.store import backup, open_store
from arrs_desktop.store.backup import BackupError, BackupInfo
from arrs_desktop.store.schema import known_migration_names


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names_in(path: Path) -> set[str]:
    """Return the names of the people in a database file."""
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM people")}
    finally:
        conn.close()


def test_backup_on_open_once_a_day_next_to_the_file(demo_db, isolated_home):
    store = open_store(demo_db, user="W", device_id="d", backup_on_open=True)
    store.close()
    made = backup.list_backups(demo_db)
    assert [b.reason for b in made] == ["daily"]
    assert made[0].path.parent == demo_db.parent / "backups"
    assert backup.check_database(made[0].path).ok
    store = open_store(demo_db, user="W", device_id="d", backup_on_open=True)
    store.close()
    assert len(backup.list_backups(demo_db)) == 1
    # nothing was written into the user's own data folder
    assert not (isolated_home / "data" / "backups").exists()


def test_no_backup_on_open_unless_asked(demo_db):
    open_store(demo_db, user="W", device_id="d").close()
    assert backup.list_backups(demo_db) == []


def test_backup_while_the_file_is_being_written(demo_store, tmp_path):
    demo_store.people.add(Person(name="Written Before Backup"))
    dest = backup.copy_database(demo_store.path, tmp_path / "copy.db")
    assert "Written Before Backup" in names_in(dest)
    assert backup.check_database(dest).ok


def test_daily_backup_is_due_again_the_next_day(demo_db):
    day = datetime(2026, 3, 1, 9, 0)
    assert backup.daily_backup(demo_db, now=day) is not None
    assert backup.daily_backup(demo_db, now=day + timedelta(hours=5)) is None
    assert backup.daily_backup(demo_db, now=day + timedelta(days=1)) is not None
    assert len(backup.list_backups(demo_db)) == 2


def _fake(path: Path, when: datetime) -> BackupInfo:
    return BackupInfo(path / when.strftime("%Y%m%d"), when, "daily", 1)


def test_retention_keeps_last_14_and_one_per_month(tmp_path):
    now = datetime(2026, 11, 26, 12)
    backups = [_fake(tmp_path, now - timedelta(days=d)) for d in range(0, 500)]
    keep = backup.backups_to_keep(backups, now=now)
    newest_14 = {b.path for b in backups[:14]}
    assert newest_14 <= keep
    months = {(b.taken_at.year, b.taken_at.month) for b in backups if b.path in keep}
    assert len(months) == backup.KEEP_MONTHS
    # one per month beyond the newest 14: the newest of that month
    for b in backups[14:]:
        if b.path in keep:
            same_month = [o for o in backups if (o.taken_at.year, o.taken_at.month)
                          == (b.taken_at.year, b.taken_at.month)]
            assert b.taken_at == max(o.taken_at for o in same_month)
    assert len(keep) < 14 + backup.KEEP_MONTHS + 1


def test_daily_backups_are_pruned_on_disk(store):
    store.people.add(Person(name="Kept Safe"))
    start = datetime(2026, 1, 1, 8)
    for d in range(60):  # 1 January to 1 March
        backup.daily_backup(store.path, now=start + timedelta(days=d))
    kept = backup.list_backups(store.path)
    # the newest 14 (17 February to 1 March) plus the newest of January
    assert len(kept) == 15
    assert kept[0].taken_at.date() == date(2026, 3, 1)
    assert kept[-1].taken_at.date() == date(2026, 1, 31)


def test_arrs_backup_to_file_and_default(demo_db, tmp_path, capsys):
    dest = tmp_path / "out" / "copy.db"
    assert main(["backup", "--db", str(demo_db), "--to", str(dest)]) == 0
    assert backup.check_database(dest).ok
    assert main(["backup", "--db", str(demo_db)]) == 0
    assert [b.reason for b in backup.list_backups(demo_db)] == ["manual"]
    assert "Backed up" in capsys.readouterr().out


def test_arrs_backup_refuses_missing_and_same_file(tmp_path, demo_db):
    assert main(["backup", "--db", str(tmp_path / "none.db")]) == 1
    assert main(["backup", "--db", str(demo_db), "--to", str(demo_db)]) == 2


def test_arrs_check_reports_and_passes(demo_db, capsys):
    digest = sha256(demo_db)
    assert main(["check", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "Integrity:      ok" in out
    assert f"Schema version: {known_migration_names()[-1]}" in out
    assert "people" in out and "No problems found." in out
    assert sha256(demo_db) == digest


def test_arrs_check_fails_on_corruption(demo_db, capsys):
    data = bytearray(demo_db.read_bytes())
    for i in range(8192, len(data), 131):
        data[i] ^= 0x5A
    demo_db.write_bytes(bytes(data))
    assert main(["check", "--db", str(demo_db)]) == 1
    assert "PROBLEM" in capsys.readouterr().err


def test_arrs_check_fails_on_broken_links(demo_db, capsys):
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE sessions SET person_id = 'nobody' WHERE rowid IN"
                 " (SELECT rowid FROM sessions LIMIT 1)")
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(demo_db)]) == 1
    assert "point at missing rows" in capsys.readouterr().err


def test_arrs_check_missing_file(tmp_path):
    assert main(["check", "--db", str(tmp_path / "none.db")]) == 1
    assert not (tmp_path / "none.db").exists()


def test_restore_backs_up_current_then_replaces(demo_db):
    first = backup.make_backup(demo_db, "manual", now=datetime(2026, 1, 1, 9))
    store = open_store(demo_db, user="W", device_id="d")
    store.people.add(Person(name="Added After The Backup"))
    store.close()
    safety = backup.restore_backup(demo_db, first)
    assert "Added After The Backup" not in names_in(demo_db)
    assert "Added After The Backup" in names_in(safety)
    assert safety.name.endswith(".before-restore.db")
    assert backup.check_database(demo_db).ok
    assert not demo_db.with_name(demo_db.name + "-wal").exists()
    reopened = open_store(demo_db, user="W", device_id="d")
    assert reopened.people.count() == 60
    reopened.close()


def test_restore_refuses_a_damaged_backup(demo_db, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    digest = sha256(demo_db)
    with pytest.raises(BackupError, match="cannot be restored"):
        backup.restore_backup(demo_db, bad)
    assert sha256(demo_db) == digest
    assert backup.list_backups(demo_db) == []


def test_restore_over_a_corrupt_file_keeps_its_bytes(demo_db, tmp_path):
    good = backup.copy_database(demo_db, tmp_path / "good.db")
    demo_db.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    damaged = demo_db.read_bytes()
    safety = backup.restore_backup(demo_db, good)
    assert safety.read_bytes() == damaged
    assert backup.check_database(demo_db).ok


def test_backups_of_two_files_in_one_folder_stay_apart(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for path in (a, b):
        s = open_store(path, user="W", device_id="d")
        s.people.add(Person(name=path.stem))
        s.close()
    backup.make_backup(a)
    backup.make_backup(b)
    assert len(backup.list_backups(a)) == 1 and len(backup.list_backups(b)) == 1
    assert paths.backups_dir(a) == paths.backups_dir(b)


def test_arrs_import_people_backs_the_file_up_first(demo_db, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("nhs_number,name,date_of_birth,postcode,gender\n"
                   "4000000012,New Person,1960-01-01,,\n", encoding="utf-8")
    main(["import-people", str(csv), "--db", str(demo_db)])
    made = backup.list_backups(demo_db)
    assert [b.reason for b in made] == ["daily"]
    assert "New Person" not in names_in(made[0].path)


def test_backup_on_open_in_the_background(demo_db):
    store = open_store(demo_db, user="W", device_id="d", backup_on_open=True,
                       backup_in_background=True)
    assert store.health.wait(30) == "ok"  # writes wait for the damage check, not the backup
    store.people.add(Person(name="Written While Backing Up"))
    assert store.daily_backup.wait(60)
    store.close()
    made = backup.list_backups(demo_db)
    assert [b.reason for b in made] == ["daily"] and store.daily_backup.problem == ""
    assert backup.check_database(made[0].path).ok


def test_failed_backup_on_open_does_not_stop_the_open(demo_db, monkeypatch):
    def fail(path, **_kw):
        raise backup.BackupError("disk full")

    monkeypatch.setattr(backup, "daily_backup", fail)
    store = open_store(demo_db, user="W", device_id="d", backup_on_open=True)
    assert "disk full" in store.daily_backup.problem
    assert store.people.count() == 60
    store.close()


def test_a_backup_cut_off_midway_is_cleared_later(demo_db):
    folder = paths.backups_dir(demo_db)
    folder.mkdir()
    leftover = folder / ".backup-abc.db"
    leftover.write_bytes(b"half")
    old = datetime.now().timestamp() - 7200
    import os

    os.utime(leftover, (old, old))
    backup.make_backup(demo_db)
    assert not leftover.exists()
