"""What is due today or overdue: follow-ups, care-home contacts and passed goal target dates."""

from __future__ import annotations

from datetime import date

from arrs_desktop.models import FollowUpItem
from arrs_desktop.store.base import StoreBase, to_date

_OPEN = "('referred', 'active', 'on_hold')"


class FollowUpsStore(StoreBase):
    """The "Due today / overdue" list across the caseload."""

    def follow_ups_due(self, today: date | None = None, worker: str | None = None) -> list[
        FollowUpItem
    ]:
        """Return what is due on or before today, oldest first; `worker` keeps only theirs."""
        day = (today or date.today()).isoformat()
        mine = bool(worker and worker.strip())
        items: list[FollowUpItem] = []
        rows = self._rows(
            "SELECT id, name, next_follow_up, lead_role, lead_worker FROM people"
            " WHERE deleted_at IS NULL AND next_follow_up IS NOT NULL AND next_follow_up <= ?"
            f" AND episode_status IN {_OPEN}" + (" AND lead_worker = ?" if mine else ""),
            [day, worker] if mine else [day],
        )
        items += [
            FollowUpItem(kind="session", due=to_date(r["next_follow_up"]), title=r["name"],
                         detail="next follow-up after the last session", role=r["lead_role"],
                         worker=r["lead_worker"], person_id=r["id"])
            for r in rows
        ]
        rows = self._rows(
            "SELECT h.id, h.name, h.lead_worker, c.next_due, c.date FROM care_homes h"
            " JOIN care_home_contacts c ON c.id = (SELECT id FROM care_home_contacts"
            "  WHERE care_home_id = h.id ORDER BY date DESC, created_at DESC LIMIT 1)"
            " WHERE h.deleted_at IS NULL AND c.next_due IS NOT NULL AND c.next_due <= ?"
            + (" AND h.lead_worker = ?" if mine else ""),
            [day, worker] if mine else [day],
        )
        items += [
            FollowUpItem(kind="care_home", due=to_date(r["next_due"]), title=r["name"],
                         detail=f"last contact {to_date(r['date']):%d %b %Y}",
                         role="cc", worker=r["lead_worker"], care_home_id=r["id"])
            for r in rows
        ]
        rows = self._rows(
            "SELECT g.id, g.title, g.target_date, g.owner_role, p.id AS person_id, p.name,"
            " p.lead_worker FROM goals g JOIN people p ON p.id = g.person_id"
            " WHERE g.status = 'active' AND g.target_date IS NOT NULL AND g.target_date <= ?"
            f" AND p.deleted_at IS NULL AND p.episode_status IN {_OPEN}"
            + (" AND p.lead_worker = ?" if mine else ""),
            [day, worker] if mine else [day],
        )
        items += [
            FollowUpItem(kind="goal", due=to_date(r["target_date"]), title=r["name"],
                         detail=r["title"], role=r["owner_role"],
                         worker=r["lead_worker"], person_id=r["person_id"], goal_id=r["id"])
            for r in rows
        ]
        # Sorted a day at a time: one sort of tens of thousands of items holds Python's
        # interpreter lock throughout, and this runs beside the window on a big caseload.
        by_day: dict[date, list[FollowUpItem]] = {}
        for item in items:
            by_day.setdefault(item.due, []).append(item)
        ordered: list[FollowUpItem] = []
        for day in sorted(by_day):
            ordered += sorted(by_day[day], key=lambda i: (i.title.casefold(), i.kind))
        return ordered
