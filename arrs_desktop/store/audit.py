"""Reading the append-only audit trail."""

from __future__ import annotations

import json
from typing import Any

from arrs_desktop.domain.models import AuditEntry
from arrs_desktop.store.rows import Db, Row
from arrs_desktop.store.writer import Writer


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"], at=row["at"], who=row["who"], device_id=row["device_id"],
        action=row["action"], table_name=row["table_name"], row_id=row["row_id"],
        person_id=row["person_id"],
        before=json.loads(row["before_json"]) if row["before_json"] else None,
        after=json.loads(row["after_json"]) if row["after_json"] else None,
    )


class AuditRepository:
    """The append-only audit trail: reading it, and audited events that change no row."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def for_person(self, person_id: str, limit: int = 500, *,
                   team: bool = False) -> list[AuditEntry]:
        """Return the audit lines about one person, newest first.

        With `team`, the whole team's: this laptop's own lines (named by its team device)
        and those pulled from the other laptops, newest first by time.
        """
        if not team:
            rows = self._db.rows(
                "SELECT * FROM audit_log WHERE person_id = ? ORDER BY seq DESC LIMIT ?",
                [person_id, limit],
            )
            return [_entry(r) for r in rows]
        return self._team_lines("WHERE person_id = ?", [person_id], limit)

    def team_lines(self, limit: int | None = None) -> list[AuditEntry]:
        """Return every audit line of the team this laptop holds (its own and pulled),
        newest first by time."""
        return self._team_lines("", [], -1 if limit is None else limit)

    def _team_lines(self, where: str, params: list[Any], limit: int) -> list[AuditEntry]:
        device = self._db.scalar("SELECT value FROM team_sync WHERE key = 'device'")
        rows = self._db.rows(
            "SELECT * FROM ("
            " SELECT seq, at, who, coalesce(?, device_id) AS device_id, action, table_name,"
            "  row_id, person_id, before_json, after_json FROM audit_log"
            " UNION ALL"
            " SELECT seq, at, who, device_id, action, table_name, row_id, person_id,"
            "  before_json, after_json FROM team_audit"
            f") {where} ORDER BY at DESC, device_id, seq DESC LIMIT ?",
            [device, *params, limit],
        )
        return [_entry(r) for r in rows]

    def count(self) -> int:
        """Return the number of audit lines."""
        return int(self._db.scalar("SELECT count(*) FROM audit_log"))

    def record_event(self, action: str, detail: dict[str, Any] | None = None) -> None:
        """Append an event that changes no row (for example the window was locked)."""
        with self._writer.transaction():
            self._writer.event(action, detail)

    def record_view(self, person_id: str, what: str = "record") -> None:
        """Audit that the signed-in user opened a person's record ("who looked")."""
        with self._writer.transaction():
            self._writer.event("view", {"viewed": what}, person_id=person_id)

    def bulk_lines(self) -> list[dict[str, Any]]:
        """Return the audit lines written by bulk loads, oldest first."""
        rows = self._db.rows(
            "SELECT seq, at, who, after_json FROM audit_log WHERE action = 'bulk_import'"
            " ORDER BY seq"
        )
        return [{**r, "after": json.loads(r["after_json"])} for r in rows]
