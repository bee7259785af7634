"""Frozen dataclasses passed in and out of the store."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Person:
    """Someone on the caseload. `id` is None until the store has saved them."""

    name: str
    date_of_birth: date | None = None
    nhs_number: str | None = None
    address: str = ""
    postcode: str = ""
    gender: str = ""
    ethnicity: str = ""
    phone: str = ""
    gp_practice: str = ""
    care_home_id: str | None = None
    email: str = ""
    preferred_contact: str = ""
    what_matters: str = ""
    id: str | None = None
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None

    def age_on(self, day: date) -> int | None:
        """Return age in whole years on a day."""
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload table."""

    id: str
    name: str
    nhs_number: str | None
    date_of_birth: date | None
    lead_role: str | None
    status: str | None
    worker: str
    next_follow_up: date | None


@dataclass(frozen=True)
class CaseloadFilter:
    """What the caseload table is showing: search text, filters and order."""

    text: str = ""
    role: str | None = None
    status: str | None = None  # an episode status, "open", "none" or None for all
    worker: str | None = None
    overdue_only: bool = False
    today: date | None = None
    sort_column: str = "name"
    descending: bool = False
    include_deleted: bool = False
    # "My caseload": people with an open episode of this worker's, or one in this role
    # that names no worker yet (referred to the role); `pinned` people show whatever the
    # filter (someone just added, with no episode yet).
    mine_worker: str | None = None
    mine_role: str | None = None
    pinned: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedRecord:
    """A need held by a person over a span of time (history of `needs`)."""

    id: str
    person_id: str
    need_id: str
    added_at: str
    removed_at: str | None
    added_by: str = ""
    removed_by: str = ""


@dataclass(frozen=True)
class Episode:
    """A role taking a person on: from referral to closure."""

    person_id: str
    role: str
    referral_date: date
    referral_source: str
    referral_reason: str = ""
    worker: str = ""
    suggested_role: str | None = None
    suggestion: dict[str, Any] = field(default_factory=dict)
    followed_suggestion: bool | None = None
    status: str = "referred"
    first_contact_date: date | None = None
    closure_date: date | None = None
    closure_reason: str | None = None
    share_with_gp: bool = True
    id: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Goal:
    """A self-identified goal."""

    person_id: str
    title: str
    owner_role: str
    baseline: int
    what_matters: str = ""
    target_date: date | None = None
    status: str = "active"
    episode_id: str | None = None
    set_date: date | None = None  # the day it was agreed; today when not given
    achieved_date: date | None = None  # when achieved; today when not given
    id: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class GoalProgress:
    """A 0-10 score against a goal on a day."""

    goal_id: str
    date: date
    score: int
    note: str = ""
    session_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Ons4:
    """ONS4 personal well-being: four separate 0-10 scores, never totalled."""

    life_satisfaction: int
    worthwhile: int
    happy: int
    anxious: int  # higher is worse


@dataclass(frozen=True)
class OutcomeMeasure:
    """Outcome scores recorded on a day (ONS4 and/or SWEMWBS raw)."""

    person_id: str
    date: date
    ons4: Ons4 | None = None
    swemwbs_raw: int | None = None
    session_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Session:
    """A contact with a person."""

    person_id: str
    date: date
    role: str
    kind: str
    mode: str
    minutes: int
    notes: str = ""
    worker: str = ""
    episode_id: str | None = None
    next_follow_up: datetime.date | None = None
    id: str | None = None
    created_at: str = ""


@dataclass(frozen=True)
class SessionEntry:
    """Everything logged in one go from the session form."""

    session: Session
    ons4: Ons4 | None = None
    swemwbs_raw: int | None = None
    goal_scores: tuple[tuple[str, int, str], ...] = ()  # (goal_id, score, note)
    asset_referrals: tuple[str, ...] = ()  # community asset ids


@dataclass(frozen=True)
class CareHome:
    """A care home the PCN looks after."""

    name: str
    address: str = ""
    phone: str = ""
    practice: str = ""
    clinical_lead: str = ""
    lead_worker: str = ""
    id: str | None = None
    updated_at: str = ""  # the version loaded: an edit of an older version is a conflict


@dataclass(frozen=True)
class CareHomeContact:
    """A contact with a care home."""

    care_home_id: str
    date: date
    kind: str
    actions: str = ""
    next_due: datetime.date | None = None
    worker: str = ""
    residents: tuple[str, ...] = ()  # person ids discussed
    id: str | None = None


@dataclass(frozen=True)
class CommunityAsset:
    """A local group or service people can be connected to."""

    name: str
    category: str
    contact: str = ""
    address: str = ""
    notes: str = ""
    active: bool = True
    id: str | None = None
    updated_at: str = ""  # the version loaded: an edit of an older version is a conflict


@dataclass(frozen=True)
class AssetReferral:
    """A person referred to a community asset, and what came of it."""

    person_id: str
    asset_id: str
    referred_on: date
    outcome: str = "pending"
    outcome_date: date | None = None
    notes: str = ""
    session_id: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class GpCode:
    """A code the worker should enter in the GP system."""

    code: str
    term: str
    applies_to: str = "custom"
    shipped: bool = False
    id: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One append-only audit line."""

    seq: int
    at: str
    who: str
    device_id: str
    action: str
    table_name: str
    row_id: str
    person_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class CareHomeOverview:
    """One line of the care homes list: who leads, when last seen, when next due."""

    id: str
    name: str
    lead_worker: str
    clinical_lead: str
    practice: str
    last_contact: date | None
    next_due: date | None
    overdue: bool
    residents: int
    own: bool = False

    def due_soon(self, today: date, days: int = 2) -> bool:
        """Return True when the next contact is due within `days` days (and not overdue)."""
        return (not self.overdue and self.next_due is not None
                and (self.next_due - today).days <= days)


@dataclass(frozen=True)
class ReferralRow:
    """A community referral with the names of the person and the asset."""

    id: str
    person_id: str
    person_name: str
    asset_id: str
    asset_name: str
    category: str
    referred_on: date
    outcome: str
    outcome_date: date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)  # slots: tens of thousands are read at once
class FollowUpItem:
    """Something due today or overdue: a person's follow-up, a care-home contact, a goal."""

    kind: str  # "session" | "care_home" | "goal" | "first_contact"
    due: date
    title: str  # the person's or the home's name
    detail: str = ""
    role: str | None = None
    worker: str = ""  # who it falls to: see store/follow_ups.py
    person_id: str | None = None
    care_home_id: str | None = None
    goal_id: str | None = None
    episode_id: str | None = None  # "session": the episode due; "first_contact": awaiting it
