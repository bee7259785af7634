"""Self-identified goals and the progress scores recorded against them."""

from __future__ import annotations

from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.goals import before_agreed
from arrs_desktop.domain.models import Goal, GoalProgress
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    Checker,
    ValidationError,
    clean_choice,
    clean_date,
    clean_id,
    clean_score,
    clean_text,
    require_id,
)
from arrs_desktop.store.rows import Db, Row, iso, to_date, to_day
from arrs_desktop.store.writer import Writer


def goal_from_row(row: Row) -> Goal:
    """Build a Goal from a `goals` row."""
    return Goal(
        id=row["id"],
        person_id=row["person_id"],
        episode_id=row["episode_id"],
        title=row["title"],
        what_matters=row["what_matters"],
        owner_role=row["owner_role"],
        baseline=row["baseline"],
        target_date=to_date(row["target_date"]),
        status=row["status"],
        set_date=to_date(row["set_date"]),
        achieved_date=to_date(row["achieved_date"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def progress_from_row(row: Row) -> GoalProgress:
    """Build a GoalProgress from a `goal_progress` row."""
    return GoalProgress(
        id=row["id"],
        goal_id=row["goal_id"],
        session_id=row["session_id"],
        date=to_day(row["date"]),
        score=row["score"],
        note=row["note"],
    )


class GoalsRepository:
    """Goals and the progress scores recorded against them."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def clean(self, goal: Goal) -> dict[str, Any]:
        """Return a goal as columns; raise ValidationError naming every field at fault."""
        check = Checker()
        row: dict[str, Any] = {
            "title": check.check("title", clean_text, goal.title, required=True),
            "what_matters": check.check("what_matters", clean_text, goal.what_matters,
                                        max_len=LONG_TEXT_MAX, multiline=True),
            "owner_role": check.check("owner_role", clean_choice, goal.owner_role,
                                      catalogue.ROLE_CODES),
            "baseline": check.check("baseline", clean_score, goal.baseline),
            "target_date": iso(check.check("target_date", clean_date, goal.target_date)),
            "status": check.check("status", clean_choice, goal.status, catalogue.GOAL_STATUSES),
            "episode_id": check.check("episode_id", clean_id, goal.episode_id),
            "set_date": iso(check.check("set_date", clean_date, goal.set_date or date.today(),
                                        not_future=True)),
        }
        if row["status"] == "achieved" and goal.achieved_date is not None:
            achieved = check.check("achieved_date", clean_date, goal.achieved_date,
                                   not_future=True)
            if achieved and row["set_date"] and achieved.isoformat() < row["set_date"]:
                check.add("achieved_date", "cannot be before the day the goal was set")
            row["achieved_date"] = iso(achieved)
        if (row["target_date"] and row["set_date"] and row["target_date"] < row["set_date"]
                and row["status"] == "active"):
            check.add("target_date", "cannot be before the day the goal was set")
        check.raise_if_any()
        return row

    def _check_goal_episode(self, person_id: str, episode_id: str | None) -> None:
        if episode_id is None:
            return
        owner = self._db.scalar("SELECT person_id FROM episodes WHERE id = ?", [episode_id])
        if owner != person_id:
            raise ValidationError("episode_id", "is not one of this person's episodes")

    def add(self, goal: Goal) -> Goal:
        """Save a new goal for a person."""
        require_id("person_id", goal.person_id)
        row = self.clean(goal)
        if row["status"] == "achieved" and "achieved_date" not in row:
            row["achieved_date"] = row["set_date"]
        with self._writer.transaction():
            self._require_person(goal.person_id)
            self._check_goal_episode(goal.person_id, row["episode_id"])
            record = self._writer.insert("goals", {"person_id": goal.person_id, **row},
                                  person_id=goal.person_id)
        return self._saved(record["id"])

    def _saved(self, goal_id: str) -> Goal:
        goal = self.get(goal_id)
        assert goal is not None
        return goal

    def update(self, goal: Goal, *, on_top: bool = False) -> Goal:
        """Save changes to a goal (title, baseline, target date, status...).

        `goal.updated_at` is the version the form loaded: an edit of an older version is
        refused with a StoreConflictError (or, `on_top`, only its own changes are written).
        """
        goal_id = require_id("id", goal.id)
        assert goal_id is not None
        row = self.clean(goal)
        with self._writer.transaction():
            existing = self.get(goal_id)
            if existing is None:
                raise ValidationError("id", "is not a goal on this log")
            self._check_goal_episode(existing.person_id, row["episode_id"])
            if row["status"] != "achieved":
                row["achieved_date"] = None
            elif existing.status != "achieved" and "achieved_date" not in row:
                row["achieved_date"] = date.today().isoformat()
            if goal.set_date is None:
                row["set_date"] = iso(existing.set_date) or row["set_date"]
            self._writer.update("goals", goal_id, row, person_id=existing.person_id,
                                base_version=goal.updated_at or None, on_top=on_top)
        return self._saved(goal_id)

    def get(self, goal_id: str) -> Goal | None:
        """Return one goal, or None."""
        row = self._db.row("SELECT * FROM goals WHERE id = ?", [goal_id])
        return goal_from_row(row) if row else None

    def for_person(self, person_id: str) -> list[Goal]:
        """Return a person's goals: active first, then by when they were set."""
        rows = self._db.rows(
            "SELECT * FROM goals WHERE person_id = ? ORDER BY status != 'active', created_at",
            [person_id],
        )
        return [goal_from_row(r) for r in rows]

    def _clean_progress(self, progress: GoalProgress) -> dict[str, Any]:
        check = Checker()
        row: dict[str, Any] = {
            "goal_id": check.check("goal_id", clean_id, progress.goal_id, required=True),
            "date": iso(check.check("date", clean_date, progress.date, required=True,
                                    not_future=True)),
            "score": check.check("score", clean_score, progress.score),
            "note": check.check("note", clean_text, progress.note, max_len=LONG_TEXT_MAX,
                                multiline=True),
            "session_id": check.check("session_id", clean_id, progress.session_id),
        }
        check.raise_if_any()
        return row

    def add_progress(self, progress: GoalProgress) -> GoalProgress:
        """Record a 0-10 progress score against a goal."""
        row = self._clean_progress(progress)
        with self._writer.transaction():
            goal = self.get(progress.goal_id)
            if goal is None:
                raise ValidationError("goal_id", "is not a goal on this log")
            if goal.set_date is not None and row["date"] < iso(goal.set_date):
                raise ValidationError("date", before_agreed(goal.set_date))
            if row["session_id"] is not None and self._db.scalar(
                "SELECT person_id FROM sessions WHERE id = ?", [row["session_id"]]
            ) != goal.person_id:
                raise ValidationError("session_id", "is not one of this person's sessions")
            record = self._writer.insert("goal_progress", row, person_id=goal.person_id)
        saved = self._db.row("SELECT * FROM goal_progress WHERE id = ?", [record["id"]])
        assert saved is not None
        return progress_from_row(saved)

    def progress_for(self, goal_id: str) -> list[GoalProgress]:
        """Return a goal's progress scores in date order."""
        rows = self._db.rows(
            "SELECT * FROM goal_progress WHERE goal_id = ? ORDER BY date, created_at", [goal_id]
        )
        return [progress_from_row(r) for r in rows]

    def _require_person(self, person_id: str) -> None:
        if self._db.scalar("SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL",
                        [person_id]) is None:
            raise ValidationError("person_id", "is not a person on this log")
