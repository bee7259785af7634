"""Care homes with their contact log, community assets and referrals to them, GP codes."""

from __future__ import annotations

from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.gp_codes import GP_CODE_RULES
from arrs_desktop.domain.models import (
    AssetReferral,
    CareHome,
    CareHomeContact,
    CommunityAsset,
    GpCode,
    ReferralRow,
)
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_flag,
    clean_id,
    clean_id_list,
    clean_text,
    search_key,
)
from arrs_desktop.store.base import StoreBase, StoreConflictError, iso, to_date


def care_home_from_row(row: dict) -> CareHome:
    """Build a CareHome from a `care_homes` row."""
    return CareHome(id=row["id"], name=row["name"], address=row["address"], phone=row["phone"],
                    practice=row["practice"], clinical_lead=row["clinical_lead"],
                    lead_worker=row["lead_worker"], updated_at=row["updated_at"])


def asset_from_row(row: dict) -> CommunityAsset:
    """Build a CommunityAsset from a `community_assets` row."""
    return CommunityAsset(id=row["id"], name=row["name"], category=row["category"],
                          contact=row["contact"], address=row["address"], notes=row["notes"],
                          active=bool(row["active"]), updated_at=row["updated_at"])


def referral_from_row(row: dict) -> AssetReferral:
    """Build an AssetReferral from an `asset_referrals` row."""
    return AssetReferral(id=row["id"], person_id=row["person_id"], asset_id=row["asset_id"],
                         session_id=row["session_id"], referred_on=to_date(row["referred_on"]),
                         outcome=row["outcome"], outcome_date=to_date(row["outcome_date"]),
                         notes=row["notes"])


def referral_row_from_row(row: dict) -> ReferralRow:
    """Build a ReferralRow from a joined referral query row."""
    return ReferralRow(id=row["id"], person_id=row["person_id"], person_name=row["person_name"],
                       asset_id=row["asset_id"], asset_name=row["asset_name"],
                       category=row["category"], referred_on=to_date(row["referred_on"]),
                       outcome=row["outcome"], outcome_date=to_date(row["outcome_date"]),
                       notes=row["notes"])


class CommunityStore(StoreBase):
    """Care homes, community assets, referrals and GP codes."""

    # -- care homes ----------------------------------------------------------------------
    def _clean_care_home(self, home: CareHome) -> dict:
        check = Checker()
        row = {
            "name": check.check("name", clean_text, home.name, required=True),
            "address": check.check("address", clean_text, home.address, max_len=300,
                                   multiline=True),
            "phone": check.check("phone", clean_text, home.phone, max_len=40),
            "practice": check.check("practice", clean_text, home.practice),
            "clinical_lead": check.check("clinical_lead", clean_text, home.clinical_lead),
            "lead_worker": check.check("lead_worker", clean_text, home.lead_worker),
        }
        check.raise_if_any()
        return row

    def add_care_home(self, home: CareHome) -> CareHome:
        """Save a new care home."""
        row = self._clean_care_home(home)
        with self._writing():
            record = self._insert("care_homes", row, person_id=None)
        return self.get_care_home(record["id"])

    def update_care_home(self, home: CareHome, *, on_top: bool = False) -> CareHome:
        """Save changes to a care home (refused if it changed since `home` was loaded)."""
        self._check_id("id", home.id)
        row = self._clean_care_home(home)
        with self._writing():
            if self.get_care_home(home.id) is None:
                raise ValidationError("id", "is not a care home on this log")
            self._update("care_homes", home.id, row, person_id=None,
                         base_version=home.updated_at or None, on_top=on_top)
        return self.get_care_home(home.id)

    def get_care_home(self, home_id: str) -> CareHome | None:
        """Return one care home, or None."""
        row = self._row("SELECT * FROM care_homes WHERE id = ?", [home_id])
        return care_home_from_row(row) if row else None

    def care_homes(self) -> list[CareHome]:
        """Return every care home by name."""
        rows = self._rows("SELECT * FROM care_homes WHERE deleted_at IS NULL ORDER BY name")
        return [care_home_from_row(r) for r in rows]

    def log_care_home_contact(self, contact: CareHomeContact) -> CareHomeContact:
        """Save a contact with a care home and the residents discussed."""
        check = Checker()
        day = check.check("date", clean_date, contact.date, required=True, not_future=True)
        row = {
            "care_home_id": check.check("care_home_id", clean_id, contact.care_home_id,
                                        required=True),
            "date": iso(day),
            "kind": check.check("kind", clean_choice, contact.kind,
                                catalogue.CARE_HOME_CONTACT_KINDS),
            "actions": check.check("actions", clean_text, contact.actions,
                                   max_len=LONG_TEXT_MAX, multiline=True),
            "next_due": iso(check.check("next_due", clean_date, contact.next_due)),
            "worker": check.check("worker", clean_text, contact.worker, max_len=120),
        }
        if row["date"] and row["next_due"] and row["next_due"] < row["date"]:
            check.add("next_due", "cannot be before the contact date")
        residents = check.check("residents", clean_id_list, contact.residents)
        check.raise_if_any()
        with self._writing():
            if self.get_care_home(contact.care_home_id) is None:
                raise ValidationError("care_home_id", "is not a care home on this log")
            record = self._insert("care_home_contacts", row, person_id=None)
            for person_id in dict.fromkeys(residents):
                resident = self._row("SELECT care_home_id FROM people WHERE id = ?",
                                     [person_id])
                if resident is None or resident["care_home_id"] != contact.care_home_id:
                    raise ValidationError("residents", "may only list this home's residents")
                self.db.execute(
                    "INSERT INTO care_home_contact_residents (contact_id, person_id)"
                    " VALUES (?, ?)",
                    [record["id"], person_id],
                )
                self._audit("create", "care_home_contact_residents", record["id"], person_id,
                            None, {"contact_id": record["id"], "person_id": person_id})
        return self.care_home_contacts(contact.care_home_id, limit=1)[0]

    def care_home_contacts(self, home_id: str, limit: int = 200) -> list[CareHomeContact]:
        """Return a home's contacts, newest first."""
        rows = self._rows(
            "SELECT c.*, (SELECT group_concat(person_id) FROM care_home_contact_residents r"
            " WHERE r.contact_id = c.id) AS residents FROM care_home_contacts c"
            " WHERE care_home_id = ? ORDER BY date DESC, created_at DESC LIMIT ?",
            [home_id, limit],
        )
        return [
            CareHomeContact(
                id=r["id"], care_home_id=r["care_home_id"], date=to_date(r["date"]),
                kind=r["kind"], actions=r["actions"], next_due=to_date(r["next_due"]),
                worker=r["worker"],
                residents=tuple(sorted((r["residents"] or "").split(","))) if r["residents"]
                else (),
            )
            for r in rows
        ]

    def care_home_next_due(self, home_id: str) -> date | None:
        """Return when the next contact with a home is due (from its latest contact)."""
        value = self._scalar(
            "SELECT next_due FROM care_home_contacts WHERE care_home_id = ?"
            " ORDER BY date DESC, created_at DESC LIMIT 1",
            [home_id],
        )
        return to_date(value)

    def residents_of(self, home_id: str) -> list[tuple[str, str]]:
        """Return (person id, name) of a home's residents on the caseload."""
        rows = self._rows(
            "SELECT id, name FROM people WHERE care_home_id = ? AND deleted_at IS NULL"
            " ORDER BY search_name",
            [home_id],
        )
        return [(r["id"], r["name"]) for r in rows]

    # -- community assets ----------------------------------------------------------------
    def _clean_asset(self, asset: CommunityAsset) -> dict:
        check = Checker()
        row = {
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
        with self._writing():
            record = self._insert("community_assets", row, person_id=None)
        return self.get_asset(record["id"])

    def update_asset(self, asset: CommunityAsset, *, on_top: bool = False) -> CommunityAsset:
        """Save changes to a community asset (refused if it changed since it was loaded)."""
        self._check_id("id", asset.id)
        row = self._clean_asset(asset)
        with self._writing():
            if self.get_asset(asset.id) is None:
                raise ValidationError("id", "is not a community asset on this log")
            self._update("community_assets", asset.id, row, person_id=None,
                         base_version=asset.updated_at or None, on_top=on_top)
        return self.get_asset(asset.id)

    def get_asset(self, asset_id: str) -> CommunityAsset | None:
        """Return one community asset, or None."""
        row = self._row("SELECT * FROM community_assets WHERE id = ?", [asset_id])
        return asset_from_row(row) if row else None

    def _ensure_fold(self) -> None:
        """Give the connection `arrs_fold(text)`: lower case, accents removed."""
        if getattr(self, "_fold_conn", None) is not self.db.conn:  # once per connection
            self.db.conn.create_function("arrs_fold", 1, search_key, deterministic=True)
            self._fold_conn = self.db.conn

    def search_assets(self, text: str = "", category: str | None = None,
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
        rows = self._rows(f"SELECT * FROM community_assets WHERE {where}"
                          " ORDER BY name COLLATE NOCASE, id", params)
        return [asset_from_row(r) for r in rows]

    def _refer(self, person_id: str, asset_id: str, day: str, session_id: str | None) -> dict:
        if self._scalar("SELECT 1 FROM community_assets WHERE id = ?", [asset_id]) is None:
            raise ValidationError("asset_id", "is not a community asset on this log")
        return self._insert(
            "asset_referrals",
            {"person_id": person_id, "asset_id": asset_id, "session_id": session_id,
             "referred_on": day, "outcome": "pending"},
            person_id=person_id,
        )

    def refer_to_asset(self, referral: AssetReferral) -> AssetReferral:
        """Refer a person to a community asset."""
        try:
            day = clean_date(referral.referred_on, required=True, not_future=True)
        except ValueError as exc:
            raise ValidationError("referred_on", str(exc)) from None
        self._check_id("person_id", referral.person_id)
        self._check_id("asset_id", referral.asset_id)
        session_id = self._check_id("session_id", referral.session_id, required=False)
        with self._writing():
            if self._scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                            [referral.person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            if session_id is not None and self._scalar(
                "SELECT person_id FROM sessions WHERE id = ?", [session_id]
            ) != referral.person_id:
                raise ValidationError("session_id", "is not one of this person's sessions")
            record = self._refer(referral.person_id, referral.asset_id, iso(day), session_id)
        return self.get_referral(record["id"])

    def set_referral_outcome(self, referral_id: str, outcome: str, *,
                             on: date | None = None, notes: str | None = None,
                             expected_outcome: str | None = None) -> AssetReferral:
        """Record what came of a community referral.

        With `expected_outcome` (the outcome shown when the worker chose), the change is
        refused with a StoreConflictError if someone has recorded another outcome since.
        """
        check = Checker()
        outcome = check.check("outcome", clean_choice, outcome, catalogue.REFERRAL_OUTCOMES)
        day = check.check("outcome_date", clean_date, on or date.today(), not_future=True)
        cleaned_notes = None
        if notes is not None:
            cleaned_notes = check.check("notes", clean_text, notes, max_len=LONG_TEXT_MAX,
                                        multiline=True)
        check.raise_if_any()
        self._check_id("referral_id", referral_id)
        existing = self.get_referral(referral_id)
        if existing is None:
            raise ValidationError("referral_id", "is not a referral on this log")
        changes = {"outcome": outcome,
                   "outcome_date": None if outcome == "pending" else iso(day)}
        if cleaned_notes is not None:
            changes["notes"] = cleaned_notes
        with self._writing():
            current = self.get_referral(referral_id)
            if expected_outcome is not None and current.outcome != expected_outcome:
                theirs = [c for c in self._changes_since("asset_referrals", referral_id, "")
                          if "outcome" in c.after][-1:]
                raise StoreConflictError("asset_referrals", referral_id, theirs,
                                         {"outcome": outcome}, None)
            self._update("asset_referrals", referral_id, changes, person_id=existing.person_id)
        return self.get_referral(referral_id)

    def get_referral(self, referral_id: str) -> AssetReferral | None:
        """Return one community referral, or None."""
        row = self._row("SELECT * FROM asset_referrals WHERE id = ?", [referral_id])
        return referral_from_row(row) if row else None

    def referrals_for(self, person_id: str) -> list[AssetReferral]:
        """Return a person's community referrals, newest first."""
        rows = self._rows(
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
        rows = self._rows(self._REFERRAL_ROWS_SQL + " WHERE r.person_id = ?"
                          " ORDER BY r.referred_on DESC, r.created_at DESC", [person_id])
        return [referral_row_from_row(r) for r in rows]

    def referral_rows_for_asset(self, asset_id: str) -> list[ReferralRow]:
        """Return the referrals made to an asset with people's names, newest first."""
        rows = self._rows(self._REFERRAL_ROWS_SQL + " WHERE r.asset_id = ?"
                          " AND p.deleted_at IS NULL"
                          " ORDER BY r.referred_on DESC, r.created_at DESC", [asset_id])
        return [referral_row_from_row(r) for r in rows]

    # -- GP codes ------------------------------------------------------------------------
    def gp_codes(self) -> list[GpCode]:
        """Return the GP codes table: shipped codes first, then the PCN's own."""
        rows = self._rows("SELECT * FROM gp_codes ORDER BY shipped DESC, term")
        return [GpCode(id=r["id"], code=r["code"], term=r["term"], applies_to=r["applies_to"],
                       shipped=bool(r["shipped"])) for r in rows]

    def add_gp_code(self, code: GpCode) -> GpCode:
        """Add a PCN's own code to record in the GP system."""
        check = Checker()
        value = check.check("code", clean_text, code.code, required=True, max_len=18)
        if value and not value.isdigit():
            check.add("code", "must be a SNOMED CT concept id (digits only)")
        term = check.check("term", clean_text, code.term, required=True)
        applies_to = check.check("applies_to", clean_choice, code.applies_to or "custom",
                                 GP_CODE_RULES)
        check.raise_if_any()
        with self._writing():
            if self._scalar("SELECT 1 FROM gp_codes WHERE code = ?", [value]):
                raise ValidationError("code", "is already in the codes table")
            record = self._insert("gp_codes", {"code": value, "term": term,
                                               "applies_to": applies_to, "shipped": 0},
                                  person_id=None)
        return GpCode(id=record["id"], code=value, term=term, applies_to=applies_to)
