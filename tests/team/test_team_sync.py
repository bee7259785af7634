"""Laptop files syncing through the real PostgreSQL: convergence, outages and kills."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from arrs_desktop.team import outbox, server
from arrs_desktop.team.entries import EntryKind
from arrs_desktop.team.sync import sync
from tests.team.conftest import Team
from tests.team.laptop_file import SCHEMA, Laptop
from tests.team.team_sim import next_id, person_values, session_values

ROOT = Path(__file__).resolve().parents[2]
_TABLES = ("people", "sessions", "episodes", "goals")


def _caseload(laptop: Laptop) -> dict[str, list[tuple]]:
    """Return the synced columns of every row (bookkeeping columns differ per laptop)."""
    out = {}
    for table in _TABLES:
        spec = SCHEMA.tables[table]
        cols = [r[1] for r in laptop.conn.execute(f"PRAGMA table_info({table})")
                if spec.synced(r[1])]
        out[table] = laptop.conn.execute(
            f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    return out


@pytest.fixture
def laptops(tmp_path: Path):
    made = [Laptop(tmp_path / f"laptop-{c}.db", f"laptop-{c}") for c in "abc"]
    yield made
    for laptop in made:
        laptop.conn.close()


def test_three_laptops_end_with_the_same_caseload_and_the_same_conflicts(team: Team, laptops):
    a, b, c = laptops
    people = [a.insert("people", person_values(f"Person {i}")) for i in range(5)]
    with team.connect(0) as conn:
        assert sync(a.conn, conn, a.clock).summary() == "pushed 5, pulled 0, conflicts 0"
        result = sync(b.conn, conn, b.clock)
        assert result.summary() == "pushed 0, pulled 5, conflicts 0"
        sync(c.conn, conn, c.clock)
        a.update("people", people[0].row_id, {"phone": "from a"})
        b.update("people", people[0].row_id, {"phone": "from b"})
        c.insert("sessions", session_values(people[1].row_id))
        b.insert("sessions", session_values(people[1].row_id))
        for laptop in (a, b, c, a, b):
            sync(laptop.conn, conn, laptop.clock)
    assert _caseload(a) == _caseload(b) == _caseload(c)
    assert outbox.conflicts(a.conn) == outbox.conflicts(b.conn) == outbox.conflicts(c.conn)
    assert [x.value for x in outbox.conflicts(c.conn)] == ["from a"]
    assert len(_caseload(c)["sessions"]) == 2


def test_with_the_server_down_the_laptop_keeps_working_and_syncs_when_it_is_back(
        team: Team, laptops):
    a, b = laptops[:2]
    first = a.insert("people", person_values("Ada Lovelace"))
    conn = team.connect(0)
    sync(a.conn, conn, a.clock)
    team.pg.stop()
    try:
        offline = a.insert("sessions", session_values(first.row_id, "while the server was down"))
        with pytest.raises(psycopg.OperationalError):
            sync(a.conn, conn, a.clock)
        with pytest.raises(psycopg.OperationalError):
            team.connect(0)
        assert outbox.waiting(a.conn) == [offline]  # still waiting, nothing lost
    finally:
        team.pg.restart()
    with team.connect(0) as again:
        assert sync(a.conn, again, a.clock).pushed == 1
        sync(b.conn, again, b.clock)
    assert _caseload(a) == _caseload(b)
    assert b.value("sessions", offline.row_id, "notes") == "while the server was down"


def test_a_laptop_a_month_offline_with_2000_changes_catches_up(team: Team, laptops):
    a, b = laptops[:2]
    with team.connect(0) as conn:
        base = [a.insert("people", person_values(f"Person {i}")) for i in range(20)]
        sync(a.conn, conn, a.clock)
        sync(b.conn, conn, b.clock)
        b.clock = outbox.load_clock(b.conn, "laptop-b")
        for i in range(1_000):  # a month of work on b, offline
            person = base[i % 20].row_id
            b.insert("sessions", session_values(person, f"visit {i}"))
            b.update("people", person, {"what_matters": f"note {i}"})
        for i in range(300):  # meanwhile the rest of the team goes on
            a.update("people", base[i % 20].row_id, {"phone": f"0161 496 {i:04d}"})
        sync(a.conn, conn, a.clock)
        result = sync(b.conn, conn, b.clock)
        sync(a.conn, conn, a.clock)
    assert (result.pushed, result.pulled, result.conflicts) == (2_000, 300, 0)
    assert _caseload(a) == _caseload(b)


_KILLED_SYNC = """
import sys
import psycopg
sys.path.insert(0, sys.argv[3])
from tests.team.laptop_file import Laptop
from arrs_desktop.team import outbox, server
from arrs_desktop.team.sync import sync

def told(step):
    def run(*args, **kwargs):
        result = step(*args, **kwargs)
        print("page", flush=True)  # one page done; the next is under way
        return result
    return run

outbox.apply_pulled = told(outbox.apply_pulled)
outbox.mark_pushed = told(outbox.mark_pushed)
laptop = Laptop(__import__("pathlib").Path(sys.argv[1]), "laptop-k")
conn = psycopg.connect(sys.argv[2])
print("syncing", flush=True)
sync(laptop.conn, conn, laptop.clock, page=int(sys.argv[4]))
print("synced", flush=True)
"""


@pytest.mark.parametrize("side", ["push", "pull"])
def test_a_sync_killed_half_way_loses_and_doubles_nothing(team: Team, laptops, tmp_path,
                                                          side: str):
    source, check = laptops[0], laptops[1]
    victim = Laptop(tmp_path / "victim.db", "laptop-k")
    maker = source if side == "pull" else victim
    people = [maker.insert("people", person_values(f"P {i}")) for i in range(300)]
    for i in range(1_500):
        maker.insert("sessions", session_values(people[i % 300].row_id, f"visit {i}"))
    victim.conn.close()
    with team.connect(0) as conn:
        if side == "pull":
            sync(source.conn, conn, source.clock)
    login = team.logins[1]
    dsn = team.pg.member_dsn(team.dbname, login, f"{login}-pw")
    rnd = random.Random(17)
    cut_short = 0
    for _ in range(4):  # 18 pages of 100: each run is killed in the page after its first
        child = subprocess.Popen(
            [sys.executable, "-c", _KILLED_SYNC, str(victim.path), dsn, str(ROOT), "100"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ})
        assert child.stdout is not None and child.stderr is not None
        lines = [child.stdout.readline().strip(), child.stdout.readline().strip()]
        time.sleep(rnd.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        out, err = child.stdout.read(), child.stderr.read()
        child.stdout.close()
        child.stderr.close()
        assert lines == ["syncing", "page"], err
        assert child.returncode == -signal.SIGKILL or "synced" in out, err
        cut_short += "synced" not in out
    assert cut_short >= 1  # at least one kill landed in the middle of the work
    victim = Laptop(victim.path, "laptop-k")
    with team.connect(0) as conn:
        sync(victim.conn, conn, victim.clock)
        sync(check.conn, conn, check.clock)
        if side == "push":
            sync(source.conn, conn, source.clock)
        count = conn.execute("SELECT count(*), count(DISTINCT change_id)"
                             " FROM arrs_team.changes").fetchone()
    assert count == (1_800, 1_800)
    assert _caseload(victim) == _caseload(check) == _caseload(source)
    assert len(_caseload(victim)["sessions"]) == 1_500
    assert outbox.waiting_count(victim.conn) == 0
    victim.conn.close()


def test_a_member_removed_from_the_team_cannot_sync(team: Team, laptops):
    a = laptops[0]
    a.insert("people", person_values("Ada Lovelace"))
    with team.admin_connect() as admin:
        server.remove_member(admin, team.logins[0])
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        team.connect(0)
    assert outbox.waiting_count(a.conn) == 1


def test_every_entry_kind_round_trips_through_the_server(team: Team, laptops):
    a, b = laptops[:2]
    p1 = a.insert("people", person_values("Sam Smith", dob="1950-01-01"))
    p2 = b.insert("people", person_values("Sam Smith", dob="1950-01-01"))
    with team.connect(0) as conn:
        sync(a.conn, conn, a.clock)
        sync(b.conn, conn, b.clock)
        sync(a.conn, conn, a.clock)
        assert len(outbox.possible_duplicates(a.conn)) == 1
        with a.conn:
            outbox.record_change(a.conn, SCHEMA, a.clock, "Ann", "people", p1.row_id,
                                 EntryKind.DISTINCT, {"other_id": p2.row_id})
        sync(a.conn, conn, a.clock)
        sync(b.conn, conn, b.clock)
    assert outbox.possible_duplicates(b.conn) == []
    assert next_id()
