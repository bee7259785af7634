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
        return [FollowUpItem(*t) for t in self.follow_ups_due_tuples(today, worker)]

    def follow_ups_due_tuples(self, today: date | None = None,
                              worker: str | None = None) -> list[tuple]:
        """Return `follow_ups_due` as plain tuples in FollowUpItem's field order.

        For the Follow-ups view, which reads tens of thousands on a worker thread: tuples
        of text and dates are left alone by Python's garbage collector, whose full passes
        over many objects pause the window's thread too.
        """
        day = (today or date.today()).isoformat()
        mine = bool(worker and worker.strip())
        params = [day, worker] if mine else [day]
        conn = self.db.conn
        items: list[tuple] = []
        rows = conn.execute(
            "SELECT next_follow_up, name, lead_role, lead_worker, id FROM people"
            " WHERE deleted_at IS NULL AND next_follow_up IS NOT NULL AND next_follow_up <= ?"
            f" AND episode_status IN {_OPEN}" + (" AND lead_worker = ?" if mine else ""),
            params,
        )
        items += [("session", to_date(due), name, "next follow-up after the last session",
                   role, lead_worker, pid, None, None)
                  for due, name, role, lead_worker, pid in rows]
        rows = conn.execute(
            "SELECT c.next_due, h.name, c.date, h.lead_worker, h.id FROM care_homes h"
            " JOIN care_home_contacts c ON c.id = (SELECT id FROM care_home_contacts"
            "  WHERE care_home_id = h.id ORDER BY date DESC, created_at DESC LIMIT 1)"
            " WHERE h.deleted_at IS NULL AND c.next_due IS NOT NULL AND c.next_due <= ?"
            + (" AND h.lead_worker = ?" if mine else ""),
            params,
        )
        items += [("care_home", to_date(due), name, f"last contact {to_date(last):%d %b %Y}",
                   "cc", lead_worker, None, hid, None)
                  for due, name, last, lead_worker, hid in rows]
        rows = conn.execute(
            "SELECT g.target_date, p.name, g.title, g.owner_role, p.lead_worker, p.id, g.id"
            " FROM goals g JOIN people p ON p.id = g.person_id"
            " WHERE g.status = 'active' AND g.target_date IS NOT NULL AND g.target_date <= ?"
            f" AND p.deleted_at IS NULL AND p.episode_status IN {_OPEN}"
            + (" AND p.lead_worker = ?" if mine else ""),
            params,
        )
        items += [("goal", to_date(due), name, title, role, lead_worker, pid, None, gid)
                  for due, name, title, role, lead_worker, pid, gid in rows]
        # Sorted a day at a time: one sort of tens of thousands of items holds Python's
        # interpreter lock throughout, and this runs beside the window on a big caseload.
        by_day: dict[date, list[tuple]] = {}
        for item in items:
            by_day.setdefault(item[1], []).append(item)
        ordered: list[tuple] = []
        for due in sorted(by_day):
            ordered += sorted(by_day[due], key=lambda i: (i[2].casefold(), i[0]))
        return ordered
