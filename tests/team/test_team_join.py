"""A caseload made by the app joins a team; a new laptop joining gets the same caseload."""

from __future__ import annotations

import contextlib
from pathlib import Path

from arrs_desktop.team import outbox
from arrs_desktop.team.sync import sync
from arrs_desktop.team.tables import CASELOAD_SCHEMA
from tests.team.caseloads import synced_tables
from tests.team.conftest import Team
from tests.team.laptop_file import Laptop


def test_a_demo_caseload_joins_and_a_new_laptop_gets_all_of_it(team: Team, demo_db: Path,
                                                                tmp_path: Path):
    old = Laptop(demo_db, "demo-laptop")
    expected = synced_tables(old.conn)
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
    shipped = {k: v for k, v in synced_tables(new.conn).items()}
    assert shipped == expected
    assert new.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert outbox.conflicts(new.conn) == []
    old.conn.close()
    new.conn.close()


def _server_counts(team: Team) -> tuple[int, int]:
    with team.admin_connect() as conn:
        changes = conn.execute("SELECT count(*) FROM arrs_team.changes").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM arrs_team.rows").fetchone()[0]
    return changes, rows


def _team_state(store) -> list[tuple]:
    """Each row's merge state (as data: the server's copy is written out differently)."""
    import json

    return [(t, r, json.loads(state)) for t, r, state in store.conn.execute(
        "SELECT table_name, row_id, state_json FROM team_rows ORDER BY 1, 2")]


def test_a_caseload_joining_an_empty_team_goes_at_once_and_the_next_laptop_gets_it(
        team: Team, demo_db: Path, tmp_path: Path):
    from arrs_desktop.app.operations import team as team_ops
    from tests.team.caseloads import caseload_of, laptop, member_url

    old = laptop(demo_db, "demo-laptop")
    expected = synced_tables(old.conn)
    result = team_ops.join_team(old, member_url(team, 0)).value
    sent = sum(len(rows) for rows in expected.values()) - sum(
        old.conn.execute(f"SELECT count(*) FROM {t} WHERE shipped = 1").fetchone()[0]
        for t in ("gp_codes", "code_list"))
    assert result.pushed == sent and result.pulled == 0
    assert _server_counts(team) == (sent, sent)
    assert old.team.waiting_count() == 0 and not old.team.seeding()
    assert synced_tables(old.conn) == expected  # the rows as they were
    new = laptop(tmp_path / "new.db", "new-laptop")
    team_ops.join_team(new, member_url(team, 1))
    assert caseload_of(new) == caseload_of(old)
    assert _team_state(new) == _team_state(old)  # the same merge state on both
    person = old.conn.execute("SELECT id FROM people LIMIT 1").fetchone()[0]
    from arrs_desktop.app.operations import people as people_ops

    people_ops.set_what_matters(old, person, "Seeing my grandchildren")
    team_ops.sync_team(old)
    team_ops.sync_team(new)
    assert new.people.get(person).what_matters == "Seeing my grandchildren"
    assert new.team.conflicts() == []
    old.close()
    new.close()


def test_a_join_cut_off_after_the_team_got_the_caseload_finishes_at_the_next_sync(
        team: Team, demo_db: Path, monkeypatch):
    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.store.team_link import TeamLink
    from tests.team.caseloads import caseload_of, laptop, member_url

    old = laptop(demo_db, "demo-laptop")
    expected = synced_tables(old.conn)

    def cut_off(self, cursor):
        raise ConnectionResetError("the laptop was shut")

    with monkeypatch.context() as patched:
        patched.setattr(TeamLink, "finish_seeding", cut_off)
        with contextlib.suppress(ConnectionResetError):
            team_ops.join_team(old, member_url(team, 0))
    assert old.team.seeding() and old.team.cursor() == 0
    changes, _ = _server_counts(team)
    assert changes > 1_000
    result = team_ops.sync_team(old).value  # nothing is sent twice, nothing copied back
    assert _server_counts(team) == (changes, changes) and result.pushed == result.pulled == 0
    assert not old.team.seeding() and old.team.cursor() == changes
    assert synced_tables(old.conn) == expected and old.team.conflicts() == []
    new = laptop(demo_db.with_name("new.db"), "new-laptop")
    team_ops.join_team(new, member_url(team, 1))
    assert caseload_of(new) == caseload_of(old) and _team_state(new) == _team_state(old)
    new.close()
    old.close()


def test_a_join_whose_load_failed_on_the_server_sends_the_caseload_at_the_next_sync(
        team: Team, demo_db: Path, monkeypatch):
    from arrs_desktop.app.operations import team as team_ops
    from arrs_desktop.team import server
    from tests.team.caseloads import laptop, member_url

    old = laptop(demo_db, "demo-laptop")
    expected = synced_tables(old.conn)
    real_seed = server.seed

    def failing(conn, pages, **kw):
        def some_then_fail():
            yield next(iter(pages))
            raise ConnectionResetError("the network went")

        return real_seed(conn, some_then_fail(), **kw)

    with monkeypatch.context() as patched:
        patched.setattr(server, "seed", failing)
        with contextlib.suppress(ConnectionResetError):
            team_ops.join_team(old, member_url(team, 0))
    assert _server_counts(team) == (0, 0)  # all or nothing
    assert old.team.seeding()
    result = team_ops.sync_team(old).value
    changes, rows = _server_counts(team)
    assert result.pushed == changes == rows > 1_000
    assert not old.team.seeding() and synced_tables(old.conn) == expected
    old.close()
