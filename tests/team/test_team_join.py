"""A caseload made by the app joins a team; a new laptop joining gets the same caseload."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from arrs_desktop.team import outbox
from arrs_desktop.team.sync import sync
from arrs_desktop.team.tables import CASELOAD_SCHEMA
from tests.team.conftest import Team
from tests.team.laptop_file import Laptop


def _synced(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    out = {}
    for spec in CASELOAD_SCHEMA.tables.values():
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({spec.name})")
                if spec.synced(r[1])]
        out[spec.name] = conn.execute(
            f"SELECT {', '.join(cols)} FROM {spec.name} ORDER BY {', '.join(spec.key)}"
        ).fetchall()
    return out


def test_a_demo_caseload_joins_and_a_new_laptop_gets_all_of_it(team: Team, demo_db: Path,
                                                                tmp_path: Path):
    old = Laptop(demo_db, "demo-laptop")
    expected = _synced(old.conn)
    assert sum(len(rows) for rows in expected.values()) > 1_000
    sent = outbox.record_existing(old.conn, CASELOAD_SCHEMA, old.clock, "Test Worker",
                                  page=700)
    shipped_codes = sum(old.conn.execute(f"SELECT count(*) FROM {t} WHERE shipped = 1"
                                         ).fetchone()[0] for t in ("gp_codes", "code_list"))
    assert shipped_codes  # every laptop has the shipped codes of its own: they are not sent
    assert sent == sum(len(rows) for rows in expected.values()) - shipped_codes
    assert outbox.record_existing(old.conn, CASELOAD_SCHEMA, old.clock, "Test Worker") == 0
    new = Laptop(tmp_path / "new.db", "new-laptop")
    with team.connect(0) as conn:
        assert sync(old.conn, conn, old.clock, page=700).pushed == sent
        # Pages of 700 entries: each page is committed on its own, so parents come first.
        assert sync(new.conn, conn, new.clock, page=700).pulled == sent
    shipped = {k: v for k, v in _synced(new.conn).items()}
    assert shipped == expected
    assert new.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert outbox.conflicts(new.conn) == []
    old.conn.close()
    new.conn.close()
