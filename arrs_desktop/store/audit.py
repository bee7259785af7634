"""Reading the append-only audit trail."""

from __future__ import annotations

import json

from arrs_desktop.domain.models import AuditEntry
from arrs_desktop.store.base import StoreBase


def _entry(row: dict) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"], at=row["at"], who=row["who"], device_id=row["device_id"],
        action=row["action"], table_name=row["table_name"], row_id=row["row_id"],
        person_id=row["person_id"],
        before=json.loads(row["before_json"]) if row["before_json"] else None,
        after=json.loads(row["after_json"]) if row["after_json"] else None,
    )


class AuditStore(StoreBase):
    """The audit trail, newest first."""

    def audit_for_person(self, person_id: str, limit: int = 500) -> list[AuditEntry]:
        """Return the audit lines about one person, newest first."""
        rows = self._rows(
            "SELECT * FROM audit_log WHERE person_id = ? ORDER BY seq DESC LIMIT ?",
            [person_id, limit],
        )
        return [_entry(r) for r in rows]

    def audit_count(self) -> int:
        """Return the number of audit lines."""
        return self._scalar("SELECT count(*) FROM audit_log")

    def record_event(self, action: str, detail: dict | None = None) -> None:
        """Append an event that changes no row (for example the window was locked)."""
        with self._writing():
            self._audit(action, "app", "-", None, None, detail or {})
