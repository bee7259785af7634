"""Triage's rules: who is waiting for allocation, and how they are ranked.

Triage is proactive case-finding: people with needs whom no role is supporting. Left out
always: anyone with an episode closed because they died, and anyone whose latest episode
closed because they moved away. People whose latest episode was closed or declined less
than `RECENTLY_SEEN_DAYS` days ago are in the ranking but marked `recent`: the Triage view
hides them unless "Include people seen before" is ticked.

The ranking is by the suggested lead's score (the role match's own scoring,
`matching.lead_of`), then the number of needs (both highest first), then name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from arrs_desktop.domain.episodes import DIED, MOVED_AWAY

# Someone whose latest episode was closed or declined this many days ago or fewer was seen
# recently: Triage leaves them out unless asked to include people seen before.
RECENTLY_SEEN_DAYS = 90
# Closure reasons that take a person out of triage for good (died: any episode; moved
# away: the latest one).
GONE_REASONS = (DIED, MOVED_AWAY)


@dataclass(frozen=True)
class TriageRow:
    """One person waiting for allocation, with what the role match suggests."""

    id: str
    name: str
    nhs_number: str | None
    date_of_birth: date | None
    needs: tuple[str, ...]
    lead_role: str
    lead_score: float
    supporting: tuple[str, ...]
    care_home_id: str | None = None
    last_status: str | None = None  # the latest episode's status: closed or declined
    last_date: date | None = None  # when it was closed or declined
    last_reason: str | None = None  # why it was closed (a CLOSURE_REASONS code)


class TriageRank(NamedTuple):
    """One person's place in the triage ranking: who, the suggested lead and its score.

    A plain tuple: a ranking holds tens of thousands, and tuples of text and numbers are
    left alone by Python's garbage collector, which otherwise pauses every thread.
    """

    id: str
    lead_role: str
    lead_score: float
    n_needs: int
    last_status: str | None = None  # the latest episode's status (closed or declined)
    last_date: str | None = None  # its closure date, ISO text
    last_reason: str | None = None  # its closure reason code
    recent: bool = False  # closed or declined within RECENTLY_SEEN_DAYS


def recently_seen_since(today: date) -> date:
    """Return the first day whose closures and declines count as seen recently."""
    return today - timedelta(days=RECENTLY_SEEN_DAYS)
