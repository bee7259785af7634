"""Triage and Follow-ups load on a worker thread: loading state, old rows kept, stale dropped."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from arrs_desktop.domain.catalogue import NEED_IDS, ROLE_CODES
from arrs_desktop.domain.matching import load_rules, match_roles
from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Goal,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.settings import Settings
from arrs_desktop.store import open_store
from arrs_desktop.store.follow_ups import FollowUpsQuery
from arrs_desktop.store.triage import TriageQuery
from arrs_desktop.ui.common.background_loader import BackgroundLoader
from arrs_desktop.ui.team.follow_ups.follow_ups_view import FollowUpsView
from arrs_desktop.ui.team.triage.triage_model import TriageModel
from arrs_desktop.ui.team.triage.triage_view import TriageView
from tests.ui_helpers import loaded, make_context

RULES = load_rules(None).rules
TODAY = date.today()


def waiting(store, name, needs):
    person = store.people.add(Person(name=name))
    store.needs.set(person.id, needs)
    return person


def test_triage_shows_loading_then_the_ranked_rows(qtbot, store):
    amy = waiting(store, "Amy Able", {"care_home", "frail_elderly"})
    waiting(store, "Ben Bold", {"loneliness"})
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    assert view.loading
    assert view.table.isHidden() and not view.empty.isHidden()
    assert "Loading" in view.empty.text() and "Working out" in view.count_label.text()
    loaded(qtbot, view)
    assert view.model.total == 2 and view.model.row_data(0).id == amy.id
    assert not view.table.isHidden() and view.empty.isHidden()
    assert view.count_label.text() == "2 people with needs and no open episode"
    assert view.selected().id == amy.id


def test_triage_keeps_the_old_rows_while_it_ranks_again(qtbot, store):
    waiting(store, "Amy Able", {"loneliness"})
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    cora = waiting(store, "Cora Care", {"care_home", "frail_elderly", "many_appointments"})
    view.refresh()
    assert view.loading and view.model.total == 1  # the old rows until the new ones come
    assert "updating" in view.count_label.text()
    loaded(qtbot, view)
    assert view.model.total == 2 and view.model.row_data(0).id == cora.id
    assert "updating" not in view.count_label.text()


def test_triage_filter_works_from_the_ranking_and_survives_a_reload(qtbot, store):
    for i in range(3):
        waiting(store, f"Link {i}", {"loneliness", "community_interest"})
        waiting(store, f"Coord {i}", {"care_home"})
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    view.refresh()
    view.role_filter.setCurrentIndex(view.role_filter.findData("cc"))
    assert view.model.total == 3  # filtered at once, from the ranking in hand
    loaded(qtbot, view)
    assert view.model.role == "cc" and view.model.total == 3
    assert {view.model.row_data(r).lead_role for r in range(view.model.rowCount())} == {"cc"}


def test_triage_says_when_the_ranking_fails(qtbot, store, monkeypatch):
    def broken(self, rules):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(TriageQuery, "ranking", broken)
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    assert "disk on fire" in view.count_label.text()
    assert "disk on fire" in view.empty.text()


def test_dropping_an_allocated_person_takes_them_off_at_once(store):
    people = [waiting(store, f"P {i}", {"copd"}) for i in range(4)]
    model = TriageModel(store, RULES)
    model.drop_person(people[1].id)
    assert model.total == 3 and model.row_of(people[1].id) == -1


def test_loader_delivers_only_the_newest_result(qtbot, store):
    loader = BackgroundLoader(store)
    got: list = []
    loader.loaded.connect(got.append)
    release = threading.Event()
    ran: list = []

    def slow(_store):
        release.wait(10)
        return "old"

    def skipped(_store):
        ran.append("skipped")
        return "skipped"

    loader.start(slow)
    loader.start(skipped)  # queued behind the slow one, then overtaken
    loader.start(lambda _store: "new")
    release.set()
    qtbot.waitUntil(lambda: not loader.busy, timeout=10000)
    loader.wait_for_idle()
    qtbot.wait(20)
    assert got == ["new"] and ran == []


def test_loader_forgets_a_cancelled_job(qtbot, store):
    loader = BackgroundLoader(store)
    got: list = []
    loader.loaded.connect(got.append)
    loader.start(lambda _store: "late")
    loader.cancel()
    assert not loader.busy
    loader.wait_for_idle()
    qtbot.wait(20)
    assert got == []


def _person(store, name, worker, follow_up):
    p = store.people.add(Person(name=name))
    store.episodes.open(Episode(person_id=p.id, role="splw", referral_date=TODAY - timedelta(30),
                               referral_source="gp", worker=worker))
    store.sessions.log(SessionEntry(Session(
        person_id=p.id, date=TODAY - timedelta(20), role="splw", kind="assessment",
        mode="telephone", minutes=30, next_follow_up=follow_up)))
    return p


def test_follow_ups_filters_work_without_reading_again(qtbot, store, monkeypatch):
    _person(store, "Olive Overdue", "Lee Link", TODAY - timedelta(3))
    _person(store, "Tara Today", "Lee Link", TODAY)
    _person(store, "Otto Other", "Kim Other", TODAY - timedelta(1))
    coach = _person(store, "Cora Coach", "Sam Coach", TODAY + timedelta(5))
    store.goals.add(Goal(person_id=coach.id, title="Walk daily", owner_role="hwbc", baseline=2,
                        target_date=TODAY - timedelta(2), set_date=TODAY - timedelta(40)))
    home = store.care_homes.add(CareHome(name="Elm House", lead_worker="Lee Link"))
    store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=TODAY - timedelta(10), kind="visit",
        next_due=TODAY - timedelta(3)))
    view = FollowUpsView(make_context(store, Settings(user_name="Lee Link")))
    qtbot.addWidget(view)
    assert view.loading and "Loading" in view.empty.text()
    loaded(qtbot, view)

    def titles():
        return [view.model.item(r).title for r in range(view.model.rowCount())]

    assert titles() == [i.title for i in store.follow_ups.due(TODAY, "Lee Link")]
    assert view.summary.text().startswith("3 due: 2 overdue")
    monkeypatch.setattr(FollowUpsQuery, "due_tuples",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("read again")))
    view.everyone.setChecked(True)
    assert titles() == ["Elm House", "Olive Overdue", "Cora Coach", "Otto Other",
                        "Tara Today"]
    assert view.summary.text().startswith("5 due: 4 overdue")
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("goal"))
    assert titles() == ["Cora Coach"]
    view.mine.setChecked(True)
    assert titles() == [] and not view.empty.isHidden() and "for you" in view.empty.text()


def test_follow_ups_keep_old_rows_while_reading_again(qtbot, store):
    _person(store, "Olive Overdue", "Lee Link", TODAY - timedelta(3))
    view = FollowUpsView(make_context(store, Settings()))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    _person(store, "Tara Today", "Lee Link", TODAY)
    view.refresh()
    assert view.loading and view.model.total == 1 and "updating" in view.summary.text()
    loaded(qtbot, view)
    assert view.model.total == 2 and "updating" not in view.summary.text()


def test_follow_ups_page_through_a_long_list(qtbot, store, monkeypatch):
    import arrs_desktop.ui.team.follow_ups.follow_ups_model as fv

    monkeypatch.setattr(fv, "PAGE_SIZE", 2)
    for i in range(5):
        _person(store, f"Person {i}", "Lee Link", TODAY - timedelta(i))
    view = FollowUpsView(make_context(store, Settings()))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    model = view.model
    assert model.total == 5 and model.rowCount() == 2 and model.overdue_count() == 4
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert [model.item(r).title for r in range(5)] == [f"Person {i}" for i in range(4, -1, -1)]


# -- the ranking stays right as needs change and episodes open and close ------------------

OPS = st.lists(
    st.tuples(st.integers(0, 3),
              st.one_of(st.sets(st.sampled_from(NEED_IDS), max_size=5),
                        st.sampled_from(["open", "close", "decline"]),
                        st.sampled_from(ROLE_CODES))),
    min_size=1, max_size=12)


def _expected(store, people):
    """Return who should be waiting, with (lead, score, needs), worked out the slow way."""
    out = {}
    for p in people:
        needs = store.needs.current(p.id)
        open_eps = [e for e in store.episodes.for_person(p.id)
                    if e.status in ("referred", "active", "on_hold")]
        if needs and not open_eps:
            result = match_roles(needs, RULES)
            # every episode here ended today, so anyone with one was seen recently
            out[p.id] = (result.lead, result.for_role(result.lead).score, len(needs),
                         bool(store.episodes.for_person(p.id)))
    return out


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(OPS)
def test_ranking_follows_needs_and_episodes(tmp_path_factory, ops):
    path = tmp_path_factory.mktemp("rank") / "r.db"
    store = open_store(path, user="t", device_id="t")
    try:
        people = [store.people.add(Person(name=f"Person {i}")) for i in range(4)]
        role = {p.id: "splw" for p in people}
        for who, op in ops:
            pid = people[who].id
            if isinstance(op, set | frozenset):
                store.needs.set(pid, op)
            elif op in ROLE_CODES:
                role[pid] = op
            elif op == "open":
                if not any(e.role == role[pid] and e.status in ("referred", "active",
                                                                 "on_hold")
                           for e in store.episodes.for_person(pid)):
                    store.episodes.open(Episode(person_id=pid, role=role[pid],
                                               referral_date=TODAY, referral_source="gp"))
            else:
                for e in store.episodes.for_person(pid):
                    if e.status == "referred":
                        store.episodes.change_status(
                            e.id, "declined" if op == "decline" else "closed",
                            closure_reason=None if op == "decline" else "goals_met")
            expected = _expected(store, people)
            ranking = store.triage.ranking(RULES)
            assert {r.id: (r.lead_role, r.lead_score, r.n_needs, r.recent)
                    for r in ranking} == expected
            keys = [(-r.lead_score, -r.n_needs) for r in ranking]
            assert keys == sorted(keys)
            model = TriageModel(store, RULES)
            assert [model.row_data(i).id for i in range(model.rowCount())] == [
                r.id for r in ranking if not r.recent]
            for code in ROLE_CODES:
                model.set_role(code)
                assert model.total == sum(1 for v in expected.values()
                                          if v[0] == code and not v[3])
                model.set_include_recent(True)
                assert model.total == sum(1 for v in expected.values() if v[0] == code)
                model.set_include_recent(False)
    finally:
        store.close()


def test_follow_ups_say_when_reading_fails(qtbot, store, monkeypatch):
    def broken(self, today=None, worker=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(FollowUpsQuery, "due_tuples", broken)
    view = FollowUpsView(make_context(store, Settings()))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    assert "disk on fire" in view.summary.text() and "disk on fire" in view.empty.text()


def _closed(store, name, needs, days_ago, status="closed", reason="goals_met"):
    person = waiting(store, name, needs)
    ep = store.episodes.open(Episode(person_id=person.id, role="splw", referral_source="gp",
                                    referral_date=TODAY - timedelta(days_ago + 10)))
    store.episodes.change_status(ep.id, status, on=TODAY - timedelta(days_ago),
                                closure_reason=reason if status == "closed" else None)
    return person


def test_triage_hides_people_seen_recently_until_asked_and_says_how_they_ended(qtbot, store):
    never = waiting(store, "Nia Never", {"loneliness"})
    recent = _closed(store, "Rae Recent", {"loneliness", "community_interest"}, 10)
    declined = _closed(store, "Dot Declined", {"loneliness"}, 20, status="declined")
    old = _closed(store, "Ola Old", {"care_home", "frail_elderly"}, 200)
    _closed(store, "Di Died", {"care_home"}, 300, reason="died")
    _closed(store, "Mo Moved", {"care_home"}, 300, reason="moved_away")
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    ids = [view.model.row_data(r).id for r in range(view.model.rowCount())]
    assert ids == [old.id, never.id]
    assert view.count_label.text() == (
        "2 people with needs and no open episode · 2 more seen in the last 90 days not shown")
    last = [c for c, (key, _) in enumerate(view.model.COLUMNS) if key == "last"][0]
    assert view.model.data(view.model.index(0, last)) == (
        f"Closed {TODAY - timedelta(200):%d %b %Y} · Goals met")
    assert view.model.data(view.model.index(1, last)) == ""
    qtbot.mouseClick(view.include_recent, Qt.MouseButton.LeftButton)
    assert view.include_recent.isChecked()
    rows = {view.model.row_data(r).id: r for r in range(view.model.rowCount())}
    assert set(rows) == {never.id, recent.id, declined.id, old.id}
    assert view.model.data(view.model.index(rows[declined.id], last)) == (
        f"Declined {TODAY - timedelta(20):%d %b %Y}")
    assert view.count_label.text() == (
        "4 people with needs and no open episode · 3 of them seen before")
    view.role_filter.setCurrentIndex(view.role_filter.findData("cc"))
    assert view.count_label.text().startswith(
        "1 person with needs, no open episode and care coordinator suggested")


def test_triage_empty_state_says_why(qtbot, store):
    view = TriageView(make_context(store))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    assert not view.empty.isHidden() and view.table.isHidden()
    assert "No one has needs recorded yet" in view.empty.text()
    assert "Needs & match" in view.empty.text() and "arrs import-people" in view.empty.text()
    person = waiting(store, "Amy Able", {"loneliness"})
    ep = store.episodes.open(Episode(person_id=person.id, role="splw", referral_date=TODAY,
                                    referral_source="gp"))
    view.refresh()
    loaded(qtbot, view)
    assert "everyone with needs recorded has an open episode" in view.empty.text()
    store.episodes.change_status(ep.id, "declined")
    view.refresh()
    loaded(qtbot, view)
    assert "Include people seen before" in view.empty.text()
    assert view.count_label.text().endswith("1 more seen in the last 90 days not shown")
    view.include_recent.setChecked(True)
    assert view.model.total == 1 and view.empty.isHidden()
    view.role_filter.setCurrentIndex(view.role_filter.findData("hwbc"))
    assert "No one waiting has this suggested role" in view.empty.text()
    view.role_filter.setCurrentIndex(view.role_filter.findData("splw"))
    view.include_recent.setChecked(False)
    assert "Tick “Include people seen before” to list them, or choose “All suggested roles”" \
        in view.empty.text()
