"""A person's next follow-up comes from each open episode's own latest session.

One role discharging the person (a discharge session with no next follow-up) must not hide
the follow-up another role, still working with them, has set: on the caseload, in the
overdue filter, or in the Follow-ups list.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import CaseloadFilter, Episode, Person, Session, SessionEntry
from arrs_desktop.settings import Settings
from arrs_desktop.store import open_store
from tests.db_helpers import sql_rows, sql_scalar
from tests.ui_helpers import make_window, rows

TODAY = date.today()
OPEN = ("referred", "active", "on_hold")


def _episode(store, person, role, worker, days_ago=60):
    ep = store.episodes.open(Episode(person_id=person.id, role=role, worker=worker,
                                    referral_date=TODAY - timedelta(days_ago),
                                    referral_source="gp"))
    return store.episodes.change_status(ep.id, "active", on=TODAY - timedelta(days_ago))


def _session(store, person, episode, days_ago, follow_up=None, kind="follow_up",
             role=None, worker=""):
    return store.sessions.log(SessionEntry(Session(
        person_id=person.id, episode_id=episode.id if episode else None,
        date=TODAY - timedelta(days_ago), role=role or episode.role, kind=kind,
        mode="telephone", minutes=20, worker=worker, next_follow_up=follow_up)))


def _next(store, person) -> date | None:
    """The caseload's next follow-up column for a person."""
    value = sql_scalar(store, "SELECT next_follow_up FROM people WHERE id = ?", [person.id])
    return date.fromisoformat(value) if value else None


def _session_items(store, person):
    return sorted((i.due, i.role, i.worker, i.episode_id)
                  for i in store.follow_ups.due(TODAY)
                  if i.kind == "session" and i.person_id == person.id)


@pytest.fixture
def shared(store):
    """Pat, seen by a link worker and a health coach, both with a follow-up set."""
    pat = store.people.add(Person(name="Pat Shared"))
    link = _episode(store, pat, "splw", "Lee Link")
    coach = _episode(store, pat, "hwbc", "Sam Coach")
    _session(store, pat, link, 20, TODAY - timedelta(3))
    _session(store, pat, coach, 10, TODAY - timedelta(1))
    return pat, link, coach


def test_one_role_discharging_leaves_the_other_roles_follow_up(store, shared):
    pat, link, coach = shared
    assert _next(store, pat) == TODAY - timedelta(3)
    _session(store, pat, link, 0, None, kind="discharge")  # the latest session of all
    assert _next(store, pat) == TODAY - timedelta(1)
    assert _session_items(store, pat) == [(TODAY - timedelta(1), "hwbc", "Sam Coach",
                                           coach.id)]
    overdue = store.caseload.page(CaseloadFilter(overdue_only=True, today=TODAY), 0, 50)
    assert pat.id in {r.id for r in overdue}
    # Closing the discharged episode changes nothing; closing the last open one clears it.
    store.episodes.change_status(link.id, "closed", closure_reason="goals_met")
    assert _next(store, pat) == TODAY - timedelta(1)
    store.episodes.change_status(coach.id, "closed", closure_reason="goals_met")
    assert _next(store, pat) is None
    assert _session_items(store, pat) == []


def test_the_earliest_follow_up_of_the_open_episodes_wins(store, shared):
    pat, link, coach = shared
    assert _next(store, pat) == TODAY - timedelta(3)
    # Each open episode due gives its own item, to its own worker.
    assert _session_items(store, pat) == [
        (TODAY - timedelta(3), "splw", "Lee Link", link.id),
        (TODAY - timedelta(1), "hwbc", "Sam Coach", coach.id)]
    _session(store, pat, link, 0, TODAY + timedelta(7))
    assert _next(store, pat) == TODAY - timedelta(1)
    _session(store, pat, coach, 0, TODAY + timedelta(14))
    assert _next(store, pat) == TODAY + timedelta(7)
    assert _session_items(store, pat) == []


def test_a_closed_episodes_follow_up_is_ignored(store):
    ann = store.people.add(Person(name="Ann Closed"))
    link = _episode(store, ann, "splw", "Lee Link")
    coach = _episode(store, ann, "hwbc", "Sam Coach")
    _session(store, ann, coach, 20, None)
    _session(store, ann, link, 5, TODAY + timedelta(2))
    store.episodes.change_status(link.id, "closed", on=TODAY - timedelta(1),
                                closure_reason="goals_met")
    assert _next(store, ann) is None  # the coach set none
    _session(store, ann, coach, 2, TODAY + timedelta(30))
    assert _next(store, ann) == TODAY + timedelta(30)
    # A later session logged against the closed episode still counts for nothing.
    _session(store, ann, link, 0, TODAY)
    assert _next(store, ann) == TODAY + timedelta(30)
    assert _session_items(store, ann) == []


def test_a_session_with_no_episode_counts_for_the_open_episode_in_its_role(store):
    ned = store.people.add(Person(name="Ned NoEpisode"))
    link = _episode(store, ned, "splw", "Lee Link")
    care = _episode(store, ned, "cc", "")
    _session(store, ned, link, 9, TODAY + timedelta(20))
    _session(store, ned, None, 5, TODAY - timedelta(2), role="cc", worker="Raj Mistry")
    _session(store, ned, None, 1, None, role="hwbc")  # no open coaching episode: no effect
    assert _next(store, ned) == TODAY - timedelta(2)
    # The care coordination episode has no worker: the session's worker has it.
    assert _session_items(store, ned) == [(TODAY - timedelta(2), "cc", "Raj Mistry", care.id)]


# -- the rule in plain Python, against random histories ------------------------------------

def expected_follow_ups(episodes, sessions) -> dict[str, tuple[date, object]]:
    """Each open episode's latest session with a follow-up: episode id → (due, session)."""
    found = {}
    for ep in episodes:
        if ep.status not in OPEN:
            continue
        mine = [s for s in sessions if s.episode_id == ep.id
                or (s.episode_id is None and s.role == ep.role)]
        if not mine:
            continue
        latest = max(mine, key=lambda s: (s.date, s.created_at, s.id))
        if latest.next_follow_up is not None:
            found[ep.id] = (latest.next_follow_up, latest)
    return found


CLOSURE = next(iter(catalogue.CLOSURE_REASONS))
STEP = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(catalogue.ROLE_CODES),
              st.sampled_from(["", "Lee Link", "Sam Coach"])),
    st.tuples(st.just("status"), st.integers(0, 5),
              st.sampled_from(sorted(catalogue.EPISODE_STATUSES))),
    st.tuples(st.just("session"), st.sampled_from(catalogue.ROLE_CODES),
              st.sampled_from(["none", "open in role", "any"]), st.integers(0, 5),
              st.integers(0, 6), st.one_of(st.none(), st.integers(-3, 10)),
              st.sampled_from(["", "Kim Other"])),
)


@pytest.fixture(scope="module")
def history_store(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("history") / "history.db", user="Test Worker",
                   device_id="test-device")
    yield s
    s.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_summary_and_follow_ups_match_the_rule_over_random_histories(history_store, steps):
    s = history_store
    person = s.people.add(Person(name="Hypo Thesis"))
    for step in steps:
        episodes = s.episodes.for_person(person.id)
        if step[0] == "open":
            _, role, worker = step
            if any(e.role == role and e.status in OPEN for e in episodes):
                continue
            s.episodes.open(Episode(person_id=person.id, role=role, worker=worker,
                                   referral_date=TODAY - timedelta(8),
                                   referral_source="gp"))
        elif step[0] == "status" and episodes:
            _, pick, status = step
            ep = episodes[pick % len(episodes)]
            if status in catalogue.EPISODE_TRANSITIONS[ep.status]:
                s.episodes.change_status(ep.id, status, closure_reason=CLOSURE)
        elif step[0] == "session":
            _, role, attach, pick, days_ago, follow_in, worker = step
            episode_id = None
            if attach == "open in role":
                episode_id = next((e.id for e in episodes
                                   if e.role == role and e.status in OPEN), None)
            elif attach == "any" and episodes:
                episode_id = episodes[pick % len(episodes)].id
            day = TODAY - timedelta(days_ago)
            follow = None if follow_in is None else max(day, TODAY + timedelta(follow_in))
            s.sessions.log(SessionEntry(Session(
                person_id=person.id, episode_id=episode_id, date=day, role=role,
                kind="follow_up", mode="telephone", minutes=10, worker=worker,
                next_follow_up=follow)))
        episodes = s.episodes.for_person(person.id)
        found = expected_follow_ups(episodes, s.sessions.for_person(person.id))
        want = min((due for due, _ in found.values()), default=None)
        assert _next(s, person) == want
    # The Follow-ups list: one item per open episode due by today, to that episode's worker.
    lead = sql_scalar(s, "SELECT lead_worker FROM people WHERE id = ?", [person.id])
    by_id = {e.id: e for e in episodes}
    assert _session_items(s, person) == sorted(
        (due, by_id[eid].role, by_id[eid].worker or session.worker or lead, eid)
        for eid, (due, session) in found.items() if due <= TODAY)
    # The bulk recomputation agrees with the one done on every write.
    cols = "lead_role, episode_status, lead_worker, next_follow_up"
    before = sql_rows(s, f"SELECT {cols} FROM people WHERE id = ?", [person.id])
    s.bulk.refresh_summaries([person.id])
    assert sql_rows(s, f"SELECT {cols} FROM people WHERE id = ?", [person.id]) == before


# -- files written before the rule ---------------------------------------------------------

def test_upgrade_re_derives_follow_ups_kept_by_the_old_rule(store, shared, db_path, tmp_path):
    pat, link, coach = shared
    ann = store.people.add(Person(name="Ann Closed"))
    closed = _episode(store, ann, "splw", "Lee Link")
    _session(store, ann, closed, 5, TODAY + timedelta(2))
    store.episodes.change_status(closed.id, "closed", closure_reason="goals_met")
    bob = store.people.add(Person(name="Bob Single"))
    _session(store, bob, _episode(store, bob, "cc", "Raj Mistry"), 3, TODAY + timedelta(9))
    _session(store, pat, link, 0, None, kind="discharge")
    store.close()
    old = tmp_path / "old.db"
    shutil.copy(db_path, old)
    # As the previous version left it: Pat's follow-up from the discharge session (none).
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("UPDATE people SET next_follow_up = NULL WHERE id = ?", [pat.id])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?",
                     ["0011_next_follow_up_per_episode"])
    conn.close()
    upgraded = open_store(old, user="Upgrader", device_id="test-device")
    try:
        assert upgraded.schema_version() == "0011_next_follow_up_per_episode"
        got = [_next(upgraded, p) for p in (pat, ann, bob)]
        assert got == [TODAY - timedelta(1), None, TODAY + timedelta(9)]
    finally:
        upgraded.close()


# -- through the window ----------------------------------------------------------------------

def test_discharge_logged_in_the_sessions_panel_leaves_the_other_follow_up_shown(
        qtbot, store, shared, db_path):
    from PySide6.QtCore import Qt

    from arrs_desktop.ui.caseload.caseload_model import COLUMNS

    pat, link, coach = shared
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    model = window.caseload.model
    column = [key for key, _ in COLUMNS].index("next_follow_up")

    def follow_up_cell() -> str:
        return model.data(model.index(model.row_of(pat.id), column))

    assert follow_up_cell() == f"⚠ {TODAY - timedelta(3):%d %b %Y}"
    window.open_person(pat.id)
    panel = window.sessions_panel
    window.person_view.tabs.setCurrentWidget(panel)
    assert panel.role.currentData() == "splw"
    panel.kind.setCurrentIndex(panel.kind.findData("discharge"))
    panel.minutes.setFocus()
    qtbot.keyClicks(panel.minutes, "30")
    qtbot.keyClicks(panel.notes, "Goals met; discharged from link work.")
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.saved_label.text(), panel.general_error.text()
    assert rows(db_path, "SELECT kind, episode_id, next_follow_up FROM sessions"
                         " ORDER BY date DESC, created_at DESC LIMIT 1") == [
        ("discharge", link.id, None)]
    # The caseload row still shows the coach's follow-up, overdue.
    assert follow_up_cell() == f"⚠ {TODAY - timedelta(1):%d %b %Y}"
    # And the Follow-ups list has it, for the coach.
    window.daily_work.go_to_view(window.views.indexOf(window.follow_ups))
    view = window.follow_ups
    qtbot.waitUntil(lambda: not view.loading, timeout=30000)
    qtbot.mouseClick(view.everyone, Qt.MouseButton.LeftButton)
    shown = [(view.model.data(view.model.index(r, 2)), view.model.data(view.model.index(r, 4)))
             for r in range(view.model.rowCount()) if view.model.item(r).kind == "session"]
    assert shown == [("Pat Shared", "Sam Coach")]
    assert view.model.data(view.model.index(0, 0)) == "⚠ 1 day late"
