"""Care homes the PCN looks after: their details, the contact log, residents, the overview."""

from __future__ import annotations

from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import CareHome, CareHomeContact, CareHomeOverview
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_id,
    clean_id_list,
    clean_text,
    require_id,
)
from arrs_desktop.store.rows import Db, Row, iso, to_date, to_day
from arrs_desktop.store.writer import Writer

# When a home's latest contact set no next date, the next contact is due a week on.
DEFAULT_CONTACT_INTERVAL_DAYS = 7

_OVERVIEW_SQL = f"""
WITH latest AS (
    SELECT care_home_id, date, next_due,
           row_number() OVER (PARTITION BY care_home_id
                              ORDER BY date DESC, created_at DESC) AS rn
    FROM care_home_contacts
),
homes AS (
    SELECT h.id, h.name, h.lead_worker, h.clinical_lead, h.practice,
           l.date AS last_contact,
           coalesce(l.next_due,
                    date(l.date, '+{DEFAULT_CONTACT_INTERVAL_DAYS} days')) AS next_due,
           (SELECT count(*) FROM people p
             WHERE p.care_home_id = h.id AND p.deleted_at IS NULL) AS residents,
           CASE WHEN :worker != '' AND lower(trim(h.lead_worker)) = :worker
                THEN 1 ELSE 0 END AS own
    FROM care_homes h
    LEFT JOIN latest l ON l.care_home_id = h.id AND l.rn = 1
    WHERE h.deleted_at IS NULL
)
SELECT *, CASE WHEN last_contact IS NULL OR next_due < :today THEN 1 ELSE 0 END AS overdue
FROM homes
ORDER BY own DESC, overdue DESC, next_due IS NOT NULL, next_due, name COLLATE NOCASE, id
"""




def care_home_from_row(row: Row) -> CareHome:
    """Build a CareHome from a `care_homes` row."""
    return CareHome(id=row["id"], name=row["name"], address=row["address"], phone=row["phone"],
                    practice=row["practice"], clinical_lead=row["clinical_lead"],
                    lead_worker=row["lead_worker"], updated_at=row["updated_at"])


class CareHomesRepository:
    """Care homes, the contacts with them and the residents discussed."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def _clean_care_home(self, home: CareHome) -> dict[str, Any]:
        check = Checker()
        row = {
            "name": check.check("name", clean_text, home.name, required=True),
            "address": check.check("address", clean_text, home.address, max_len=300,
                                   multiline=True),
            "phone": check.check("phone", clean_text, home.phone, max_len=40),
            "practice": check.check("practice", clean_text, home.practice),
            "clinical_lead": check.check("clinical_lead", clean_text, home.clinical_lead),
            "lead_worker": check.check("lead_worker", clean_text, home.lead_worker),
        }
        check.raise_if_any()
        return row

    def add(self, home: CareHome) -> CareHome:
        """Save a new care home."""
        row = self._clean_care_home(home)
        with self._writer.transaction():
            record = self._writer.insert("care_homes", row, person_id=None)
        return self._saved(record["id"])

    def update(self, home: CareHome, *, on_top: bool = False) -> CareHome:
        """Save changes to a care home (refused if it changed since `home` was loaded)."""
        home_id = require_id("id", home.id)
        assert home_id is not None
        row = self._clean_care_home(home)
        with self._writer.transaction():
            if self.get(home_id) is None:
                raise ValidationError("id", "is not a care home on this log")
            self._writer.update("care_homes", home_id, row, person_id=None,
                         base_version=home.updated_at or None, on_top=on_top)
        return self._saved(home_id)

    def _saved(self, home_id: str) -> CareHome:
        home = self.get(home_id)
        assert home is not None
        return home

    def get(self, home_id: str) -> CareHome | None:
        """Return one care home, or None."""
        row = self._db.row("SELECT * FROM care_homes WHERE id = ?", [home_id])
        return care_home_from_row(row) if row else None

    def all(self) -> list[CareHome]:
        """Return every care home by name."""
        rows = self._db.rows("SELECT * FROM care_homes WHERE deleted_at IS NULL ORDER BY name")
        return [care_home_from_row(r) for r in rows]

    def log_contact(self, contact: CareHomeContact) -> CareHomeContact:
        """Save a contact with a care home and the residents discussed."""
        check = Checker()
        day = check.check("date", clean_date, contact.date, required=True, not_future=True)
        row = {
            "care_home_id": check.check("care_home_id", clean_id, contact.care_home_id,
                                        required=True),
            "date": iso(day),
            "kind": check.check("kind", clean_choice, contact.kind,
                                catalogue.CARE_HOME_CONTACT_KINDS),
            "actions": check.check("actions", clean_text, contact.actions,
                                   max_len=LONG_TEXT_MAX, multiline=True),
            "next_due": iso(check.check("next_due", clean_date, contact.next_due)),
            "worker": check.check("worker", clean_text, contact.worker, max_len=120),
        }
        if row["date"] and row["next_due"] and row["next_due"] < row["date"]:
            check.add("next_due", "cannot be before the contact date")
        residents = check.check("residents", clean_id_list, contact.residents)
        check.raise_if_any()
        with self._writer.transaction():
            if self.get(contact.care_home_id) is None:
                raise ValidationError("care_home_id", "is not a care home on this log")
            record = self._writer.insert("care_home_contacts", row, person_id=None)
            for person_id in dict.fromkeys(residents or ()):
                resident = self._db.row("SELECT care_home_id FROM people WHERE id = ?",
                                     [person_id])
                if resident is None or resident["care_home_id"] != contact.care_home_id:
                    raise ValidationError("residents", "may only list this home's residents")
                self._writer.insert_link(
                    "care_home_contact_residents",
                    {"contact_id": record["id"], "person_id": person_id},
                    row_id=record["id"], person_id=person_id)
        return self.contacts(contact.care_home_id, limit=1)[0]

    def contacts(self, home_id: str, limit: int = 200) -> list[CareHomeContact]:
        """Return a home's contacts, newest first."""
        rows = self._db.rows(
            "SELECT c.*, (SELECT group_concat(person_id) FROM care_home_contact_residents r"
            " WHERE r.contact_id = c.id) AS residents FROM care_home_contacts c"
            " WHERE care_home_id = ? ORDER BY date DESC, created_at DESC LIMIT ?",
            [home_id, limit],
        )
        return [
            CareHomeContact(
                id=r["id"], care_home_id=r["care_home_id"], date=to_day(r["date"]),
                kind=r["kind"], actions=r["actions"], next_due=to_date(r["next_due"]),
                worker=r["worker"],
                residents=tuple(sorted((r["residents"] or "").split(","))) if r["residents"]
                else (),
            )
            for r in rows
        ]

    def next_due(self, home_id: str) -> date | None:
        """Return when the next contact with a home is due (from its latest contact)."""
        value = self._db.scalar(
            "SELECT next_due FROM care_home_contacts WHERE care_home_id = ?"
            " ORDER BY date DESC, created_at DESC LIMIT 1",
            [home_id],
        )
        return to_date(value)

    def residents(self, home_id: str) -> list[tuple[str, str]]:
        """Return (person id, name) of a home's residents on the caseload."""
        rows = self._db.rows(
            "SELECT id, name FROM people WHERE care_home_id = ? AND deleted_at IS NULL"
            " ORDER BY search_name",
            [home_id],
        )
        return [(r["id"], r["name"]) for r in rows]

    def overview(self, today: date | None = None,
                            lead_worker: str = "") -> list[CareHomeOverview]:
        """Return every home: the worker's own first (if given), then overdue, then next due.

        A home is overdue when its next contact due is before `today`, or when it has never
        been contacted.
        """
        today = today or date.today()
        rows = self._db.rows(_OVERVIEW_SQL, {"today": today.isoformat(),
                                          "worker": (lead_worker or "").strip().lower()})
        return [
            CareHomeOverview(
                id=r["id"], name=r["name"], lead_worker=r["lead_worker"],
                clinical_lead=r["clinical_lead"], practice=r["practice"],
                last_contact=to_date(r["last_contact"]), next_due=to_date(r["next_due"]),
                overdue=bool(r["overdue"]), residents=r["residents"], own=bool(r["own"]),
            )
            for r in rows
        ]
