"""Change log entries: what they hold, their JSON form, and what is refused."""

from __future__ import annotations

import json
import uuid

import pytest

from arrs_desktop.team.entries import ChangeEntry, EntryFormatError, EntryKind, new_entry
from arrs_desktop.team.hlc import HLC, HybridClock
from arrs_desktop.team.tables import CASELOAD_SCHEMA, caseload_transition


def next_id() -> str:
    return str(uuid.uuid4())


def test_a_new_entry_has_a_fresh_uuid_and_the_clock_s_next_time():
    clock = HybridClock("laptop-a", now_ms=lambda: 1_000)
    first = new_entry(clock, "Ann", "people", "p1", EntryKind.INSERT, {"name": "Ada"})
    second = new_entry(clock, "Ann", "people", "p1", EntryKind.UPDATE, {"phone": "1"},
                       {"phone": (first.change_id,)})
    assert uuid.UUID(first.change_id).version == 4
    assert first.hlc < second.hlc and first.change_id != second.change_id
    assert second.seen == {"phone": (first.change_id,)}


def test_an_entry_reads_back_from_its_text():
    entry = ChangeEntry(next_id(), HLC(1, 2, "laptop-a"), "Ann", "people", "p1",
                        EntryKind.UPDATE, {"phone": "0161 496 0000"}, {"phone": (next_id(),)})
    assert ChangeEntry.from_text(entry.to_text()) == entry
    assert entry.device_id == "laptop-a"


@pytest.mark.parametrize("text", [
    "[]", "{}", '{"id": "x", "hlc": "000000000000001-000000-d", "table": "t", "row": "r",'
    ' "kind": "update", "author": ""}',
    json.dumps({"id": "00000000-0000-0000-0000-000000000001", "hlc": "nope", "table": "t",
                "row": "r", "kind": "update", "author": ""}),
    json.dumps({"id": "00000000-0000-0000-0000-000000000001",
                "hlc": "000000000000001-000000-d", "table": "t", "row": "r", "kind": "jump",
                "author": ""}),
    json.dumps({"v": 99, "id": "00000000-0000-0000-0000-000000000001",
                "hlc": "000000000000001-000000-d", "table": "t", "row": "r", "kind": "insert",
                "author": ""}),
])
def test_text_that_is_not_an_entry_is_refused(text):
    with pytest.raises(EntryFormatError):
        ChangeEntry.from_text(text)




@pytest.mark.parametrize(("kind", "values", "seen"), [
    (EntryKind.MERGE, {}, {}),
    (EntryKind.DISTINCT, {"other_id": 3}, {}),
    (EntryKind.INSERT, {"name": "Ada"}, {"name": ("x",)}),
    (EntryKind.UPDATE, {"name": "Ada"}, {"phone": ("x",)}),
])
def test_an_entry_that_breaks_the_format_s_rules_is_refused(kind, values, seen):
    clock = HybridClock("laptop-a")
    with pytest.raises(EntryFormatError):
        new_entry(clock, "Ann", "people", "p1", kind, values, seen)


def test_a_purged_entry_keeps_only_what_names_the_change():
    entry = ChangeEntry(next_id(), HLC(1, 0, "d"), "Ann", "people", "p1", EntryKind.INSERT,
                        {"name": "Ada Lovelace"})
    purged = entry.without_values()
    assert "Lovelace" not in purged.to_text()
    assert (purged.change_id, purged.hlc, purged.purged) == (entry.change_id, entry.hlc, True)
    assert ChangeEntry.from_text(purged.to_text()) == purged


@pytest.mark.parametrize(("table", "current", "new", "allowed"), [
    ("episodes", "referred", "active", True),
    ("episodes", "active", "declined", False),
    ("episodes", "closed", "closed", False),
    ("episodes", "on_hold", "active", True),
    ("goals", "active", "achieved", True),
    ("goals", "achieved", "achieved", False),
])
def test_status_moves_follow_the_caseload_s_own_transitions(table, current, new, allowed):
    assert caseload_transition(table, current, new) is allowed


def test_every_caseload_table_but_the_meta_table_syncs():
    assert set(CASELOAD_SCHEMA.tables) >= {
        "people", "needs", "episodes", "goals", "sessions", "goal_progress",
        "outcome_measures", "care_homes", "care_home_contacts", "care_home_contact_residents",
        "community_assets", "asset_referrals", "gp_codes"}
    people = CASELOAD_SCHEMA.spec("people")
    assert not people.synced("lead_role") and not people.synced("updated_at")
    assert people.synced("name")
    residents = CASELOAD_SCHEMA.spec("care_home_contact_residents")
    assert residents.key_values(residents.row_id_of({"contact_id": "c", "person_id": "p"})) == (
        "c", "p")
    assert json.loads(json.dumps(sorted(CASELOAD_SCHEMA.tables)))
