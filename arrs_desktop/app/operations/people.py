"""People: add, edit, what matters to them, erase for good."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import Person
from arrs_desktop.store import Store


def add_person(store: Store, person: Person, *,
               allow_duplicate: bool = False) -> OpResult[Person]:
    """Add someone to the caseload (a look-alike only when the user confirmed it)."""
    saved = store.people.add(person, allow_duplicate=allow_duplicate)
    return OpResult(saved, Changes(person_id=saved.id, person=True, people=True, caseload=True,
                                   care_homes=saved.care_home_id is not None, audit=True))


def update_person(store: Store, person: Person, *, allow_duplicate: bool = False,
                  on_top: bool = False) -> OpResult[Person]:
    """Save a person's details (refused if someone changed them since the form loaded,
    unless `on_top`: then only this form's own changes are written)."""
    before = store.people.get(person.id) if person.id else None
    saved = store.people.update(person, allow_duplicate=allow_duplicate, on_top=on_top)
    moved_home = before is not None and before.care_home_id != saved.care_home_id
    return OpResult(saved, Changes(person_id=saved.id, person=True, caseload=True,
                                   what_matters=True, care_homes=moved_home, audit=True))


def set_what_matters(store: Store, person_id: str, text: str, *,
                     expected: str | None = None) -> OpResult[str]:
    """Save "what matters to me" (refused if someone else changed the words meanwhile)."""
    saved = store.people.set_what_matters(person_id, text, expected=expected)
    return OpResult(saved, Changes(person_id=person_id, what_matters=True, audit=True))


def erase_person(store: Store, person_id: str, reason: str) -> OpResult[dict[str, int]]:
    """Erase a person and everything recorded about them; return the rows removed."""
    counts = store.erasure.erase(person_id, reason)
    return OpResult(counts, Changes(
        person_id=person_id, person=True, what_matters=True, people=True, needs=True,
        episodes=True, goals=True, sessions=True, referrals=True, caseload=True,
        care_homes=True, audit=True))
