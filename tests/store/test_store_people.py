"""People: round trips, validation at the store, duplicate guard, caseload query."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrs_desktop.domain.models import CaseloadFilter, Person
from arrs_desktop.domain.validation import (
    clean_nhs_number,
    format_nhs_number,
    nhs_check_digit,
    nhs_check_digit_ok,
)
from arrs_desktop.store import DuplicatePersonError, ValidationError, open_store
from tests.db_helpers import sql_row


def _dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            (t, sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr))
            for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
    finally:
        conn.close()


def test_person_round_trip_on_a_real_file(db_path):
    s = open_store(db_path, user="Ann", device_id="laptop-1")
    saved = s.people.add(Person(name="  Zoë Ålvarez ", date_of_birth=date(1950, 2, 3),
                                nhs_number="943-476-5919", postcode="ls1 4ap",
                                phone="0113 496 0000"))
    s.close()
    again = open_store(db_path).people.get(saved.id)
    assert again.name == "Zoë Ålvarez"
    assert again.nhs_number == "9434765919"
    assert format_nhs_number(again.nhs_number) == "943 476 5919"
    assert again.postcode == "LS1 4AP"
    assert again.date_of_birth == date(1950, 2, 3)
    assert len(again.id) == 36


def test_rows_carry_times_and_device(store):
    p = store.people.add(Person(name="Ann Example"))
    row = sql_row(store, "SELECT created_at, updated_at, device_id FROM people WHERE id = ?",
                  [p.id])
    assert row["created_at"] and row["updated_at"] and row["device_id"] == "test-device"


@pytest.mark.parametrize(
    ("person", "field"),
    [
        (Person(name=""), "name"),
        (Person(name="   "), "name"),
        (Person(name="A", nhs_number="9434765918"), "nhs_number"),
        (Person(name="A", nhs_number="94347659"), "nhs_number"),
        (Person(name="A", nhs_number="94347659ab"), "nhs_number"),
        (Person(name="A", date_of_birth=date.today() + timedelta(days=1)), "date_of_birth"),
        (Person(name="A", date_of_birth=date(1899, 12, 31)), "date_of_birth"),
        (Person(name="A", postcode="NOT A CODE"), "postcode"),
        (Person(name="A\x00B"), "name"),
        (Person(name="A" * 500), "name"),
        (Person(name="A", gender="dragon"), "gender"),
    ],
)
def test_bad_person_is_refused_naming_the_field_and_changes_nothing(store, db_path, person,
                                                                   field):
    store.people.add(Person(name="Existing Person"))
    before = _dump(db_path)
    with pytest.raises(ValidationError) as info:
        store.people.add(person)
    assert field in info.value.errors
    assert _dump(db_path) == before


def test_duplicate_nhs_number_is_refused(store):
    store.people.add(Person(name="First Person", nhs_number="9434765919"))
    with pytest.raises(DuplicatePersonError) as info:
        store.people.add(Person(name="Other Name", nhs_number="943 476 5919"),
                         allow_duplicate=True)
    assert info.value.field == "nhs_number"
    assert info.value.matches[0].name == "First Person"


def test_same_name_and_birth_date_is_flagged_then_allowed_when_confirmed(store):
    store.people.add(Person(name="Mary Smith", date_of_birth=date(1940, 1, 1)))
    with pytest.raises(DuplicatePersonError) as info:
        store.people.add(Person(name="mary  SMITH", date_of_birth=date(1940, 1, 1)))
    assert info.value.field == "name"
    store.people.add(Person(name="Mary Smith", date_of_birth=date(1940, 1, 1)),
                     allow_duplicate=True)
    assert store.people.count() == 2


def test_update_person_is_audited_with_before_and_after(store):
    p = store.people.add(Person(name="Ann Example"))
    store.people.update(Person(**{**p.__dict__, "phone": "07700 900123"}))
    entries = store.audit.for_person(p.id)
    assert entries[0].action == "update"
    assert entries[0].before == {"phone": ""}
    assert entries[0].after == {"phone": "07700 900123"}
    assert entries[-1].action == "create"


def test_soft_delete_hides_and_restore_brings_back(store):
    p = store.people.add(Person(name="Ann Example"))
    store.people.delete(p.id)
    assert store.caseload.count(CaseloadFilter()) == 0
    assert store.people.get(p.id).deleted_at
    store.people.restore(p.id)
    assert store.caseload.count(CaseloadFilter()) == 1


def test_caseload_search_is_accent_and_case_insensitive_and_finds_nhs_numbers(store):
    store.people.add(Person(name="Zoë Ålvarez", nhs_number="9434765919"))
    store.people.add(Person(name="John Smith"))
    names = lambda flt: [r.name for r in store.caseload.page(flt)]  # noqa: E731
    assert names(CaseloadFilter(text="ZOE alv")) == ["Zoë Ålvarez"]
    assert names(CaseloadFilter(text="943 476")) == ["Zoë Ålvarez"]
    assert names(CaseloadFilter(text="mit")) == ["John Smith"]
    assert names(CaseloadFilter(text="%")) == []
    assert names(CaseloadFilter(sort_column="name", descending=True)) == [
        "Zoë Ålvarez", "John Smith"]


def test_caseload_filters_by_role_and_status(demo_store):
    for role in ("splw", "cc", "hwbc"):
        rows = demo_store.caseload.page(CaseloadFilter(role=role), limit=1000)
        assert rows and all(r.lead_role == role for r in rows)
    rows = demo_store.caseload.page(CaseloadFilter(status="closed"), limit=1000)
    assert all(r.status == "closed" for r in rows)
    total = demo_store.caseload.count(CaseloadFilter())
    assert total == demo_store.people.count() == 60


def _valid_numbers():
    def build(body: str):
        check = nhs_check_digit(body)
        return None if check is None else body + str(check)

    return (st.text(alphabet="0123456789", min_size=9, max_size=9).map(build)
            .filter(lambda v: v is not None))


@given(_valid_numbers())
def test_every_valid_nhs_number_is_accepted_in_any_layout(number):
    assert clean_nhs_number(number) == number
    assert clean_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}") == number
    assert clean_nhs_number(f"{number[:3]}-{number[3:6]}-{number[6:]}") == number


@given(_valid_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_change_is_rejected(number, position, delta):
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    assert not nhs_check_digit_ok(changed)
    with pytest.raises(ValueError):
        clean_nhs_number(changed)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30), st.text(max_size=14))
def test_store_raises_only_validation_errors_for_any_text(store, name, nhs):
    count = store.people.count()
    try:
        store.people.add(Person(name=name, nhs_number=nhs), allow_duplicate=True)
    except ValidationError:
        assert store.people.count() == count


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(
    st.tuples(st.sampled_from(["splw", "cc", "hwbc"]),
              st.sampled_from(["referred", "active", "on_hold", "closed", "declined"]),
              st.integers(min_value=1, max_value=60)),
    min_size=1, max_size=4))
def test_the_lead_episode_is_the_one_being_worked_now(store, plan):
    """Active before referred before on hold, then the earliest referred; else the latest."""
    from arrs_desktop.domain.models import Episode

    person = store.people.add(Person(name="Lead Rule"))
    moves = {"referred": [], "active": ["active"], "on_hold": ["active", "on_hold"],
             "closed": ["active", "closed"], "declined": ["declined"]}
    made = []
    for role, status, days_ago in plan:
        if any(e[0] == role and e[1] in ("referred", "active", "on_hold") for e in made):
            continue  # one open episode per role
        ep = store.episodes.open(Episode(person_id=person.id, role=role,
                                        referral_date=date.today() - timedelta(days=days_ago),
                                        referral_source="gp"))
        for step in moves[status]:
            store.episodes.change_status(
                ep.id, step, closure_reason="goals_met" if step == "closed" else None)
        made.append((role, status, date.today() - timedelta(days=days_ago)))
    rank = {"active": 0, "referred": 1, "on_hold": 2}
    open_ = [e for e in made if e[1] in rank]
    if open_:
        best = min(rank[e[1]] for e in open_)
        expected = {e[0] for e in open_ if rank[e[1]] == best
                    and e[2] == min(x[2] for x in open_ if rank[x[1]] == best)}
    else:
        latest = max(e[2] for e in made)
        expected = {e[0] for e in made if e[2] == latest}
    row = sql_row(store, "SELECT lead_role FROM people WHERE id = ?", [person.id])
    assert row["lead_role"] in expected


def test_email_is_checked_and_kept(store):
    saved = store.people.add(Person(name="Mo Mail", email="  mo.mail@example.org "))
    assert store.people.get(saved.id).email == "mo.mail@example.org"
    for bad in ("mo.mail", "mo@", "mo @example.org", "mo@example", "a@b@c.org"):
        with pytest.raises(ValidationError) as info:
            store.people.add(Person(name="Bad Mail", email=bad))
        assert "email" in info.value.errors
