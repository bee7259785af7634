"""Migrations from empty, the documented schema matches the real one, the demo caseload."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

from arrs_desktop.domain.validation import nhs_check_digit_ok
from arrs_desktop.store import open_store
from arrs_desktop.store.schema import known_migration_names
from arrs_desktop.tools.demo import build_demo

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
REQUIRED_TABLES = {
    "people", "needs", "episodes", "goals", "goal_progress", "sessions", "outcome_measures",
    "care_homes", "care_home_contacts", "community_assets", "asset_referrals", "gp_codes",
    "audit_log",
}


def _tables(conn) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND name NOT LIKE '\\_%' ESCAPE '\\'")]
    tables = {}
    for name in names:
        if conn.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                        [name]).fetchone()[0].upper().startswith("CREATE VIRTUAL"):
            continue
        tables[name] = [r[1] for r in conn.execute(f'PRAGMA table_info("{name}")')]
    return tables


def test_migrations_build_every_table_from_an_empty_file(db_path):
    s = open_store(db_path)
    assert s.schema_version() == known_migration_names()[-1]
    s.close()
    conn = sqlite3.connect(db_path)
    assert set(_tables(conn)) >= REQUIRED_TABLES
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == known_migration_names()


def test_reopening_applies_nothing_twice(db_path):
    open_store(db_path).close()
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(
        known_migration_names())


def test_foreign_keys_are_enforced(store):
    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO needs (id, person_id, need_id, added_at, created_at, updated_at,"
            " device_id) VALUES ('x', 'nobody', 'copd', 't', 't', 't', 'd')")


def test_docs_describe_every_table_and_column(db_path):
    open_store(db_path).close()
    doc = DOC.read_text(encoding="utf-8")
    sections = re.split(r"^## ", doc, flags=re.M)
    documented: dict[str, str] = {}
    for section in sections[1:]:
        title, _, body = section.partition("\n")
        documented[title.strip()] = body
    common = ("created_at", "updated_at", "device_id")  # described once, above the tables
    assert all(c in sections[0] for c in common)
    missing = []
    for table, columns in _tables(sqlite3.connect(db_path)).items():
        columns = [c for c in columns if c not in common]
        if table not in documented:
            missing.append(table)
            continue
        body = documented[table]
        for column in columns:
            if not re.search(rf"(^|\W){re.escape(column)}(\W|$)", body):
                missing.append(f"{table}.{column}")
    assert missing == []


def _content(path) -> list:
    conn = sqlite3.connect(path)
    out = []
    for table in ("people", "needs", "episodes", "goals", "goal_progress", "sessions",
                  "outcome_measures", "care_home_contacts", "asset_referrals"):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in ("created_at", "updated_at", "added_at", "removed_at",
                                "device_id")]
        out.append(conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall())
    return out


def test_demo_is_reproducible_for_a_seed(tmp_path):
    paths = []
    for name in ("a.db", "b.db"):
        s = open_store(tmp_path / name, device_id="d")
        build_demo(s, 25, seed=11, today=date(2026, 6, 1))
        s.close()
        paths.append(tmp_path / name)
    assert _content(paths[0]) == _content(paths[1])
    other = open_store(tmp_path / "c.db", device_id="d")
    build_demo(other, 25, seed=12, today=date(2026, 6, 1))
    other.close()
    assert _content(tmp_path / "c.db") != _content(paths[0])


def test_demo_covers_what_the_team_needs_to_see(demo_db):
    conn = sqlite3.connect(demo_db)
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    assert {r[0] for r in q("SELECT DISTINCT role FROM episodes")} == {"splw", "cc", "hwbc"}
    assert {r[0] for r in q("SELECT DISTINCT status FROM episodes")} == {
        "referred", "active", "on_hold", "closed", "declined"}
    assert q("SELECT count(*) FROM care_homes")[0][0] == 12
    assert q("SELECT count(*) FROM community_assets")[0][0] == 40
    assert q("SELECT count(*) FROM asset_referrals")[0][0] > 0
    assert q("SELECT count(*) FROM care_home_contacts")[0][0] >= 12 * 5
    assert q("SELECT max(n) FROM (SELECT count(*) n FROM goal_progress GROUP BY goal_id)")[0][
        0] >= 3
    assert q("SELECT count(*) FROM outcome_measures WHERE ons4_anxious IS NOT NULL")[0][0] > 0
    numbers = [r[0] for r in q("SELECT nhs_number FROM people WHERE nhs_number IS NOT NULL")]
    assert numbers and all(n.startswith("999") and nhs_check_digit_ok(n) for n in numbers)
    # Older people are more often frail.
    old, young = (q(
        "SELECT avg(EXISTS (SELECT 1 FROM needs n WHERE n.person_id = p.id AND"
        " n.need_id = 'frail_elderly')) FROM people p WHERE " + cond)[0][0]
        for cond in ("date_of_birth < date('now', '-75 years')",
                     "date_of_birth >= date('now', '-60 years')"))
    assert old > young
