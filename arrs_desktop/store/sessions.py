"""Sessions (contacts) with their outcome measures, goal scores and community referrals."""

from __future__ import annotations

from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.episodes import first_contact_changes, is_contact
from arrs_desktop.domain.goals import score_allowed_on
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
from arrs_desktop.store.community import CommunityRepository
from arrs_desktop.store.episodes import EpisodesRepository
from arrs_desktop.store.rows import Db, Row, as_columns, iso, to_date, to_day
from arrs_desktop.store.sql import OPEN
from arrs_desktop.store.summary import PersonSummary
from arrs_desktop.store.writer import Writer


def session_from_row(row: Row) -> Session:
    """Build a Session from a `sessions` row."""
    return Session(
        id=row["id"],
        person_id=row["person_id"],
        episode_id=row["episode_id"],
        date=to_day(row["date"]),
        role=row["role"],
        kind=row["kind"],
        mode=row["mode"],
        minutes=row["minutes"],
        notes=row["notes"],
        worker=row["worker"],
        next_follow_up=to_date(row["next_follow_up"]),
        created_at=row["created_at"],
    )


def measure_from_row(row: Row) -> OutcomeMeasure:
    """Build an OutcomeMeasure from an `outcome_measures` row."""
    ons4 = None
    if row["ons4_life_satisfaction"] is not None:
        ons4 = Ons4(row["ons4_life_satisfaction"], row["ons4_worthwhile"], row["ons4_happy"],
                    row["ons4_anxious"])
    return OutcomeMeasure(
        id=row["id"], person_id=row["person_id"], session_id=row["session_id"],
        date=to_day(row["date"]),
        ons4=ons4, swemwbs_raw=row["swemwbs_raw"],
    )


class SessionsRepository:
    """Log a session with everything recorded with it; read sessions and outcome measures.

    A session is one write with its measures, goal scores and community referrals (through
    `community`); a contact makes the role's referred episode active (the domain's rule)
    and the person's caseload columns are kept in step (`summary`).
    """

    def __init__(self, db: Db, writer: Writer, *, episodes: EpisodesRepository,
                 community: CommunityRepository, summary: PersonSummary) -> None:
        self._db = db
        self._writer = writer
        self._episodes = episodes
        self._community = community
        self._summary = summary

    def clean(self, entry: SessionEntry) -> tuple[dict[str, Any], dict[str, Any] | None,
                                                 list[tuple[str, int | None, str | None]],
                                                 tuple[str, ...]]:
        """Return a session entry as columns: (session, measure, goal scores, referrals).

        Raises ValidationError naming every field at fault."""
        s = entry.session
        check = Checker()
        if not isinstance(s, Session):
            raise ValidationError("session", "is missing")
        # A missed contact (did not attend / no answer): minutes may be blank, no scores.
        missed = s.kind == catalogue.DID_NOT_ATTEND
        row: dict[str, Any] = {
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
        measure: dict[str, Any] | None = None
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
        scores: list[tuple[str, int | None, str | None]] = []
        goal_scores = entry.goal_scores
        if goal_scores is None:
            goal_scores = ()
        if isinstance(goal_scores, (str, bytes)) or not isinstance(goal_scores, (list, tuple)):
            check.add("goal_scores", "must be a list of (goal, score, note)")
            goal_scores = ()
        for given in goal_scores:
            if not isinstance(given, (list, tuple)) or len(given) != 3:
                check.add("goal_scores", "must be a list of (goal, score, note)")
                continue
            given_id, score, note = given
            goal_id = check.check("goal_scores", clean_id, given_id, required=True)
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
        return row, measure, scores, referrals or ()

    def log(self, entry: SessionEntry) -> Session:
        """Save a session and everything recorded with it, all at once or not at all."""
        if not isinstance(entry, SessionEntry):
            raise ValidationError("session", "is missing")
        row, measure, scores, referrals = self.clean(entry)
        person_id = entry.session.person_id
        writer = self._writer
        with writer.transaction():
            if self._db.scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                               [person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            died = self._episodes.date_of_death(person_id)
            if died is not None and row["date"] > iso(died):
                raise ValidationError("date", f"is after the person died ({died:%d %b %Y})")
            if row["episode_id"] is not None:
                episode = self._db.row("SELECT person_id FROM episodes WHERE id = ?",
                                       [row["episode_id"]])
                if episode is None or episode["person_id"] != person_id:
                    raise ValidationError("episode_id", "is not one of this person's episodes")
            record = writer.insert("sessions", row, person_id=person_id)
            if measure is not None:
                writer.insert("outcome_measures", {**measure, "session_id": record["id"]},
                              person_id=person_id)
            for goal_id, score, note in scores:
                goal = self._db.row("SELECT person_id, set_date FROM goals WHERE id = ?",
                                    [goal_id])
                if goal is None or goal["person_id"] != person_id:
                    raise ValidationError(f"goal_score_{goal_id}",
                                          "is not one of this person's goals")
                set_date = to_date(goal["set_date"])
                if not score_allowed_on(set_date, to_day(row["date"])):
                    raise ValidationError(f"goal_score_{goal_id}", (
                        "cannot be given: the session is before the goal was agreed "
                        f"({set_date:%d %b %Y})"))
                writer.insert(
                    "goal_progress",
                    {"goal_id": goal_id, "session_id": record["id"], "date": row["date"],
                     "score": score, "note": note},
                    person_id=person_id,
                )
            for asset_id in referrals:
                self._community.refer_in_session(person_id, asset_id, row["date"], record["id"])
            self._note_first_contact(person_id, row)
            self._summary.refresh(person_id)
        return self._saved(record["id"])

    def _note_first_contact(self, person_id: str, row: dict[str, Any]) -> None:
        """A contact with a role's open episode records its first contact and makes a
        referred one active (domain `first_contact_changes`); a missed contact changes
        nothing."""
        if not is_contact(row["kind"]):
            return
        day = to_date(row["date"])
        assert day is not None
        episodes = self._db.rows(
            "SELECT id, status, first_contact_date FROM episodes WHERE person_id = ?"
            f" AND role = ? AND status IN {OPEN}",
            [person_id, row["role"]],
        )
        for ep in episodes:
            if row["episode_id"] and ep["id"] != row["episode_id"]:
                continue
            changes = first_contact_changes(ep["status"], to_date(ep["first_contact_date"]),
                                            day)
            if changes:
                self._writer.update("episodes", ep["id"], as_columns(changes),
                                    person_id=person_id)

    def get(self, session_id: str) -> Session | None:
        """Return one session, or None."""
        row = self._db.row("SELECT * FROM sessions WHERE id = ?", [session_id])
        return session_from_row(row) if row else None

    def _saved(self, session_id: str) -> Session:
        session = self.get(session_id)
        assert session is not None
        return session

    def for_person(self, person_id: str, limit: int = 500) -> list[Session]:
        """Return a person's sessions, newest first."""
        rows = self._db.rows(
            "SELECT * FROM sessions WHERE person_id = ? ORDER BY date DESC, created_at DESC"
            " LIMIT ?",
            [person_id, limit],
        )
        return [session_from_row(r) for r in rows]

    def measures_for(self, person_id: str) -> list[OutcomeMeasure]:
        """Return a person's outcome measures in date order."""
        rows = self._db.rows(
            "SELECT * FROM outcome_measures WHERE person_id = ? ORDER BY date, created_at",
            [person_id],
        )
        return [measure_from_row(r) for r in rows]
