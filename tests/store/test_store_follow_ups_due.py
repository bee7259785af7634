"""What is due today or overdue, and whose it is: follow-ups, first contacts, goals, homes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Goal,
    Person,
    Session,
    SessionEntry,
)

TODAY = date.today()


def _person(store, name: str, role: str, worker: str, follow_up: date | None = None):
    p = store.people.add(Person(name=name))
    store.episodes.open(Episode(person_id=p.id, role=role, referral_date=TODAY - timedelta(30),
                               referral_source="gp", worker=worker))
    if follow_up is not None:
        store.sessions.log(SessionEntry(Session(
            person_id=p.id, date=TODAY - timedelta(20), role=role, kind="assessment",
            mode="telephone", minutes=30, next_follow_up=follow_up)))
    return p


@pytest.fixture
def caseload(store):
    """Two link workers' people, one coach's, a care home with a contact overdue."""
    people = {
        "overdue": _person(store, "Olive Overdue", "splw", "Lee Link", TODAY - timedelta(3)),
        "today": _person(store, "Tara Today", "splw", "Lee Link", TODAY),
        "later": _person(store, "Lara Later", "splw", "Lee Link", TODAY + timedelta(9)),
        "other": _person(store, "Otto Other", "splw", "Kim Other", TODAY - timedelta(1)),
        "coach": _person(store, "Cora Coach", "hwbc", "Sam Coach"),
    }
    # seen, though no session is logged here: not awaiting a first contact
    store.episodes.change_status(store.episodes.for_person(people["coach"].id)[0].id, "active")
    store.goals.add(Goal(person_id=people["coach"].id, title="Walk daily", owner_role="hwbc",
                        baseline=2, target_date=TODAY - timedelta(2),
                        set_date=TODAY - timedelta(40)))
    store.goals.add(Goal(person_id=people["coach"].id, title="Future goal", owner_role="hwbc",
                        baseline=2, target_date=TODAY + timedelta(20)))
    home = store.care_homes.add(CareHome(name="Elm House", lead_worker="Lee Link"))
    store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=TODAY - timedelta(10), kind="visit",
        next_due=TODAY - timedelta(3)))
    people["home"] = home
    return people


def test_store_lists_follow_ups_due_today_or_overdue_and_mine_only(store, caseload):
    items = store.follow_ups.due(TODAY)
    assert [(i.kind, i.title) for i in items] == [
        ("care_home", "Elm House"), ("session", "Olive Overdue"), ("goal", "Cora Coach"),
        ("session", "Otto Other"), ("session", "Tara Today")]
    mine = store.follow_ups.due(TODAY, worker="Lee Link")
    assert {i.title for i in mine} == {"Elm House", "Olive Overdue", "Tara Today"}
    assert store.follow_ups.due(TODAY, worker="Nobody") == []


def test_follow_up_done_moves_it_off_the_list(store, caseload):
    olive = caseload["overdue"]
    store.sessions.log(SessionEntry(Session(
        person_id=olive.id, date=TODAY, role="splw", kind="follow_up", mode="telephone",
        minutes=15, next_follow_up=TODAY + timedelta(14))))
    assert "Olive Overdue" not in {i.title for i in store.follow_ups.due(TODAY)}


# -- awaiting first contact, whose item it is, and how lateness reads ---------------------

def _referral(store, name, role, worker, days_ago):
    p = store.people.add(Person(name=name))
    ep = store.episodes.open(Episode(person_id=p.id, role=role, worker=worker,
                                    referral_date=TODAY - timedelta(days_ago),
                                    referral_source="gp"))
    return p, ep


def test_referrals_not_contacted_are_due_after_first_contact_days(store):
    from arrs_desktop.store.follow_ups import FIRST_CONTACT_DAYS

    late, late_ep = _referral(store, "Lou Late", "cc", "Raj Mistry", FIRST_CONTACT_DAYS + 3)
    _referral(store, "Dee Due", "splw", "Lee Link", FIRST_CONTACT_DAYS)
    _referral(store, "Nat New", "splw", "Lee Link", FIRST_CONTACT_DAYS - 1)
    seen, _ = _referral(store, "Sid Seen", "splw", "Lee Link", 30)
    store.sessions.log(SessionEntry(Session(
        person_id=seen.id, date=TODAY - timedelta(25), role="splw", kind="assessment",
        mode="telephone", minutes=30)))  # first contact made: the episode is active
    gone, _ = _referral(store, "Gus Gone", "splw", "Lee Link", 30)
    store.people.delete(gone.id)
    items = [i for i in store.follow_ups.due(TODAY) if i.kind == "first_contact"]
    assert [(i.title, i.due, i.worker, i.role) for i in items] == [
        ("Lou Late", TODAY - timedelta(3), "Raj Mistry", "cc"),
        ("Dee Due", TODAY, "Lee Link", "splw")]
    assert items[0].detail == f"Referred {TODAY - timedelta(FIRST_CONTACT_DAYS + 3):%d %b %Y}"
    assert (items[0].person_id, items[0].episode_id) == (late.id, late_ep.id)
    assert [i.title for i in store.follow_ups.due(TODAY, worker="Raj Mistry")] == ["Lou Late"]
    store.episodes.change_status(late_ep.id, "declined")
    assert "Lou Late" not in {i.title for i in store.follow_ups.due(TODAY)}


def test_items_fall_to_the_worker_of_the_episode_they_belong_to(store):
    p = store.people.add(Person(name="Pat Shared"))
    link = store.episodes.open(Episode(person_id=p.id, role="splw", worker="Lee Link",
                                      referral_date=TODAY - timedelta(60),
                                      referral_source="gp"))
    coach = store.episodes.open(Episode(person_id=p.id, role="hwbc", worker="Sam Coach",
                                       referral_date=TODAY - timedelta(40),
                                       referral_source="gp"))
    store.episodes.change_status(link.id, "active")
    store.episodes.change_status(coach.id, "active")
    # Lee Link holds the lead (earliest) episode: the person's lead worker
    store.sessions.log(SessionEntry(Session(
        person_id=p.id, episode_id=coach.id, date=TODAY - timedelta(10), role="hwbc",
        kind="follow_up", mode="telephone", minutes=20, worker="Someone Else",
        next_follow_up=TODAY - timedelta(1))))
    goal = store.goals.add(Goal(person_id=p.id, episode_id=coach.id, title="Walk daily",
                               owner_role="hwbc", baseline=2,
                               target_date=TODAY - timedelta(2),
                               set_date=TODAY - timedelta(30)))
    store.goals.add(Goal(person_id=p.id, title="Join a choir", owner_role="splw", baseline=3,
                        target_date=TODAY - timedelta(3), set_date=TODAY - timedelta(30)))
    home = store.care_homes.add(CareHome(name="Elm House", lead_worker="Cam Coord"))
    store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=TODAY - timedelta(10), kind="visit", next_due=TODAY))
    items = {(i.kind, i.detail): i for i in store.follow_ups.due(TODAY)}
    got = {k: (i.worker, i.role) for k, i in items.items()}
    assert got == {
        ("session", f"Last session {TODAY - timedelta(10):%d %b %Y}"): ("Sam Coach", "hwbc"),
        ("goal", "Walk daily"): ("Sam Coach", "hwbc"),
        ("goal", "Join a choir"): ("Lee Link", "splw"),  # no episode: the open splw one
        ("care_home", f"Last contact {TODAY - timedelta(10):%d %b %Y}"): ("Cam Coord", "cc"),
    }
    assert items[("goal", "Walk daily")].goal_id == goal.id
    assert {i.detail for i in store.follow_ups.due(TODAY, worker="Sam Coach")} == {
        f"Last session {TODAY - timedelta(10):%d %b %Y}", "Walk daily"}
    assert {i.detail for i in store.follow_ups.due(TODAY, worker="Lee Link")} == {
        "Join a choir"}


def test_a_session_with_no_episode_falls_to_the_open_episode_in_its_role(store):
    p = store.people.add(Person(name="Ned NoEpisode"))
    for role, worker in (("splw", "Lee Link"), ("cc", "Raj Mistry")):
        ep = store.episodes.open(Episode(person_id=p.id, role=role, worker=worker,
                                        referral_date=TODAY - timedelta(60),
                                        referral_source="gp"))
        store.episodes.change_status(ep.id, "active")
    store.sessions.log(SessionEntry(Session(
        person_id=p.id, date=TODAY - timedelta(5), role="cc", kind="review",
        mode="telephone", minutes=20, next_follow_up=TODAY)))
    [item] = store.follow_ups.due(TODAY)
    assert (item.worker, item.role) == ("Raj Mistry", "cc")
