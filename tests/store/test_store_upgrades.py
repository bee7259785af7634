"""Schema upgrades back up first and are all-or-nothing; unusable files are never touched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Migrations

from arrs_desktop.store import (
    CorruptDatabaseError,
    MigrationError,
    NewerSchemaError,
    NotArrsDatabaseError,
    backup,
    open_store,
    schema,
)
from arrs_desktop.store import store as store_base
from arrs_desktop.store.schema import MIGRATION_SET, known_migration_names
from tests.db_helpers import sql_row

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASED = sorted(FIXTURES.glob("schema_*.db"))


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def companions(path: Path) -> list[Path]:
    """Return any -wal/-shm files next to a database file."""
    return [p for p in (path.with_name(path.name + s) for s in ("-wal", "-shm")) if p.exists()]


def dump(path: Path) -> dict[str, list[tuple]]:
    """Return every row of every table, for comparing files by content."""
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}
    finally:
        conn.close()


def test_every_released_schema_has_a_fixture():
    versions = {p.stem.removeprefix("schema_") for p in RELEASED}
    assert versions == {n.split("_", 1)[0] for n in known_migration_names()}


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.name)
def test_released_database_upgrades_to_current(fixture, tmp_path):
    db = tmp_path / fixture.name
    shutil.copy(fixture, db)
    before = dump(db)
    was_current = fixture == RELEASED[-1]
    store = open_store(db, user="Upgrader", device_id="test-device")
    try:
        assert store.schema_version() == known_migration_names()[-1]
        made = backup.list_backups(db)
        if was_current:
            assert made == []
        else:  # an upgrade happened: the file as it was is in a backup
            assert [b.reason for b in made] == ["before-upgrade"]
            assert dump(made[0].path) == before
        assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = store.table_counts()
        for table, rows in before.items():
            if table in counts and table != "_sqlite_migrations":
                assert counts[table] >= len(rows), table
        people = {p.id: p for p in (store.people.get(r[0]) for r in store.db.conn.execute(
            "SELECT id FROM people"))}
        assert any(p.what_matters == "'); DROP TABLE people;-- <b>x</b>" for p in
                   people.values())
    finally:
        store.close()


@pytest.fixture
def extra_migration(monkeypatch):
    """Register one more migration after the real ones (for this test only)."""

    def install(fn):
        test_set = Migrations(MIGRATION_SET)
        test_set._migrations = list(schema.migrations._migrations)
        test_set(name="9000_test_extra")(fn)
        monkeypatch.setattr(schema, "migrations", test_set)
        monkeypatch.setattr(store_base, "migrations", test_set)
        return test_set

    return install


def test_upgrade_backs_the_file_up_first(tmp_path, extra_migration):
    db = tmp_path / "caseload.db"
    shutil.copy(RELEASED[-1], db)
    original = dump(db)
    seen = {}

    def add_column(database):
        seen["backups_at_migrate"] = backup.list_backups(db)
        database.execute("ALTER TABLE people ADD COLUMN test_extra TEXT")

    extra_migration(add_column)
    store = open_store(db, user="Upgrader", device_id="test-device")
    store.close()
    made = seen["backups_at_migrate"]
    assert [b.reason for b in made] == ["before-upgrade"]
    assert dump(made[0].path) == original
    assert backup.check_database(made[0].path).ok


def test_failed_upgrade_leaves_the_file_as_it_was(tmp_path, extra_migration):
    db = tmp_path / "caseload.db"
    shutil.copy(RELEASED[-1], db)
    digest = sha256(db)

    def half_then_fail(database):
        database.execute("ALTER TABLE people ADD COLUMN half TEXT")
        database.execute("UPDATE people SET name = 'changed'")
        database.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("deliberate failure")

    extra_migration(half_then_fail)
    with pytest.raises(MigrationError, match="left as it was"):
        open_store(db, user="Upgrader", device_id="test-device")
    assert sha256(db) == digest
    assert companions(db) == []
    # It still opens with the version that made it, with its data intact.
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM people WHERE name = 'changed'").fetchone()[0] == 0
    conn.close()


def test_failed_second_step_rolls_back_the_first(tmp_path, monkeypatch):
    """Several pending migrations run as one: a failure in a later one undoes the earlier."""
    db = tmp_path / "caseload.db"
    shutil.copy(RELEASED[-1], db)
    digest = sha256(db)
    test_set = Migrations(MIGRATION_SET)
    test_set._migrations = list(schema.migrations._migrations)

    @test_set(name="9001_fine")
    def fine(database):
        database.execute("CREATE TABLE fine_step (x)")

    @test_set(name="9002_broken")
    def broken(database):
        database.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(schema, "migrations", test_set)
    monkeypatch.setattr(store_base, "migrations", test_set)
    with pytest.raises(MigrationError):
        open_store(db, user="Upgrader", device_id="test-device")
    assert sha256(db) == digest
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "9001_fine" not in names


def make_newer(tmp_path) -> Path:
    db = tmp_path / "newer.db"
    shutil.copy(RELEASED[-1], db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES (?, '9999_from_the_future', 'x')", [MIGRATION_SET])
    conn.commit()
    conn.close()
    assert companions(db) == []
    return db


def test_newer_database_is_refused_and_untouched(tmp_path):
    db = make_newer(tmp_path)
    digest, stat = sha256(db), db.stat()
    with pytest.raises(NewerSchemaError, match="newer version") as info:
        open_store(db, user="Old App", device_id="test-device", backup_on_open=True)
    assert "not been changed" in str(info.value)
    assert sha256(db) == digest
    assert db.stat().st_mtime_ns == stat.st_mtime_ns
    assert companions(db) == []
    assert backup.list_backups(db) == []


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _truncated(path: Path) -> None:
    data = RELEASED[-1].read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _garbled_pages(path: Path) -> None:
    data = bytearray(RELEASED[-1].read_bytes())
    for i in range(4096, len(data), 97):
        data[i] = 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (_foreign, NotArrsDatabaseError, "not an ARRS Desktop"),
        (_random_bytes, NotArrsDatabaseError, "not an SQLite file"),
        (_truncated, CorruptDatabaseError, "damaged"),
        (_empty, NotArrsDatabaseError, "empty file"),
        (_garbled_pages, CorruptDatabaseError, "damaged|could not be opened"),
    ],
    ids=["foreign", "random-bytes", "truncated", "empty", "garbled"],
)
def test_unusable_file_is_refused_and_untouched(tmp_path, make, error, words):
    db = tmp_path / "bad.db"
    make(db)
    digest = sha256(db)
    with pytest.raises(error, match=words) as info:
        open_store(db, user="Test Worker", device_id="test-device", backup_on_open=True)
    assert "not been changed" in str(info.value) or "not changed" in str(info.value).lower()
    assert sha256(db) == digest
    assert companions(db) == []


def test_newer_and_foreign_fail_arrs_check(tmp_path, capsys):
    from arrs_desktop.cli import main

    newer = make_newer(tmp_path)
    foreign = tmp_path / "foreign.db"
    _foreign(foreign)
    for path in (newer, foreign):
        digest = sha256(path)
        assert main(["check", "--db", str(path)]) == 1
        assert sha256(path) == digest
    assert "PROBLEM" in capsys.readouterr().err


def test_upgrade_to_0007_adds_email_and_makes_the_worked_episode_the_lead(tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0006.db", db)
    conn = sqlite3.connect(db)
    ann = "00000000-0000-4000-8000-000000000003"
    # Ann's link-worker episode goes on hold; a health coach takes her on later and is active.
    conn.execute("UPDATE episodes SET status = 'on_hold' WHERE person_id = ?", [ann])
    conn.execute(
        "INSERT INTO episodes (id, person_id, role, status, referral_date, referral_source,"
        " worker, created_at, updated_at, device_id)"
        " SELECT 'late-coach', person_id, 'hwbc', 'active', '2026-03-01', referral_source,"
        " 'Hana Coach', created_at, updated_at, device_id FROM episodes WHERE person_id = ?",
        [ann])
    conn.execute("UPDATE people SET lead_role = 'splw', episode_status = 'on_hold'"
                 " WHERE id = ?", [ann])
    conn.commit()
    conn.close()
    store = open_store(db, user="Upgrader", device_id="test-device")
    try:
        row = sql_row(store, "SELECT lead_role, episode_status, lead_worker, email FROM people"
                         " WHERE id = ?", [ann])
        assert row == {"lead_role": "hwbc", "episode_status": "active",
                       "lead_worker": "Hana Coach", "email": ""}
        assert store.people.get(ann).email == ""
    finally:
        store.close()


def test_safety_alerts_table_is_added_by_its_migration(tmp_path):
    """0013 adds the national standards' tables to an older file, keeps its GP codes and
    starts the code list with the two shipped codes (and the PCN's own rule-named codes);
    an alert written after is audited like every change."""
    db = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_0012.db", db)
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO gp_codes (id, code, term, applies_to, shipped, created_at,"
                 " updated_at, device_id) VALUES ('pcn-1', '1234567890', 'A PCN code',"
                 " 'cc_first_contact', 0, 'x', 'x', 'd'), ('pcn-2', '999999', 'Picked by hand',"
                 " 'custom', 0, 'x', 'x', 'd')")
    conn.commit()
    conn.close()
    store = open_store(db, user="Upgrader", device_id="test-device")
    try:
        counts = store.table_counts()
        for table in ("referrals", "safety_alerts", "measure_scores", "gp_messages",
                      "code_list"):
            assert table in counts, table
        codes = {(r["role"], r["event"], r["sctid"], r["shipped"]) for r in
                 store.code_list.all()}
        assert codes == {("splw", "first_contact", "871731000000106", 1),
                         ("splw", "declined", "871711000000103", 1),
                         ("cc", "first_contact", "1234567890", 0)}
        assert len(store.gp_codes.all()) == 4
        person_id = sql_row(store, "SELECT id FROM people WHERE deleted_at IS NULL")["id"]
        alert = store.alerts.add(person_id, {"kind": "safeguarding", "detail": "",
                                             "raised_on": "2026-01-05", "raised_by": "Me"})
        audit = sql_row(store, "SELECT action, table_name, who FROM audit_log WHERE row_id = ?",
                        [alert["id"]])
        assert audit == {"action": "create", "table_name": "safety_alerts", "who": "Upgrader"}
    finally:
        store.close()
