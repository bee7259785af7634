"""The audit trail is append-only; soft delete and restore are audited; erase is real."""

from __future__ import annotations

import sqlite3
from datetime import date

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

SECRET_NAME = "Zebediah Uniquename"
SECRET_NHS = "9990000018"


def full_person(store, name=SECRET_NAME, nhs=SECRET_NHS):
    """Add a person with rows in every table that can hold them; return the person."""
    home = store.care_homes.add(CareHome(name="Beech House"))
    asset = store.community.add_asset(CommunityAsset(name="Choir", category="arts_culture"))
    person = store.people.add(Person(name=name, nhs_number=nhs, date_of_birth=date(1940, 2, 3),
                                     care_home_id=home.id, what_matters="my garden"))
    store.needs.set(person.id, ["loneliness", "frail_elderly"])
    episode = store.episodes.open(Episode(person_id=person.id, role="cc",
                                         referral_date=date(2026, 1, 2), referral_source="gp"))
    goal = store.goals.add(Goal(person_id=person.id, title="Sing again", owner_role="cc",
                               baseline=1, episode_id=episode.id, set_date=date(2026, 1, 5)))
    store.sessions.log(SessionEntry(
        session=Session(person_id=person.id, date=date(2026, 1, 9), role="cc",
                        kind="assessment", mode="home_visit", minutes=45,
                        notes=f"{name} talked about the choir", episode_id=episode.id),
        ons4=Ons4(5, 5, 5, 5), goal_scores=((goal.id, 2, "first try"),),
        asset_referrals=(asset.id,)))
    store.care_homes.log_contact(CareHomeContact(care_home_id=home.id, date=date(2026, 1, 10),
                                                kind="visit", residents=(person.id,)))
    return person


def test_audit_log_refuses_update_and_delete(store):
    store.people.add(Person(name="Someone"))
    conn = store.db.conn
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET who = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
    assert store.audit.count() > 0


def test_every_write_is_audited_with_who_when_device(store):
    person = store.people.add(Person(name="Audited Person"))
    lines = store.audit.for_person(person.id)
    assert [e.action for e in lines] == ["create"]
    entry = lines[0]
    assert (entry.who, entry.device_id, entry.table_name) == ("Test Worker", "test-device",
                                                              "people")
    assert entry.after["name"] == "Audited Person" and entry.before is None
    store.people.update(Person(**{**person.__dict__, "name": "Renamed Person"}))
    update = store.audit.for_person(person.id)[0]
    assert update.action == "update"
    assert update.before == {"name": "Renamed Person".replace("Renamed", "Audited"),
                             "search_name": "audited person"}
    assert update.after["name"] == "Renamed Person"


def test_soft_delete_and_restore_are_audited(store):
    person = store.people.add(Person(name="Soft Deleted"))
    store.people.delete(person.id)
    assert store.people.get(person.id).deleted_at is not None
    assert store.people.count() == 0
    store.people.restore(person.id)
    assert store.people.get(person.id).deleted_at is None
    actions = [e.action for e in store.audit.for_person(person.id)]
    assert actions[:2] == ["restore", "delete"]


def test_erase_removes_every_row_in_one_go_and_is_audited(store):
    keep = full_person(store, name="Other Person", nhs=None)
    person = full_person(store)
    counts = store.erasure.erase(person.id, "Asked to be forgotten (letter 12 Jan)")
    assert counts["people"] == 1 and counts["sessions"] == 1 and counts["goal_progress"] == 1
    assert counts["care_home_contact_residents"] == 1 and counts["needs"] == 2
    conn = store.db.conn
    for table in ("people", "needs", "episodes", "goals", "sessions", "outcome_measures",
                  "asset_referrals", "care_home_contact_residents"):
        column = "id" if table == "people" else "person_id"
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?",
                            [person.id]).fetchone()[0] == 0, table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # the other person is untouched
    assert store.people.get(keep.id) is not None and len(store.sessions.for_person(keep.id)) == 1
    # the erase itself is on the audit trail: who, when, why, how many rows
    erase = store.audit.for_person(person.id)[0]
    assert erase.action == "erase" and erase.who == "Test Worker" and erase.at
    assert erase.after["reason"] == "Asked to be forgotten (letter 12 Jan)"
    assert erase.after["rows_removed"]["sessions"] == 1
    # earlier lines keep who/when/what, but none of the person's details
    older = store.audit.for_person(person.id)[1:]
    assert older and all(e.action != "erase" for e in older)
    dump = "\n".join(str(r) for r in conn.execute("SELECT * FROM audit_log"))
    assert SECRET_NAME not in dump and SECRET_NHS not in dump
    assert "Other Person" in dump
    # and the audit log is append-only again afterwards
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET who = 'x'")


def test_erase_leaves_no_trace_in_the_file_bytes(store):
    person = full_person(store)
    store.erasure.erase(person.id, "Test of erase")
    store.close()
    raw = store.path.read_bytes()
    wal = store.path.with_name(store.path.name + "-wal")
    if wal.exists():
        raw += wal.read_bytes()
    assert SECRET_NAME.encode() not in raw
    assert SECRET_NHS.encode() not in raw


def test_erase_needs_a_reason_and_a_real_person(store):
    person = store.people.add(Person(name="Stays"))
    before = store.audit.count()
    with pytest.raises(ValidationError) as info:
        store.erasure.erase(person.id, "   ")
    assert info.value.field == "reason"
    with pytest.raises(ValidationError) as info:
        store.erasure.erase("no-such-person", "a reason")
    assert info.value.field == "person_id"
    with pytest.raises(ValidationError):
        store.erasure.erase(12345, "a reason")
    assert store.people.get(person.id) is not None and store.audit.count() == before


def test_lock_events_are_recorded(store):
    before = store.audit.count()
    store.audit.record_event("lock", {"reason": "idle"})
    store.audit.record_event("unlock", {})
    assert store.audit.count() == before + 2
