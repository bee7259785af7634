"""What a write changed: a frozen set of flags every view can test to decide what to redraw.

In the spirit of Anki's `OpChanges`: an operation says *what kinds of thing* changed (and
for which person), never which widget should redraw; each view tests the flags of what it
shows (`if changes.needs and changes.touches(self.person_id)`) and ignores the rest. The
same value describes a change made here, a file replaced by a restore (`Changes.EVERYTHING`)
or rows pulled from the team server (`Changes.of_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import ClassVar, Generic, TypeVar

T = TypeVar("T")

# Which flag a row of each table of the caseload changes (rows pulled from the team).
TABLE_FLAGS: dict[str, tuple[str, ...]] = {
    "people": ("person", "people", "caseload", "what_matters"),
    "needs": ("needs",),
    "episodes": ("episodes", "caseload"),
    "goals": ("goals",),
    "goal_progress": ("goals",),
    "sessions": ("sessions", "caseload"),
    "outcome_measures": ("sessions",),
    "asset_referrals": ("referrals",),
    "care_homes": ("care_homes",),
    "care_home_contacts": ("care_homes",),
    "care_home_contact_residents": ("care_homes",),
    "community_assets": ("community",),
    "gp_codes": ("gp_codes",),
    "referrals": ("episodes",),
    "safety_alerts": ("alerts",),
    "measure_scores": ("sessions",),
    "gp_messages": ("gp_messages",),
    "code_list": ("code_list",),
    "audit_log": ("audit",),
}


@dataclass(frozen=True)
class Changes:
    """What changed in a write (or a restore, or a pull from the team).

    `person_id` is the one person it was about; None when it was about no one in
    particular, or about many (then every person-level flag may concern anyone).
    """

    person_id: str | None = None
    person: bool = False  # a person's details: name, birth date, contact, care home
    what_matters: bool = False  # "what matters to me"
    people: bool = False  # who is on the caseload: added, deleted, erased, imported
    needs: bool = False
    episodes: bool = False  # referrals, status moves, consent
    goals: bool = False  # goals and their progress scores
    sessions: bool = False  # sessions with their outcome measures
    referrals: bool = False  # people's community referrals and their outcomes
    caseload: bool = False  # a caseload row's columns: lead role, status, worker, follow-up
    care_homes: bool = False  # care homes, their contacts and residents
    community: bool = False  # community groups and services
    gp_codes: bool = False  # the GP codes table
    alerts: bool = False  # a person's safety alerts
    gp_messages: bool = False  # letters sent to the GP about an episode
    code_list: bool = False  # the PCN's code list (codes per role and event)
    audit: bool = False  # audit lines were written (every saved change writes one)
    settings: bool = False  # the user's settings: name, role, lock time
    everything: bool = False  # the whole file changed (restored from a backup)

    EVERYTHING: ClassVar[Changes]

    def touches(self, person_id: str | None) -> bool:
        """Return whether this may concern the person shown (None: no one is shown)."""
        if person_id is None:
            return False
        return self.everything or self.person_id is None or self.person_id == person_id

    @property
    def saved(self) -> bool:
        """Return whether anything was written to the caseload file."""
        return self.audit or self.everything

    def __or__(self, other: Changes) -> Changes:
        """Return the changes of two writes together."""
        merged = {f.name: getattr(self, f.name) or getattr(other, f.name)
                  for f in fields(self) if f.name != "person_id"}
        person = self.person_id if self.person_id == other.person_id else None
        return Changes(person_id=person, **merged)

    def records_changed(self) -> bool:
        """Return whether any record of the caseload changed (not just the settings, nor
        only an audit line of an event)."""
        return any(getattr(self, f.name) for f in fields(self)
                   if f.name not in ("person_id", "settings", "audit"))

    @classmethod
    def of_rows(cls, tables: Iterable[str], person_ids: Iterable[str] = ()) -> Changes:
        """Return the changes of rows written in these tables (for rows pulled from the
        team server: `team.outbox.AppliedPull`), about these people."""
        flags = {flag for table in tables for flag in TABLE_FLAGS.get(table, ())}
        people = sorted(set(person_ids))
        return cls(person_id=people[0] if len(people) == 1 else None, audit=True,
                   **dict.fromkeys(flags, True))


_ALL: dict[str, bool] = {f.name: True for f in fields(Changes) if f.name != "person_id"}
Changes.EVERYTHING = Changes(**_ALL)  # type: ignore[arg-type]  # every flag is a bool


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """What an operation returns: what it made or saved, and what changed."""

    value: T
    changes: Changes
