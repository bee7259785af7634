"""A small caseload built through the store API, with every report figure known by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Goal,
    Ons4,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.domain.periods import Period

OCTOBER = Period.custom(date(2025, 10, 1), date(2025, 10, 31))
D = date.fromisoformat


@dataclass
class Fixture:
    """Ids of the fixture's people and episodes."""

    people: dict
    episodes: dict
    goals: dict


def _session(store, person, episode, day, role, minutes, worker, ons4=None, notes="",
             follow_up=None, kind="follow_up"):
    store.sessions.log(SessionEntry(
        session=Session(person_id=person, episode_id=episode, date=D(day), role=role,
                        kind=kind, mode="telephone", minutes=minutes, worker=worker,
                        notes=notes, next_follow_up=D(follow_up) if follow_up else None),
        ons4=Ons4(*ons4) if ons4 else None,
    ))


def build_fixture(store) -> Fixture:
    """Build the hand-checked caseload (see docs/reports.md for the definitions)."""
    p = {}
    p["ann"] = store.people.add(Person(name="Ann Archer", nhs_number="9434765919",
                                       date_of_birth=D("1950-03-02"), postcode="LS1 4AB",
                                       address="1 Ash Road", phone="0113 000 0001",
                                       what_matters="Seeing my grandchildren every week")).id
    p["bob"] = store.people.add(Person(name="Bob Baker", date_of_birth=D("1980-06-15"))).id
    p["cat"] = store.people.add(Person(name="Cat Carter", date_of_birth=D("1940-01-01"))).id
    p["dan"] = store.people.add(Person(name="Dan Dale", date_of_birth=D("1990-01-01"))).id
    p["eve"] = store.people.add(Person(name="Eve Evans", nhs_number="9999999999",
                                       date_of_birth=D("1960-05-05"), postcode="LS2 9ZZ",
                                       address="5 Elm Street", phone="0113 000 0005")).id
    p["fay"] = store.people.add(Person(name="Fay Field", date_of_birth=D("1970-07-07"))).id
    store.needs.set(p["ann"], ["loneliness", "carer_strain"])
    e = {}

    def episode(key, person, role, worker, referred, source, reason="", share=True):
        e[key] = store.episodes.open(Episode(
            person_id=p[person], role=role, worker=worker, referral_date=D(referred),
            referral_source=source, referral_reason=reason, share_with_gp=share)).id

    episode("ann", "ann", "splw", "Wendy", "2025-09-20", "gp", "Lonely")
    _session(store, p["ann"], e["ann"], "2025-09-25", "splw", 30, "Wendy", (4, 5, 3, 8))
    _session(store, p["ann"], e["ann"], "2025-10-05", "splw", 45, "Wendy", (6, 6, 5, 5),
             notes="Agreed to try the Tuesday lunch club.", follow_up="2025-11-02")

    episode("bob", "bob", "splw", "Wendy", "2025-10-02", "self", "Money worries")
    # Missed contacts are not contacts: Bob's first contact is still 6 Oct (4 days' wait).
    _session(store, p["bob"], e["bob"], "2025-10-04", "splw", 5, "Wendy", kind="did_not_attend",
             notes="No answer, rebooked.", follow_up="2025-10-06")
    _session(store, p["bob"], e["bob"], "2025-10-06", "splw", 60, "Wendy", (2, 3, 2, 9))
    _session(store, p["bob"], e["bob"], "2025-10-20", "splw", 30, "Wendy", (5, 3, 4, 6))

    episode("cat", "cat", "cc", "Carl", "2025-10-10", "gp", "Many appointments")
    _session(store, p["cat"], e["cat"], "2025-10-17", "cc", 20, "Carl", (7, 7, 7, 2))
    store.episodes.change_status(e["cat"], "closed", on=D("2025-10-28"),
                                closure_reason="goals_met")

    episode("dan", "dan", "hwbc", "Hana", "2025-10-15", "gp")
    # Dan was not in; his referral stays 'referred' (a referral can be declined, not an
    # active episode), and Hana has seen nobody.
    _session(store, p["dan"], e["dan"], "2025-10-16", "hwbc", None, "Hana",
             kind="did_not_attend")
    store.episodes.change_status(e["dan"], "declined", on=D("2025-10-18"))

    episode("eve_old", "eve", "splw", "Xavier", "2025-08-01", "self", "Bereaved")
    _session(store, p["eve"], e["eve_old"], "2025-08-05", "splw", 30, "Xavier")
    store.episodes.change_status(e["eve_old"], "closed", on=D("2025-09-15"),
                                closure_reason="moved_away")
    episode("eve", "eve", "splw", "Xavier", "2025-10-01", "self", "Bereaved", share=False)
    _session(store, p["eve"], e["eve"], "2025-10-03", "splw", 30, "Xavier")

    # Fay is deleted: nothing of hers is counted anywhere.
    episode("fay", "fay", "splw", "Wendy", "2025-10-05", "gp", "Lonely")
    _session(store, p["fay"], e["fay"], "2025-10-07", "splw", 50, "Wendy", (1, 1, 1, 1))
    _session(store, p["fay"], e["fay"], "2025-10-08", "splw", 50, "Wendy", (9, 9, 9, 9))
    store.people.delete(p["fay"])

    ash = store.care_homes.add(CareHome(name="Ash House")).id
    birch = store.care_homes.add(CareHome(name="Birch Court")).id
    store.care_homes.add(CareHome(name="Cedar Lodge"))
    store.care_homes.log_contact(CareHomeContact(ash, D("2025-10-01"), "weekly_check_in",
                                                next_due=D("2025-10-08"), worker="Carl"))
    store.care_homes.log_contact(CareHomeContact(ash, D("2025-10-20"), "weekly_check_in",
                                                next_due=D("2025-10-27"), worker="Carl"))
    store.care_homes.log_contact(CareHomeContact(birch, D("2025-10-25"), "visit",
                                                next_due=D("2025-11-01"), worker="Carl"))
    store.care_homes.log_contact(CareHomeContact(birch, D("2025-09-25"), "visit",
                                                next_due=D("2025-10-02"), worker="Dora"))

    g = {}
    g["ann"] = store.goals.add(Goal(person_id=p["ann"], episode_id=e["ann"], owner_role="splw",
                                   title="Get to the lunch club", baseline=3)).id
    g["cat"] = store.goals.add(Goal(person_id=p["cat"], episode_id=e["cat"], owner_role="cc",
                                   title="Fewer trips to clinics", baseline=2)).id
    ann_goal = store.goals.get(g["ann"])
    store.goals.update(Goal(**{**ann_goal.__dict__, "status": "achieved"}))
    return Fixture(people=p, episodes=e, goals=g)
