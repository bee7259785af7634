"""What is due today or overdue: follow-ups, first contacts, care-home contacts, goal dates.

Each item falls to one worker, so "Mine" in the Follow-ups view shows it to them:

- a person's next follow-up, one item per open episode (referred, active or on hold): the
  next follow-up set at that episode's latest session falls to the episode's worker;
  failing that, the session's worker, then the person's lead worker. A session logged
  against no episode counts as a session of the person's open episode in its role;
- a referral awaiting first contact: the referred episode's worker;
- a care-home contact: the home's lead worker;
- a goal's target date: the worker of the episode the goal was set in; failing that, of the
  person's open episode in the goal's role, then the person's lead worker.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from arrs_desktop.domain.models import FollowUpItem
from arrs_desktop.store.rows import Db, to_date, to_day
from arrs_desktop.store.sql import OPEN, latest_session_sql

# A referral not yet contacted is due this many days after the referral date, and is
# overdue after that: the Follow-ups view lists it as "Awaiting first contact".
FIRST_CONTACT_DAYS = 7

# The worker of the person's earliest open episode in a role (`{role}` is a column).
_OPEN_IN_ROLE = (
    "(SELECT o.worker FROM episodes o WHERE o.person_id = p.id AND o.role = {role}"
    f" AND o.status IN {OPEN} AND o.worker != '' ORDER BY o.referral_date, o.created_at"
    " LIMIT 1)"
)


def _first(*names: str | None) -> str:
    """Return the first name given that is not empty."""
    for name in names:
        if name:
            return name
    return ""


class FollowUpsQuery:
    """The "Due today / overdue" list across the caseload (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def due(self, today: date | None = None, worker: str | None = None) -> list[
        FollowUpItem
    ]:
        """Return what is due on or before today, oldest first; `worker` keeps only theirs."""
        return [FollowUpItem(*t) for t in self.due_tuples(today, worker)]

    def due_tuples(self, today: date | None = None,
                              worker: str | None = None) -> list[tuple[Any, ...]]:
        """Return `follow_ups_due` as plain tuples in FollowUpItem's field order.

        For the Follow-ups view, which reads tens of thousands on a worker thread: tuples
        of text and dates are left alone by Python's garbage collector, whose full passes
        over many objects pause the window's thread too.
        """
        day = today or date.today()
        params = [day.isoformat()]
        conn = self._db.conn
        items: list[tuple[Any, ...]] = []
        # people.next_follow_up is the earliest of their open episodes' follow-ups, so only
        # people due by today can have an episode due by today.
        rows = conn.execute(
            "SELECT f.next_follow_up, p.name, p.id, p.lead_worker, f.date, f.worker, e.role,"
            " e.worker, e.id"
            " FROM people p"
            f" JOIN episodes e ON e.person_id = p.id AND e.status IN {OPEN}"
            f" JOIN sessions f ON f.id = ({latest_session_sql()})"
            " WHERE p.deleted_at IS NULL AND p.next_follow_up IS NOT NULL"
            f" AND p.next_follow_up <= ? AND p.episode_status IN {OPEN}"
            " AND f.next_follow_up <= ?",
            params * 2,
        )
        items += [("session", to_date(due), name, f"Last session {to_date(last):%d %b %Y}",
                   ep_role, _first(ep_worker, s_worker, lead_worker), pid, None, None, eid)
                  for (due, name, pid, lead_worker, last, s_worker, ep_role, ep_worker,
                       eid) in rows]
        rows = conn.execute(
            "SELECT e.referral_date, p.name, e.role, e.worker, p.id, e.id"
            " FROM episodes e JOIN people p ON p.id = e.person_id"
            " WHERE e.role IN ('splw', 'cc', 'hwbc') AND e.status = 'referred'"
            " AND e.first_contact_date IS NULL"
            " AND e.referral_date <= ? AND p.deleted_at IS NULL",
            [(day - timedelta(days=FIRST_CONTACT_DAYS)).isoformat()],
        )
        for referred, name, role, ep_worker, pid, eid in rows:
            referred = to_day(referred)
            items.append(("first_contact", referred + timedelta(days=FIRST_CONTACT_DAYS), name,
                          f"Referred {referred:%d %b %Y}", role, ep_worker or "", pid, None,
                          None, eid))
        rows = conn.execute(
            "SELECT c.next_due, h.name, c.date, h.lead_worker, h.id FROM care_homes h"
            " JOIN care_home_contacts c ON c.id = (SELECT id FROM care_home_contacts"
            "  WHERE care_home_id = h.id ORDER BY date DESC, created_at DESC LIMIT 1)"
            " WHERE h.deleted_at IS NULL AND c.next_due IS NOT NULL AND c.next_due <= ?",
            params,
        )
        items += [("care_home", to_date(due), name, f"Last contact {to_date(last):%d %b %Y}",
                   "cc", lead_worker, None, hid, None, None)
                  for due, name, last, lead_worker, hid in rows]
        rows = conn.execute(
            "SELECT g.target_date, p.name, g.title, g.owner_role, e.role, e.worker,"
            " CASE WHEN coalesce(e.worker, '') = '' THEN"
            f" {_OPEN_IN_ROLE.format(role='g.owner_role')} END, p.lead_worker, p.id, g.id"
            " FROM goals g JOIN people p ON p.id = g.person_id"
            " LEFT JOIN episodes e ON e.id = g.episode_id"
            " WHERE g.status = 'active' AND g.target_date IS NOT NULL AND g.target_date <= ?"
            f" AND p.deleted_at IS NULL AND p.episode_status IN {OPEN}",
            params,
        )
        items += [("goal", to_date(due), name, title, owner_role or ep_role,
                   _first(ep_worker, in_role, lead_worker), pid, None, gid, None)
                  for (due, name, title, owner_role, ep_role, ep_worker, in_role, lead_worker,
                       pid, gid) in rows]
        if worker and worker.strip():
            items = [i for i in items if i[5] == worker]
        # Sorted a day at a time: one sort of tens of thousands of items holds Python's
        # interpreter lock throughout, and this runs beside the window on a big caseload.
        by_day: dict[date, list[tuple[Any, ...]]] = {}
        for item in items:
            by_day.setdefault(item[1], []).append(item)
        ordered: list[tuple[Any, ...]] = []
        for due in sorted(by_day):
            ordered += sorted(by_day[due], key=lambda i: (i[2].casefold(), i[0], i[4] or ""))
        return ordered
