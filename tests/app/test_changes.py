"""Changes: the flags a write raises, how two combine, and the changes of pulled rows."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields

import pytest

from arrs_desktop.app.changes import TABLE_FLAGS, Changes


def test_changes_are_frozen():
    with pytest.raises(FrozenInstanceError):
        Changes().needs = True  # type: ignore[misc]


def test_everything_raises_every_flag_for_everyone():
    assert all(getattr(Changes.EVERYTHING, f.name) for f in fields(Changes)
               if f.name != "person_id")
    assert Changes.EVERYTHING.touches("anyone") and Changes.EVERYTHING.saved


@pytest.mark.parametrize(("about", "shown", "touches"), [
    ("ann", "ann", True), ("ann", "bob", False), (None, "bob", True), ("ann", None, False),
])
def test_a_change_touches_the_person_it_is_about_or_anyone_when_about_no_one(about, shown,
                                                                          touches):
    assert Changes(person_id=about, needs=True).touches(shown) is touches


def test_two_changes_combine_their_flags_and_keep_a_person_only_if_both_agree():
    both = Changes(person_id="ann", needs=True) | Changes(person_id="ann", audit=True)
    assert (both.person_id, both.needs, both.audit, both.episodes) == ("ann", True, True, False)
    assert (Changes(person_id="ann") | Changes(person_id="bob")).person_id is None


def test_rows_pulled_from_the_team_raise_the_flags_of_their_tables():
    pulled = Changes.of_rows(["needs", "sessions"], ["ann"])
    assert pulled.person_id == "ann" and pulled.needs and pulled.sessions and pulled.caseload
    assert not pulled.goals and pulled.audit
    assert Changes.of_rows(["needs"], ["ann", "bob"]).person_id is None


def test_every_table_flag_is_a_flag():
    names = {f.name for f in fields(Changes)}
    assert {flag for flags in TABLE_FLAGS.values() for flag in flags} <= names
