"""Bulk loading of many already-checked rows (synthetic demo data at scale).

The ordinary store methods write one audit line per row, which is right for real work but
makes a 100,000-person demo caseload take most of an hour. `bulk_load` inserts a batch of
rows with `executemany` inside one transaction and writes ONE audit line for the whole
batch (action `bulk_import`, table `*`, with the row counts and a note). Callers must only
pass rows that the ordinary methods would accept; `tests/test_bulk_demo.py` checks that a
bulk-built file passes the same checks as one built through the ordinary methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from arrs_desktop.store.rows import now_iso
from arrs_desktop.store.summary import PersonSummary
from arrs_desktop.store.writer import Writer

# Tables a bulk load may fill, in the order their rows must go in (parents first), with
# the columns each row tuple carries.
BULK_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": (
        "id", "name", "search_name", "date_of_birth", "nhs_number", "address", "postcode",
        "gender", "ethnicity", "phone", "gp_practice", "care_home_id", "preferred_contact",
        "what_matters", "created_at", "updated_at", "device_id",
    ),
    "needs": (
        "id", "person_id", "need_id", "added_at", "added_by", "removed_at", "removed_by",
        "created_at", "updated_at", "device_id",
    ),
    "episodes": (
        "id", "person_id", "role", "worker", "referral_date", "referral_source",
        "referral_reason", "suggested_role", "suggestion_json", "followed_suggestion",
        "status", "first_contact_date", "closure_date", "closure_reason", "share_with_gp",
        "created_at", "updated_at", "device_id",
    ),
    "goals": (
        "id", "person_id", "episode_id", "title", "what_matters", "owner_role", "baseline",
        "target_date", "status", "achieved_date", "created_at", "updated_at", "device_id",
        "set_date",
    ),
    "sessions": (
        "id", "person_id", "episode_id", "date", "role", "kind", "mode", "minutes", "notes",
        "worker", "next_follow_up", "created_at", "updated_at", "device_id",
    ),
    "goal_progress": (
        "id", "goal_id", "session_id", "date", "score", "note", "created_at", "updated_at",
        "device_id",
    ),
    "outcome_measures": (
        "id", "person_id", "session_id", "date", "ons4_life_satisfaction", "ons4_worthwhile",
        "ons4_happy", "ons4_anxious", "swemwbs_raw", "created_at", "updated_at", "device_id",
    ),
    "asset_referrals": (
        "id", "person_id", "asset_id", "session_id", "referred_on", "outcome",
        "outcome_date", "notes", "created_at", "updated_at", "device_id",
    ),
}

class BulkLoader:
    """Insert batches of checked rows quickly, with one audit line per batch."""

    def __init__(self, writer: Writer, summary: PersonSummary) -> None:
        self._writer = writer
        self._summary = summary

    def load(self, rows: Mapping[str, Sequence[Sequence[Any]]], *,
             note: str) -> dict[str, int]:
        """Insert rows (tuples in BULK_COLUMNS order) as one transaction; return the counts.

        Afterwards the caseload summary columns of the people touched are recomputed, and a
        single `bulk_import` audit line records the batch.
        """
        unknown = sorted(set(rows) - set(BULK_COLUMNS))
        if unknown:
            raise ValueError(f"bulk_load cannot fill: {', '.join(unknown)}")
        counts: dict[str, int] = {}
        writer = self._writer
        with writer.transaction():
            for table, columns in BULK_COLUMNS.items():
                batch = rows.get(table) or ()
                if not batch:
                    continue
                marks = ", ".join("?" for _ in columns)
                writer.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
                counts[table] = len(batch)
            person_ids = {r[0] for r in rows.get("people") or ()}
            person_ids |= {r[1] for r in rows.get("episodes") or ()}
            person_ids |= {r[1] for r in rows.get("sessions") or ()}
            self._summary.refresh_many(person_ids)
            writer.bulk_loaded({"note": note, "rows": counts, "at": now_iso()})
        return counts

    def refresh_summaries(self, person_ids: Iterable[str] | None = None) -> None:
        """Recompute the caseload columns for many people at once (all when None)."""
        self._summary.refresh_many(person_ids)


__all__ = ["BULK_COLUMNS", "BulkLoader"]
