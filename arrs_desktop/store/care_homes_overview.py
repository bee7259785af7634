"""The care homes list: latest contact, next contact due and overdue homes first."""

from __future__ import annotations

from datetime import date

from arrs_desktop.domain.models import CareHomeOverview
from arrs_desktop.store.base import StoreBase, to_date

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


class CareHomesOverviewStore(StoreBase):
    """Read the care homes list in the order a coordinator works through it."""

    def care_homes_overview(self, today: date | None = None,
                            lead_worker: str = "") -> list[CareHomeOverview]:
        """Return every home: the worker's own first (if given), then overdue, then next due.

        A home is overdue when its next contact due is before `today`, or when it has never
        been contacted.
        """
        today = today or date.today()
        rows = self._rows(_OVERVIEW_SQL, {"today": today.isoformat(),
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
