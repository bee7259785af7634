"""Triage in the store: who is waiting, the ranking by the role match, paging."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrs_desktop.domain.catalogue import NEED_IDS, ROLE_CODES
from arrs_desktop.domain.matching import load_rules, match_roles
from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.domain.triage import RECENTLY_SEEN_DAYS
from arrs_desktop.store import open_store

RULES = load_rules(None).rules


def add(store, name, needs, episode_role=None, status="referred", *, on=None, reason=None,
        referred=None):
    person = store.people.add(Person(name=name))
    if needs:
        store.needs.set(person.id, needs)
    if episode_role:
        ep = store.episodes.open(Episode(person_id=person.id, role=episode_role,
                                        referral_date=referred or on or date.today(),
                                        referral_source="gp"))
        if status != "referred":
            store.episodes.change_status(ep.id, status, on=on, closure_reason=reason)
    return person


def test_only_people_with_needs_and_no_open_episode(store):
    waiting = add(store, "Amy Waiting", {"loneliness"})
    add(store, "Ben NoNeeds", set())
    add(store, "Cal Open", {"copd"}, episode_role="hwbc")
    declined = add(store, "Dan Declined", {"copd"}, episode_role="splw", status="declined")
    rows = store.triage.page(rules=RULES)
    assert {r.id for r in rows} == {waiting.id}  # declined today: seen recently
    assert store.triage.count(RULES) == 1
    rows = store.triage.page(rules=RULES, include_recent=True)
    assert {r.id for r in rows} == {waiting.id, declined.id}
    assert store.triage.count(RULES, include_recent=True) == 2


def test_people_who_died_or_moved_away_are_never_listed(store):
    long_ago = date.today() - timedelta(days=400)
    # A care-coordinator referral was open when the death was recorded against the coach's
    # episode; it closes with it.
    died = add(store, "Di Died", {"copd"}, "cc", "referred", referred=long_ago)
    coach = store.episodes.open(Episode(person_id=died.id, role="hwbc", referral_date=long_ago,
                                       referral_source="gp"))
    store.episodes.change_status(coach.id, "closed", on=long_ago, closure_reason="died")
    moved = add(store, "Mo Moved", {"copd"}, "hwbc", "closed", on=long_ago,
                reason="moved_away")
    # moved away once, then came back and was seen again: listed as usual
    back = add(store, "Bo Back", {"copd"}, "hwbc", "closed", on=long_ago - timedelta(days=30),
               reason="moved_away")
    ep = store.episodes.open(Episode(person_id=back.id, role="splw", referral_date=long_ago,
                                    referral_source="gp"))
    store.episodes.change_status(ep.id, "closed", on=long_ago, closure_reason="goals_met")
    assert {(e.status, e.closure_reason) for e in store.episodes.for_person(died.id)} == {
        ("closed", "died")}
    for include in (False, True):
        ids = {r.id for r in store.triage.ranking(RULES)} | {
            r.id for r in store.triage.page(rules=RULES, include_recent=include)}
        assert died.id not in ids and moved.id not in ids
        assert back.id in ids
    assert store.triage.anyone_has_needs()  # they still have needs recorded


def test_seen_recently_is_hidden_by_default_and_last_episode_is_given(store):
    today = date.today()
    never = add(store, "Nia Never", {"loneliness"})
    recent = add(store, "Rae Recent", {"loneliness"}, "splw", "closed",
                 on=today - timedelta(days=RECENTLY_SEEN_DAYS - 1), reason="goals_met",
                 referred=today - timedelta(days=200))
    edge = add(store, "Eve Edge", {"loneliness"}, "splw", "declined",
               on=today - timedelta(days=RECENTLY_SEEN_DAYS))
    old = add(store, "Ola Old", {"loneliness"}, "cc", "closed",
              on=today - timedelta(days=RECENTLY_SEEN_DAYS + 1), reason="referred_on",
              referred=today - timedelta(days=300))
    ranking = {r.id: r for r in store.triage.ranking(RULES)}
    assert {i for i, r in ranking.items() if r.recent} == {recent.id, edge.id}
    shown = {r.id: r for r in store.triage.page(rules=RULES)}
    assert set(shown) == {never.id, old.id}
    assert (shown[old.id].last_status, shown[old.id].last_date, shown[old.id].last_reason) == (
        "closed", today - timedelta(days=RECENTLY_SEEN_DAYS + 1), "referred_on")
    assert shown[never.id].last_status is None
    rows = {r.id: r for r in store.triage.page(rules=RULES, include_recent=True)}
    assert set(rows) == {never.id, recent.id, edge.id, old.id}
    assert (rows[edge.id].last_status, rows[edge.id].last_reason) == ("declined", None)
    assert store.triage.count(RULES, include_recent=True) == 4


def test_anyone_has_needs(store):
    assert not store.triage.anyone_has_needs()
    person = add(store, "Amy", set())
    assert not store.triage.anyone_has_needs()
    store.needs.set(person.id, {"copd"})
    assert store.triage.anyone_has_needs()


def test_ranked_by_lead_score_then_number_of_needs(store):
    weak = add(store, "Weak Match", {"ltc_risk"})
    strong = add(store, "Strong Match", {"care_home", "frail_elderly", "many_appointments"})
    mid = add(store, "Mid Match", {"loneliness", "community_interest"})
    rows = store.triage.page(rules=RULES)
    scores = [r.lead_score for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0].id == strong.id and rows[-1].id == weak.id
    assert {r.id for r in rows} == {weak.id, strong.id, mid.id}
    for r in rows:
        expected = match_roles(r.needs, RULES)
        assert r.lead_role == expected.lead
        assert r.lead_score == expected.for_role(expected.lead).score


def test_filter_by_suggested_role_and_paging(store):
    for i in range(7):
        add(store, f"Link {i}", {"loneliness", "community_interest"})
        add(store, f"Coord {i}", {"care_home"})
    assert store.triage.count(RULES, "splw") == 7
    rows = store.triage.page(rules=RULES, role="cc")
    assert len(rows) == 7 and {r.lead_role for r in rows} == {"cc"}
    first = store.triage.page(0, 5, rules=RULES)
    rest = store.triage.page(5, 50, rules=RULES)
    assert len(first) == 5 and len(rest) == 9
    assert not {r.id for r in first} & {r.id for r in rest}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sets(st.sampled_from(NEED_IDS), min_size=1, max_size=8), min_size=1,
                max_size=6))
def test_store_ranking_agrees_with_the_engine(tmp_path_factory, need_sets):
    path = tmp_path_factory.mktemp("triage") / "t.db"
    store = open_store(path, user="t", device_id="t")
    try:
        for i, needs in enumerate(need_sets):
            add(store, f"Person {i}", needs)
        rows = store.triage.page(rules=RULES)
        assert len(rows) == len(need_sets)
        keys = []
        for r in rows:
            result = match_roles(r.needs, RULES)
            assert r.lead_role == result.lead
            assert r.lead_score == result.for_role(result.lead).score
            keys.append((-r.lead_score, -len(r.needs)))
        assert keys == sorted(keys)
        for role in ROLE_CODES:
            assert all(r.lead_role == role
                       for r in store.triage.page(rules=RULES, role=role))
    finally:
        store.close()


def test_triage_scores_exactly_as_the_role_match_does(store):
    """One scoring rule: triage's lead and score are the role match's for the same needs,
    even where adding the weights one by one would round to another score."""
    from dataclasses import replace

    from arrs_desktop.domain.matching import Evidence

    needs = NEED_IDS[:4]
    weights = (2.727, 1.717, 2.647, 2.544)  # summed by SQLite, in any order: 9.64, not 9.63
    evidence = dict(RULES.evidence)
    for need, weight in zip(needs, weights, strict=True):
        evidence[need] = (Evidence("cc", weight, "test weight"),)
    rules = replace(RULES, evidence=evidence)
    add(store, "Wendy Weights", set(needs))
    (rank,) = store.triage.ranking(rules)
    match = match_roles(needs, rules)
    assert (rank.lead_role, rank.lead_score) == (match.lead, match.for_role(match.lead).score)
    assert rank.lead_score == 9.63
