"""Leaving a team: the file keeps its rows, stops syncing, and cannot join a team again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.cli import main
from arrs_desktop.domain.models import Person
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import open_store
from tests.team.caseloads import laptop, member_url
from tests.team.conftest import Team


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_leaving_keeps_the_rows_drops_the_team_state_and_is_audited(team: Team, tmp_path):
    store = laptop(tmp_path / "a.db", "laptop-a")
    team_ops.join_team(store, member_url(team, 0))
    person = store.people.add(Person(name="Ada Example", date_of_birth=date(1950, 1, 2)))
    assert store.team.waiting_count() == 1
    assert team_ops.leave_team(store).value == 1
    assert not store.team.linked() and store.team.server() == ""
    assert store.people.get(person.id) is not None
    for table in ("team_outbox", "team_rows", "team_conflicts"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert store.conn.execute("SELECT key FROM team_sync WHERE key IN"
                              " ('server', 'server_password', 'cursor')").fetchall() == []
    line = store.conn.execute("SELECT after_json FROM audit_log WHERE action = 'team_left'"
                              ).fetchone()
    assert line is not None and '"unsent_changes": 1' in line[0]
    assert "pw" not in line[0]
    store.people.add(Person(name="Bo Example", date_of_birth=date(1951, 1, 2)))
    assert store.team.waiting_count() == 0  # not in a team: nothing waits to be sent
    with pytest.raises(ValidationError, match="cannot join one again"):
        team_ops.join_team(store, member_url(team, 0))
    assert not store.team.linked()
    store.close()


def test_leaving_a_caseload_not_in_a_team_is_refused(tmp_path):
    store = open_store(tmp_path / "a.db", device_id="laptop-a")
    with pytest.raises(ValidationError, match="not in a team"):
        team_ops.leave_team(store)
    store.close()


def test_arrs_team_leave_asks_for_a_sync_first_when_changes_wait(capsys, team: Team,
                                                                tmp_path: Path):
    db = tmp_path / "a.db"
    store = laptop(db, "laptop-a")
    team_ops.join_team(store, member_url(team, 0))
    store.people.add(Person(name="Ada Example", date_of_birth=date(1950, 1, 2)))
    store.close()
    code, out, err = _run(capsys, "team", "leave", "--db", str(db))
    assert code == 1 and out == "" and "1 change made here" in err and "arrs sync" in err
    assert _run(capsys, "sync", "--db", str(db))[0] == 0
    code, out, err = _run(capsys, "team", "leave", "--db", str(db))
    assert code == 0 and out.startswith("Left the team at ") and "dropped" not in out
    code, _, err = _run(capsys, "team", "leave", "--db", str(db))
    assert code == 1 and "not in a team" in err
    code, _, err = _run(capsys, "team", "join", "--db", str(db), "--server",
                        member_url(team, 0))
    assert code == 1 and "cannot join one again" in err and len(err.splitlines()) == 1


def test_arrs_team_leave_with_yes_drops_the_unsent_changes_and_says_how_many(
        capsys, team: Team, tmp_path: Path):
    db = tmp_path / "a.db"
    store = laptop(db, "laptop-a")
    team_ops.join_team(store, member_url(team, 0))
    for name in ("Ada Example", "Bo Example"):
        store.people.add(Person(name=name, date_of_birth=date(1950, 1, 2)))
    store.close()
    code, out, _ = _run(capsys, "team", "leave", "--db", str(db), "--yes")
    assert code == 0 and "2 changes not sent to the team were dropped." in out
    store = open_store(db)
    assert not store.team.linked() and store.people.count() == 2
    store.close()
