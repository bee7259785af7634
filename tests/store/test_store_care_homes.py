"""The care homes list query, community search and referral listings, on hand-built data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrs_desktop.domain.models import (
    AssetReferral,
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Person,
)

TODAY = date(2026, 11, 20)


def _home(store, name, lead="Sam Patel"):
    return store.care_homes.add(CareHome(name=name, lead_worker=lead, practice="Castle Surgery",
                                        clinical_lead="Dr Ahmed"))


def _contact(store, home, day, next_due=None):
    return store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=day, kind="weekly_check_in", next_due=next_due))


@pytest.fixture
def homes(store):
    """Four homes: never contacted, overdue, due later, due soon."""
    never = _home(store, "Ash House")
    overdue = _home(store, "Birch Court", lead="Alex Jones")
    later = _home(store, "Cedar Lodge")
    soon = _home(store, "Daisy Bank", lead="Alex Jones")
    _contact(store, overdue, TODAY - timedelta(days=10), TODAY - timedelta(days=3))
    _contact(store, later, TODAY - timedelta(days=1), TODAY + timedelta(days=6))
    _contact(store, soon, TODAY - timedelta(days=5), TODAY + timedelta(days=2))
    return {"never": never, "overdue": overdue, "later": later, "soon": soon}


def test_overview_puts_overdue_first_then_orders_by_next_due(store, homes):
    rows = store.care_homes.overview(today=TODAY)
    assert [r.name for r in rows] == ["Ash House", "Birch Court", "Daisy Bank", "Cedar Lodge"]
    assert [r.overdue for r in rows] == [True, True, False, False]


def test_overview_marks_never_contacted_home_overdue_with_no_dates(store, homes):
    row = next(r for r in store.care_homes.overview(today=TODAY) if r.name == "Ash House")
    assert row.overdue and row.last_contact is None and row.next_due is None


def test_overview_is_not_overdue_on_the_due_day(store, homes):
    rows = {r.name: r for r in store.care_homes.overview(today=TODAY - timedelta(days=3))}
    assert not rows["Birch Court"].overdue
    assert rows["Birch Court"].due_soon(TODAY - timedelta(days=3))


def test_overview_uses_the_latest_contact(store, homes):
    _contact(store, homes["overdue"], TODAY, TODAY + timedelta(days=7))
    row = next(r for r in store.care_homes.overview(today=TODAY) if r.name == "Birch Court")
    assert (row.last_contact, row.next_due, row.overdue) == (
        TODAY, TODAY + timedelta(days=7), False)


def test_overview_defaults_next_due_to_a_week_after_a_contact_without_one(store):
    home = _home(store, "Elm Tree")
    _contact(store, home, TODAY - timedelta(days=8))
    (row,) = store.care_homes.overview(today=TODAY)
    assert row.next_due == TODAY - timedelta(days=1) and row.overdue


def test_overview_puts_a_workers_own_homes_first(store, homes):
    rows = store.care_homes.overview(today=TODAY, lead_worker="  alex JONES ")
    assert [r.name for r in rows] == ["Birch Court", "Daisy Bank", "Ash House", "Cedar Lodge"]
    assert [r.own for r in rows] == [True, True, False, False]


def test_overview_due_soon_only_within_two_days(store, homes):
    rows = {r.name: r for r in store.care_homes.overview(today=TODAY)}
    assert rows["Daisy Bank"].due_soon(TODAY)
    assert not rows["Cedar Lodge"].due_soon(TODAY)
    assert not rows["Birch Court"].due_soon(TODAY)  # overdue is not "due soon"


def test_overview_counts_residents_on_the_caseload(store, homes):
    for name in ("Ann Lee", "Bob Ray"):
        store.people.add(Person(name=name, care_home_id=homes["later"].id))
    store.people.add(Person(name="Cy Day"))
    rows = {r.name: r for r in store.care_homes.overview(today=TODAY)}
    assert rows["Cedar Lodge"].residents == 2
    assert rows["Ash House"].residents == 0


@pytest.mark.parametrize("text", ["cafe", "CAFÉ", "Café", "repair", "  CAF  "])
def test_asset_search_ignores_case_and_accents(store, text):
    store.community.add_asset(CommunityAsset(name="Repair Café", category="volunteering"))
    store.community.add_asset(CommunityAsset(name="Walking Football", category="sport_activity"))
    assert [a.name for a in store.community.search(text)] == ["Repair Café"]


def test_asset_search_looks_in_notes_and_address_and_filters(store):
    store.community.add_asset(CommunityAsset(name="Choir", category="arts_culture",
                                   address="Brookfield Hall", notes="Tuesdays"))
    store.community.add_asset(CommunityAsset(name="Old Choir", category="arts_culture",
                                             active=False))
    assert [a.name for a in store.community.search("brookfield")] == ["Choir"]
    assert [a.name for a in store.community.search("tuesday")] == ["Choir"]
    assert [a.name for a in store.community.search("choir")] == ["Choir"]
    assert [a.name for a in store.community.search("choir", active_only=False)] == [
        "Choir", "Old Choir"]
    assert store.community.search("choir", category="befriending") == []
    assert [a.name for a in store.community.search("100%")] == []


def test_referral_rows_name_the_asset_and_the_person(store):
    person = store.people.add(Person(name="Ann Lee"))
    asset = store.community.add_asset(CommunityAsset(name="Men's Shed", category="befriending"))
    ref = store.community.refer(AssetReferral(person_id=person.id, asset_id=asset.id,
                                             referred_on=TODAY))
    store.community.set_outcome(ref.id, "attended", on=TODAY)
    (by_person,) = store.community.referral_rows_for_person(person.id)
    (by_asset,) = store.community.referral_rows_for_asset(asset.id)
    assert by_person == by_asset
    assert (by_person.asset_name, by_person.person_name, by_person.category,
            by_person.outcome) == ("Men's Shed", "Ann Lee", "befriending", "attended")
