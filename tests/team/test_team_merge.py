"""The merge rule, scenario by scenario, on simulated laptops (no server)."""

from __future__ import annotations

import itertools
import json

from arrs_desktop.team.entries import EntryKind
from arrs_desktop.team.merge import TeamState, conflicts_of, merge, possible_duplicates, tables_of
from tests.team.team_sim import (
    SCHEMA,
    Replica,
    episode_values,
    next_id,
    person_values,
    session_values,
)


def _team(n: int = 2) -> list[Replica]:
    return [Replica(f"laptop-{chr(97 + i)}") for i in range(n)]


def _share(*replicas: Replica) -> None:
    """Give every replica every entry any of them holds."""
    pool = {cid: e for r in replicas for cid, e in r.held.items()}
    for r in replicas:
        r.receive(e for cid, e in pool.items() if cid not in r.held)


def test_an_edit_made_after_seeing_the_last_one_replaces_it_without_a_conflict():
    a, b = _team()
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    b.now[0] += 5
    b.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0001"})
    _share(a, b)
    a.now[0] -= 60_000  # a's computer clock is a minute slow: it still comes after b's edit
    a.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0002"})
    _share(a, b)
    assert a.value("people", pid, "phone") == b.value("people", pid, "phone") == "0161 496 0002"
    assert conflicts_of(a.state, SCHEMA) == conflicts_of(b.state, SCHEMA) == []


def test_a_concurrent_edit_of_one_field_has_the_same_winner_everywhere_and_lists_the_loser():
    a, b, c = _team(3)
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b, c)
    a.now[0] += 10
    b.now[0] += 10  # the same millisecond: the device id decides
    mine = a.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0001"})
    theirs = b.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0002"})
    c.receive([theirs, mine])
    _share(a, b, c)
    assert {r.value("people", pid, "phone") for r in (a, b, c)} == {"0161 496 0002"}
    lists = [conflicts_of(r.state, SCHEMA) for r in (a, b, c)]
    assert lists[0] == lists[1] == lists[2]
    [conflict] = lists[0]
    assert (conflict.column, conflict.value, conflict.winner_value, conflict.change_id) == (
        "phone", "0161 496 0001", "0161 496 0002", mine.change_id)


def test_keeping_one_of_two_concurrent_values_clears_the_conflict_everywhere():
    a, b = _team()
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    a.make("people", pid, EntryKind.UPDATE, {"phone": "1"})
    b.make("people", pid, EntryKind.UPDATE, {"phone": "2"})
    _share(a, b)
    loser = conflicts_of(a.state, SCHEMA)[0].value
    a.make("people", pid, EntryKind.UPDATE, {"phone": loser}, resolve=True)  # "keep theirs"
    _share(a, b)
    assert a.value("people", pid, "phone") == b.value("people", pid, "phone") == loser
    assert conflicts_of(a.state, SCHEMA) == conflicts_of(b.state, SCHEMA) == []


def test_an_ordinary_edit_after_a_conflict_leaves_the_conflict_listed():
    a, b = _team()
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    a.make("people", pid, EntryKind.UPDATE, {"phone": "1"})
    b.make("people", pid, EntryKind.UPDATE, {"phone": "2"})
    _share(a, b)
    a.make("people", pid, EntryKind.UPDATE, {"phone": "3"})
    _share(a, b)
    assert [c.value for c in conflicts_of(b.state, SCHEMA)] == ["1"]


def test_edits_of_different_fields_both_stay():
    a, b = _team()
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    a.make("people", pid, EntryKind.UPDATE, {"phone": "1"})
    b.make("people", pid, EntryKind.UPDATE, {"what_matters": "my garden"})
    _share(a, b)
    row = tables_of(b.state, SCHEMA)["people"][pid]
    assert (row["phone"], row["what_matters"]) == ("1", "my garden")
    assert conflicts_of(a.state, SCHEMA) == []


def test_sessions_added_on_two_laptops_for_one_person_both_stay_without_conflict():
    a, b = _team()
    pid = next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    s1 = a.make("sessions", next_id(), EntryKind.INSERT, session_values(pid, "phoned"))
    s2 = b.make("sessions", next_id(), EntryKind.INSERT, session_values(pid, "visited"))
    _share(a, b)
    sessions = tables_of(a.state, SCHEMA)["sessions"]
    assert set(sessions) == {s1.row_id, s2.row_id}
    assert conflicts_of(a.state, SCHEMA) == []


def test_closing_an_episode_closed_elsewhere_is_a_conflict_not_an_overwrite():
    a, b = _team()
    pid, eid = next_id(), next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    a.make("episodes", eid, EntryKind.INSERT, episode_values(pid))
    a.make("episodes", eid, EntryKind.STATUS, {"status": "active",
                                               "first_contact_date": "2026-01-03"})
    _share(a, b)
    first = a.make("episodes", eid, EntryKind.STATUS, {
        "status": "closed", "closure_date": "2026-02-01", "closure_reason": "goals_met"})
    b.now[0] += 1
    second = b.make("episodes", eid, EntryKind.STATUS, {
        "status": "closed", "closure_date": "2026-02-02", "closure_reason": "moved_away"})
    _share(a, b)
    for r in (a, b):
        row = tables_of(r.state, SCHEMA)["episodes"][eid]
        assert (row["status"], row["closure_reason"]) == ("closed", "goals_met")
        [conflict] = conflicts_of(r.state, SCHEMA)
        assert (conflict.kind, conflict.change_id) == ("status", second.change_id)
        assert conflict.value["closure_reason"] == "moved_away"
    assert first.hlc < second.hlc


def test_two_moves_from_one_status_replay_in_clock_order_on_every_laptop():
    a, b = _team()
    pid, eid = next_id(), next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    a.make("episodes", eid, EntryKind.INSERT, episode_values(pid))
    _share(a, b)
    a.make("episodes", eid, EntryKind.STATUS, {"status": "active"})
    b.now[0] += 1
    b.make("episodes", eid, EntryKind.STATUS, {"status": "declined",
                                               "closure_date": "2026-01-05"})
    _share(a, b)
    assert a.status_of("episodes", eid) == b.status_of("episodes", eid) == "active"
    assert [c.value["status"] for c in conflicts_of(b.state, SCHEMA)] == ["declined"]


def test_the_same_person_added_on_two_laptops_is_listed_as_a_possible_duplicate():
    a, b = _team()
    p1, p2, p3 = next_id(), next_id(), next_id()
    a.make("people", p1, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    b.make("people", p2, EntryKind.INSERT, person_values("Ada King", nhs="9434765919"))
    b.make("people", p3, EntryKind.INSERT, person_values("Grace Hopper", dob="1906-12-09"))
    a.make("people", next_id(), EntryKind.INSERT, person_values("grace  HOPPER",
                                                                 dob="1906-12-09"))
    _share(a, b)
    for r in (a, b):
        people = sorted(tables_of(r.state, SCHEMA)["people"].items())
        found = possible_duplicates(people, r.state.distinct.values())
        assert sorted(d.reason for d in found) == ["name_and_date_of_birth", "nhs_number"]
        assert {tuple(sorted((d.first_id, d.second_id))) for d in found} >= {
            tuple(sorted((p1, p2)))}


def test_merging_two_records_keeps_every_episode_and_session_of_both():
    a, b = _team()
    p1, p2 = next_id(), next_id()
    a.make("people", p1, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    s1 = a.make("sessions", next_id(), EntryKind.INSERT, session_values(p1))
    b.make("people", p2, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    e2 = b.make("episodes", next_id(), EntryKind.INSERT, episode_values(p2, "cc"))
    _share(a, b)
    a.make("people", p1, EntryKind.MERGE, {"absorbed_id": p2})
    late = b.make("sessions", next_id(), EntryKind.INSERT, session_values(p2))  # not yet told
    _share(a, b)
    for r in (a, b):
        tables = tables_of(r.state, SCHEMA)
        assert tables["episodes"][e2.row_id]["person_id"] == p1
        assert {tables["sessions"][s]["person_id"] for s in (s1.row_id, late.row_id)} == {p1}
        assert tables["people"][p2]["deleted_at"] is not None
        assert tables["people"][p1]["deleted_at"] is None
        people = sorted(tables["people"].items())
        assert possible_duplicates(people, r.state.distinct.values()) == []


def test_records_judged_two_people_are_no_longer_listed():
    a, b = _team()
    p1, p2 = next_id(), next_id()
    a.make("people", p1, EntryKind.INSERT, person_values("Sam Smith", dob="1950-01-01"))
    b.make("people", p2, EntryKind.INSERT, person_values("Sam Smith", dob="1950-01-01"))
    _share(a, b)
    b.make("people", p2, EntryKind.DISTINCT, {"other_id": p1})
    _share(a, b)
    people = sorted(tables_of(a.state, SCHEMA)["people"].items())
    assert possible_duplicates(people, a.state.distinct.values()) == []


def test_merging_two_records_into_each_other_at_once_is_a_conflict_and_both_agree():
    a, b = _team()
    p1, p2 = next_id(), next_id()
    a.make("people", p1, EntryKind.INSERT, person_values("Ada Lovelace"))
    b.make("people", p2, EntryKind.INSERT, person_values("Ada Lovelace"))
    _share(a, b)
    a.make("people", p1, EntryKind.MERGE, {"absorbed_id": p2})
    b.make("people", p2, EntryKind.MERGE, {"absorbed_id": p1})
    _share(a, b)
    assert a.snapshot() == b.snapshot()
    kinds = [c.kind for c in conflicts_of(a.state, SCHEMA)]
    assert kinds == ["merge"]
    live = [p for p, v in tables_of(a.state, SCHEMA)["people"].items() if not v["deleted_at"]]
    assert len(live) == 1


def test_erasure_removes_the_person_everywhere_and_drops_later_changes():
    a, b = _team()
    pid, gid = next_id(), next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    a.make("goals", gid, EntryKind.INSERT, {"person_id": pid, "title": "Walk to the shop",
                                            "owner_role": "hwbc", "baseline": 3,
                                            "status": "active", "achieved_date": None})
    _share(a, b)
    offline = [b.make("people", pid, EntryKind.UPDATE, {"phone": "0161 496 0000"}),
               b.make("goal_progress", next_id(), EntryKind.INSERT,
                      {"goal_id": gid, "date": "2026-01-09", "score": 5, "note": "better"}),
               b.make("sessions", next_id(), EntryKind.INSERT, session_values(pid))]
    a.make("people", pid, EntryKind.ERASE)
    _share(a, b)
    for r in (a, b):
        assert a.snapshot() == b.snapshot()
        text = json.dumps(tables_of(r.state, SCHEMA)) + repr(r.state.rows)
        assert "Lovelace" not in text and "9434765919" not in text and "better" not in text
        assert ("people", pid) in r.state.tombstones
        assert all(("sessions", e.row_id) in r.state.tombstones for e in offline[2:])
        assert conflicts_of(r.state, SCHEMA) == []
    # Arriving again later, in any order, changes nothing.
    again = merge(a.state, reversed(list(b.held.values())), SCHEMA)
    assert tables_of(again, SCHEMA) == tables_of(a.state, SCHEMA)


def test_erasing_one_record_of_a_merged_person_erases_the_other_too():
    a, b = _team()
    p1, p2 = next_id(), next_id()
    a.make("people", p1, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    b.make("people", p2, EntryKind.INSERT, person_values("Ada Lovelace", nhs="9434765919"))
    b.make("sessions", next_id(), EntryKind.INSERT, session_values(p2))
    _share(a, b)
    a.make("people", p1, EntryKind.MERGE, {"absorbed_id": p2})
    b.make("people", p1, EntryKind.ERASE)
    _share(a, b)
    assert a.snapshot() == b.snapshot()
    assert "people" not in tables_of(a.state, SCHEMA)
    assert "sessions" not in tables_of(a.state, SCHEMA)


def test_every_order_of_the_same_entries_gives_the_same_caseload():
    a, b, c = _team(3)
    pid, eid = next_id(), next_id()
    a.make("people", pid, EntryKind.INSERT, person_values("Ada Lovelace"))
    a.make("episodes", eid, EntryKind.INSERT, episode_values(pid))
    _share(a, b, c)
    a.make("people", pid, EntryKind.UPDATE, {"phone": "1"})
    b.make("people", pid, EntryKind.UPDATE, {"phone": "2"})
    c.make("episodes", eid, EntryKind.STATUS, {"status": "active"})
    b.make("episodes", eid, EntryKind.STATUS, {"status": "declined"})
    entries = list({e.change_id: e for r in (a, b, c) for e in r.held.values()}.values())
    results = set()
    for order in itertools.permutations(entries):
        state = merge(TeamState(), order, SCHEMA)
        results.add(json.dumps(tables_of(state, SCHEMA), sort_keys=True)
                    + repr(conflicts_of(state, SCHEMA)))
    assert len(results) == 1
