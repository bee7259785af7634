"""The caseload columns kept on each person: lead role, its status and worker, next follow-up.

They are derived from the person's episodes and sessions (the domain's lead rule and the
follow-up rule, as SQL in store/sql.py) and kept in step by whatever writes those: they are
not audited separately, and team sync never sends them (each laptop works them out).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from arrs_desktop.store.rows import Db
from arrs_desktop.store.sql import lead_order, next_follow_up_sql
from arrs_desktop.store.writer import Writer

COLUMNS = ("lead_role", "episode_status", "lead_worker", "next_follow_up")

# The lead episode's columns, as a subquery per person (for many people at once).
_LEAD = (
    "SELECT {col} FROM episodes e WHERE e.person_id = people.id ORDER BY"
    f" {lead_order('e.')} LIMIT 1"
)


class PersonSummary:
    """Recompute the caseload columns of one person, of many, or of everyone."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def refresh(self, person_id: str) -> bool:
        """Recompute one person's caseload columns (inside a write); return whether they
        changed."""
        lead = self._db.row(
            "SELECT role, status, worker FROM episodes WHERE person_id = ?"
            f" ORDER BY {lead_order()}",
            [person_id],
        )
        follow = self._db.scalar(next_follow_up_sql("?"), [person_id])
        changes = {
            "lead_role": lead["role"] if lead else None,
            "episode_status": lead["status"] if lead else None,
            "lead_worker": lead["worker"] if lead else "",
            "next_follow_up": follow,
        }
        current = self._db.row(
            f"SELECT {', '.join(COLUMNS)} FROM people WHERE id = ?", [person_id])
        if current and any(current[k] != v for k, v in changes.items()):
            sets = ", ".join(f"{k} = ?" for k in changes)
            self._writer.execute(f"UPDATE people SET {sets} WHERE id = ?",
                                 [*changes.values(), person_id])
            return True
        return False

    def refresh_many(self, person_ids: Iterable[str] | None = None) -> None:
        """Recompute the caseload columns for many people at once (all when None)."""
        where = ""
        params: list[str] = []
        if person_ids is not None:
            ids = sorted(set(person_ids))
            if not ids:
                return
            where = " WHERE id IN (SELECT value FROM json_each(?))"
            params = [json.dumps(ids)]
        with self._writer.transaction():
            self._writer.execute(
                "UPDATE people SET"
                f" lead_role = ({_LEAD.format(col='e.role')}),"
                f" episode_status = ({_LEAD.format(col='e.status')}),"
                f" lead_worker = coalesce(({_LEAD.format(col='e.worker')}), ''),"
                f" next_follow_up = ({next_follow_up_sql('people.id')})"
                f"{where}",
                params,
            )
