"""Episodes: which role took a person, from referral to closure (rules in domain/episodes)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.episodes import (
    DIED,
    closures_on_death,
    died_on,
    followed_suggestion,
    status_move,
)
from arrs_desktop.domain.models import Episode
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_flag,
    clean_text,
    require_id,
)
from arrs_desktop.store.errors import StoreConflictError
from arrs_desktop.store.rows import Db, Row, as_columns, iso, jsonable, to_date, to_day
from arrs_desktop.store.sql import FINISHED, OPEN, latest_session_sql
from arrs_desktop.store.summary import PersonSummary
from arrs_desktop.store.writer import Writer

SUGGESTION_MAX = 20_000  # characters of JSON kept with an episode


def episode_from_row(row: Row) -> Episode:
    """Build an Episode from an `episodes` row."""
    followed = row["followed_suggestion"]
    return Episode(
        id=row["id"],
        person_id=row["person_id"],
        role=row["role"],
        worker=row["worker"],
        referral_date=to_day(row["referral_date"]),
        referral_source=row["referral_source"],
        referral_reason=row["referral_reason"],
        suggested_role=row["suggested_role"],
        suggestion=json.loads(row["suggestion_json"] or "{}"),
        followed_suggestion=None if followed is None else bool(followed),
        status=row["status"],
        first_contact_date=to_date(row["first_contact_date"]),
        closure_date=to_date(row["closure_date"]),
        closure_reason=row["closure_reason"],
        share_with_gp=bool(row["share_with_gp"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


class EpisodesRepository:
    """Open, read and move episodes; each write keeps the person's caseload columns in step."""

    def __init__(self, db: Db, writer: Writer, summary: PersonSummary) -> None:
        self._db = db
        self._writer = writer
        self._summary = summary

    def open(self, episode: Episode) -> Episode:
        """Record a referral to a role (status `referred`).

        Whether the role is the suggested lead is worked out here by the domain's rule
        unless the episode says (`followed_suggestion`).
        """
        check = Checker()
        role = check.check("role", clean_choice, episode.role, catalogue.ROLE_CODES)
        referral_date = check.check("referral_date", clean_date, episode.referral_date,
                                    required=True, not_future=True)
        source = check.check("referral_source", clean_choice, episode.referral_source,
                             catalogue.REFERRAL_SOURCES)
        reason = check.check("referral_reason", clean_text, episode.referral_reason,
                             max_len=LONG_TEXT_MAX, multiline=True)
        worker = check.check("worker", clean_text, episode.worker, max_len=120)
        suggested = check.check("suggested_role", clean_choice, episode.suggested_role,
                                catalogue.ROLE_CODES, required=False)
        share = check.check("share_with_gp", clean_flag, episode.share_with_gp)
        followed = episode.followed_suggestion
        if followed is not None:
            followed = check.check("followed_suggestion", clean_flag, followed)
        suggestion_json = "{}"
        if episode.suggestion is not None and not isinstance(episode.suggestion, dict):
            check.add("suggestion", "must be the role-match result (a mapping)")
        else:
            try:
                suggestion_json = json.dumps(jsonable(episode.suggestion or {}),
                                             sort_keys=True, ensure_ascii=False,
                                             allow_nan=False)
                suggestion_json.encode("utf-8")
            except (TypeError, ValueError, UnicodeError, RecursionError):
                check.add("suggestion", "cannot be stored (it is not plain data)")
            if len(suggestion_json) > SUGGESTION_MAX:
                check.add("suggestion", f"is too large (at most {SUGGESTION_MAX} characters)")
        require_id("person_id", episode.person_id)
        check.raise_if_any()
        assert role is not None
        if followed is None:
            followed = followed_suggestion(suggested, role)
        row = {
            "person_id": episode.person_id,
            "role": role,
            "worker": worker,
            "referral_date": iso(referral_date),
            "referral_source": source,
            "referral_reason": reason,
            "suggested_role": suggested,
            "suggestion_json": suggestion_json,
            "followed_suggestion": None if followed is None else int(bool(followed)),
            "status": "referred",
            "share_with_gp": int(bool(share)),
        }
        with self._writer.transaction():
            if self._db.scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                               [episode.person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            died = self.date_of_death(episode.person_id)
            if died is not None:
                raise ValidationError(
                    "person_id", f"died on {died:%d %b %Y} (recorded when an episode closed): "
                    "no new episode can be opened")
            if self._db.scalar(
                f"SELECT 1 FROM episodes WHERE person_id = ? AND role = ? AND status IN {OPEN}",
                [episode.person_id, role],
            ) is not None:
                name = catalogue.ROLES_BY_CODE[role].short_name.lower()
                raise ValidationError(
                    "role", f"already has an open episode with this person ({name}): "
                    "close it before opening another")
            record = self._writer.insert("episodes", row, person_id=episode.person_id)
            self._summary.refresh(episode.person_id)
        return self._saved(record["id"])

    def next_contact(self, person_id: str) -> tuple[date, str, str] | None:
        """The person's next follow-up as (date, role, worker), by the caseload's rule.

        The earliest next follow-up set at the latest session of each open episode; the
        worker is the episode's, else the session's.
        """
        row = self._db.row(
            "SELECT f.next_follow_up AS day, e.role AS role,"
            " coalesce(nullif(e.worker, ''), f.worker, '') AS worker"
            f" FROM episodes e JOIN sessions f ON f.id = ({latest_session_sql()})"
            f" WHERE e.person_id = ? AND e.status IN {OPEN}"
            " AND f.next_follow_up IS NOT NULL ORDER BY f.next_follow_up LIMIT 1",
            [person_id])
        if row is None:
            return None
        day = to_date(row["day"])
        assert day is not None
        return day, row["role"], row["worker"]

    def date_of_death(self, person_id: str) -> date | None:
        """Return the day a person died (the domain's rule over their episodes)."""
        return died_on(self.for_person(person_id))

    def get(self, episode_id: str) -> Episode | None:
        """Return one episode, or None."""
        row = self._db.row("SELECT * FROM episodes WHERE id = ?", [episode_id])
        return episode_from_row(row) if row else None

    def _saved(self, episode_id: str) -> Episode:
        episode = self.get(episode_id)
        assert episode is not None
        return episode

    def for_person(self, person_id: str) -> list[Episode]:
        """Return a person's episodes, open ones first, newest first."""
        rows = self._db.rows(
            "SELECT * FROM episodes WHERE person_id = ? ORDER BY"
            f" status IN {FINISHED}, referral_date DESC, created_at DESC",
            [person_id],
        )
        return [episode_from_row(r) for r in rows]

    def change_status(
        self,
        episode_id: str,
        new_status: str,
        *,
        on: date | None = None,
        closure_reason: str | None = None,
        expected_status: str | None = None,
    ) -> Episode:
        """Move an episode along referred → active → on hold → closed, or to declined.

        The move is checked against the episode's status inside the write, so two windows
        closing one episode at once cannot both succeed. With `expected_status` (the status
        the worker saw), a StoreConflictError says who moved it meanwhile. Closing one
        because the person died closes their other open episodes (the death rule).
        """
        require_id("episode_id", episode_id)
        if not isinstance(new_status, str) or new_status not in catalogue.EPISODE_STATUSES:
            raise ValidationError("status", f"unknown status {str(new_status)[:40]!r}")
        try:
            day = clean_date(on or date.today(), required=True, not_future=True)
        except ValueError as exc:
            raise ValidationError("date", str(exc)) from None
        assert day is not None
        reason = None
        if new_status == "closed":
            try:
                reason = clean_choice(closure_reason, catalogue.CLOSURE_REASONS)
            except ValueError as exc:
                raise ValidationError("closure_reason", str(exc)) from None
        with self._writer.transaction():
            episode = self.get(episode_id)
            if episode is None:
                raise ValidationError("episode_id", "is not an episode on this log")
            if expected_status is not None and episode.status != expected_status:
                theirs = [c for c in self._writer.changes_since("episodes", episode_id, "")
                          if "status" in c.after][-1:]
                raise StoreConflictError("episodes", episode_id, theirs,
                                         {"status": new_status}, None)
            changes = status_move(episode, new_status, day, reason)
            self._writer.update("episodes", episode_id, as_columns(changes),
                                person_id=episode.person_id)
            if changes.get("closure_reason") == DIED:
                others = [e for e in self.for_person(episode.person_id) if e.id != episode_id]
                for other_id, closing in closures_on_death(day, others):
                    self._writer.update("episodes", other_id, as_columns(closing),
                                        person_id=episode.person_id)
            self._summary.refresh(episode.person_id)
        return self._saved(episode_id)

    def set_consent(self, episode_id: str, share_with_gp: Any) -> Episode:
        """Record whether the person agrees to share this episode with their GP."""
        require_id("episode_id", episode_id)
        try:
            share = clean_flag(share_with_gp)
        except ValueError as exc:
            raise ValidationError("share_with_gp", str(exc)) from None
        episode = self.get(episode_id)
        if episode is None:
            raise ValidationError("episode_id", "is not an episode on this log")
        with self._writer.transaction():
            self._writer.update("episodes", episode_id, {"share_with_gp": int(bool(share))},
                                person_id=episode.person_id)
        return replace(episode, share_with_gp=bool(share))
