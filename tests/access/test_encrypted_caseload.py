"""An encrypted caseload: its files reveal nothing, and everything the store does still works."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date

import pytest

from arrs_desktop import paths
from arrs_desktop.access.session import sign_in, sign_in_with_recovery_key, state_of
from arrs_desktop.domain.models import Person
from arrs_desktop.security.errors import WrongPassphraseError
from arrs_desktop.store import StoreLockedError, backup, open_store
from tests.security.conftest import CHEAP

PASSPHRASE = "kettle orbit lantern"
OTHER = "heron waits by the weir"


@pytest.fixture
def encrypted(tmp_path):
    """An encrypted caseload with one account and a 40-person demo: (path, session, key)."""
    from arrs_desktop.access.session import create_caseload
    from arrs_desktop.tools.demo import build_demo

    path = tmp_path / "caseload.db"
    session, recovery = create_caseload(path, name="Jane Smith", role="splw",
                                        passphrase=PASSPHRASE, kdf=CHEAP)
    store = session.open_store()
    build_demo(store, 40, seed=3, today=date.today())
    store.close()
    yield path, session, recovery
    session.end()


def _secrets_of(path, session):
    """The demo's names and NHS numbers, read through the store (as the window would)."""
    store = session.open_store()
    try:
        rows = store.db.execute("SELECT name, nhs_number, postcode FROM people").fetchall()
    finally:
        store.close()
    names = {r[0] for r in rows}
    numbers = {r[1] for r in rows if r[1]}
    assert len(names) >= 30 and len(numbers) >= 30
    return names, numbers


def _assert_reveals_nothing(data: bytes, names, numbers, what: str) -> None:
    assert data, f"{what} is empty"
    for name in names:
        for piece in [name, *name.split()]:
            if len(piece) >= 5:
                assert piece.encode() not in data, f"{piece!r} is readable in {what}"
    for number in numbers:
        assert number.encode() not in data, f"NHS number {number} is readable in {what}"
        assert number.replace(" ", "").encode() not in data


def _stock_sqlite_cannot_read(path) -> None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from arrs_desktop.access.session import sign_in
    from arrs_desktop.domain.models import Person
    db = Path(sys.argv[1])
    session = sign_in(db, sys.argv[2])
    store = session.open_store(user="Holder")
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(30):
        store.people.add(Person(name=f"Wilhelmina Quartermaine {i}", nhs_number=None))
    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
""")


def test_the_database_its_wal_shm_and_backups_reveal_no_name_or_nhs_number(encrypted,
                                                                            tmp_path):
    path, session, _ = encrypted
    names, numbers = _secrets_of(path, session)
    names.add("Wilhelmina Quartermaine")
    made = backup.make_backup(path)
    # Another process holds the file open with pages in its write-ahead log: this process
    # has no connection to the file, so reading its bytes cannot drop anybody's locks.
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path), PASSPHRASE],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        wal = path.with_name(path.name + "-wal")
        shm = path.with_name(path.name + "-shm")
        assert wal.stat().st_size > 100_000 and shm.exists()
        for file in (path, wal, shm, made):
            _assert_reveals_nothing(file.read_bytes(), names, numbers, file.name)
        copy = tmp_path / "copied"
        copy.mkdir()
        for file in (path, wal, shm):
            shutil.copy(file, copy / file.name)
    finally:
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(30) == 0
    for file in (copy / path.name, made):
        _stock_sqlite_cannot_read(file)
    for file in (path, made, paths.key_file_path(made), copy / path.name):
        assert file.stat().st_mode & 0o777 == 0o600
    assert paths.key_file_path(made).read_bytes() == paths.key_file_path(path).read_bytes()


def test_an_encrypted_file_will_not_open_without_a_sign_in(encrypted):
    path, session, _ = encrypted
    session.end()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreLockedError, match="encrypted caseload"):
        open_store(path)
    with pytest.raises(WrongPassphraseError):
        sign_in(path, "not the passphrase at all")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    again = sign_in(path, PASSPHRASE)
    try:
        store = again.open_store()
        assert store.people.count() == 40
        assert store.user == "Jane Smith"
        store.close()
    finally:
        again.end()


def test_backups_check_and_restore_work_on_an_encrypted_caseload(encrypted):
    path, session, _ = encrypted
    made = backup.make_backup(path)
    assert backup.check_database(made).ok
    store = session.open_store()
    store.people.add(Person(name="Added After The Backup"))
    store.close()
    kept = backup.restore_backup(path, made)
    assert kept is not None and paths.key_file_path(kept).exists()
    store = session.open_store()
    try:
        assert store.people.count() == 40
        assert store.health.check_now() == "ok"
    finally:
        store.close()
    report = backup.check_database(path)
    assert report.ok, report.problems  # the tamper check passes on the restored file too
    assert report.counts["people"] == 40


def test_a_damaged_encrypted_file_is_found_and_nothing_is_written(encrypted):
    path, session, _ = encrypted
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 // 4096 * 4096 + 100  # inside a page of rows, not the header
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    report = backup.check_database(path)
    assert not report.ok
    store = session.open_store()
    try:
        assert store.health.check_now() == "damaged"
        from arrs_desktop.store import StoreDamagedError

        with pytest.raises(StoreDamagedError):
            store.people.add(Person(name="Not Saved"))
    finally:
        store.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_recovery_key_opens_the_caseload(encrypted):
    path, session, recovery = encrypted
    session.end()
    opened = sign_in_with_recovery_key(path, recovery.formatted().lower())
    try:
        store = opened.open_store()
        assert store.people.count() == 40
        assert store.user == "recovery key"
        store.close()
    finally:
        opened.end()


def test_a_file_copied_without_its_key_file_says_so_before_anything_opens_it(encrypted,
                                                                              tmp_path):
    path, session, _ = encrypted
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    shutil.copy(path, elsewhere / "caseload.db")
    assert state_of(elsewhere / "caseload.db") == "missing-key"
    assert state_of(path) == "encrypted"


def test_a_view_of_a_record_is_audited_and_shown_with_the_changes(encrypted):
    from arrs_desktop.app.operations.audit import record_view

    path, session, _ = encrypted
    store = session.open_store()
    try:
        person = store.people.add(Person(name="Viewed Person", date_of_birth=date(1950, 1, 1)))
        result = record_view(store, person.id)
        assert result.changes.person_id == person.id and result.changes.audit
        lines = store.audit.for_person(person.id)
        assert [e.action for e in lines] == ["view", "create"]
        assert lines[0].who == "Jane Smith" and lines[0].person_id == person.id
    finally:
        store.close()
    assert backup.check_database(path).ok  # a view line is not taken for tampering
