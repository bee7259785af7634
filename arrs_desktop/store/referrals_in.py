"""The referral in (one per episode, to the standard's referral model) and people's safety
alerts. The checks are the standard's (standards/referral.py, applied by the operations);
the store keeps the rows and refuses what its columns cannot hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from arrs_desktop.domain.validation import ValidationError, require_id
from arrs_desktop.store.rows import Db, Row, iso
from arrs_desktop.store.writer import Writer

REFERRAL_COLUMNS = ("referrer_name", "referrer_role", "referrer_organisation", "referrer_phone",
                    "referrer_email", "urgency", "what_matters", "consent_to_share")
ALERT_COLUMNS = ("kind", "detail", "raised_on", "raised_by", "show_on_plan", "ended_on")


class ReferralsRepository:
    """The referral each episode was opened from."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def add(self, episode_id: str, values: Mapping[str, Any]) -> Row:
        """Record the referral an episode was opened from (inside the opening transaction)."""
        require_id("episode_id", episode_id)
        with self._writer.transaction():
            episode = self._db.row("SELECT id, person_id FROM episodes WHERE id = ?",
                                   [episode_id])
            if episode is None:
                raise ValidationError("episode_id", "is not an episode on this log")
            if self._db.scalar("SELECT 1 FROM referrals WHERE episode_id = ?", [episode_id]):
                raise ValidationError("episode_id", "already has its referral recorded")
            row = {k: values[k] for k in REFERRAL_COLUMNS if k in values}
            row["consent_to_share"] = int(bool(row.get("consent_to_share")))
            return self._writer.insert(
                "referrals", {"episode_id": episode_id, "person_id": episode["person_id"],
                              **row}, person_id=episode["person_id"])

    def for_episode(self, episode_id: str) -> Row | None:
        """Return an episode's referral, or None (episodes opened before referrals were
        recorded, and those allocated without one)."""
        return self._db.row("SELECT * FROM referrals WHERE episode_id = ?", [episode_id])

    def for_person(self, person_id: str) -> list[Row]:
        """Return the referrals of a person's episodes."""
        return self._db.rows("SELECT * FROM referrals WHERE person_id = ? ORDER BY created_at",
                             [person_id])


class AlertsRepository:
    """People's safety alerts: added, ended (kept for the record), read."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def _require_person(self, person_id: str) -> None:
        require_id("person_id", person_id)
        if self._db.scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                           [person_id]) is None:
            raise ValidationError("person_id", "is not a person on this log")

    def add(self, person_id: str, values: Mapping[str, Any]) -> Row:
        """Record a safety alert on a person."""
        with self._writer.transaction():
            self._require_person(person_id)
            row = {k: values[k] for k in ALERT_COLUMNS if k in values}
            for key in ("raised_on", "ended_on"):
                if isinstance(row.get(key), date):
                    row[key] = iso(row[key])
            row["show_on_plan"] = int(bool(row.get("show_on_plan")))
            return self._writer.insert("safety_alerts", {"person_id": person_id, **row},
                                       person_id=person_id)

    def add_many(self, person_id: str, alerts: Iterable[Mapping[str, Any]]) -> list[Row]:
        """Record several alerts on a person, all or none."""
        with self._writer.transaction():
            return [self.add(person_id, a) for a in alerts]

    def end(self, alert_id: str, on: date) -> Row:
        """Say an alert stopped applying on a day (it stays on the record)."""
        require_id("alert_id", alert_id)
        with self._writer.transaction():
            row = self.get(alert_id)
            if row is None:
                raise ValidationError("alert_id", "is not a safety alert on this log")
            if row["ended_on"]:
                raise ValidationError("ended_on", "the alert has ended already")
            if on.isoformat() < row["raised_on"]:
                raise ValidationError("ended_on", "cannot be before the day it was raised")
            _, after = self._writer.update("safety_alerts", alert_id,
                                           {"ended_on": on.isoformat()},
                                           person_id=row["person_id"], action="end")
            return after

    def get(self, alert_id: str) -> Row | None:
        """Return one alert, or None."""
        return self._db.row("SELECT * FROM safety_alerts WHERE id = ?", [alert_id])

    def for_person(self, person_id: str) -> list[Row]:
        """Return every alert of a person (ended ones too), oldest first."""
        return self._db.rows(
            "SELECT * FROM safety_alerts WHERE person_id = ? ORDER BY raised_on, created_at",
            [person_id])

    def kinds_in_force(self, person_ids: Iterable[str], day: date) -> dict[str, list[str]]:
        """Return person id -> the kinds of their alerts in force on a day (for the lists'
        markers); people with none are left out."""
        ids = list(dict.fromkeys(person_ids))
        out: dict[str, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for r in self._db.rows(
                    f"SELECT person_id, kind FROM safety_alerts WHERE person_id IN ({marks})"
                    " AND (ended_on IS NULL OR ended_on > ?) ORDER BY raised_on, created_at",
                    [*chunk, day.isoformat()]):
                kinds = out.setdefault(r["person_id"], [])
                if r["kind"] not in kinds:
                    kinds.append(r["kind"])
        return out
