"""The demo caseload looks like a real, well-run team's, on both ways of building it."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, timedelta

import pytest

from arrs_desktop.store import open_store
from arrs_desktop.tools.demo import build_demo, build_demo_bulk
from tests.db_helpers import sql_rows

TODAY = date(2026, 6, 1)
PEOPLE = 300
OPEN = "('referred', 'active', 'on_hold')"


@pytest.fixture(scope="module", params=["store methods", "bulk"])
def caseload(request, tmp_path_factory):
    """A 300-person demo caseload as a read-only SQLite connection."""
    path = tmp_path_factory.mktemp("realism") / "demo.db"
    s = open_store(path, user="demo", device_id="demo-device")
    build = build_demo if request.param == "store methods" else build_demo_bulk
    build(s, PEOPLE, seed=3, today=TODAY)
    s.close()
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def rows(conn, sql, params=()):
    return conn.execute(sql, params).fetchall()


def test_care_home_visits_only_for_care_home_residents(caseload):
    assert rows(caseload, "SELECT count(*) FROM sessions WHERE mode = 'care_home_visit'")[0][0]
    assert rows(caseload, "SELECT count(*) FROM sessions s JOIN people p ON p.id = s.person_id"
                          " WHERE s.mode = 'care_home_visit' AND p.care_home_id IS NULL")[0][0] == 0


def test_notes_match_how_the_session_was_held(caseload):
    said = {"Phoned": {"telephone"}, "Telephone": {"telephone"}, "phone": {"telephone"},
            "Video": {"video"}, "video": {"video"}, "Visited": {"home_visit", "care_home_visit"},
            "Home visit": {"home_visit"}, "group": {"group"}, "surgery": {"face_to_face"},
            "care home": {"care_home_visit", "telephone"}}
    for notes, mode in rows(caseload, "SELECT DISTINCT notes, mode FROM sessions"):
        for words, modes in said.items():
            if words in notes:
                assert mode in modes, (notes, mode)


def test_closed_episodes_end_with_a_discharge_session(caseload):
    closed = rows(caseload, "SELECT id, closure_date, closure_reason FROM episodes"
                            " WHERE status = 'closed'")
    assert closed
    last = {e: (d, k) for e, d, k in rows(
        caseload, "SELECT episode_id, max(date), kind FROM sessions GROUP BY episode_id")}
    with_discharge = 0
    for episode_id, closure, _reason in closed:
        day, kind = last[episode_id]
        if kind == "discharge":
            with_discharge += 1
            assert day == closure
    alive = [c for c in closed if c[2] != "died"]
    assert with_discharge >= 0.8 * len(alive)
    # A discharge is the last session of a closed episode, with nothing planned after it.
    for status, follow in rows(caseload, "SELECT e.status, s.next_follow_up FROM sessions s"
                                         " JOIN episodes e ON e.id = s.episode_id"
                                         " WHERE s.kind = 'discharge'"):
        assert status == "closed" and follow is None


def test_every_role_records_ons4_and_link_workers_mostly_do_at_assessment(caseload):
    by_role = dict(rows(caseload, "SELECT s.role, count(*) FROM outcome_measures o"
                                  " JOIN sessions s ON s.id = o.session_id GROUP BY s.role"))
    assert set(by_role) == {"splw", "cc", "hwbc"}
    assert by_role["splw"] > by_role["cc"] and by_role["splw"] > by_role["hwbc"]
    assessed, measured = rows(caseload, (
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM outcome_measures o WHERE o.session_id = s.id))"
        " FROM sessions s WHERE s.role = 'splw' AND s.kind = 'assessment'"))[0]
    assert measured >= 0.7 * assessed


def test_only_a_few_active_people_are_overdue(caseload):
    active = rows(caseload, "SELECT next_follow_up FROM people WHERE episode_status = 'active'")
    assert len(active) >= 30
    overdue = [d for (d,) in active if d is not None and d < TODAY.isoformat()]
    assert overdue, "a demo should show someone overdue"
    assert len(overdue) <= 0.15 * len(active)
    # Most follow-ups to come are in the next three weeks.
    ahead = [date.fromisoformat(d) - TODAY for (d,) in active
             if d is not None and d >= TODAY.isoformat()]
    assert sum(1 for d in ahead if d <= timedelta(days=21)) >= 0.6 * len(ahead)
    # Someone actively worked with always has a next follow-up.
    assert sum(1 for (d,) in active if d is None) <= 0.02 * len(active)


def test_ons4_improves_on_average_with_some_people_worse(caseload):
    scores = defaultdict(list)
    for key, *items in rows(caseload, (
            "SELECT o.person_id || s.role, o.ons4_life_satisfaction, o.ons4_worthwhile,"
            " o.ons4_happy, o.ons4_anxious FROM outcome_measures o"
            " JOIN sessions s ON s.id = o.session_id ORDER BY o.date, o.created_at, o.id")):
        scores[key].append(items)
    changes = [[b - a for a, b in zip(v[0], v[-1], strict=True)]
               for v in scores.values() if len(v) >= 2]
    assert len(changes) >= 30
    means = [sum(c[i] for c in changes) / len(changes) for i in range(4)]
    assert all(0.5 <= m <= 3 for m in means[:3]), means
    assert -3 <= means[3] <= -0.5, means
    assert any(c[0] < 0 for c in changes), "some people do worse"


def test_residents_spread_over_the_homes(caseload):
    counts = [n for (n,) in rows(caseload, (
        "SELECT count(p.id) FROM care_homes h LEFT JOIN people p ON p.care_home_id = h.id"
        " GROUP BY h.id"))]
    assert len(counts) == 12
    assert min(counts) >= 2 and max(counts) <= 12, counts
    # Residents have the care-home need and mostly a care coordinator; nobody else has it.
    assert rows(caseload, "SELECT count(*) FROM people p WHERE (p.care_home_id IS NULL) = EXISTS"
                          " (SELECT 1 FROM needs n WHERE n.person_id = p.id"
                          " AND n.need_id = 'care_home')")[0][0] == 0
    with_work, with_cc = rows(caseload, (
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = p.id"
        " AND e.role = 'cc')) FROM people p WHERE p.care_home_id IS NOT NULL"
        " AND EXISTS (SELECT 1 FROM episodes e WHERE e.person_id = p.id)"))[0]
    assert with_cc >= 0.6 * with_work
    seventy = (TODAY - timedelta(days=365 * 70)).isoformat()
    young = rows(caseload, "SELECT count(*) FROM people WHERE care_home_id IS NOT NULL"
                           " AND date_of_birth > ?", (seventy,))
    assert young[0][0] == 0


def test_care_home_contacts_name_that_homes_residents(caseload):
    contacts, named = rows(caseload, (
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM care_home_contact_residents r"
        " WHERE r.contact_id = c.id)) FROM care_home_contacts c"))[0]
    assert named >= 0.7 * contacts
    assert rows(caseload, "SELECT count(*) FROM care_home_contact_residents r"
                          " JOIN care_home_contacts c ON c.id = r.contact_id"
                          " JOIN people p ON p.id = r.person_id"
                          " WHERE p.care_home_id IS NOT c.care_home_id")[0][0] == 0
    overdue = rows(caseload, "SELECT count(*) FROM care_homes h WHERE (SELECT max(next_due)"
                             " FROM care_home_contacts c WHERE c.care_home_id = h.id) < ?",
                   (TODAY.isoformat(),))[0][0]
    assert overdue <= 1


def test_only_recent_community_referrals_are_pending(caseload):
    assert rows(caseload, "SELECT count(*) FROM asset_referrals WHERE outcome != 'pending'")[0][0]
    assert rows(caseload, "SELECT count(*) FROM asset_referrals WHERE outcome = 'pending'"
                          " AND referred_on < ?",
                ((TODAY - timedelta(days=60)).isoformat(),))[0][0] == 0
    assert rows(caseload, "SELECT count(*) FROM asset_referrals WHERE outcome != 'pending'"
                          " AND (outcome_date < referred_on OR outcome_date > ?)",
                (TODAY.isoformat(),))[0][0] == 0
    # People are not referred to groups that have stopped running.
    assert rows(caseload, "SELECT count(*) FROM asset_referrals r JOIN community_assets a"
                          " ON a.id = r.asset_id WHERE a.active = 0")[0][0] == 0


@pytest.mark.parametrize("build", [build_demo, build_demo_bulk])
def test_a_small_caseload_still_shows_every_status_and_someone_overdue(tmp_path, build):
    s = open_store(tmp_path / "small.db", user="demo", device_id="d")
    try:
        build(s, 15 if build is build_demo else 60, seed=2, today=TODAY)
        statuses = {r["status"] for r in sql_rows(s, "SELECT DISTINCT status FROM episodes")}
        assert statuses == {"referred", "active", "on_hold", "closed", "declined"}
        assert sql_rows(s, "SELECT 1 FROM people WHERE episode_status = 'active'"
                       " AND next_follow_up < ?", [TODAY.isoformat()])
    finally:
        s.close()


def test_a_few_sessions_are_missed_contacts_rebooked_days_later(caseload):
    total, missed = rows(caseload, "SELECT count(*), sum(kind = 'did_not_attend')"
                                   " FROM sessions")[0]
    assert 0.02 * total <= missed <= 0.08 * total
    for gap, held, scored in rows(caseload, """
            SELECT julianday(s.next_follow_up) - julianday(s.date),
                   (SELECT count(*) FROM sessions x WHERE x.episode_id = s.episode_id
                    AND x.date = s.next_follow_up AND x.kind != 'did_not_attend'),
                   (SELECT count(*) FROM outcome_measures o WHERE o.session_id = s.id)
                   + (SELECT count(*) FROM goal_progress g WHERE g.session_id = s.id)
                   + (SELECT count(*) FROM asset_referrals a WHERE a.session_id = s.id)
            FROM sessions s WHERE s.kind = 'did_not_attend'"""):
        assert 2 <= gap <= 7 and held == 1 and scored == 0
    # Some come before the first contact, which they never count as.
    assert rows(caseload, "SELECT count(*) FROM sessions s JOIN episodes e"
                          " ON e.id = s.episode_id WHERE s.kind = 'did_not_attend'"
                          " AND s.date < e.first_contact_date")[0][0]
