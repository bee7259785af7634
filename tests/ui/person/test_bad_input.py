"""Bad input is refused with a message naming the field, and changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Episode,
    Goal,
    Ons4,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.store import ValidationError

TOMORROW = date.today() + timedelta(days=1)


@pytest.fixture
def ids(store):
    home = store.care_homes.add(CareHome(name="Oak Lodge"))
    person = store.people.add(Person(name="Pat Example", care_home_id=home.id))
    goal = store.goals.add(Goal(person_id=person.id, title="Garden", owner_role="hwbc",
                               baseline=2))
    return {"person": person.id, "home": home.id, "goal": goal.id}


def session(pid, **kw):
    base = dict(person_id=pid, date=date(2026, 1, 5), role="hwbc", kind="review",
                mode="telephone", minutes=20)
    return Session(**{**base, **kw})


CASES = [
    ("name", lambda s, i: s.people.add(Person(name="x" * 121))),
    ("name", lambda s, i: s.people.add(Person(name="Ann\x00Smith"))),
    ("name", lambda s, i: s.people.add(Person(name="   "))),
    ("what_matters", lambda s, i: s.people.add(Person(name="A", what_matters="y" * 4001))),
    ("date_of_birth", lambda s, i: s.people.add(Person(name="A", date_of_birth="2026-02-30"))),
    ("date_of_birth", lambda s, i: s.people.add(Person(name="A", date_of_birth=TOMORROW))),
    ("date_of_birth", lambda s, i: s.people.add(Person(name="A",
                                                        date_of_birth=date(1899, 12, 31)))),
    ("nhs_number", lambda s, i: s.people.add(Person(name="A", nhs_number="943 476 5918"))),
    ("nhs_number", lambda s, i: s.people.add(Person(name="A", nhs_number="94347659"))),
    ("nhs_number", lambda s, i: s.people.add(Person(name="A", nhs_number="94347659l9"))),
    ("postcode", lambda s, i: s.people.add(Person(name="A", postcode="NOT A CODE"))),
    ("gender", lambda s, i: s.people.add(Person(name="A", gender="unknown-code"))),
    ("care_home_id", lambda s, i: s.people.add(Person(name="A", care_home_id="nope"))),
    ("baseline", lambda s, i: s.goals.add(Goal(person_id=i["person"], title="t",
                                              owner_role="splw", baseline=11))),
    ("owner_role", lambda s, i: s.goals.add(Goal(person_id=i["person"], title="t",
                                                owner_role="gp", baseline=1))),
    ("ons4_happy", lambda s, i: s.sessions.log(SessionEntry(session(i["person"]),
                                                           ons4=Ons4(1, 2, -1, 3)))),
    ("swemwbs_raw", lambda s, i: s.sessions.log(SessionEntry(session(i["person"]),
                                                            swemwbs_raw=36))),
    ("minutes", lambda s, i: s.sessions.log(SessionEntry(session(i["person"], minutes=2.5)))),
    ("date", lambda s, i: s.sessions.log(SessionEntry(session(i["person"], date=TOMORROW)))),
    ("kind", lambda s, i: s.sessions.log(SessionEntry(session(i["person"], kind="chat")))),
    ("goal_scores", lambda s, i: s.sessions.log(SessionEntry(session(i["person"]),
                                                            goal_scores=((i["goal"], 5),)))),
    ("asset_referrals", lambda s, i: s.sessions.log(SessionEntry(session(i["person"]),
                                                                asset_referrals="abc"))),
    ("referral_source", lambda s, i: s.episodes.open(Episode(
        person_id=i["person"], role="cc", referral_date=date(2026, 1, 1),
        referral_source="friend"))),
    ("share_with_gp", lambda s, i: s.episodes.open(Episode(
        person_id=i["person"], role="cc", referral_date=date(2026, 1, 1),
        referral_source="gp", share_with_gp="no"))),
    ("kind", lambda s, i: s.care_homes.log_contact(CareHomeContact(
        care_home_id=i["home"], date=date(2026, 1, 1), kind="party"))),
    ("residents", lambda s, i: s.care_homes.log_contact(CareHomeContact(
        care_home_id=i["home"], date=date(2026, 1, 1), kind="visit", residents=i["person"]))),
    ("category", lambda s, i: s.community.add_asset(CommunityAsset(name="Club", category="misc"))),
    ("active", lambda s, i: s.community.add_asset(CommunityAsset(name="Club", category="advice",
                                                       active="maybe"))),
    ("needs", lambda s, i: s.needs.set(i["person"], ["not_a_need"])),
    ("person_id", lambda s, i: s.people.delete("no-such-person")),
]


@pytest.mark.parametrize(("field", "write"), CASES,
                         ids=[f"{n}-{f}" for n, (f, _) in enumerate(CASES)])
def test_bad_input_names_the_field_and_changes_nothing(store, ids, field, write):
    before = store.audit.count(), store.table_counts()
    with pytest.raises(ValidationError) as info:
        write(store, ids)
    assert field in info.value.errors, info.value.errors
    assert info.value.errors[field]
    assert (store.audit.count(), store.table_counts()) == before


def test_messages_are_plain(store):
    with pytest.raises(ValidationError) as info:
        store.people.add(Person(name="x" * 130))
    assert "too long" in str(info.value) and "120" in str(info.value)
