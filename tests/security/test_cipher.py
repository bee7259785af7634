"""SQLCipher 4 through sqlcipher3: encrypted file, WAL and backups; sqlite-utils on top."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import CHEAP, JANE
from sqlite_utils import Database

from arrs_desktop.security import (
    DataKey,
    KeyFile,
    NotEncryptedError,
    RecoveryKey,
    WrongKeyError,
    cipher,
)

ROOT = Path(__file__).resolve().parents[2]
NAME = "Zebedee Featherstonehaugh"
NHS_NUMBER = "9434765919"


def _key() -> DataKey:
    return DataKey.from_recovery_key(RecoveryKey.generate())


def _files(path: Path) -> dict[str, bytes]:
    """Return the bytes of a database and its -wal/-shm (only while nothing has it open)."""
    found = {}
    for suffix in ("", "-wal", "-shm"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            found[suffix or "db"] = part.read_bytes()
    return found


def _stdlib_cannot_read(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        conn.close()


def test_sqlcipher_is_the_version_the_design_assumes(tmp_path):
    conn = cipher.connect(tmp_path / "c.db", _key(), create=True)
    try:
        assert cipher.cipher_version(conn).startswith("4.")
        settings = {r[0] for r in conn.execute("PRAGMA cipher_settings")}
        assert "PRAGMA cipher_page_size = 4096;" in settings
        assert "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;" in settings
        assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory
    finally:
        conn.close()
    assert tuple(map(int, cipher.SQLITE_VERSION.split("."))) >= (3, 45)


def test_sqlite_utils_works_on_an_encrypted_connection(tmp_path):
    path, key = tmp_path / "c.db", _key()
    db = Database(cipher.connect(path, key, create=True))
    db.execute("PRAGMA journal_mode = WAL")
    db["people"].insert_all([{"id": i, "name": f"{NAME} {i}", "nhs": NHS_NUMBER}
                             for i in range(200)], pk="id")
    db["people"].upsert({"id": 3, "name": "Changed"}, pk="id")
    with db.atomic():
        db["sessions"].insert({"id": 1, "person_id": 3, "note": "first"}, pk="id",
                              foreign_keys=[("person_id", "people", "id")])
    db["people"].create_index(["name"])
    assert db["people"].count == 200
    assert db.query("SELECT name FROM people WHERE id = 3").__next__()["name"] == "Changed"
    assert db["sessions"].foreign_keys[0].other_table == "people"
    db.close()
    db = Database(cipher.connect(path, key))
    assert db.table_names() == ["people", "sessions"]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    _stdlib_cannot_read(path)


def test_the_apps_migrations_run_on_an_encrypted_connection(tmp_path):
    from arrs_desktop.store.schema import known_migration_names, migrations

    db = Database(cipher.connect(tmp_path / "c.db", _key(), create=True))
    migrations.apply(db)
    applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_migration_names()
    assert "people" in db.table_names()
    db.close()


def test_sqlite_utils_own_except_clauses_miss_sqlcipher_errors(tmp_path):
    """drop(ignore=True) and a write through db.query() rely on except sqlite3.* clauses."""
    db = Database(cipher.connect(tmp_path / "c.db", _key(), create=True))
    try:
        with pytest.raises(cipher.OPERATIONAL_ERRORS) as raised:
            db["missing"].drop(ignore=True)  # catches sqlite3.OperationalError only
        assert not isinstance(raised.value, sqlite3.OperationalError)
        assert cipher.error_name(raised.value) == "SQLITE_ERROR"
        db.execute("DROP TABLE IF EXISTS missing")  # what to write instead
        db["t"].insert({"id": 1}, pk="id")
        with pytest.raises(cipher.OPERATIONAL_ERRORS, match="cannot release savepoint"):
            list(db.query("INSERT INTO t (id) VALUES (2), (3) RETURNING id"))
        assert db.execute("INSERT INTO t (id) VALUES (4) RETURNING id").fetchall() == [(4,)]
    finally:
        db.close()


def test_a_wrong_key_is_refused_in_plain_words_and_quietly(tmp_path, capfd):
    path, key = tmp_path / "c.db", _key()
    conn = cipher.connect(path, key, create=True)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(WrongKeyError, match="does not open with this key"):
        cipher.connect(path, _key())
    with pytest.raises(WrongKeyError):
        cipher.verify_key(path, _key())
    cipher.verify_key(path, key)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert capfd.readouterr().err == ""  # SQLCipher's own log lines are off


def test_a_plain_file_is_told_apart_from_a_wrong_key(tmp_path):
    plain = tmp_path / "plain.db"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert cipher.is_plain_database(plain)
    with pytest.raises(NotEncryptedError, match="plain SQLite file"):
        cipher.connect(plain, _key())
    assert not cipher.is_plain_database(tmp_path / "missing.db")


def test_a_missing_file_is_not_made_unless_asked(tmp_path):
    with pytest.raises(FileNotFoundError):
        cipher.connect(tmp_path / "missing.db", _key())
    assert not (tmp_path / "missing.db").exists()


def test_a_new_encrypted_file_and_its_wal_are_private_to_the_user(tmp_path):
    path = tmp_path / "c.db"
    conn = cipher.connect(path, _key(), create=True)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        for suffix in ("", "-wal", "-shm"):
            assert stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode) == 0o600, suffix
    finally:
        conn.close()


_WRITER = textwrap.dedent("""
    import os, sqlite3, sys
    from pathlib import Path
    from arrs_desktop.security import DataKey
    from arrs_desktop.security import cipher
    path, key_hex, name, nhs = sys.argv[1:5]
    if key_hex == "plain":
        conn = sqlite3.connect(path)
    else:
        conn = cipher.connect(Path(path), DataKey(bytes.fromhex(key_hex)), create=True)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE people (name TEXT, nhs_number TEXT)")
    conn.commit()
    conn.execute("INSERT INTO people VALUES (?, ?)", (name, nhs))
    conn.commit()
    os._exit(0)  # as if the laptop lost power: the row is in the WAL only
""")


def _write_and_crash(path: Path, key: DataKey | None) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", _WRITER, str(path), key.raw.hex() if key else "plain",
                    NAME, NHS_NUMBER], check=True, env=env, timeout=60)


def test_the_wal_and_shm_reveal_nothing_of_what_was_written(tmp_path):
    path, key = tmp_path / "c.db", _key()
    _write_and_crash(path, key)
    files = _files(path)
    assert set(files) == {"db", "-wal", "-shm"} and len(files["-wal"]) > 4096
    for part, data in files.items():
        for secret in (NAME, NHS_NUMBER, "Featherstonehaugh", "people"):
            assert secret.encode() not in data, f"{secret} found in {part}"
            assert secret.encode("utf-16-le") not in data, f"{secret} found in {part}"
    _stdlib_cannot_read(path)
    conn = cipher.connect(path, key)  # the row written only to the WAL is there
    try:
        assert conn.execute("SELECT name, nhs_number FROM people").fetchall() == [
            (NAME, NHS_NUMBER)]
    finally:
        conn.close()


def test_the_same_crash_on_a_plain_file_leaves_the_name_in_its_wal(tmp_path):
    """The check above could fail: unencrypted, the WAL holds the name in plain text."""
    path = tmp_path / "plain.db"
    _write_and_crash(path, None)
    assert NAME.encode() in _files(path)["-wal"]


def _plain_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def _demo_secrets(path: Path) -> list[bytes]:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT * FROM people WHERE nhs_number IS NOT NULL LIMIT 1").fetchone()
        columns = [d[0] for d in conn.execute("SELECT * FROM people LIMIT 0").description]
    finally:
        conn.close()
    person = dict(zip(columns, row, strict=True))
    found = [str(person["nhs_number"]).encode()]
    found += [str(v).encode() for k, v in person.items()
              if k in ("given_name", "family_name", "name", "full_name") and v]
    assert len(found) >= 2, columns
    return found


def test_a_plain_caseload_converts_to_an_encrypted_one_row_for_row(demo_db, tmp_path):
    expected = _plain_counts(demo_db)
    secrets_ = _demo_secrets(demo_db)
    plain_bytes = demo_db.read_bytes()
    assert all(s in plain_bytes for s in secrets_)
    encrypted, key = tmp_path / "encrypted.db", _key()
    report = cipher.export_plain_to_encrypted(demo_db, encrypted, key)
    assert report.row_counts == expected and sum(expected.values()) > 500
    assert demo_db.read_bytes() == plain_bytes  # the plain file was only read
    conn = cipher.connect(encrypted, key)
    try:
        assert cipher.row_counts(conn) == expected
        assert cipher.integrity_problems(conn) == []
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == \
            _pragma(demo_db, "user_version")
        schema = sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master"))
    finally:
        conn.close()
    assert schema == sorted(_names(demo_db))  # tables, indexes, triggers and views
    data = b"".join(_files(encrypted).values())
    assert not any(s in data for s in secrets_)
    _stdlib_cannot_read(encrypted)
    assert stat.S_IMODE(encrypted.stat().st_mode) == 0o600


def _pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        conn.close()


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    finally:
        conn.close()


def test_a_conversion_never_overwrites_a_file(tmp_path, demo_db):
    target = tmp_path / "taken.db"
    target.write_bytes(b"something else")
    with pytest.raises(FileExistsError):
        cipher.export_plain_to_encrypted(demo_db, target, _key())
    assert target.read_bytes() == b"something else"


def test_a_backup_between_connections_keyed_alike_is_encrypted(demo_db, tmp_path):
    encrypted, key = tmp_path / "encrypted.db", _key()
    cipher.export_plain_to_encrypted(demo_db, encrypted, key)
    secrets_ = _demo_secrets(demo_db)
    backup = tmp_path / "backups" / "caseload-backup.db"
    backup.parent.mkdir()
    source = cipher.connect(encrypted, key)
    try:
        source.execute("UPDATE people SET updated_at = updated_at")  # an open write, too
        source.commit()
        cipher.backup_encrypted(source, backup, key)
        expected = cipher.row_counts(source)
    finally:
        source.close()
    assert sorted(p.name for p in backup.parent.iterdir()) == ["caseload-backup.db"]
    assert not any(s in backup.read_bytes() for s in secrets_)
    _stdlib_cannot_read(backup)
    with pytest.raises(WrongKeyError):
        cipher.connect(backup, _key())
    copy = cipher.connect(backup, key)
    try:
        assert cipher.row_counts(copy) == expected
        assert cipher.integrity_problems(copy) == []
    finally:
        copy.close()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_changing_a_passphrase_leaves_the_database_byte_for_byte(tmp_path):
    db_path = tmp_path / "caseload.db"
    key_file, jane, _ = KeyFile.create(tmp_path / "caseload.db.keys", name="Jane Smith",
                                       role="splw", passphrase=JANE, kdf=CHEAP)
    conn = cipher.connect(db_path, jane.key, create=True)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES (?)", (NAME,))
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    key_file.change_passphrase("Jane Smith", JANE, "a brand new passphrase", kdf=CHEAP)
    key_file.add_account(jane, name="Bob Jones", role="cc", passphrase="purple tractor meadow",
                         kdf=CHEAP)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    opened = KeyFile.load(key_file.path).unlock("a brand new passphrase")
    conn = cipher.connect(db_path, opened.key)
    try:
        assert conn.execute("SELECT name FROM people").fetchone()[0] == NAME
    finally:
        conn.close()


def test_rekey_replaces_the_data_key_of_the_file(tmp_path):
    path, old, new = tmp_path / "c.db", _key(), _key()
    conn = cipher.connect(path, old, create=True)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    cipher.rekey(conn, new)
    conn.close()
    with pytest.raises(WrongKeyError):
        cipher.connect(path, old)
    conn = cipher.connect(path, new)
    assert conn.execute("SELECT x FROM t").fetchone()[0] == 1
    conn.close()


@pytest.mark.parametrize("module", ["sqlite3", "sqlcipher3"])
def test_busy_errors_of_either_module_are_recognised(tmp_path, module):
    path, key = tmp_path / "c.db", _key()
    if module == "sqlite3":
        def opener(timeout):
            return sqlite3.connect(path, timeout=timeout)
    else:
        cipher.connect(path, key, create=True).close()

        def opener(timeout):
            return cipher.connect(path, key, timeout=timeout)
    first, second = opener(5.0), opener(0.0)
    try:
        first.execute("BEGIN IMMEDIATE")
        with pytest.raises(cipher.OPERATIONAL_ERRORS) as raised:
            second.execute("BEGIN IMMEDIATE")
        assert cipher.is_busy_error(raised.value)
        assert cipher.error_name(raised.value) == "SQLITE_BUSY"
        assert isinstance(raised.value, cipher.DB_ERRORS)
        assert isinstance(raised.value, cipher.DATABASE_ERRORS)
        assert isinstance(raised.value, sqlite3.Error) == (module == "sqlite3")
    finally:
        first.rollback()
        first.close()
        second.close()


def test_integrity_errors_of_either_module_are_caught_by_one_clause(tmp_path):
    conn = cipher.connect(tmp_path / "c.db", _key(), create=True)
    try:
        conn.execute("CREATE TABLE t (x UNIQUE)")
        conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(cipher.INTEGRITY_ERRORS) as raised:
            conn.execute("INSERT INTO t VALUES (1)")
        assert cipher.error_name(raised.value).startswith("SQLITE_CONSTRAINT")
        assert not cipher.is_busy_error(raised.value)
    finally:
        conn.close()
