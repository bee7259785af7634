"""People on the caseload: add, edit, find duplicates, soft delete, "what matters to me"."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Person
from arrs_desktop.domain.people import contact_gaps
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    NAME_MAX,
    Checker,
    DuplicatePersonError,
    ValidationError,
    clean_choice,
    clean_date,
    clean_email,
    clean_id,
    clean_nhs_number,
    clean_postcode,
    clean_text,
    format_nhs_number,
    require_id,
    search_key,
)
from arrs_desktop.store.errors import StoreConflictError
from arrs_desktop.store.rows import Db, Row, iso, now_iso, to_date
from arrs_desktop.store.writer import Writer

PERSON_COLUMNS = (
    "name", "date_of_birth", "nhs_number", "address", "postcode", "gender", "ethnicity",
    "phone", "email", "gp_practice", "care_home_id", "preferred_contact", "what_matters",
)


def person_from_row(row: Row) -> Person:
    """Build a Person from a `people` row."""
    return Person(
        id=row["id"],
        name=row["name"],
        date_of_birth=to_date(row["date_of_birth"]),
        nhs_number=row["nhs_number"],
        address=row["address"],
        postcode=row["postcode"],
        gender=row["gender"],
        ethnicity=row["ethnicity"],
        phone=row["phone"],
        email=row["email"],
        gp_practice=row["gp_practice"],
        care_home_id=row["care_home_id"],
        preferred_contact=row["preferred_contact"],
        what_matters=row["what_matters"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
    )


class PeopleRepository:
    """People: their details, duplicates, soft deletion and what matters to them."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def clean(self, person: Person) -> dict[str, Any]:
        """Return a person's details as columns; raise ValidationError naming every field."""
        check = Checker()
        row: dict[str, Any] = {
            "name": check.check("name", clean_text, person.name, required=True, max_len=NAME_MAX),
            "date_of_birth": iso(
                check.check("date_of_birth", clean_date, person.date_of_birth, not_future=True)
            ),
            "nhs_number": check.check("nhs_number", clean_nhs_number, person.nhs_number),
            "address": check.check("address", clean_text, person.address, max_len=300,
                                   multiline=True),
            "postcode": check.check("postcode", clean_postcode, person.postcode),
            "gender": check.check("gender", clean_choice, person.gender, catalogue.GENDERS,
                                  required=False) or "",
            "ethnicity": check.check("ethnicity", clean_text, person.ethnicity, max_len=100),
            "phone": check.check("phone", clean_text, person.phone, max_len=40),
            "email": check.check("email", clean_email, person.email),
            "gp_practice": check.check("gp_practice", clean_text, person.gp_practice),
            "preferred_contact": check.check(
                "preferred_contact", clean_choice, person.preferred_contact,
                catalogue.PREFERRED_CONTACT, required=False) or "",
            "what_matters": check.check("what_matters", clean_text, person.what_matters,
                                        max_len=LONG_TEXT_MAX, multiline=True),
            "care_home_id": check.check("care_home_id", clean_id, person.care_home_id),
        }
        if row["phone"] and not all(ch.isdigit() or ch in " +()-" for ch in row["phone"]):
            check.add("phone", "may only contain digits, spaces and + ( ) -")
        for key, problem in contact_gaps(row["preferred_contact"], row["phone"],
                                         row["email"]).items():
            check.add(key, problem)
        if row["care_home_id"] and self._db.scalar(
            "SELECT 1 FROM care_homes WHERE id = ?", [row["care_home_id"]]
        ) is None:
            check.add("care_home_id", "is not a care home on this log")
        check.raise_if_any()
        row["search_name"] = search_key(row["name"])
        return row

    def find_duplicates(self, person: Person) -> list[Person]:
        """Return people already on the log with the same NHS number, or name and birth date."""
        try:
            nhs = clean_nhs_number(person.nhs_number)
        except ValueError:
            nhs = None
        key = search_key(person.name if isinstance(person.name, str) else "")
        try:
            dob = iso(clean_date(person.date_of_birth))
        except ValueError:
            dob = None
        rows = self._db.rows(
            "SELECT * FROM people WHERE id IS NOT ? AND ("
            " (nhs_number IS NOT NULL AND nhs_number = ?)"
            " OR (search_name = ? AND date_of_birth IS NOT NULL AND date_of_birth = ?))"
            " ORDER BY deleted_at IS NOT NULL, search_name",
            [person.id, nhs, key, dob],
        )
        return [person_from_row(r) for r in rows]

    def _guard_duplicates(self, person: Person, allow_duplicate: bool) -> None:
        matches = self.find_duplicates(person)
        if not matches:
            return
        nhs = clean_nhs_number(person.nhs_number)
        same_nhs = [m for m in matches if nhs and m.nhs_number == nhs]
        if same_nhs:
            other = same_nhs[0]
            where = " (deleted; restore it instead)" if other.deleted_at else ""
            raise DuplicatePersonError(
                "nhs_number",
                f"{format_nhs_number(nhs)} is already on the log for {other.name}{where}",
                same_nhs,
            )
        if not allow_duplicate:
            other = matches[0]
            raise DuplicatePersonError(
                "name",
                f"{other.name}, born {other.date_of_birth:%d %b %Y}, is already on the log. "
                "Open that record, or confirm this is a different person.",
                matches,
            )

    @staticmethod
    def _as_saved(person: Person, row: dict[str, Any], person_id: str | None) -> Person:
        return replace(person, id=person_id, name=row["name"], nhs_number=row["nhs_number"],
                       date_of_birth=to_date(row["date_of_birth"]))

    def add(self, person: Person, *, allow_duplicate: bool = False) -> Person:
        """Save a new person; raise ValidationError (naming the field) if anything is wrong."""
        row = self.clean(person)
        with self._writer.transaction():
            self._guard_duplicates(self._as_saved(person, row, None), allow_duplicate)
            person_id = self._writer.new_id()
            self._writer.insert("people", {"id": person_id, **row}, person_id=person_id)
        return self._saved(person_id)

    def update(self, person: Person, *, allow_duplicate: bool = False,
               on_top: bool = False) -> Person:
        """Save changes to a person's details.

        `person.updated_at` is the version the form loaded: if someone has changed the
        person since, a StoreConflictError says who changed what, and nothing is saved;
        with `on_top`, only the fields this form changed are written over theirs.
        """
        person_id = require_id("id", person.id)
        assert person_id is not None
        row = self.clean(person)
        with self._writer.transaction():
            if self.get(person_id) is None:
                raise ValidationError("id", "is not a person on this log")
            self._guard_duplicates(self._as_saved(person, row, person_id), allow_duplicate)
            self._writer.update("people", person_id, row, person_id=person_id,
                                base_version=person.updated_at or None, on_top=on_top)
        return self._saved(person_id)

    def get(self, person_id: str) -> Person | None:
        """Return one person (deleted ones too), or None."""
        row = self._db.row("SELECT * FROM people WHERE id = ?", [person_id])
        return person_from_row(row) if row else None

    def _saved(self, person_id: str) -> Person:
        person = self.get(person_id)
        assert person is not None
        return person

    def exists(self, person_id: str, *, deleted: bool = False) -> bool:
        """Return whether a person is on the log (and not deleted, unless `deleted`)."""
        live = "" if deleted else " AND deleted_at IS NULL"
        return self._db.scalar(f"SELECT 1 FROM people WHERE id = ?{live}",
                               [person_id]) is not None

    def delete(self, person_id: str) -> None:
        """Soft-delete a person: hidden from the caseload, restorable, still audited."""
        require_id("person_id", person_id)
        with self._writer.transaction():
            if self.get(person_id) is None:
                raise ValidationError("person_id", "is not a person on this log")
            self._writer.update("people", person_id, {"deleted_at": now_iso()},
                                person_id=person_id, action="delete")

    def restore(self, person_id: str) -> None:
        """Bring back a soft-deleted person."""
        require_id("person_id", person_id)
        with self._writer.transaction():
            if self.get(person_id) is None:
                raise ValidationError("person_id", "is not a person on this log")
            self._writer.update("people", person_id, {"deleted_at": None},
                                person_id=person_id, action="restore")

    def count(self) -> int:
        """Return how many people (not deleted) are on the log."""
        return int(self._db.scalar("SELECT count(*) FROM people WHERE deleted_at IS NULL"))

    def set_what_matters(self, person_id: str, text: str, *,
                         expected: str | None = None) -> str:
        """Save the free-text "what matters to me"; return the saved text.

        With `expected` (the text the editor showed before the person typed), the save is
        refused with a StoreConflictError if someone else has changed it meanwhile.
        """
        try:
            cleaned = clean_text(text, max_len=LONG_TEXT_MAX, multiline=True)
        except ValueError as exc:
            raise ValidationError("what_matters", str(exc)) from None
        require_id("person_id", person_id)
        with self._writer.transaction():
            current = self._db.scalar("SELECT what_matters FROM people WHERE id = ?",
                                      [person_id])
            if current is None:
                raise ValidationError("person_id", "is not a person on this log")
            if expected is not None and current.strip() != expected.strip():
                theirs = [c for c in self._writer.changes_since("people", person_id, "")
                          if "what_matters" in c.after][-1:]
                raise StoreConflictError("people", person_id, theirs,
                                         {"what_matters": cleaned},
                                         self._db.row("SELECT * FROM people WHERE id = ?",
                                                      [person_id]))
            self._writer.update("people", person_id, {"what_matters": cleaned},
                                person_id=person_id)
        return cleaned
