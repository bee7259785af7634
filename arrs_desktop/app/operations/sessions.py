"""Sessions: a contact with a person, with everything recorded at it."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import Session, SessionEntry
from arrs_desktop.store import Store


def log_session(store: Store, entry: SessionEntry) -> OpResult[Session]:
    """Save a session with its scores, goal reviews and community referrals, all at once.

    A contact can start the role's episode (first contact) and sets the person's next
    follow-up, so the episodes and the caseload row change too.
    """
    session = store.sessions.log(entry)
    return OpResult(session, Changes(
        person_id=session.person_id, sessions=True, episodes=True, caseload=True,
        goals=bool(entry.goal_scores), referrals=bool(entry.asset_referrals), audit=True))
