"""Episode rules, each written once: which statuses are open, the moves allowed and what
each writes, the death rule, which open episode leads, which episode a session belongs to,
what a contact does to a referred episode, and whether an allocation followed the suggestion.

The store calls these inside its transactions; the window calls the same functions to
decide what to offer (the moves a row shows, the roles a person is already with).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from arrs_desktop.domain.catalogue import (
    CLOSURE_REASONS,
    DID_NOT_ATTEND,
    EPISODE_STATUSES,
    EPISODE_TRANSITIONS,
    OPEN_STATUSES,
)
from arrs_desktop.domain.models import Episode
from arrs_desktop.domain.validation import ValidationError

__all__ = [
    "DIED",
    "FINISHED_STATUSES",
    "LEAD_ORDER",
    "MOVED_AWAY",
    "OPEN_STATUSES",
    "allowed_moves",
    "closures_on_death",
    "died_on",
    "episode_for_session",
    "first_contact_changes",
    "followed_suggestion",
    "is_contact",
    "is_open",
    "open_roles",
    "status_move",
]

FINISHED_STATUSES: tuple[str, ...] = tuple(s for s in EPISODE_STATUSES if s not in OPEN_STATUSES)
# The closure reason that records a death: no role works with the person from that day.
DIED = "died"
# The closure reason that takes a person out of triage when it closed their latest episode.
MOVED_AWAY = "moved_away"
# Which open episode leads (is shown as the person's role and status on the caseload): the
# one being worked now, active before referred before on hold; then the earliest referred.
# With no open episode, the latest referred leads.
LEAD_ORDER: tuple[str, ...] = ("active", "referred", "on_hold")

assert DIED in CLOSURE_REASONS and MOVED_AWAY in CLOSURE_REASONS
assert set(LEAD_ORDER) == set(OPEN_STATUSES)


def is_open(status: str | None) -> bool:
    """Return whether an episode in this status is still open (referred, active, on hold)."""
    return status in OPEN_STATUSES


def open_roles(episodes: Iterable[Episode]) -> set[str]:
    """Return the roles a person has an open episode with."""
    return {e.role for e in episodes if is_open(e.status)}


def died_on(episodes: Iterable[Episode]) -> date | None:
    """Return the day a person died: the earliest day an episode of theirs closed for it."""
    days = [e.closure_date for e in episodes
            if e.closure_reason == DIED and e.closure_date is not None]
    return min(days) if days else None


def allowed_moves(status: str) -> frozenset[str]:
    """Return the statuses an episode in `status` may move to."""
    return EPISODE_TRANSITIONS.get(status, frozenset())


def status_move(episode: Episode, new_status: str, day: date,
                reason: str | None) -> dict[str, object]:
    """Return the columns a status move writes; raise ValidationError if it is not allowed.

    Closing records the day and the reason (never before the referral); declining records
    the day; the first move to active records the first contact on that day.
    """
    allowed = allowed_moves(episode.status)
    if new_status not in allowed:
        names = EPISODE_STATUSES
        can = ", ".join(names[s] for s in sorted(allowed)) or "nothing (it is finished)"
        raise ValidationError(
            "status",
            f"cannot move from {names[episode.status]} to {names[new_status]}; "
            f"it can move to {can}",
        )
    changes: dict[str, object] = {"status": new_status}
    if new_status == "closed":
        if day < episode.referral_date:
            raise ValidationError("date", "cannot be before the referral date")
        changes.update(closure_date=day, closure_reason=reason)
    elif new_status == "declined":
        changes.update(closure_date=day, closure_reason=None)
    if new_status == "active" and episode.first_contact_date is None:
        changes["first_contact_date"] = day
    return changes


def closures_on_death(day: date, others: Iterable[Episode]) -> list[tuple[str, dict[str, object]]]:
    """Return the moves the death rule makes: (episode id, columns) for each other episode.

    No role works with someone who has died: their other open episodes close on the same
    day (or on their referral day, if that is later) for the same reason.
    """
    moves: list[tuple[str, dict[str, object]]] = []
    for other in others:
        if other.id is None or not is_open(other.status):
            continue
        moves.append((other.id, {"status": "closed", "closure_reason": DIED,
                                 "closure_date": max(day, other.referral_date)}))
    return moves


def followed_suggestion(suggested_role: str | None, role: str) -> bool | None:
    """Return whether an allocation took the suggested lead (None: there was no suggestion)."""
    return None if suggested_role is None else suggested_role == role


def is_contact(kind: str | None) -> bool:
    """Return whether a session of this kind is a contact (a missed one is not)."""
    return kind != DID_NOT_ATTEND


def episode_for_session(episodes: Iterable[Episode], role: str) -> str | None:
    """Return the id of the open episode a session in `role` belongs to, or None.

    A person has at most one open episode per role; a session logged with no episode
    counts as one of that episode's sessions while it is open.
    """
    for episode in episodes:
        if episode.role == role and is_open(episode.status):
            return episode.id
    return None


def first_contact_changes(status: str, first_contact: date | None,
                          session_day: date) -> dict[str, object]:
    """Return what a contact (a session that is not a missed one) writes on its open episode.

    The episode's first contact is its earliest contact; a referred episode becomes active.
    """
    changes: dict[str, object] = {}
    if first_contact is None or first_contact > session_day:
        changes["first_contact_date"] = session_day
    if status == "referred":
        changes["status"] = "active"
    return changes
