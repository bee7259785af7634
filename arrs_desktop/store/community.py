"""Community assets (local groups and services) and people's referrals to them."""

from __future__ import annotations

from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import AssetReferral, CommunityAsset, ReferralRow
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_flag,
    clean_text,
    require_id,
    search_key,
)
from arrs_desktop.store.errors import StoreConflictError
from arrs_desktop.store.rows import Db, Row, iso, to_date, to_day
from arrs_desktop.store.writer import Writer


def asset_from_row(row: Row) -> CommunityAsset:
    """Build a CommunityAsset from a `community_assets` row."""
    return CommunityAsset(id=row["id"], name=row["name"], category=row["category"],
                          contact=row["contact"], address=row["address"], notes=row["notes"],
                          active=bool(row["active"]), updated_at=row["updated_at"])


def referral_from_row(row: Row) -> AssetReferral:
    """Build an AssetReferral from an `asset_referrals` row."""
    return AssetReferral(id=row["id"], person_id=row["person_id"], asset_id=row["asset_id"],
                         session_id=row["session_id"], referred_on=to_day(row["referred_on"]),
                         outcome=row["outcome"], outcome_date=to_date(row["outcome_date"]),
                         notes=row["notes"])


def referral_row_from_row(row: Row) -> ReferralRow:
    """Build a ReferralRow from a joined referral query row."""
    return ReferralRow(id=row["id"], person_id=row["person_id"], person_name=row["person_name"],
                       asset_id=row["asset_id"], asset_name=row["asset_name"],
                       category=row["category"], referred_on=to_day(row["referred_on"]),
                       outcome=row["outcome"], outcome_date=to_date(row["outcome_date"]),
                       notes=row["notes"])


class CommunityRepository:
    """Community assets, searching them, and referrals with what came of them."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer
        self._fold_conn: object = None

    def _clean_asset(self, asset: CommunityAsset) -> dict[str, Any]:
        check = Checker()
        row: dict[str, Any] = {
            "name": check.check("name", clean_text, asset.name, required=True),
            "category": check.check("category", clean_choice, asset.category,
                                    catalogue.ASSET_CATEGORIES),
            "contact": check.check("contact", clean_text, asset.contact),
            "address": check.check("address", clean_text, asset.address, max_len=300,
                                   multiline=True),
            "notes": check.check("notes", clean_text, asset.notes, max_len=LONG_TEXT_MAX,
                                 multiline=True),
            "active": check.check("active", clean_flag, asset.active),
        }
        check.raise_if_any()
        if row["active"] is not None:
            row["active"] = int(row["active"])
        return row

    def add_asset(self, asset: CommunityAsset) -> CommunityAsset:
        """Save a new community asset."""
        row = self._clean_asset(asset)
        with self._writer.transaction():
            record = self._writer.insert("community_assets", row, person_id=None)
        return self._saved_asset(record["id"])

    def update_asset(self, asset: CommunityAsset, *, on_top: bool = False) -> CommunityAsset:
        """Save changes to a community asset (refused if it changed since it was loaded)."""
        asset_id = require_id("id", asset.id)
        assert asset_id is not None
        row = self._clean_asset(asset)
        with self._writer.transaction():
            if self.get_asset(asset_id) is None:
                raise ValidationError("id", "is not a community asset on this log")
            self._writer.update("community_assets", asset_id, row, person_id=None,
                                base_version=asset.updated_at or None, on_top=on_top)
        return self._saved_asset(asset_id)

    def _saved_asset(self, asset_id: str) -> CommunityAsset:
        asset = self.get_asset(asset_id)
        assert asset is not None
        return asset

    def _saved_referral(self, referral_id: str) -> AssetReferral:
        referral = self.get_referral(referral_id)
        assert referral is not None
        return referral

    def get_asset(self, asset_id: str) -> CommunityAsset | None:
        """Return one community asset, or None."""
        row = self._db.row("SELECT * FROM community_assets WHERE id = ?", [asset_id])
        return asset_from_row(row) if row else None

    def _ensure_fold(self) -> None:
        """Give the connection `arrs_fold(text)`: lower case, accents removed."""
        if self._fold_conn is not self._db.conn:  # once per connection
            self._db.conn.create_function("arrs_fold", 1, search_key, deterministic=True)
            self._fold_conn = self._db.conn

    def search(self, text: str = "", category: str | None = None,
                      active_only: bool = True) -> list[CommunityAsset]:
        """Find assets by name, notes or address, ignoring case and accents."""
        clauses, params = [], []
        if active_only:
            clauses.append("active = 1")
        if category:
            clauses.append("category = ?")
            params.append(category)
        key = search_key(text)
        if key:
            self._ensure_fold()
            key = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = f"%{key}%"
            clauses.append("(arrs_fold(name) LIKE ? ESCAPE '\\' OR arrs_fold(notes) LIKE ?"
                           " ESCAPE '\\' OR arrs_fold(address) LIKE ? ESCAPE '\\')")
            params += [like, like, like]
        where = " AND ".join(clauses) or "1"
        rows = self._db.rows(f"SELECT * FROM community_assets WHERE {where}"
                          " ORDER BY name COLLATE NOCASE, id", params)
        return [asset_from_row(r) for r in rows]

    def refer_in_session(self, person_id: str, asset_id: str, day: str,
                         session_id: str | None) -> dict[str, Any]:
        """Refer a person to an asset inside a write (a session's referrals, or `refer`)."""
        if self._db.scalar("SELECT 1 FROM community_assets WHERE id = ?", [asset_id]) is None:
            raise ValidationError("asset_id", "is not a community asset on this log")
        return self._writer.insert(
            "asset_referrals",
            {"person_id": person_id, "asset_id": asset_id, "session_id": session_id,
             "referred_on": day, "outcome": "pending"},
            person_id=person_id,
        )

    def refer(self, referral: AssetReferral) -> AssetReferral:
        """Refer a person to a community asset."""
        try:
            day = clean_date(referral.referred_on, required=True, not_future=True)
        except ValueError as exc:
            raise ValidationError("referred_on", str(exc)) from None
        require_id("person_id", referral.person_id)
        require_id("asset_id", referral.asset_id)
        session_id = require_id("session_id", referral.session_id, required=False)
        with self._writer.transaction():
            if self._db.scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                            [referral.person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            if session_id is not None and self._db.scalar(
                "SELECT person_id FROM sessions WHERE id = ?", [session_id]
            ) != referral.person_id:
                raise ValidationError("session_id", "is not one of this person's sessions")
            record = self.refer_in_session(referral.person_id, referral.asset_id,
                                           str(iso(day)), session_id)
        return self._saved_referral(record["id"])

    def set_outcome(self, referral_id: str, outcome: str, *,
                             on: date | None = None, notes: str | None = None,
                             expected_outcome: str | None = None) -> AssetReferral:
        """Record what came of a community referral.

        With `expected_outcome` (the outcome shown when the worker chose), the change is
        refused with a StoreConflictError if someone has recorded another outcome since.
        """
        check = Checker()
        chosen = check.check("outcome", clean_choice, outcome, catalogue.REFERRAL_OUTCOMES)
        day = check.check("outcome_date", clean_date, on or date.today(), not_future=True)
        cleaned_notes = None
        if notes is not None:
            cleaned_notes = check.check("notes", clean_text, notes, max_len=LONG_TEXT_MAX,
                                        multiline=True)
        check.raise_if_any()
        require_id("referral_id", referral_id)
        existing = self.get_referral(referral_id)
        if existing is None:
            raise ValidationError("referral_id", "is not a referral on this log")
        changes: dict[str, Any] = {"outcome": chosen,
                                   "outcome_date": None if chosen == "pending" else iso(day)}
        if cleaned_notes is not None:
            changes["notes"] = cleaned_notes
        with self._writer.transaction():
            current = self._saved_referral(referral_id)
            if expected_outcome is not None and current.outcome != expected_outcome:
                theirs = [c for c in self._writer.changes_since("asset_referrals",
                                                                 referral_id, "")
                          if "outcome" in c.after][-1:]
                raise StoreConflictError("asset_referrals", referral_id, theirs,
                                         {"outcome": chosen}, None)
            self._writer.update("asset_referrals", referral_id, changes,
                                person_id=existing.person_id)
        return self._saved_referral(referral_id)

    def get_referral(self, referral_id: str) -> AssetReferral | None:
        """Return one community referral, or None."""
        row = self._db.row("SELECT * FROM asset_referrals WHERE id = ?", [referral_id])
        return referral_from_row(row) if row else None

    def referrals_for(self, person_id: str) -> list[AssetReferral]:
        """Return a person's community referrals, newest first."""
        rows = self._db.rows(
            "SELECT * FROM asset_referrals WHERE person_id = ? ORDER BY referred_on DESC,"
            " created_at DESC",
            [person_id],
        )
        return [referral_from_row(r) for r in rows]

    _REFERRAL_ROWS_SQL = (
        "SELECT r.id, r.person_id, p.name AS person_name, r.asset_id, a.name AS asset_name,"
        " a.category, r.referred_on, r.outcome, r.outcome_date, r.notes"
        " FROM asset_referrals r JOIN community_assets a ON a.id = r.asset_id"
        " JOIN people p ON p.id = r.person_id"
    )

    def referral_rows_for_person(self, person_id: str) -> list[ReferralRow]:
        """Return a person's community referrals with asset names, newest first."""
        rows = self._db.rows(self._REFERRAL_ROWS_SQL + " WHERE r.person_id = ?"
                          " ORDER BY r.referred_on DESC, r.created_at DESC", [person_id])
        return [referral_row_from_row(r) for r in rows]

    def referral_rows_for_asset(self, asset_id: str) -> list[ReferralRow]:
        """Return the referrals made to an asset with people's names, newest first."""
        rows = self._db.rows(self._REFERRAL_ROWS_SQL + " WHERE r.asset_id = ?"
                          " AND p.deleted_at IS NULL"
                          " ORDER BY r.referred_on DESC, r.created_at DESC", [asset_id])
        return [referral_row_from_row(r) for r in rows]

