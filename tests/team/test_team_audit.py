"""The audit log is the team's too: each laptop's own lines go to the server, the others'
lines come back into a table of their own, erasure redacts them everywhere."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrs_desktop.app.operations import audit as audit_ops
from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Person, Session, SessionEntry
from arrs_desktop.team import audit_sync, server
from arrs_desktop.team.audit_sync import AuditLine
from tests.pg_server import PostgresTestServer
from tests.team.caseloads import laptop, member_url
from tests.team.conftest import Team

_ids = itertools.count(1)


def _person(store, name: str, nhs: str | None = None) -> Person:
    return people_ops.add_person(store, Person(name=name, date_of_birth=date(1950, 1, 2),
                                               nhs_number=nhs)).value


def _lines_of(store) -> set[tuple]:
    """Every audit line a laptop holds, its own and pulled: (device, seq, action, who, at)."""
    return {(e.device_id, e.seq, e.action, e.who, e.at) for e in store.audit.team_lines()}


def _chain_problems(store) -> list[str]:
    """What `arrs check` says of the file's schema and of its own hash-chained audit log."""
    from arrs_desktop.store.tamper import find_problems

    return [str(p) for p in find_problems(store.conn, store.path)
            if p.where.startswith(("audit_log", "table", "index", "trigger", "upgrade"))]


def _server_lines(team: Team) -> list[tuple]:
    with team.admin_connect() as conn:
        return conn.execute("SELECT device_id, seq, action, who, at FROM arrs_team.audit"
                            " ORDER BY device_id, seq").fetchall()


@pytest.fixture
def trio(team: Team, tmp_path: Path):
    stores = [laptop(tmp_path / f"{n}.db", f"laptop-{n}", f"{n.title()} Worker")
              for n in ("a", "b", "c")]
    for i, store in enumerate(stores):
        team_ops.join_team(store, member_url(team, i % 2))
    yield stores
    for store in stores:
        store.close()


@pytest.mark.parametrize("order", ["abc", "cba", "bac", "acb"])
def test_three_laptops_end_with_the_same_audit_lines(team: Team, trio, order: str):
    by_name = dict(zip("abc", trio, strict=True))
    a, b, c = trio
    ann = _person(a, "Ann Example")
    _person(b, "Bea Example")
    audit_ops.record_view(c, ann.id)  # nothing changed here yet: c has not pulled Ann
    audit_ops.record_event(c, "locked")
    audit_ops.record_event(c, "unlocked")
    for name in order:
        team_ops.sync_team(by_name[name])
    audit_ops.record_view(b, ann.id)
    for name in order[::-1] + order + order:
        team_ops.sync_team(by_name[name])
    seen = [_lines_of(s) for s in trio]
    assert seen[0] == seen[1] == seen[2]
    assert {line[0] for line in seen[0]} == {s.team.device_id for s in trio}
    # The server holds each laptop's lines once, the same ones.
    on_server = _server_lines(team)
    assert len(on_server) == len(set(on_server)) == len(seen[0])
    assert set(on_server) == seen[0]
    # Each laptop's own chain is untouched: its lines are still its own, still valid.
    for store in trio:
        assert store.conn.execute("SELECT count(*) FROM audit_log WHERE device_id <> ?",
                                  [store.device_id]).fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM team_audit WHERE device_id = ?",
                                  [store.team.device_id]).fetchone()[0] == 0
        assert _chain_problems(store) == []


def test_an_interrupted_push_of_audit_lines_repeated_duplicates_nothing(
        team: Team, tmp_path: Path, monkeypatch):
    a = laptop(tmp_path / "a.db", "laptop-a")
    team_ops.join_team(a, member_url(team, 0))
    ann = _person(a, "Ann Example")
    for _ in range(12):
        audit_ops.record_view(a, ann.id)
    real = audit_sync.mark_lines_pushed
    calls = itertools.count()

    def cut_off(conn, seq):  # the server took the page; the laptop never heard back
        if next(calls) == 1:
            raise ConnectionError("cut off")
        real(conn, seq)

    monkeypatch.setattr(audit_sync, "mark_lines_pushed", cut_off)
    with pytest.raises(ConnectionError):
        team_ops.sync_team(a, page=5)
    monkeypatch.setattr(audit_sync, "mark_lines_pushed", real)
    team_ops.sync_team(a, page=5)
    own = a.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    on_server = _server_lines(team)
    assert len(on_server) == len(set(on_server))
    assert len(on_server) == own  # every line, once
    assert {s for _, s, *_ in on_server} == set(range(1, own + 1))
    a.close()


def test_a_push_that_fails_on_the_server_leaves_nothing_there(team: Team, tmp_path: Path,
                                                              monkeypatch):
    a = laptop(tmp_path / "a.db", "laptop-a")
    team_ops.join_team(a, member_url(team, 0))
    _person(a, "Ann Example")
    before = _server_lines(team)  # joining sent the lines it had then
    real = server._insert_audit

    def half_way(conn, lines):
        real(conn, lines)
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(server, "_insert_audit", half_way)
    with pytest.raises(team_ops.ServerUnreachable):
        team_ops.sync_team(a)
    assert _server_lines(team) == before
    monkeypatch.setattr(server, "_insert_audit", real)
    team_ops.sync_team(a)
    on_server = _server_lines(team)
    assert len(on_server) == len(set(on_server)) > len(before)
    a.close()


_line = st.builds(lambda seq, action: (seq, action), st.integers(1, 40),
                  st.sampled_from(["view", "create", "update", "locked"]))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seqs=st.lists(st.integers(1, 40), min_size=1, max_size=60),
       chunk=st.integers(1, 9))
def test_pushing_lines_in_any_pages_any_number_of_times_stores_each_once(team: Team, seqs,
                                                                         chunk):
    device = f"dev-{next(_ids)}"
    lines = [AuditLine(device, s, f"2026-01-01T00:00:{s:02d}", "Ann", "view", "app", "-",
                       None, None, json.dumps({"n": s})) for s in seqs]
    with team.connect() as conn:
        for i in range(0, len(lines), chunk):
            server.push_audit(conn, lines[i:i + chunk])
        page = server.pull_audit(conn, 0, "someone-else", limit=10_000)
    mine = [(p.device_id, p.seq) for p in page.lines if p.device_id == device]
    assert sorted(mine) == sorted({(device, s) for s in seqs})
    assert [p.after_json for p in page.lines if p.device_id == device] == [
        json.dumps({"n": s}) for s in dict.fromkeys(seqs)]


@pytest.mark.parametrize("statement", [
    "UPDATE arrs_team.audit SET who = 'someone else'",
    "DELETE FROM arrs_team.audit",
    "TRUNCATE arrs_team.audit",
])
def test_a_member_can_neither_change_nor_delete_the_team_audit(team: Team, statement: str):
    lines = [AuditLine("dev-x", s, "2026-01-01T00:00:00", "Ann", "view", "app", "-", None,
                       None, None) for s in (1, 2)]
    with team.connect() as conn:
        server.push_audit(conn, lines)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        conn.rollback()
        assert len(server.pull_audit(conn, 0, "dev-y").lines) == 2


def test_team_init_upgrades_a_version_one_server(pg_server: PostgresTestServer, team_db: str,
                                                 monkeypatch):
    with psycopg.connect(team_db) as conn:
        monkeypatch.setattr(server, "SERVER_MIGRATIONS", server.SERVER_MIGRATIONS[:1])
        monkeypatch.setattr(server, "SERVER_SCHEMA_VERSION", 1)
        assert server.migrate(conn) == 1
        conn.commit()
        assert conn.execute("SELECT to_regclass('arrs_team.audit')").fetchone() == (None,)
        monkeypatch.undo()
        assert server.migrate(conn) == 2 == server.SERVER_SCHEMA_VERSION
        assert server.migrate(conn) == 2
        conn.commit()
        assert conn.execute("SELECT version, name FROM arrs_team.schema_version"
                            " ORDER BY version").fetchall() == [(1, "team_schema"),
                                                                (2, "team_audit")]
        assert conn.execute("SELECT to_regclass('arrs_team.audit')").fetchone() != (None,)


def test_an_erasure_leaves_no_name_in_any_audit_line_on_the_server_or_any_laptop(
        team: Team, tmp_path: Path):
    a = laptop(tmp_path / "a.db", "laptop-a", "Ann Worker")
    b = laptop(tmp_path / "b.db", "laptop-b", "Bob Worker")
    c = laptop(tmp_path / "c.db", "laptop-c", "Cat Worker")
    team_ops.join_team(a, member_url(team, 0))
    ada = _person(a, "Ada Lovelace", nhs="9434765919")
    a.sessions.log(SessionEntry(session=Session(
        person_id=ada.id, date=date(2026, 1, 9), role="splw", kind="assessment",
        mode="telephone", minutes=30, notes="Ada Lovelace talked about her garden")))
    team_ops.sync_team(a)
    team_ops.join_team(b, member_url(team, 1))
    team_ops.join_team(c, member_url(team, 0))
    people_ops.update_person(b, replace(b.people.get(ada.id), phone="0161 496 0000"))
    audit_ops.record_view(b, ada.id)
    team_ops.sync_team(b)
    team_ops.sync_team(c)  # c holds b's and a's lines about Ada, values and all
    assert any("Lovelace" in (e.after and json.dumps(e.after) or "")
               for e in c.audit.for_person(ada.id, team=True))
    audit_ops.record_view(c, ada.id)  # c looks again before it hears of the erasure
    people_ops.erase_person(a, ada.id, "Asked to be forgotten")
    for store in (a, b, c, a, b, c):
        team_ops.sync_team(store)
    secrets = ("Lovelace", "9434765919", "garden", "0161 496 0000")
    for store in (a, b, c):
        assert store.people.get(ada.id) is None
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(store.conn.iterdump())
        assert not [s for s in secrets if s in dump], store.team.device_id
        # The lines stay (who looked, who changed what, when): only their values went.
        assert len(store.audit.for_person(ada.id, team=True)) >= 5
    # Every laptop's own chain holds: the erasing one's erase line, and on the others the
    # line saying the erasure was pulled, allow the blanked values and the removed rows.
    from arrs_desktop.store.tamper import find_problems

    for store in (a, b, c):
        assert [str(p) for p in find_problems(store.conn, store.path)] == [], (
            store.team.device_id)
    with team.admin_connect() as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'arrs_team'"
        ).fetchall()]
        assert "audit" in tables
        server_dump = "".join(str(r) for table in tables
                              for r in conn.execute(f"SELECT * FROM arrs_team.{table}"))
        erased = conn.execute("SELECT count(*) FROM arrs_team.audit WHERE person_id = %s"
                              " AND action <> 'erase'", [ada.id]).fetchone()[0]
    assert not [s for s in secrets if s in server_dump]
    assert erased >= 4
    for store in (a, b, c):
        store.close()
