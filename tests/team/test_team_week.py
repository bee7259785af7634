"""A week of a team's work: three laptop files and one server, offline spells and kills.

Done when the three files end identical (the audit lines of the team included), every
confirmed change is present (or replaced by one that saw it, or gone with an erased person),
and every concurrent edit is either merged or listed as a conflict. Merging possible
duplicates and erasing people happen along the way.
"""

from __future__ import annotations

import contextlib
import os
import random
from datetime import date
from pathlib import Path

import psycopg

from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.models import Episode, Person, Session, SessionEntry
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import StoreConflictError
from arrs_desktop.team import server
from tests.team.caseloads import caseload_of, laptop, member_url
from tests.team.conftest import Team
from tests.team.test_team_convergence import _every_change_kept
from tests.team.test_team_kills import _kill_syncs

FIRST_NAMES = ["Ada", "Grace", "Alan", "Mary", "Tunde", "Priya", "Leo", "Olivia"]
WORDS = ["My garden", "Seeing friends", "Walking again", "Getting to church", ""]


def test_a_week_of_team_work_ends_identical_with_every_change_kept(team: Team,
                                                                   tmp_path: Path):
    rnd = random.Random(int(os.environ.get("ARRS_TEAM_WEEK_SEED", "7")))
    logins = list(team.logins)
    with team.admin_connect() as conn:  # a third member
        server.add_member(conn, f"{team.dbname}_cat", f"{team.dbname}_cat-pw")
    urls = [member_url(team, 0), member_url(team, 1),
            team.pg.member_dsn(team.dbname, f"{team.dbname}_cat", f"{team.dbname}_cat-pw")]
    names = ["Ann Worker", "Bob Worker", "Cat Worker"]
    paths = [tmp_path / f"{who}.db" for who in "abc"]
    laptops = [laptop(p, f"laptop-{who}", n) for p, who, n in zip(paths, "abc", names,
                                                                     strict=True)]
    for store, url in zip(laptops, urls, strict=True):
        team_ops.join_team(store, url)
    offline_until = [0, 0, 0]
    confirmed_sessions: dict[str, str] = {}  # session id -> person id
    kills = 0
    hour = 0
    for day in range(5):
        for _ in range(8):
            hour += 1
            for i, store in enumerate(laptops):
                if rnd.random() < 0.08:  # an afternoon with no network
                    offline_until[i] = hour + rnd.randint(2, 6)
                for _ in range(rnd.randint(2, 5)):
                    _work_once(store, rnd, day, confirmed_sessions)
                if hour < offline_until[i] or rnd.random() < 0.3:
                    continue
                if hour % 7 == i + 2 and kills < 6:  # the laptop is shut mid-sync
                    device = store.team.device_id
                    store.close()
                    kills += 1
                    _kill_syncs(paths[i], device, 1, rnd)
                    laptops[i] = store = laptop(paths[i], f"laptop-{'abc'[i]}", names[i])
                team_ops.sync_team(store, page=25)
    # Friday evening: everyone back online (a pull is audited, so the audit lines of the
    # last pulls take a round more to reach everyone).
    for _ in range(4):
        for store in laptops:
            team_ops.sync_team(store)
    first = caseload_of(laptops[0])
    for store in laptops[1:]:
        other = caseload_of(store)
        for table in first:  # name the table that differs
            assert other[table] == first[table], table
    assert first["people"] and first["sessions"]
    lines = [{(e.device_id, e.seq, e.action, e.who, e.at) for e in store.audit.team_lines()}
             for store in laptops]
    assert lines[0] == lines[1] == lines[2]  # the team's audit log too, every line once
    erased = {r[0] for r in laptops[0].conn.execute(
        "SELECT person_id FROM team_tombstones WHERE reason = 'erased'")}
    sessions = {r[0] for r in laptops[0].conn.execute("SELECT id FROM sessions")}
    for session_id, person_id in confirmed_sessions.items():
        assert session_id in sessions or person_id in erased
    for store in laptops:
        assert store.team.waiting_count() == 0
    with psycopg.connect(team.admin) as conn:
        state = server.server_rows(conn)
        entries = [e for page in server.pull_all(conn, 0) for e in page.entries]
    _every_change_kept(state, entries)  # applied, seen and replaced, listed, or erased
    assert kills >= 3 and len(entries) > 300
    assert logins  # (the team's own two members worked too)
    for store in laptops:
        store.close()


def _work_once(store, rnd: random.Random, day: int, sessions: dict[str, str]) -> None:
    """One thing a worker does, through the app's operations; a refusal writes nothing."""
    people = [r[0] for r in store.conn.execute(
        "SELECT id FROM people WHERE deleted_at IS NULL ORDER BY id")]
    what = rnd.random()
    with contextlib.suppress(ValidationError, StoreConflictError):
        if what < 0.25 or not people:
            people_ops.add_person(store, Person(
                name=f"{rnd.choice(FIRST_NAMES)} Example", date_of_birth=date(
                    1940 + rnd.randint(0, 3), 1, 1)), allow_duplicate=True)
        elif what < 0.45:
            people_ops.set_what_matters(store, rnd.choice(people), rnd.choice(WORDS))
        elif what < 0.7:
            person = rnd.choice(people)
            saved = store.sessions.log(SessionEntry(session=Session(
                person_id=person, date=date(2026, 1, 5 + day), role="splw", kind="follow_up",
                mode="telephone", minutes=20, notes="a call")))
            sessions[saved.id] = person
        elif what < 0.82:
            store.episodes.open(Episode(person_id=rnd.choice(people),
                                        role=rnd.choice(["splw", "cc", "hwbc"]),
                                        referral_date=date(2026, 1, 2), referral_source="gp"))
        elif what < 0.9:
            episodes = [r[0] for r in store.conn.execute("SELECT id FROM episodes")]
            if episodes:
                store.episodes.change_status(rnd.choice(episodes),
                                             rnd.choice(["active", "on_hold", "closed"]),
                                             on=date(2026, 1, 5 + day),
                                             closure_reason="goals_met")
        elif what < 0.96:
            pairs = store.team.possible_duplicates()
            if pairs:
                pair = rnd.choice(pairs)
                team_ops.merge_people(store, pair.first_id, pair.second_id)
        else:
            people_ops.erase_person(store, rnd.choice(people), "Asked to be forgotten")
