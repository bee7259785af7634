"""Sessions (contacts) with their outcome measures, goal scores and community referrals."""

from __future__ import annotations

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import Ons4, OutcomeMeasure, Session, SessionEntry
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_id,
    clean_id_list,
    clean_score,
    clean_text,
)
from arrs_desktop.store.base import StoreBase, iso, to_date


def session_from_row(row: dict) -> Session:
    """Build a Session from a `sessions` row."""
    return Session(
        id=row["id"],
        person_id=row["person_id"],
        episode_id=row["episode_id"],
        date=to_date(row["date"]),
        role=row["role"],
        kind=row["kind"],
        mode=row["mode"],
        minutes=row["minutes"],
        notes=row["notes"],
        worker=row["worker"],
        next_follow_up=to_date(row["next_follow_up"]),
        created_at=row["created_at"],
    )


def measure_from_row(row: dict) -> OutcomeMeasure:
    """Build an OutcomeMeasure from an `outcome_measures` row."""
    ons4 = None
    if row["ons4_life_satisfaction"] is not None:
        ons4 = Ons4(row["ons4_life_satisfaction"], row["ons4_worthwhile"], row["ons4_happy"],
                    row["ons4_anxious"])
    return OutcomeMeasure(
        id=row["id"], person_id=row["person_id"], session_id=row["session_id"],
        date=to_date(row["date"]), ons4=ons4, swemwbs_raw=row["swemwbs_raw"],
    )


class SessionsStore(StoreBase):
    """Sessions and outcome measures."""

    def _clean_session_entry(self, entry: SessionEntry) -> tuple[dict, dict | None, list]:
        s = entry.session
        check = Checker()
        if not isinstance(s, Session):
            raise ValidationError("session", "is missing")
        # A missed contact (did not attend / no answer): minutes may be blank, no scores.
        missed = s.kind == catalogue.DID_NOT_ATTEND
        row = {
            "person_id": check.check("person_id", clean_id, s.person_id, required=True),
            "episode_id": check.check("episode_id", clean_id, s.episode_id),
            "date": iso(check.check("date", clean_date, s.date, required=True, not_future=True)),
            "role": check.check("role", clean_choice, s.role, catalogue.ROLE_CODES),
            "kind": check.check("kind", clean_choice, s.kind, catalogue.SESSION_KINDS),
            "mode": check.check("mode", clean_choice, s.mode, catalogue.SESSION_MODES),
            "minutes": check.check("minutes", clean_score, s.minutes, low=0, high=600,
                                   required=not missed),
            "notes": check.check("notes", clean_text, s.notes, max_len=LONG_TEXT_MAX,
                                 multiline=True),
            "worker": check.check("worker", clean_text, s.worker, max_len=120),
            "next_follow_up": iso(check.check("next_follow_up", clean_date, s.next_follow_up)),
        }
        if row["date"] and row["next_follow_up"] and row["next_follow_up"] < row["date"]:
            check.add("next_follow_up", "cannot be before the session date")
        if missed:
            if row["minutes"] is None:
                row["minutes"] = 0
            if entry.ons4 is not None:
                check.add("ons4", "cannot be recorded when the person did not attend")
            if entry.swemwbs_raw is not None:
                check.add("swemwbs_raw", "cannot be recorded when the person did not attend")
            if entry.goal_scores:
                check.add("goal_scores", "cannot be recorded when the person did not attend")
            if entry.asset_referrals:
                check.add("asset_referrals",
                          "cannot be made when the person did not attend")
        measure = None
        if entry.ons4 is not None or entry.swemwbs_raw is not None:
            measure = {"person_id": s.person_id, "date": row["date"]}
            if entry.ons4 is not None and not isinstance(entry.ons4, Ons4):
                check.add("ons4", "must be four scores from 0 to 10")
            elif entry.ons4 is not None:
                for item in catalogue.ONS4_ITEMS:
                    measure[f"ons4_{item}"] = check.check(
                        f"ons4_{item}", clean_score, getattr(entry.ons4, item))
            if entry.swemwbs_raw is not None:
                measure["swemwbs_raw"] = check.check(
                    "swemwbs_raw", clean_score, entry.swemwbs_raw, low=7, high=35)
        scores = []
        goal_scores = entry.goal_scores
        if goal_scores is None:
            goal_scores = ()
        if isinstance(goal_scores, (str, bytes)) or not isinstance(goal_scores, (list, tuple)):
            check.add("goal_scores", "must be a list of (goal, score, note)")
            goal_scores = ()
        for item in goal_scores:
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                check.add("goal_scores", "must be a list of (goal, score, note)")
                continue
            goal_id, score, note = item
            goal_id = check.check("goal_scores", clean_id, goal_id, required=True)
            if goal_id is None:
                continue
            scores.append((
                goal_id,
                check.check(f"goal_score_{goal_id}", clean_score, score),
                check.check(f"goal_note_{goal_id}", clean_text, note, max_len=LONG_TEXT_MAX,
                            multiline=True),
            ))
        referrals = check.check("asset_referrals", clean_id_list, entry.asset_referrals)
        check.raise_if_any()
        return row, measure, scores, referrals

    def log_session(self, entry: SessionEntry) -> Session:
        """Save a session and everything recorded with it, all at once or not at all."""
        if not isinstance(entry, SessionEntry):
            raise ValidationError("session", "is missing")
        row, measure, scores, referrals = self._clean_session_entry(entry)
        person_id = entry.session.person_id
        with self._writing():
            if self._scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                            [person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            died = self.date_of_death(person_id)
            if died is not None and row["date"] > iso(died):
                raise ValidationError("date", f"is after the person died ({died:%d %b %Y})")
            if row["episode_id"] is not None:
                episode = self._row("SELECT * FROM episodes WHERE id = ?", [row["episode_id"]])
                if episode is None or episode["person_id"] != person_id:
                    raise ValidationError("episode_id", "is not one of this person's episodes")
            record = self._insert("sessions", row, person_id=person_id)
            if measure is not None:
                self._insert("outcome_measures", {**measure, "session_id": record["id"]},
                             person_id=person_id)
            for goal_id, score, note in scores:
                goal = self._row("SELECT person_id, set_date FROM goals WHERE id = ?",
                                 [goal_id])
                if goal is None or goal["person_id"] != person_id:
                    raise ValidationError(f"goal_score_{goal_id}",
                                          "is not one of this person's goals")
                if goal["set_date"] and row["date"] < goal["set_date"]:
                    raise ValidationError(f"goal_score_{goal_id}", (
                        "cannot be given: the session is before the goal was agreed "
                        f"({to_date(goal['set_date']):%d %b %Y})"))
                self._insert(
                    "goal_progress",
                    {"goal_id": goal_id, "session_id": record["id"], "date": row["date"],
                     "score": score, "note": note},
                    person_id=person_id,
                )
            for asset_id in referrals:
                self._refer(person_id, asset_id, row["date"], record["id"])
            self._note_first_contact(person_id, row)
            self._refresh_person_summary(person_id)
        return self.get_session(record["id"])

    def _note_first_contact(self, person_id: str, row: dict) -> None:
        """A first session for a role's referred episode makes it active.

        A missed contact (did not attend / no answer) is not a contact: it changes nothing.
        """
        if row["kind"] == catalogue.DID_NOT_ATTEND:
            return
        episodes = self._rows(
            "SELECT id, status, first_contact_date FROM episodes WHERE person_id = ?"
            " AND role = ? AND status IN ('referred', 'active', 'on_hold')",
            [person_id, row["role"]],
        )
        for ep in episodes:
            if row["episode_id"] and ep["id"] != row["episode_id"]:
                continue
            changes = {}
            if ep["first_contact_date"] is None or ep["first_contact_date"] > row["date"]:
                changes["first_contact_date"] = row["date"]
            if ep["status"] == "referred":
                changes["status"] = "active"
            if changes:
                self._update("episodes", ep["id"], changes, person_id=person_id)

    def get_session(self, session_id: str) -> Session | None:
        """Return one session, or None."""
        row = self._row("SELECT * FROM sessions WHERE id = ?", [session_id])
        return session_from_row(row) if row else None

    def sessions_for(self, person_id: str, limit: int = 500) -> list[Session]:
        """Return a person's sessions, newest first."""
        rows = self._rows(
            "SELECT * FROM sessions WHERE person_id = ? ORDER BY date DESC, created_at DESC"
            " LIMIT ?",
            [person_id, limit],
        )
        return [session_from_row(r) for r in rows]

    def measures_for(self, person_id: str) -> list[OutcomeMeasure]:
        """Return a person's outcome measures in date order."""
        rows = self._rows(
            "SELECT * FROM outcome_measures WHERE person_id = ? ORDER BY date, created_at",
            [person_id],
        )
        return [measure_from_row(r) for r in rows]
