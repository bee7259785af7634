"""Files holding personal data are private to the user whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from arrs_desktop import paths
from arrs_desktop.domain.models import Person
from arrs_desktop.store import backup, open_store


@pytest.fixture(autouse=True)
def open_umask():
    old = os.umask(0o022)  # the usual umask: new files readable by everyone
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_caseload_and_its_log_are_private(tmp_path):
    db = tmp_path / "new.db"
    store = open_store(db, user="W", device_id="d")
    store.people.add(Person(name="Ann Private"))
    try:
        for name in ("new.db", "new.db-wal", "new.db-shm"):
            assert mode(tmp_path / name) == 0o600, name
    finally:
        store.close()


def test_the_data_and_settings_folders_are_private():
    assert mode(paths.data_dir()) == 0o700
    assert mode(paths.config_dir()) == 0o700
    store = open_store(paths.default_db_path(), user="W", device_id="d")
    store.close()
    assert mode(paths.default_db_path()) == 0o600


def test_an_existing_readable_caseload_is_made_private_when_opened(tmp_path):
    db = tmp_path / "old.db"
    open_store(db, user="W", device_id="d").close()
    db.chmod(0o644)
    store = open_store(db, user="W", device_id="d")
    try:
        assert mode(db) == 0o600
        assert mode(tmp_path / "old.db-wal") == 0o600
    finally:
        store.close()


def test_backups_and_their_folder_are_private(demo_db):
    made = backup.make_backup(demo_db, "manual")
    assert mode(made) == 0o600
    assert mode(made.parent) == 0o700
    kept = backup.restore_backup(demo_db, made)
    assert mode(kept) == 0o600
    assert mode(demo_db) == 0o600
