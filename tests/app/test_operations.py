"""Operations: each writes through the store and says what it changed."""

from __future__ import annotations

from datetime import date

import pytest

from arrs_desktop.app.operations import episodes as episode_ops
from arrs_desktop.app.operations import needs as need_ops
from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.app.operations import sessions as session_ops
from arrs_desktop.app.operations.episodes import Allocation
from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Person, Session, SessionEntry
from arrs_desktop.domain.validation import ValidationError

RULES = load_rules(None).rules


@pytest.fixture
def ann(store):
    return store.people.add(Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))


def test_ticking_a_need_returns_the_needs_and_says_only_needs_changed(store, ann):
    done = need_ops.tick_need(store, ann.id, "loneliness", True)
    assert done.value == frozenset({"loneliness"})
    assert done.changes.person_id == ann.id and done.changes.needs and done.changes.audit
    assert not (done.changes.caseload or done.changes.person or done.changes.episodes)


def test_allocation_takes_the_suggestion_from_the_stored_needs(store, ann):
    store.needs.set(ann.id, {"copd", "type2_diabetes"})
    done = episode_ops.allocate(store, RULES, Allocation(
        person_id=ann.id, role="cc", referral_date=date.today(), referral_source="gp",
        share_with_gp=True))
    episode = done.value
    assert (episode.suggested_role, episode.followed_suggestion) == ("hwbc", False)
    assert episode.suggestion["lead"] == "hwbc"
    assert done.changes.episodes and done.changes.caseload


def test_allocation_without_a_consent_answer_is_refused_and_saves_nothing(store, ann):
    with pytest.raises(ValidationError) as refused:
        episode_ops.allocate(store, RULES, Allocation(
            person_id=ann.id, role="cc", referral_date=date.today(), referral_source="gp"))
    assert "share_with_gp" in refused.value.errors
    assert store.episodes.for_person(ann.id) == []


def test_a_first_contact_move_names_the_gp_code_it_made_due(store, ann):
    episode = episode_ops.allocate(store, RULES, Allocation(
        person_id=ann.id, role="splw", referral_date=date.today(), referral_source="gp",
        share_with_gp=True)).value
    moved = episode_ops.move_episode(store, episode.id, "active")
    assert moved.value.episode.status == "active"
    assert [c.code for c in moved.value.new_codes] == ["871731000000106"]
    assert moved.changes.episodes and moved.changes.caseload


def test_a_session_says_what_it_touched(store, ann):
    done = session_ops.log_session(store, SessionEntry(session=Session(
        person_id=ann.id, date=date.today(), role="splw", kind="assessment",
        mode="face_to_face", minutes=30)))
    assert done.changes.sessions and done.changes.caseload and not done.changes.goals


def test_erasing_a_person_changes_everything_about_them(store, ann):
    done = people_ops.erase_person(store, ann.id, "Asked to be forgotten")
    assert done.changes.people and done.changes.needs and done.changes.person_id == ann.id
    assert store.people.get(ann.id) is None
