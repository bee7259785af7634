"""A write the file or the disk refuses is said in plain words where it was made."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from arrs_desktop.store import (
    StoreBusyError,
    StoreFullError,
    StoreIOError,
    StoreReadOnlyError,
    StoreWriteError,
    open_store,
)
from arrs_desktop.store.errors import StoreDamagedError, write_error
from tests.ui_helpers import count, make_context, make_window, type_into


def _error(message: str, name: str) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorname = name
    return exc


@pytest.mark.parametrize(("message", "name", "kind", "words"), [
    ("database is locked", "SQLITE_BUSY", StoreBusyError, "busy"),
    ("database or disk is full", "SQLITE_FULL", StoreFullError, "disk holding"),
    ("attempt to write a readonly database", "SQLITE_READONLY", StoreReadOnlyError,
     "read-only"),
    ("disk I/O error", "SQLITE_IOERR_WRITE", StoreIOError, "disk reported an error"),
    ("unable to open database file", "SQLITE_CANTOPEN", StoreIOError, "disk reported"),
    ("database disk image is malformed", "SQLITE_CORRUPT", StoreDamagedError, "damaged"),
])
def test_each_refusal_is_named_in_plain_words(message, name, kind, words):
    mapped = write_error(_error(message, name))
    assert isinstance(mapped, kind) and isinstance(mapped, StoreWriteError)
    assert words in str(mapped) and "not saved" in str(mapped)


def test_a_constraint_is_not_mistaken_for_the_disk():
    assert write_error(sqlite3.IntegrityError("CHECK constraint failed: x")) is None


def fill_up(store) -> None:
    """Let the file grow no more: the next write that needs a new page is refused as full."""
    conn = store.db.conn
    assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def make_read_only(store) -> None:
    """Refuse every write on the store's connection, as a read-only file does."""
    store.db.conn.execute("PRAGMA query_only = ON")


def test_a_full_disk_refuses_the_whole_write_and_says_so(store):
    person = store.people.add(Person(name="Ann Full"))
    audit = store.audit.count()
    fill_up(store)
    with pytest.raises(StoreFullError, match="full"):
        store.people.add(Person(name="Ben Big", address="x" * 300, what_matters="y" * 4000))
    assert store.people.count() == 1 and store.audit.count() == audit
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")
    store.people.update(Person(**{**person.__dict__, "phone": "0161 496 0000"}))
    assert store.people.get(person.id).phone == "0161 496 0000"


def test_a_read_only_file_refuses_the_write_and_says_so(store):
    store.people.add(Person(name="Ann Ro"))
    make_read_only(store)
    with pytest.raises(StoreReadOnlyError, match="read-only"):
        store.people.add(Person(name="Ben Ro"))
    assert store.people.count() == 1


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 2 MB file system (tmpfs); skipped where this machine cannot mount one."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_loses_nothing_already_saved(tiny_disk):
    store = open_store(tiny_disk / "caseload.db", user="W", device_id="d")
    saved = [store.people.add(Person(name=f"Person {n}")).id for n in range(5)]
    filler = tiny_disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as fh:
        while True:
            fh.write(b"\0" * 4096)
            fh.flush()
    with pytest.raises(StoreFullError):
        for n in range(200):
            store.people.add(Person(name=f"Extra {n}", what_matters="z" * 4000))
    filler.unlink()
    store.people.add(Person(name="After Space Freed"))
    store.close()
    check = sqlite3.connect(tiny_disk / "caseload.db")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {r[0] for r in check.execute("SELECT id FROM people")}
    assert set(saved) <= ids
    check.close()


# -- in the window ------------------------------------------------------------------------
@pytest.fixture
def person(store):
    p = store.people.add(Person(name="Maria Silva", date_of_birth=date(1948, 6, 1)))
    store.episodes.open(Episode(person_id=p.id, role="splw", referral_date=date.today(),
                               referral_source="gp", worker="Lee Link"))
    return p


def test_session_form_says_the_disk_is_full_and_keeps_what_was_typed(qtbot, store, person,
                                                                     db_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    panel = window.sessions_panel
    window.daily_work.log_session_action.trigger()
    type_into(qtbot, panel.minutes, "30")
    notes = "Long talk. " * 300
    panel.notes.setPlainText(notes)
    fill_up(store)
    assert panel.save() is False
    assert "full" in panel.general_error.text()
    assert panel.general_error.isVisible()
    assert panel.notes.toPlainText() == notes and panel.minutes.text() == "30"
    assert count(db_path, "sessions") == 0


def test_ticking_a_need_on_a_read_only_file_says_not_saved(qtbot, store, person, db_path):
    window = make_window(qtbot, store)
    window.open_person(person.id)
    panel = window.needs_match.needs_panel
    make_read_only(store)
    panel.boxes["loneliness"].click()
    assert not panel.boxes["loneliness"].isChecked()
    assert "read-only" in panel.error.text()
    assert count(db_path, "needs") == 0


def test_edit_details_on_a_read_only_file_stays_open_with_the_reason(qtbot, store, person):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    dialog = PersonDialog(make_context(store), store.people.get(person.id))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.phone, "0161 496 0001")
    make_read_only(store)
    dialog.save()
    assert dialog.isVisible() and dialog.result() == 0
    assert "read-only" in dialog.general_error.text()
    assert dialog.phone.text() == "0161 496 0001"
    QApplication.processEvents()
