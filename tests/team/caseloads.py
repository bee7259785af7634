"""Real caseload files of a team's laptops, written through the store and synced by the app."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from arrs_desktop.store import Store, open_store
from arrs_desktop.team.tables import CASELOAD_SCHEMA
from tests.team.conftest import Team


def member_url(team: Team, who: int = 0) -> str:
    login = team.logins[who]
    return team.pg.member_dsn(team.dbname, login, f"{login}-pw")


def laptop(path: Path, device: str, user: str = "Ann Worker") -> Store:
    """Open a caseload file as one laptop of the team."""
    return open_store(path, user=user, device_id=device)


def synced_tables(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Return the synced columns of every row of every synced table, in key order."""
    out = {}
    for spec in CASELOAD_SCHEMA.tables.values():
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({spec.name})")
                if spec.synced(r[1])]
        out[spec.name] = conn.execute(
            f"SELECT {', '.join(cols)} FROM {spec.name} ORDER BY {', '.join(spec.key)}"
        ).fetchall()
    return out


def caseload_of(store: Store) -> dict[str, list[tuple]]:
    """The synced tables plus each person's derived caseload columns and the conflicts."""
    out = synced_tables(store.conn)
    out["derived"] = store.conn.execute(
        "SELECT id, lead_role, episode_status, lead_worker, next_follow_up FROM people"
        " ORDER BY id").fetchall()
    out["conflicts"] = store.conn.execute(
        "SELECT table_name, row_id, column_name, change_id, kind FROM team_conflicts"
        " ORDER BY 1, 2, 3, 4").fetchall()
    return out
