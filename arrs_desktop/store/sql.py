"""SQL built from the domain's rules, shared by the parts of the store that need it.

Each rule is written once in the domain (`domain/episodes.py`); what SQLite must evaluate
itself (to filter, order or page over the whole caseload) is built here from the same
constants, never typed again as literals.
"""

from __future__ import annotations

from arrs_desktop.domain.episodes import DIED, FINISHED_STATUSES, LEAD_ORDER, OPEN_STATUSES
from arrs_desktop.store.rows import sql_list

#: ('referred', 'active', 'on_hold'): the open statuses, for `status IN {OPEN}`.
OPEN = sql_list(OPEN_STATUSES)
#: ('closed', 'declined')
FINISHED = sql_list(FINISHED_STATUSES)
#: The closure reason of a death, quoted.
DIED_SQL = f"'{DIED}'"


def lead_order(alias: str = "") -> str:
    """SQL ORDER BY terms that put a person's lead episode first (domain `LEAD_ORDER`).

    The lead is the open episode being worked now: active before referred before on hold,
    then the earliest referred; with no open episode, the latest referred.
    """
    a = alias
    ranks = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(LEAD_ORDER))
    return (
        f"CASE {a}status {ranks} ELSE {len(LEAD_ORDER)} END,"
        f" CASE WHEN {a}status IN {OPEN} THEN {a}referral_date END,"
        f" {a}referral_date DESC, {a}created_at"
    )


def latest_session_sql(episode: str = "e.") -> str:
    """SQL for the id of an episode's latest session (`episode` is its table alias and dot).

    An episode's sessions are those logged against it, and, while it is open, the person's
    sessions logged against no episode in its role (the domain's `episode_for_session`:
    there is at most one open episode per role). Reads the person's sessions through
    `sessions_person`.
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
        f" AND e.status IN {OPEN}"
    )
