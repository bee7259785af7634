"""Episodes: which role took a person, from referral to closure."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Episode
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_flag,
    clean_text,
)
from arrs_desktop.store.base import StoreBase, StoreConflictError, _jsonable, iso, to_date

SUGGESTION_MAX = 20_000  # characters of JSON kept with an episode
OPEN_STATUSES = "('referred', 'active', 'on_hold')"


def episode_from_row(row: dict) -> Episode:
    """Build an Episode from an `episodes` row."""
    followed = row["followed_suggestion"]
    return Episode(
        id=row["id"],
        person_id=row["person_id"],
        role=row["role"],
        worker=row["worker"],
        referral_date=to_date(row["referral_date"]),
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


def lead_order(alias: str = "") -> str:
    """SQL ORDER BY terms that put a person's lead episode first.

    The lead is the open episode being worked now: active before referred before on hold,
    then the earliest referred; with no open episode, the latest referred.
    """
    a = alias
    return (
        f"CASE {a}status WHEN 'active' THEN 0 WHEN 'referred' THEN 1 WHEN 'on_hold' THEN 2"
        f" ELSE 3 END, CASE WHEN {a}status IN ('referred', 'active', 'on_hold')"
        f" THEN {a}referral_date END, {a}referral_date DESC, {a}created_at"
    )


def latest_session_sql(episode: str = "e.") -> str:
    """SQL for the id of an episode's latest session (`episode` is its table alias and dot).

    An episode's sessions are those logged against it, and, while it is open, the person's
    sessions logged against no episode in its role (there is at most one open episode per
    role). Reads the person's sessions through `sessions_person`.
    """
    e = episode
    return (
        f"SELECT s.id FROM sessions s WHERE s.person_id = {e}person_id"
        f" AND (s.episode_id = {e}id OR (s.episode_id IS NULL AND s.role = {e}role))"
        " ORDER BY s.date DESC, s.created_at DESC, s.id DESC LIMIT 1"
    )


def next_follow_up_sql(person: str) -> str:
    """SQL for a person's next follow-up (`person` is an SQL expression for their id).

    For each of the person's open episodes, the next follow-up set at that episode's latest
    session; the earliest of those; NULL when no open episode has one. One role discharging
    the person leaves the follow-ups of the roles still working with them in place.
    """
    return (
        "SELECT min(f.next_follow_up) FROM episodes e JOIN sessions f ON f.id = ("
        f"{latest_session_sql()}) WHERE e.person_id = {person}"
        f" AND e.status IN {OPEN_STATUSES}"
    )


class EpisodesStore(StoreBase):
    """Episodes and the per-person summary the caseload list shows."""

    def open_episode(self, episode: Episode) -> Episode:
        """Record a referral to a role (status `referred`)."""
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
                suggestion_json = json.dumps(_jsonable(episode.suggestion or {}),
                                             sort_keys=True, ensure_ascii=False,
                                             allow_nan=False)
                suggestion_json.encode("utf-8")
            except (TypeError, ValueError, UnicodeError, RecursionError):
                check.add("suggestion", "cannot be stored (it is not plain data)")
            if len(suggestion_json) > SUGGESTION_MAX:
                check.add("suggestion", f"is too large (at most {SUGGESTION_MAX} characters)")
        self._check_id("person_id", episode.person_id)
        check.raise_if_any()
        if followed is None and suggested is not None:
            followed = suggested == role
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
            "share_with_gp": int(share),
        }
        with self._writing():
            if self._scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                            [episode.person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            died = self.date_of_death(episode.person_id)
            if died is not None:
                raise ValidationError(
                    "person_id", f"died on {died:%d %b %Y} (recorded when an episode closed): "
                    "no new episode can be opened")
            if self._scalar(
                "SELECT 1 FROM episodes WHERE person_id = ? AND role = ?"
                " AND status IN ('referred', 'active', 'on_hold')",
                [episode.person_id, role],
            ) is not None:
                name = catalogue.ROLES_BY_CODE[role].short_name.lower()
                raise ValidationError(
                    "role", f"already has an open episode with this person ({name}): "
                    "close it before opening another")
            record = self._insert("episodes", row, person_id=episode.person_id)
            self._refresh_person_summary(episode.person_id)
        return self.get_episode(record["id"])

    def next_contact_for(self, person_id: str) -> tuple[date, str, str] | None:
        """The person's next follow-up as (date, role, worker), by the caseload's rule.

        The earliest next follow-up set at the latest session of each open episode; the
        worker is the episode's, else the session's.
        """
        row = self._row(
            "SELECT f.next_follow_up AS day, e.role AS role,"
            " coalesce(nullif(e.worker, ''), f.worker, '') AS worker"
            f" FROM episodes e JOIN sessions f ON f.id = ({latest_session_sql()})"
            f" WHERE e.person_id = ? AND e.status IN {OPEN_STATUSES}"
            " AND f.next_follow_up IS NOT NULL ORDER BY f.next_follow_up LIMIT 1",
            [person_id])
        return (to_date(row["day"]), row["role"], row["worker"]) if row else None

    def date_of_death(self, person_id: str) -> date | None:
        """Return the day a person died, when an episode was closed for that reason."""
        day = self._scalar(
            "SELECT min(closure_date) FROM episodes WHERE person_id = ?"
            " AND closure_reason = 'died'", [person_id])
        return to_date(day) if day else None

    def get_episode(self, episode_id: str) -> Episode | None:
        """Return one episode, or None."""
        row = self._row("SELECT * FROM episodes WHERE id = ?", [episode_id])
        return episode_from_row(row) if row else None

    def episodes_for(self, person_id: str) -> list[Episode]:
        """Return a person's episodes, open ones first, newest first."""
        rows = self._rows(
            "SELECT * FROM episodes WHERE person_id = ? ORDER BY"
            " status IN ('closed', 'declined'), referral_date DESC, created_at DESC",
            [person_id],
        )
        return [episode_from_row(r) for r in rows]

    def change_episode_status(
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
        the worker saw), a StoreConflictError says who moved it meanwhile.
        """
        self._check_id("episode_id", episode_id)
        if not isinstance(new_status, str) or new_status not in catalogue.EPISODE_STATUSES:
            raise ValidationError("status", f"unknown status {str(new_status)[:40]!r}")
        day = on or date.today()
        try:
            day = clean_date(day, required=True, not_future=True)
        except ValueError as exc:
            raise ValidationError("date", str(exc)) from None
        reason = None
        if new_status == "closed":
            try:
                reason = clean_choice(closure_reason, catalogue.CLOSURE_REASONS)
            except ValueError as exc:
                raise ValidationError("closure_reason", str(exc)) from None
        with self._writing():
            episode = self.get_episode(episode_id)
            if episode is None:
                raise ValidationError("episode_id", "is not an episode on this log")
            if expected_status is not None and episode.status != expected_status:
                theirs = [c for c in self._changes_since("episodes", episode_id, "")
                          if "status" in c.after][-1:]
                raise StoreConflictError("episodes", episode_id, theirs,
                                         {"status": new_status}, None)
            changes = self._status_move(episode, new_status, day, reason)
            self._update("episodes", episode_id, changes, person_id=episode.person_id)
            if changes.get("closure_reason") == "died":
                # No role works with someone who has died: their other open episodes close
                # on the same day for the same reason (each change audited).
                for other in self._rows(
                    "SELECT id, referral_date FROM episodes WHERE person_id = ? AND id != ?"
                    " AND status IN ('referred', 'active', 'on_hold')",
                    [episode.person_id, episode_id],
                ):
                    self._update("episodes", other["id"], {
                        "status": "closed", "closure_reason": "died",
                        "closure_date": max(iso(day), other["referral_date"])},
                        person_id=episode.person_id)
            self._refresh_person_summary(episode.person_id)
        return self.get_episode(episode_id)

    @staticmethod
    def _status_move(episode: Episode, new_status: str, day: date,
                     reason: str | None) -> dict:
        """Return the columns a status move writes; raise if the move is not allowed."""
        allowed = catalogue.EPISODE_TRANSITIONS[episode.status]
        if new_status not in allowed:
            names = catalogue.EPISODE_STATUSES
            can = ", ".join(names[s] for s in sorted(allowed)) or "nothing (it is finished)"
            raise ValidationError(
                "status",
                f"cannot move from {names[episode.status]} to {names[new_status]}; "
                f"it can move to {can}",
            )
        changes: dict = {"status": new_status}
        if new_status == "closed":
            if day < episode.referral_date:
                raise ValidationError("date", "cannot be before the referral date")
            changes.update(closure_date=iso(day), closure_reason=reason)
        elif new_status == "declined":
            changes.update(closure_date=iso(day), closure_reason=None)
        if new_status == "active" and episode.first_contact_date is None:
            changes["first_contact_date"] = iso(day)
        return changes

    def set_episode_consent(self, episode_id: str, share_with_gp: bool) -> Episode:
        """Record whether the person agrees to share this episode with their GP."""
        self._check_id("episode_id", episode_id)
        try:
            share_with_gp = clean_flag(share_with_gp)
        except ValueError as exc:
            raise ValidationError("share_with_gp", str(exc)) from None
        episode = self.get_episode(episode_id)
        if episode is None:
            raise ValidationError("episode_id", "is not an episode on this log")
        with self._writing():
            self._update("episodes", episode_id, {"share_with_gp": int(bool(share_with_gp))},
                         person_id=episode.person_id)
        return replace(episode, share_with_gp=bool(share_with_gp))

    def _refresh_person_summary(self, person_id: str) -> None:
        """Recompute the caseload columns (lead role, status, worker, next follow-up)."""
        lead = self._row(
            "SELECT role, status, worker FROM episodes WHERE person_id = ?"
            f" ORDER BY {lead_order()}",
            [person_id],
        )
        follow = self._scalar(next_follow_up_sql("?"), [person_id])
        changes = {
            "lead_role": lead["role"] if lead else None,
            "episode_status": lead["status"] if lead else None,
            "lead_worker": lead["worker"] if lead else "",
            "next_follow_up": follow,
        }
        current = self._row(
            "SELECT lead_role, episode_status, lead_worker, next_follow_up FROM people"
            " WHERE id = ?",
            [person_id],
        )
        if current and any(current[k] != v for k, v in changes.items()):
            # Derived columns: kept in step with episodes/sessions, not audited separately.
            sets = ", ".join(f"{k} = ?" for k in changes)
            self.db.execute(f"UPDATE people SET {sets} WHERE id = ?",
                            [*changes.values(), person_id])
