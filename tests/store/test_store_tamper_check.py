"""`arrs check` catches changes made behind the app's back and names the table and row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from arrs_desktop.cli import main
from arrs_desktop.store import open_store

NO_UPDATE = ("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
             "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


@pytest.fixture
def caseload(demo_db) -> Path:
    """A demo caseload this app has opened and closed (so it knows its newest audit line)."""
    open_store(demo_db, user="W", device_id="d").close()
    return demo_db


def sql(path: Path, *statements: str, params=()) -> None:
    """Change the file with plain SQL, as another program would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
        conn.commit()
    finally:
        conn.close()


def one(path: Path, query: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchone()[0]
    finally:
        conn.close()


def check(path: Path, capsys) -> tuple[int, str]:
    code = main(["check", "--db", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_an_untouched_caseload_passes(caseload, capsys):
    code, text = check(caseload, capsys)
    assert code == 0, text
    assert "No problems found" in text


def without_triggers(*statements: str) -> tuple[str, ...]:
    return ("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
            *statements)


TAMPERING = {
    "the whole audit log deleted": (
        without_triggers("DELETE FROM audit_log"), ["audit_log", "empty"]),
    "the append-only triggers dropped": (
        ("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"),
        ["trigger audit_log_no_update", "missing"]),
    "an audit line's values changed": (
        ("DROP TRIGGER audit_log_no_update",
         "UPDATE audit_log SET after_json = replace(after_json, 'a', 'o')"
         " WHERE seq = (SELECT min(seq) + 5 FROM audit_log)", NO_UPDATE),
        ["audit_log row", "changed after it was written"]),
    "an audit line removed from the middle": (
        ("DROP TRIGGER audit_log_no_delete",
         "DELETE FROM audit_log WHERE seq = (SELECT min(seq) + 40 FROM audit_log)",
         "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
         "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"),
        ["audit_log row", "chain breaks"]),
    "the newest audit lines cut off": (
        ("DROP TRIGGER audit_log_no_delete",
         "DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)",
         "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
         "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"),
        ["audit_log", "removed from the end"]),
    "a person renamed without an audit line": (
        ("UPDATE people SET name = 'Someone Else' WHERE rowid = 3",),
        ["people row", "Name", "differs from its audit trail"]),
    "a person added without an audit line": (
        ("INSERT INTO people (id, name, search_name, created_at, updated_at, device_id)"
         " VALUES ('aaaaaaaa-0000-4000-8000-000000000001', 'Ghost Person', 'ghost person',"
         " '2026-01-01', '2026-01-01', 'x')",),
        ["people row aaaaaaaa-0000-4000-8000-000000000001", "no audit line"]),
    "a session deleted without an audit line": (
        ("DELETE FROM goal_progress WHERE session_id = (SELECT id FROM sessions LIMIT 1)",
         "DELETE FROM outcome_measures WHERE session_id = (SELECT id FROM sessions LIMIT 1)",
         "DELETE FROM asset_referrals WHERE session_id = (SELECT id FROM sessions LIMIT 1)",
         "DELETE FROM sessions WHERE id = (SELECT id FROM sessions LIMIT 1)"),
        ["sessions row", "missing"]),
    "an NHS number with a wrong check digit": (
        ("UPDATE people SET nhs_number = '9434765918' WHERE nhs_number IS NOT NULL"
         " AND rowid = (SELECT min(rowid) FROM people WHERE nhs_number IS NOT NULL)",),
        ["people row", "NHS number", "check digit"]),
    "control characters in a name": (
        ("UPDATE people SET name = 'Ann' || char(7) || 'Bell' WHERE rowid = 2",),
        ["people row", "control characters"]),
    "a date that is not a date": (
        ("UPDATE sessions SET date = '2026-13-45' WHERE rowid = 1",),
        ["sessions row", "date"]),
    "an index dropped": (
        ("DROP INDEX people_search_name",), ["index people_search_name", "missing"]),
    "a trigger added": (
        ("CREATE TRIGGER copy_names AFTER INSERT ON people BEGIN SELECT 1; END",),
        ["trigger copy_names", "not part of"]),
    "an upgrade record removed": (
        ("DELETE FROM _sqlite_migrations WHERE name LIKE '0003%'",),
        ["0003", "upgrade"]),
    "two audit lines swapped": (
        ("DROP TRIGGER audit_log_no_update",
         "UPDATE audit_log SET seq = -1 WHERE seq = (SELECT min(seq) + 10 FROM audit_log)",
         "UPDATE audit_log SET seq = (SELECT min(seq) + 10 FROM audit_log WHERE seq > 0)"
         " WHERE seq = (SELECT min(seq) + 11 FROM audit_log WHERE seq > 0)",
         NO_UPDATE),
        ["audit_log row", "chain breaks"]),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_tampering_behind_the_apps_back_is_caught(caseload, capsys, case):
    statements, words = TAMPERING[case]
    sql(caseload, *statements)
    code, text = check(caseload, capsys)
    assert code != 0, f"{case} passed the check:\n{text}"
    problems = [line for line in text.splitlines() if line.startswith("PROBLEM")]
    assert problems, text
    assert any(all(w in line for w in words) for line in problems), "\n".join(problems)


def test_the_apps_own_erase_is_not_tampering(caseload, capsys):
    store = open_store(caseload, user="W", device_id="d")
    person = store.caseload.page(store_filter())[0]
    store.erasure.erase(person.id, "asked to be forgotten")
    store.close()
    code, text = check(caseload, capsys)
    assert code == 0, text


def test_a_restored_caseload_passes(caseload, capsys):
    from arrs_desktop.store import backup

    first = backup.make_backup(caseload, "manual")
    store = open_store(caseload, user="W", device_id="d")
    store.audit.record_event("made after the backup")
    store.close()
    backup.restore_backup(caseload, first)
    code, text = check(caseload, capsys)
    assert code == 0, text


def store_filter():
    from arrs_desktop.domain.models import CaseloadFilter

    return CaseloadFilter()
