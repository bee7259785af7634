"""Goals and the progress scores given against them."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import Goal, GoalProgress
from arrs_desktop.store import Store


def save_goal(store: Store, goal: Goal, *, on_top: bool = False) -> OpResult[Goal]:
    """Add a goal (no id yet) or save changes to one (refused if it changed since it was
    loaded, unless `on_top`)."""
    saved = store.goals.update(goal, on_top=on_top) if goal.id else store.goals.add(goal)
    return OpResult(saved, Changes(person_id=saved.person_id, goals=True, audit=True))


def add_progress(store: Store, progress: GoalProgress) -> OpResult[GoalProgress]:
    """Record a 0-10 score against a goal."""
    saved = store.goals.add_progress(progress)
    goal = store.goals.get(saved.goal_id)
    return OpResult(saved, Changes(person_id=goal.person_id if goal else None, goals=True,
                                   audit=True))
