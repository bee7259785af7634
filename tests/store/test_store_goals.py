"""Goals: the day a goal was agreed, achievement dates, and the migration that added them."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from sqlite_utils import Database

from arrs_desktop.domain.models import Goal, Person
from arrs_desktop.store import ValidationError, open_store
from arrs_desktop.store.schema import migrations

TODAY = date.today()


@pytest.fixture
def person(store):
    return store.people.add(Person(name="Ada Example"))


def test_set_date_defaults_to_today_and_can_be_earlier(store, person):
    g = store.goals.add(Goal(person_id=person.id, title="Walk daily", owner_role="hwbc",
                            baseline=2))
    assert g.set_date == TODAY
    earlier = TODAY - timedelta(days=40)
    g2 = store.goals.add(Goal(person_id=person.id, title="Join a choir", owner_role="splw",
                             baseline=1, set_date=earlier, target_date=earlier + timedelta(10)))
    assert g2.set_date == earlier


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"set_date": TODAY + timedelta(days=1)}, "set_date"),
        ({"target_date": TODAY - timedelta(days=3)}, "target_date"),
        ({"status": "achieved", "achieved_date": TODAY + timedelta(days=1)}, "achieved_date"),
        ({"status": "achieved", "set_date": TODAY - timedelta(days=2),
          "achieved_date": TODAY - timedelta(days=5)}, "achieved_date"),
    ],
)
def test_impossible_goal_dates_are_refused(store, person, changes, field):
    with pytest.raises(ValidationError) as info:
        store.goals.add(Goal(**{"person_id": person.id, "title": "X", "owner_role": "cc",
                               "baseline": 3, **changes}))
    assert field in info.value.errors
    assert store.goals.for_person(person.id) == []


def test_achieved_date_is_kept_and_cleared_when_the_goal_reopens(store, person):
    g = store.goals.add(Goal(person_id=person.id, title="Stop smoking", owner_role="hwbc",
                            baseline=1, set_date=TODAY - timedelta(days=60)))
    done = store.goals.update(Goal(**{**g.__dict__, "status": "achieved",
                                     "achieved_date": TODAY - timedelta(days=3)}))
    assert done.achieved_date == TODAY - timedelta(days=3)
    assert done.set_date == TODAY - timedelta(days=60)
    reopened = store.goals.update(Goal(**{**done.__dict__, "status": "active"}))
    assert reopened.achieved_date is None
    again = store.goals.update(Goal(**{**reopened.__dict__, "status": "achieved"}))
    assert again.achieved_date == TODAY


def test_upgrade_fills_set_date_from_when_the_goal_was_recorded(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="0004_goal_set_date")
    db.execute("INSERT INTO people (id, name, search_name, created_at, updated_at, device_id)"
               " VALUES ('p', 'Ann', 'ann', '2025-01-01T00:00:00', '2025-01-01T00:00:00', 'd')")
    db.execute("INSERT INTO goals (id, person_id, title, owner_role, baseline, status,"
               " created_at, updated_at, device_id) VALUES ('g', 'p', 'Walk', 'hwbc', 2,"
               " 'active', '2025-03-04T10:00:00+00:00', '2025-03-04T10:00:00+00:00', 'd')")
    db.close()
    s = open_store(path)
    assert s.goals.get("g").set_date == date(2025, 3, 4)
    s.close()
    conn = sqlite3.connect(path)
    assert "goals_set_date" in [r[1] for r in conn.execute("PRAGMA index_list(goals)")]
