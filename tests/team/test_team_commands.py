"""`arrs team ...` and `arrs sync`, exactly as scripts call them, on a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from arrs_desktop.cli import main
from arrs_desktop.domain.models import Person
from arrs_desktop.store import open_store
from tests.pg_server import PostgresTestServer


@pytest.fixture
def admin_url(pg_server: PostgresTestServer, team_db: str) -> str:
    return team_db


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _member(pg_server: PostgresTestServer, admin_url: str, login: str) -> str:
    dbname = admin_url.rsplit("dbname=", 1)[1]
    return pg_server.member_dsn(dbname, login, f"{login}-password")


def test_a_team_is_set_up_joined_synced_and_a_member_removed_by_commands(
        capsys, monkeypatch, pg_server, admin_url, tmp_path: Path):
    dbname = admin_url.rsplit("dbname=", 1)[1]
    role = f"{dbname}_team"
    code, out, _ = _run(capsys, "team", "init", "--server", admin_url, "--team-role", role)
    assert code == 0 and out.startswith("Team schema 2 ready")
    assert _run(capsys, "team", "init", "--server", admin_url)[0] == 0  # again: no change
    for login in ("ann", "bob"):
        monkeypatch.setenv("ARRS_MEMBER_PASSWORD", f"{dbname}_{login}-password")
        code, out, _ = _run(capsys, "team", "add-member", "--server", admin_url,
                            "--login", f"{dbname}_{login}", "--name", login.title())
        assert code == 0, out
    monkeypatch.delenv("ARRS_MEMBER_PASSWORD")
    a_db, b_db = tmp_path / "a.db", tmp_path / "b.db"
    store = open_store(a_db, user="Ann Worker", device_id="laptop-a")
    store.people.add(Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))
    store.close()
    code, out, err = _run(capsys, "team", "join", "--db", str(a_db), "--server",
                        _member(pg_server, admin_url, f"{dbname}_ann"))
    assert code == 0 and out.splitlines()[-1] == "pushed 1, pulled 0, conflicts 0", err
    code, out, _ = _run(capsys, "team", "join", "--db", str(b_db), "--server",
                        _member(pg_server, admin_url, f"{dbname}_bob"))
    assert out.splitlines()[-1] == "pushed 0, pulled 1, conflicts 0"
    assert _run(capsys, "sync", "--db", str(b_db))[1] == "pushed 0, pulled 0, conflicts 0\n"
    code, out, _ = _run(capsys, "team", "status", "--db", str(b_db), "--json")
    status = json.loads(out)
    assert status["changes_waiting"] == 0 and status["open_conflicts"] == 0
    assert status["last_sync"] and "password" not in status["server"]
    code, out, _ = _run(capsys, "team", "status", "--db", str(b_db))
    assert "Changes waiting:     0" in out
    code, out, _ = _run(capsys, "team", "conflicts", "--db", str(b_db), "--json")
    assert json.loads(out) == {"conflicts": [], "possible_duplicates": []}
    assert _run(capsys, "team", "conflicts", "--db", str(b_db))[1].startswith("No conflicts")
    # Bob leaves the team: his next sync is refused, in one line, and nothing is lost.
    code, out, _ = _run(capsys, "team", "remove-member", "--server", admin_url,
                        "--login", f"{dbname}_bob")
    assert code == 0
    store = open_store(b_db, user="Bob Worker", device_id="laptop-b")
    store.people.add(Person(name="Bob Example", date_of_birth=date(1960, 1, 2)))
    store.close()
    code, out, err = _run(capsys, "sync", "--db", str(b_db))
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "refused" in err and "administrator" in err
    code, out, _ = _run(capsys, "team", "status", "--db", str(b_db), "--json")
    assert json.loads(out)["changes_waiting"] == 1


def test_sync_with_the_server_unreachable_says_so_in_one_line_and_fails(capsys, tmp_path):
    db = tmp_path / "a.db"
    store = open_store(db, device_id="laptop-a")
    store.team.link("host=127.0.0.1 port=9 dbname=team user=ann connect_timeout=2", "pw")
    store.close()
    code, out, err = _run(capsys, "sync", "--db", str(db))
    assert code == 3 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("arrs sync: The team server could not be reached")


def test_sync_of_a_caseload_not_in_a_team_says_how_to_join(capsys, tmp_path):
    code, _, err = _run(capsys, "sync", "--db", str(tmp_path / "a.db"))
    assert code == 1 and "arrs team join" in err


def test_a_member_password_shorter_than_twelve_is_refused(capsys, monkeypatch, admin_url):
    monkeypatch.setenv("ARRS_MEMBER_PASSWORD", "short")
    code, _, err = _run(capsys, "team", "add-member", "--server", admin_url, "--login", "x")
    assert code == 1 and "12 characters" in err


def test_join_with_a_wrong_password_changes_nothing(capsys, pg_server, admin_url, tmp_path):
    assert _run(capsys, "team", "init", "--server", admin_url)[0] == 0
    db = tmp_path / "a.db"
    dbname = admin_url.rsplit("dbname=", 1)[1]
    code, _, err = _run(capsys, "team", "join", "--db", str(db), "--server",
                        pg_server.member_dsn(dbname, "nobody", "wrong"))
    assert code == 1 and "refused" in err
    with psycopg.connect(admin_url):
        pass
    store = open_store(db)
    assert not store.team.linked()
    store.close()
