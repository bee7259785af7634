"""The team server on a real PostgreSQL: migrations, push, pull, roles, erasure, kills."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from arrs_desktop.team import server
from arrs_desktop.team.entries import ChangeEntry, EntryKind
from arrs_desktop.team.merge import TeamState, conflicts_of, merge, tables_of
from tests.pg_server import PostgresTestServer
from tests.team.conftest import Team
from tests.team.team_sim import SCHEMA, Replica, next_id, person_values, session_values

ROOT = Path(__file__).resolve().parents[2]


def _day_of_work(device: str = "laptop-a", people: int = 50) -> tuple[Replica, list[ChangeEntry]]:
    """Return a laptop and 200 changes: people added, edited, seen in sessions."""
    r = Replica(device)
    out: list[ChangeEntry] = []
    for i in range(people):
        pid = next_id()
        out.append(r.make("people", pid, EntryKind.INSERT,
                          person_values(f"Person {device} {i}", dob="1950-01-01")))
        out.append(r.make("people", pid, EntryKind.UPDATE, {"phone": f"0161 496 {i:04d}"}))
        out.append(r.make("sessions", next_id(), EntryKind.INSERT, session_values(pid)))
        out.append(r.make("people", pid, EntryKind.UPDATE, {"what_matters": "my garden"}))
    return r, out


def _canon(state: TeamState) -> str:
    return json.dumps(tables_of(state, SCHEMA), sort_keys=True) + repr(
        conflicts_of(state, SCHEMA))


def _log_count(team: Team) -> int:
    with team.admin_connect() as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT change_id)"
                           " FROM arrs_team.changes").fetchone()
    assert row[0] == row[1]
    return int(row[0])


def test_migrating_twice_changes_nothing_and_records_the_version(team: Team):
    with team.admin_connect() as conn:
        assert server.migrate(conn) == server.SERVER_SCHEMA_VERSION
        rows = conn.execute("SELECT version, name FROM arrs_team.schema_version").fetchall()
    assert rows == [(1, "team_schema"), (2, "team_audit")]
    with team.connect() as conn:
        assert server.server_version(conn) == 2
        assert [m[1] for m in server.members(conn)] == ["Ann", "Bob"]


def test_a_push_is_pulled_back_in_order_and_the_server_rows_follow_the_merge_rule(team: Team):
    _, entries = _day_of_work()
    with team.connect() as conn:
        result = server.push(conn, entries)
        assert (result.stored, result.already) == (200, 0)
        page = server.pull(conn, 0)
        assert page.entries == entries and not page.more
        assert page.cursor == result.last_seq
        assert server.pull(conn, page.cursor).entries == []
        on_server = server.server_rows(conn)
    assert _canon(on_server) == _canon(merge(TeamState(), entries, SCHEMA))


def test_pushing_the_same_entries_twice_stores_them_once(team: Team):
    _, entries = _day_of_work()
    with team.connect() as conn:
        server.push(conn, entries[:120])
        again = server.push(conn, entries)
        assert (again.stored, again.already) == (80, 120)
        assert server.push(conn, entries + entries[:5]).stored == 0
        seqs = [e.change_id for e in server.pull(conn, 0).entries]
    assert seqs == [e.change_id for e in entries]
    assert _log_count(team) == 200


def test_pull_in_pages_gives_every_entry_once(team: Team):
    _, entries = _day_of_work()
    with team.connect() as conn:
        server.push(conn, entries)
        pages = list(server.pull_all(conn, 0, limit=64))
    assert [len(p.entries) for p in pages] == [64, 64, 64, 8]
    assert [e for p in pages for e in p.entries] == entries


def test_two_laptops_pushing_at_once_get_one_order_and_one_result(team: Team):
    _, mine = _day_of_work("laptop-a")
    _, theirs = _day_of_work("laptop-b")
    errors: list[BaseException] = []

    def push(who: int, entries: list[ChangeEntry]) -> None:
        try:
            with team.connect(who) as conn:
                for i in range(0, len(entries), 20):
                    server.push(conn, entries[i:i + 20])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(0, mine)),
               threading.Thread(target=push, args=(1, theirs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with team.connect(1) as conn:
        pulled = server.pull(conn, 0, limit=1000).entries
        on_server = server.server_rows(conn)
    assert sorted(e.change_id for e in pulled) == sorted(e.change_id for e in mine + theirs)
    assert _canon(on_server) == _canon(merge(TeamState(), pulled, SCHEMA))


def test_a_concurrent_edit_is_decided_the_same_on_the_server_as_on_each_laptop(team: Team):
    a, b = Replica("laptop-a"), Replica("laptop-b")
    pid = next_id()
    insert = a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    b.receive([insert])
    mine = a.make("people", pid, EntryKind.UPDATE, {"phone": "1"})
    theirs = b.make("people", pid, EntryKind.UPDATE, {"phone": "2"})
    with team.connect(0) as ann, team.connect(1) as bob:
        server.push(ann, [insert, mine])
        server.push(bob, [theirs])
        on_server = server.server_rows(ann)
    a.receive([theirs])
    b.receive([mine])
    assert _canon(on_server) == _canon(a.state) == _canon(b.state)
    [conflict] = conflicts_of(on_server, SCHEMA)
    assert conflict.value == "1" and conflict.winner_value == "2"


@pytest.mark.parametrize("statement", [
    "UPDATE arrs_team.changes SET author = 'someone else'",
    "DELETE FROM arrs_team.changes",
    "TRUNCATE arrs_team.changes",
])
def test_a_member_can_neither_change_nor_delete_the_change_log(team: Team, statement: str):
    _, entries = _day_of_work()
    with team.connect() as conn:
        server.push(conn, entries[:10])
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        conn.rollback()
        assert len(server.pull(conn, 0).entries) == 10


def test_a_removed_member_cannot_sync_any_more(team: Team):
    _, entries = _day_of_work()
    still_open = team.connect(1)
    server.push(still_open, entries[:4])
    with team.admin_connect() as conn:
        server.remove_member(conn, team.logins[1])
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        team.connect(1)
    with pytest.raises(psycopg.Error):  # the session it had open was ended too
        server.push(still_open, entries[4:8])
    still_open.close()
    with team.connect(0) as conn:
        assert len(server.pull(conn, 0).entries) == 4
        assert [m[1] for m in server.members(conn)] == ["Ann"]


def test_a_laptop_older_than_the_server_refuses_to_push_and_says_to_update(team: Team):
    _, entries = _day_of_work()
    with team.admin_connect() as conn:
        conn.execute("INSERT INTO arrs_team.schema_version (version, name) VALUES (%s, 'later')",
                     [server.SERVER_SCHEMA_VERSION + 1])
        conn.commit()
    with team.connect() as conn, pytest.raises(server.SchemaTooOld, match="Update ARRS Desktop"):
        server.push(conn, entries)
    assert _log_count(team) == 0


def test_a_laptop_newer_than_the_server_asks_for_the_server_to_be_upgraded(team: Team):
    with team.connect() as conn, pytest.raises(server.ServerTooOld, match="arrs team init"):
        server.push(conn, [], client_version=server.SERVER_SCHEMA_VERSION + 1)


def test_a_database_without_a_team_says_so(pg_server: PostgresTestServer, team_db: str):
    with psycopg.connect(team_db) as conn, pytest.raises(server.NotATeamServer,
                                                         match="arrs team init"):
        server.push(conn, [])


def test_erasure_leaves_no_name_or_nhs_number_in_any_table_or_log_on_the_server(team: Team):
    a, b = Replica("laptop-a"), Replica("laptop-b")
    pid = next_id()
    first = [a.make("people", pid, EntryKind.INSERT,
                    person_values("Ada Lovelace", nhs="9434765919", dob="1950-01-01")),
             a.make("sessions", next_id(), EntryKind.INSERT,
                    session_values(pid, "Ada Lovelace spoke about her garden"))]
    b.receive(first)
    offline = b.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0000",
                                                       "what_matters": "Lovelace family"})
    with team.connect(0) as ann, team.connect(1) as bob:
        server.push(ann, first)
        server.push(ann, [a.make("people", pid, EntryKind.ERASE)])
        late = server.push(bob, [offline])  # a laptop that did not know yet
        assert late.stored == 1
        pulled = server.pull(bob, 0).entries
    assert [e.kind for e in pulled] == ["insert", "insert", "erase", "update"]
    assert all(e.purged for e in pulled if e.kind != "erase")
    with team.admin_connect() as conn:
        dump = "".join(str(r) for table in ("changes", "rows", "tombstones", "person_events")
                       for r in conn.execute(f"SELECT * FROM arrs_team.{table}").fetchall())
        stones = conn.execute("SELECT table_name, reason FROM arrs_team.tombstones"
                              " ORDER BY table_name").fetchall()
    for secret in ("Lovelace", "9434765919", "1950-01-01", "0161 496 0000", "garden"):
        assert secret not in dump
    assert stones == [("people", "erased"), ("sessions", "erased")]


_KILLED_PUSH = """
import sys, time
import psycopg
from arrs_desktop.team import server
from arrs_desktop.team.entries import ChangeEntry
entries = [ChangeEntry.from_text(line) for line in open(sys.argv[2])]
conn = psycopg.connect(sys.argv[1], application_name="arrs-killed-push")
print("pushing", flush=True)
server.push(conn, entries)
print("pushed", flush=True)
"""


def test_a_push_killed_half_way_leaves_nothing_and_the_next_push_completes(
        team: Team, tmp_path: Path):
    r = Replica("laptop-k")
    entries: list[ChangeEntry] = []
    for i in range(2_500):
        pid = next_id()
        entries.append(r.make("people", pid, EntryKind.INSERT, person_values(f"P {i}")))
        entries.append(r.make("sessions", next_id(), EntryKind.INSERT, session_values(pid)))
    batch = tmp_path / "entries.jsonl"
    batch.write_text("".join(e.to_text() + "\n" for e in entries))
    login = team.logins[0]
    dsn = team.pg.member_dsn(team.dbname, login, f"{login}-pw")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for attempt in range(3):
        child = subprocess.Popen([sys.executable, "-c", _KILLED_PUSH, dsn, str(batch)],
                                 stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "pushing"
        with team.admin_connect() as watch:
            for _ in range(2_000):  # wait until its transaction is under way on the server
                row = watch.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                    " 'arrs-killed-push' AND xact_start IS NOT NULL").fetchone()
                watch.commit()
                if row[0]:
                    break
                time.sleep(0.005)
            assert row[0], "the push never started on the server"
            time.sleep(0.05 * attempt)
            child.send_signal(signal.SIGKILL)
            child.wait()
            assert child.returncode == -signal.SIGKILL
            child.stdout.close()
            assert _log_count(team) == 0
            rows = watch.execute("SELECT count(*) FROM arrs_team.rows").fetchone()
            assert rows[0] == 0
    with team.connect() as conn:
        result = server.push(conn, entries)
        assert (result.stored, result.already) == (5_000, 0)
        assert server.push(conn, entries).stored == 0
        on_server = server.server_rows(conn)
    assert _log_count(team) == 5_000
    assert len(tables_of(on_server, SCHEMA)["people"]) == 2_500
