"""Restoring a backup on a laptop that is in a team, on real files and the real server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from arrs_desktop.app.operations import files as files_ops
from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Person, Session, SessionEntry
from arrs_desktop.store import backup
from arrs_desktop.team import outbox
from arrs_desktop.team.hlc import HLC, HybridClock, wall_ms
from tests.team.caseloads import caseload_of, laptop, member_url
from tests.team.conftest import Team


@pytest.fixture
def pair(team: Team, tmp_path: Path):
    a = laptop(tmp_path / "a.db", "laptop-a", "Ann Worker")
    b = laptop(tmp_path / "b.db", "laptop-b", "Bob Worker")
    yield a, b
    a.close()
    b.close()


def _person(store, name: str, nhs: str | None = None) -> Person:
    return people_ops.add_person(store, Person(name=name, date_of_birth=date(1950, 1, 2),
                                               nhs_number=nhs)).value


def _names(store) -> list[str]:
    return sorted(r[0] for r in store.conn.execute(
        "SELECT name FROM people WHERE deleted_at IS NULL"))


def _phone(store, person_id: str, phone: str) -> None:
    from dataclasses import replace

    people_ops.update_person(store, replace(store.people.get(person_id), phone=phone))


def test_changes_synced_after_the_backup_come_back_from_the_server(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    ann = _person(a, "Ann Example")
    team_ops.sync_team(a)
    made = backup.make_backup(a.path)
    later = _person(a, "Ben Later")
    _phone(a, ann.id, "0161 496 0001")
    _person(b, "Bob's Own")
    for store in (a, b):
        team_ops.sync_team(store)
    assert files_ops.restore_preview(a, made).lost == 0  # everything reached the team
    outcome = files_ops.restore_backup(a, made).value
    assert outcome.restored and outcome.team is not None and outcome.team.in_team
    assert not outcome.team.rejoin
    assert _names(a) == ["Ann Example"]  # the backup as it was
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert _names(a) == ["Ann Example", "Ben Later", "Bob's Own"]  # nothing twice
    assert a.people.get(later.id) is not None
    assert a.people.get(ann.id).phone == "0161 496 0001"
    assert caseload_of(a) == caseload_of(b)
    assert a.team.status().waiting == 0 and a.team.status().linked


def test_unsent_changes_are_counted_before_the_restore_and_lost_by_it(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    ann = _person(a, "Ann Example")
    team_ops.sync_team(a)
    made = backup.make_backup(a.path)
    _person(a, "Never Sent")
    _phone(a, ann.id, "0161 496 0002")
    waiting = a.team.waiting_count()
    assert waiting >= 2
    preview = files_ops.restore_preview(a, made)
    assert preview.in_team and not preview.rejoin
    assert (preview.waiting_now, preview.waiting_in_backup, preview.lost) == (waiting, 0,
                                                                              waiting)
    outcome = files_ops.restore_backup(a, made).value
    assert outcome.restored and outcome.team.lost == waiting
    assert "pulled again at the next sync" in outcome.team.after()
    assert a.team.waiting_count() == 0
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert _names(a) == _names(b) == ["Ann Example"]
    assert a.people.get(ann.id).phone != "0161 496 0002"
    assert caseload_of(a) == caseload_of(b)


def test_changes_waiting_in_the_backup_itself_are_still_sent_and_not_counted(team: Team,
                                                                           pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    _person(a, "In The Backup")
    in_backup = a.team.waiting_count()
    made = backup.make_backup(a.path)
    _person(a, "After The Backup")
    preview = files_ops.restore_preview(a, made)
    assert preview.waiting_in_backup == in_backup
    assert preview.lost == a.team.waiting_count() - in_backup
    files_ops.restore_backup(a, made)
    for store in (a, b):
        team_ops.sync_team(store)
    assert _names(b) == ["In The Backup"] and caseload_of(a) == caseload_of(b)


def test_an_erasure_synced_after_the_backup_is_carried_out_again(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    ada = _person(a, "Ada Lovelace", nhs="9434765919")
    a.sessions.log(SessionEntry(session=Session(
        person_id=ada.id, date=date(2026, 1, 9), role="splw", kind="assessment",
        mode="telephone", minutes=30, notes="Ada Lovelace talked about her garden")))
    _person(a, "Someone Else")
    team_ops.sync_team(a)
    made = backup.make_backup(a.path)
    people_ops.erase_person(a, ada.id, "Asked to be forgotten")
    for store in (a, b):
        team_ops.sync_team(store)
    assert files_ops.restore_backup(a, made).value.restored
    assert a.people.get(ada.id) is not None  # back, until the team's erasure is pulled
    team_ops.sync_team(a)
    assert a.people.get(ada.id) is None
    assert _names(a) == ["Someone Else"] and caseload_of(a) == caseload_of(b)
    secrets = ("Lovelace", "9434765919", "garden")
    a.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dump = "\n".join(a.conn.iterdump())
    assert not [s for s in secrets if s in dump]
    path = a.path
    a.close()
    try:
        raw = path.read_bytes() + b"".join(
            p.read_bytes() for p in (path.with_name(path.name + "-wal"),) if p.exists())
        assert not [s for s in secrets if s.encode() in raw]
    finally:
        a.reopen()


def test_a_backup_from_before_the_laptop_joined_is_refused_unless_confirmed(team: Team,
                                                                           pair):
    a, b = pair
    own = _person(a, "Ann Example")
    made = backup.make_backup(a.path)  # not in a team yet
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    _phone(b, own.id, "0161 496 0003")
    _person(b, "Bob's Own")
    team_ops.sync_team(b)
    _person(a, "Not Sent Yet")
    preview = files_ops.restore_preview(a, made)
    assert preview.in_team and preview.rejoin and preview.lost == a.team.waiting_count()
    refused = files_ops.restore_backup(a, made).value
    assert not refused.restored and "team" in refused.refused
    assert "Not Sent Yet" in _names(a) and a.team.status().linked  # nothing changed
    outcome = files_ops.restore_backup(a, made, rejoin=True).value
    assert outcome.restored and outcome.team.rejoin
    assert "re-join" in outcome.team.after()
    status = a.team.status()
    assert status.linked and status.server == b.team.server().replace(team.logins[1],
                                                                      team.logins[0])
    assert a.team.password() == f"{team.logins[0]}-pw"
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert _names(a) == _names(b) == ["Ann Example", "Bob's Own"]
    assert a.people.get(own.id).phone == "0161 496 0003"  # the team's copy, not the backup's
    assert caseload_of(a) == caseload_of(b)
    assert a.team.status().waiting == 0


def test_a_backup_of_another_caseload_rejoins_adding_only_what_the_team_lacks(
        team: Team, pair, tmp_path: Path):
    a, b = pair
    other = laptop(tmp_path / "other.db", "laptop-x", "Xena Worker")
    try:
        _person(other, "Only In The Other File")
        made = backup.make_backup(other.path)
    finally:
        other.close()
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    _person(b, "Bob's Own")
    team_ops.sync_team(b)
    device = a.team.device_id
    outcome = files_ops.restore_backup(a, made, rejoin=True).value
    assert outcome.restored and outcome.team.rejoin and a.team.device_id == device
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert _names(a) == _names(b) == ["Bob's Own", "Only In The Other File"]
    assert caseload_of(a) == caseload_of(b)


def test_the_clock_never_goes_back_across_a_restore(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    ann = _person(a, "Ann Example")
    team_ops.sync_team(a)
    team_ops.sync_team(b)
    made = backup.make_backup(a.path)
    # b's computer clock is an hour fast: a takes in its time with its change
    b.team._clock = HybridClock(b.team.device_id, b.team.clock.last,
                                now_ms=lambda: wall_ms() + 3_600_000)
    _phone(b, ann.id, "0161 496 1001")
    team_ops.sync_team(b)
    team_ops.sync_team(a)
    _phone(a, ann.id, "0161 496 1002")
    team_ops.sync_team(a)
    given = a.team.clock.last
    assert given is not None and given.ms > wall_ms() + 3_000_000
    assert files_ops.restore_backup(a, made).value.restored
    path = a.path
    a.close()
    again = laptop(path, "laptop-a", "Ann Worker")  # the app opened again
    try:
        assert outbox.load_clock(again.conn, again.team.device_id).last >= given
        _phone(again, ann.id, "0161 496 1003")
        made_after = again.team.waiting(10)
        assert made_after and all(e.hlc > given for e in made_after)
        for store in (again, b, again):
            team_ops.sync_team(store)
        assert again.people.get(ann.id).phone == b.people.get(ann.id).phone == (
            "0161 496 1003")
        assert caseload_of(again) == caseload_of(b)
    finally:
        again.close()
        a.reopen()  # the fixture closes it
    assert isinstance(given, HLC)


def test_audit_lines_written_after_a_restore_still_reach_the_team(team: Team, pair):
    """The restore takes the file's audit log back to the backup's; the lines written
    afterwards must not take the numbers of lines the team already has from this laptop."""
    from arrs_desktop.app.operations import audit as audit_ops

    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    _person(a, "Ann Example")
    team_ops.sync_team(a)
    made = backup.make_backup(a.path)
    for _ in range(3):
        audit_ops.record_event(a, "before_the_restore")
    team_ops.sync_team(a)  # the team has these lines
    assert files_ops.restore_backup(a, made).value.restored
    audit_ops.record_event(a, "after_the_restore")
    team_ops.sync_team(a)
    team_ops.sync_team(b)
    with team.admin_connect() as conn:
        actions = [r[0] for r in conn.execute(
            "SELECT action FROM arrs_team.audit WHERE device_id = %s ORDER BY seq",
            [a.team.device_id])]
    assert actions.count("before_the_restore") == 3 and "after_the_restore" in actions
    assert "after_the_restore" in {e.action for e in b.audit.team_lines()}
    from arrs_desktop.store.tamper import find_problems

    assert [str(p) for p in find_problems(a.conn, a.path)] == []  # a gap, not a tamper
