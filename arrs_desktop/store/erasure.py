"""Erase a person for real: the one audited action that removes their records."""

from __future__ import annotations

import contextlib
import json

from arrs_desktop.domain.validation import ValidationError, clean_text, require_id
from arrs_desktop.store.rows import Db
from arrs_desktop.store.writer import Writer
from arrs_desktop.team import audit_sync

ERASED = "[erased]"

# Child rows first, so no foreign key is ever left dangling.
_ERASE_STEPS = (
    ("care_home_contact_residents", "person_id = :p"),
    ("goal_progress", "goal_id IN (SELECT id FROM goals WHERE person_id = :p)"
                      " OR session_id IN (SELECT id FROM sessions WHERE person_id = :p)"),
    ("outcome_measures", "person_id = :p"),
    ("measure_scores", "person_id = :p"),
    ("gp_messages", "person_id = :p"),
    ("referrals", "person_id = :p"),
    ("safety_alerts", "person_id = :p"),
    ("asset_referrals", "person_id = :p"),
    ("sessions", "person_id = :p"),
    ("goals", "person_id = :p"),
    ("needs", "person_id = :p"),
    ("episodes", "person_id = :p"),
    ("people", "id = :p"),
)


def _redact(text: str | None) -> str | None:
    """Keep which fields an audit line touched; drop their values."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return json.dumps(ERASED)
    if isinstance(value, dict):
        return json.dumps({k: ERASED for k in value}, sort_keys=True)
    return json.dumps(ERASED)


class ErasureRepository:
    """Really erase a person and everything recorded about them."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def preview(self, person_id: str) -> dict[str, int]:
        """Return how many rows erasing a person would remove from each table (no change)."""
        checked = require_id("person_id", person_id)
        return {
            table: int(self._db.scalar(
                f"SELECT count(*) FROM {table} WHERE {where.replace(':p', '?')}",
                [checked] * where.count(":p")))
            for table, where in _ERASE_STEPS
        }

    def erase(self, person_id: str, reason: str) -> dict[str, int]:
        """Delete a person and all their rows in one transaction; audit who, when and why.

        Earlier audit lines about the person keep who did what and when, but the values
        they held (name, NHS number, notes...) are replaced by "[erased]". Returns how many
        rows were removed from each table.
        """
        checked = require_id("person_id", person_id)
        assert checked is not None
        person_id = checked
        try:
            why = clean_text(reason, required=True, max_len=500, multiline=True)
        except ValueError as exc:
            raise ValidationError("reason", str(exc)) from None
        conn = self._db.conn
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with self._writer.transaction():
                if self._db.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
                    raise ValidationError("person_id", "is not a person on this log")
                counts: dict[str, int] = {}
                for table, where in _ERASE_STEPS:
                    cursor = self._writer.execute(f"DELETE FROM {table} WHERE {where}",
                                                  {"p": person_id})
                    counts[table] = cursor.rowcount
                counts["audit_lines_redacted"] = self._redact_audit(person_id)
                self._writer.erased(person_id, {"reason": why, "rows_removed": counts})
        finally:
            conn.execute("PRAGMA secure_delete = OFF")
        with contextlib.suppress(*self._writer.errors):  # a busy checkpoint just happens later
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    def redact_audit(self, person_id: str) -> int:
        """Blank the values in a person's audit lines on this laptop (a pulled erasure: the
        rows went with the pull); call inside the pull's transaction. Returns how many."""
        with self._writer.transaction():
            return self._redact_audit(person_id)

    def _redact_audit(self, person_id: str) -> int:
        """Blank the values in a person's audit lines, this laptop's own and those pulled
        from the team (inside the erase transaction)."""
        writer = self._writer
        trigger_sql = self._db.scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            ["audit_log_no_update"],
        )
        rows = self._db.rows(
            "SELECT seq, before_json, after_json FROM audit_log WHERE person_id = ?",
            [person_id],
        )
        if trigger_sql:
            writer.execute("DROP TRIGGER audit_log_no_update")
        try:
            for row in rows:
                writer.execute(
                    "UPDATE audit_log SET before_json = ?, after_json = ? WHERE seq = ?",
                    [_redact(row["before_json"]), _redact(row["after_json"]), row["seq"]],
                )
        finally:
            if trigger_sql:
                writer.execute(trigger_sql)
        # The team's audit lines about them, pulled from other laptops, go the same way.
        pulled = audit_sync.redact_people(self._db.conn, [person_id])
        return len(rows) + pulled
