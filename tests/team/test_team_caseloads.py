"""Real caseload files joined to a team on a real PostgreSQL, written through the app."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Episode, Person, Session, SessionEntry
from arrs_desktop.tools.demo import build_demo
from tests.db_helpers import sql_rows
from tests.team.caseloads import caseload_of, laptop, member_url
from tests.team.conftest import Team

ROOT = Path(__file__).resolve().parents[2]


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


def test_a_caseload_joins_and_an_empty_laptop_gets_all_of_it(team: Team, pair):
    a, b = pair
    build_demo(a, 8, seed=5, today=date(2026, 6, 1))
    joined = team_ops.join_team(a, member_url(team, 0)).value
    assert joined.pushed > 100 and joined.pulled == 0
    assert a.team.status().waiting == 0
    second = team_ops.join_team(b, member_url(team, 1)).value
    assert second.pulled == joined.pushed  # copied from the server's rows, not replayed
    assert caseload_of(b) == caseload_of(a)
    assert b.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # The password is kept in the caseload, not in the address.
    assert "password" not in b.team.server() and b.team.password() == f"{team.logins[1]}-pw"


def test_both_laptops_work_apart_and_end_with_one_caseload(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    ann = _person(a, "Ann Example")
    team_ops.sync_team(a)
    result = team_ops.sync_team(b)
    assert result.value.summary() == "pushed 0, pulled 1, conflicts 0"
    assert "people" in {t for t, _ in result.value.rows} and result.changes.people
    # Apart: a session on each laptop, an episode on one, an edit of another field on each.
    a.sessions.log(SessionEntry(session=Session(person_id=ann.id, date=date(2026, 1, 9),
                                                role="splw", kind="assessment",
                                                mode="telephone", minutes=30, notes="A")))
    b.sessions.log(SessionEntry(session=Session(person_id=ann.id, date=date(2026, 1, 10),
                                                role="cc", kind="assessment",
                                                mode="telephone", minutes=20, notes="B")))
    b.episodes.open(Episode(person_id=ann.id, role="cc", referral_date=date(2026, 1, 8),
                            referral_source="gp"))
    people_ops.update_person(a, replace(a.people.get(ann.id), phone="0113 496 0000"))
    people_ops.update_person(b, replace(b.people.get(ann.id), postcode="LS1 4AP"))
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert caseload_of(a) == caseload_of(b)
    got = a.people.get(ann.id)
    assert (got.phone, got.postcode) == ("0113 496 0000", "LS1 4AP")
    assert len(sql_rows(a, "SELECT id FROM sessions")) == 2
    # The episode pulled onto laptop a made it the person's lead there too.
    assert sql_rows(a, "SELECT lead_role FROM people")[0]["lead_role"] == "cc"


def test_one_field_changed_on_two_laptops_has_one_winner_and_the_loser_is_listed(
        team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    ann = _person(a, "Ann Example")
    team_ops.sync_team(a)
    team_ops.join_team(b, member_url(team, 1))
    people_ops.update_person(a, replace(a.people.get(ann.id), phone="0113 496 0001"))
    people_ops.update_person(b, replace(b.people.get(ann.id), phone="0113 496 0002"))
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert a.people.get(ann.id).phone == b.people.get(ann.id).phone == "0113 496 0002"
    for store in (a, b):
        [conflict] = store.team.conflicts()
        assert (conflict.column, conflict.value, conflict.winner_value) == (
            "phone", "0113 496 0001", "0113 496 0002")
        assert conflict.author == "Ann Worker"
    # Someone on laptop b keeps laptop a's value: settled everywhere.
    team_ops.keep_conflict_value(b, b.team.conflicts()[0], "0113 496 0001")
    for store in (b, a):
        team_ops.sync_team(store)
    for store in (a, b):
        assert store.team.conflicts() == []
        assert store.people.get(ann.id).phone == "0113 496 0001"
    assert caseload_of(a) == caseload_of(b)


def test_closing_an_episode_closed_elsewhere_is_a_conflict(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    ann = _person(a, "Ann Example")
    episode = a.episodes.open(Episode(person_id=ann.id, role="splw",
                                      referral_date=date(2026, 1, 5), referral_source="gp"))
    team_ops.sync_team(a)
    team_ops.join_team(b, member_url(team, 1))
    a.episodes.change_status(episode.id, "closed", on=date(2026, 1, 9),
                             closure_reason="goals_met")
    b.episodes.change_status(episode.id, "declined", on=date(2026, 1, 10))
    for store in (a, b, a):
        team_ops.sync_team(store)
    assert a.episodes.get(episode.id).status == b.episodes.get(episode.id).status == "closed"
    for store in (a, b):
        [conflict] = store.team.conflicts()
        assert conflict.kind == "status" and "no longer possible" in conflict.reason
    assert caseload_of(a) == caseload_of(b)


def test_the_same_person_added_apart_is_listed_and_merging_keeps_both_records_work(
        team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    team_ops.join_team(b, member_url(team, 1))
    on_a = _person(a, "Ann Example", nhs="9434765919")
    on_b = _person(b, "Ann Example", nhs="9434765919")
    a.episodes.open(Episode(person_id=on_a.id, role="splw", referral_date=date(2026, 1, 5),
                            referral_source="gp"))
    b.episodes.open(Episode(person_id=on_b.id, role="hwbc", referral_date=date(2026, 1, 6),
                            referral_source="gp"))
    for store in (a, b, a):
        team_ops.sync_team(store)
    for store in (a, b):
        [pair_] = store.team.possible_duplicates()
        assert {pair_.first_id, pair_.second_id} == {on_a.id, on_b.id}
    team_ops.merge_people(a, on_a.id, on_b.id)
    for store in (a, b):
        team_ops.sync_team(store)
    for store in (a, b):
        assert store.team.possible_duplicates() == []
        roles = sorted(e.role for e in store.episodes.for_person(on_a.id))
        assert roles == ["hwbc", "splw"]
        assert store.people.get(on_b.id).deleted_at is not None
    assert caseload_of(a) == caseload_of(b)


def test_an_erasure_reaches_the_server_and_every_laptop_leaving_no_name(team: Team, pair):
    a, b = pair
    team_ops.join_team(a, member_url(team, 0))
    ada = _person(a, "Ada Lovelace", nhs="9434765919")
    a.sessions.log(SessionEntry(session=Session(
        person_id=ada.id, date=date(2026, 1, 9), role="splw", kind="assessment",
        mode="telephone", minutes=30, notes="Ada Lovelace talked about her garden")))
    team_ops.sync_team(a)
    team_ops.join_team(b, member_url(team, 1))
    people_ops.update_person(b, replace(b.people.get(ada.id), phone="0161 496 0000"))
    people_ops.erase_person(a, ada.id, "Asked to be forgotten")
    for store in (a, b, a):
        team_ops.sync_team(store)
    secrets = ("Lovelace", "9434765919", "garden", "0161 496 0000")
    for store in (a, b):
        assert store.people.get(ada.id) is None
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        dump = "\n".join(store.conn.iterdump())
        assert not [s for s in secrets if s in dump]
    with team.admin_connect() as conn:
        server_dump = "".join(
            str(r) for table in ("changes", "rows", "tombstones", "person_events")
            for r in conn.execute(f"SELECT * FROM arrs_team.{table}").fetchall())
    assert not [s for s in secrets if s in server_dump]


def test_a_removed_member_cannot_sync_and_is_told_so(team: Team, pair):
    from arrs_desktop.team import server

    a, _ = pair
    team_ops.join_team(a, member_url(team, 0))
    _person(a, "Ann Example")
    with team.admin_connect() as conn:
        server.remove_member(conn, team.logins[0])
    with pytest.raises(team_ops.LoginRefused):
        team_ops.sync_team(a)
    status = a.team.status()
    assert status.waiting == 1 and "administrator" in status.last_error


def test_with_the_server_unreachable_the_changes_wait_and_nothing_is_lost(pair, tmp_path):
    a, _ = pair
    a.team.link("host=127.0.0.1 port=9 dbname=team user=ann connect_timeout=2", "pw")
    _person(a, "Ann Example")
    with pytest.raises(team_ops.ServerUnreachable, match="could not be reached"):
        team_ops.sync_team(a)
    assert a.team.status().waiting == 1
    assert "could not be reached" in a.team.status().last_error


def test_opening_a_caseload_and_the_app_does_not_import_the_postgresql_driver(tmp_path):
    code = ("import sys\nfrom arrs_desktop.store import open_store\n"
            "import arrs_desktop.app.operations.team, arrs_desktop.cli, arrs_desktop.ui.shell.app\n"
            "import arrs_desktop.ui.shell.main_window\n"
            f"s = open_store({str(tmp_path / 'x.db')!r})\n"
            "s.team.link('host=127.0.0.1 dbname=x', None); s.team.status(); s.close()\n"
            "print(sorted(m for m in sys.modules if m.startswith('psycopg')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "[]"
