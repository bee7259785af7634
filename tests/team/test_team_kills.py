"""Killed syncs of real caseload files (SIGKILL, 50 times), and the server stopped mid-sync."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Person, Session, SessionEntry
from tests.team.caseloads import caseload_of, laptop, member_url
from tests.team.conftest import Team

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "team_sync_child.py"
PAGE = 20


def _work(store, people: int, sessions_each: int, tag: str) -> int:
    """Write people and their sessions through the store; return how many changes."""
    with store.transaction():
        for i in range(people):
            person = store.people.add(Person(name=f"{tag} person {i}",
                                             date_of_birth=date(1950, 1, 2)))
            for d in range(sessions_each):
                store.sessions.log(SessionEntry(session=Session(
                    person_id=person.id, date=date(2026, 1, 2 + d), role="splw",
                    kind="follow_up", mode="telephone", minutes=10, notes=f"{tag} {i}")))
    return people * (1 + sessions_each)


def _kill_syncs(path: Path, device: str, times: int, rnd: random.Random) -> int:
    """Start `arrs`'s sync of a file in a process and SIGKILL it mid-work, `times` times.

    Returns how many were cut short (killed before they finished)."""
    cut = 0
    for _ in range(times):
        child = subprocess.Popen([sys.executable, str(CHILD), str(path), device, str(PAGE)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 cwd=ROOT, env={**os.environ})
        assert child.stdout is not None and child.stderr is not None
        first = [child.stdout.readline().strip(), child.stdout.readline().strip()]
        time.sleep(rnd.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        out, err = child.stdout.read(), child.stderr.read()
        child.stdout.close()
        child.stderr.close()
        assert first[0] == "syncing", err
        cut += "synced" not in out
    return cut


def _log_counts(team: Team) -> tuple[int, int]:
    with team.admin_connect() as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT change_id)"
                           " FROM arrs_team.changes").fetchone()
    return int(row[0]), int(row[1])


def test_syncs_killed_50_times_during_push_and_pull_lose_and_double_nothing(
        team: Team, tmp_path: Path):
    rnd = random.Random(50)
    a = laptop(tmp_path / "a.db", "laptop-a", "Ann Worker")
    b = laptop(tmp_path / "b.db", "laptop-b", "Bob Worker")
    team_ops.join_team(a, member_url(team, 0))
    _work(a, 1, 0, "first")
    team_ops.sync_team(a)
    team_ops.join_team(b, member_url(team, 1))  # b pulls the log from here on, page by page
    made = _work(a, 400, 4, "a")
    assert a.team.waiting_count() == made
    a_path, b_path = a.path, b.path
    a_device, b_device = a.team.device_id, b.team.device_id
    a.close()
    b.close()
    # 25 kills while laptop a pushes 2,000 changes in pages of 20 ...
    cut = _kill_syncs(a_path, a_device, 25, rnd)
    assert cut >= 20  # nearly every kill landed in the middle of the push
    a = laptop(a_path, "laptop-a", "Ann Worker")
    assert 0 < a.team.waiting_count() < made  # some pages went, the rest still waits
    team_ops.sync_team(a)
    assert a.team.waiting_count() == 0
    assert _log_counts(team) == (made + 1, made + 1)  # every change once, none twice
    # ... and 25 while laptop b pulls them.
    cut = _kill_syncs(b_path, b_device, 25, rnd)
    assert cut >= 20
    b = laptop(b_path, "laptop-b", "Bob Worker")
    team_ops.sync_team(b)
    assert caseload_of(a) == caseload_of(b)
    assert len(b.conn.execute("SELECT id FROM sessions").fetchall()) == 1_600
    assert b.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert _log_counts(team) == (made + 1, made + 1)
    a.close()
    b.close()


def test_the_server_stopped_mid_sync_and_restarted_while_the_laptop_keeps_working(
        team: Team, tmp_path: Path):
    a = laptop(tmp_path / "a.db", "laptop-a", "Ann Worker")
    b = laptop(tmp_path / "b.db", "laptop-b", "Bob Worker")
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    made = _work(a, 300, 4, "a")
    worker = a.sync_worker()
    failed: list[BaseException] = []

    def sync_in_background() -> None:
        try:
            team_ops.sync_team(worker, page=PAGE)
        except BaseException as exc:  # noqa: BLE001 - what the window would show
            failed.append(exc)

    thread = threading.Thread(target=sync_in_background)
    thread.start()
    time.sleep(0.3)
    team.pg.stop()
    try:
        thread.join(60)
        # The laptop keeps working while the server is away.
        later = _work(a, 5, 1, "offline")
        with pytest.raises(team_ops.ServerUnreachable):
            team_ops.sync_team(a)
    finally:
        team.pg.restart()
    worker.close_worker()
    assert failed and isinstance(failed[0], team_ops.ServerUnreachable)
    assert a.team.status().last_error
    team_ops.sync_team(a)
    team_ops.sync_team(b)
    assert a.team.waiting_count() == 0
    assert _log_counts(team) == (made + later, made + later)
    assert caseload_of(a) == caseload_of(b)
    a.close()
    b.close()


def test_a_laptop_a_month_offline_with_2000_changes_catches_up(team: Team, tmp_path: Path):
    a = laptop(tmp_path / "a.db", "laptop-a", "Ann Worker")
    b = laptop(tmp_path / "b.db", "laptop-b", "Bob Worker")
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    away = _work(b, 400, 4, "away")  # a month of b's work with no network
    for week in range(4):  # meanwhile the rest of the team syncs every week
        _work(a, 25, 3, f"week {week}")
        team_ops.sync_team(a)
    result = team_ops.sync_team(b).value
    assert result.pushed == away and result.pulled == 400
    team_ops.sync_team(a)
    assert caseload_of(a) == caseload_of(b)
    a.close()
    b.close()
