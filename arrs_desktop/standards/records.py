"""One episode's records, gathered for the documents the standards ask for.

The store (or a test) fills an `EpisodeRecords` with the models it already has; the
minimum dataset, the message back to the GP and the codes to record are pure functions
over it. Nothing here reads the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import (
    AssetReferral,
    CommunityAsset,
    Episode,
    Goal,
    GoalProgress,
    OutcomeMeasure,
    Person,
    Session,
)
from arrs_desktop.standards.codes import (
    SHIPPED_CODE_LIST,
    CodeDue,
    CodeListEntry,
    codes_due,
    episode_milestones,
)
from arrs_desktop.standards.measures import (
    ONS4,
    FirstLatest,
    MeasureDefinition,
    MeasureRecord,
    first_to_latest,
    ons4_records,
)
from arrs_desktop.standards.referral import Referral, SafetyAlert


@dataclass(frozen=True)
class EpisodeRecords:
    """One episode and what was recorded with it.

    `sessions`, `goals`, `outcomes` and `measures` are the episode's own (recorded in its
    sessions, or set in it); `progress` is the progress on those goals; `activities` are the
    community referrals made while it was open, and `assets` the groups they name. `needs`
    are the person's current need ids. `person_shares` is False when any of the person's
    episodes has "share with GP" off: exports then leave out their direct identifiers.
    """

    person: Person
    episode: Episode
    needs: tuple[str, ...] = ()
    sessions: tuple[Session, ...] = ()
    goals: tuple[Goal, ...] = ()
    progress: tuple[GoalProgress, ...] = ()
    outcomes: tuple[OutcomeMeasure, ...] = ()
    measures: tuple[MeasureRecord, ...] = ()  # a PCN's measures (each with its code)
    activities: tuple[AssetReferral, ...] = ()
    assets: tuple[CommunityAsset, ...] = ()
    referral: Referral | None = None
    alerts: tuple[SafetyAlert, ...] = ()
    person_shares: bool = True

    @property
    def shares_with_gp(self) -> bool:
        """Return the person's consent to share this episode with their GP."""
        return bool(self.episode.share_with_gp)

    def contacts(self, up_to: date | None = None) -> tuple[Session, ...]:
        """Return the episode's contacts (not missed ones), oldest first, up to a day."""
        return tuple(sorted(
            (s for s in self.sessions if s.kind != catalogue.DID_NOT_ATTEND
             and (up_to is None or s.date <= up_to)),
            key=lambda s: (s.date, s.created_at, s.id or "")))

    def missed(self, up_to: date | None = None) -> int:
        """Return how many contacts were missed (did not attend / no answer)."""
        return sum(1 for s in self.sessions if s.kind == catalogue.DID_NOT_ATTEND
                   and (up_to is None or s.date <= up_to))

    def need_ids(self) -> tuple[str, ...]:
        """Return the person's needs in catalogue order (unknown ids last, as given)."""
        known = [n for n in catalogue.NEED_IDS if n in self.needs]
        return (*known, *(n for n in self.needs if n not in catalogue.NEEDS_BY_ID))

    def goal_progress(self, goal: Goal, up_to: date | None = None) -> tuple[GoalProgress, ...]:
        """Return the progress recorded on one goal, oldest first."""
        return tuple(sorted((p for p in self.progress if p.goal_id == goal.id
                             and (up_to is None or p.date <= up_to)),
                            key=lambda p: (p.date, p.id or "")))

    def asset_name(self, asset_id: str) -> str:
        """Return a community group's name ('A community group' if it is not known)."""
        for asset in self.assets:
            if asset.id == asset_id:
                return asset.name
        return "A community group"

    def asset_category(self, asset_id: str) -> str:
        """Return a community group's category in plain words ('' if it is not known)."""
        for asset in self.assets:
            if asset.id == asset_id:
                return catalogue.ASSET_CATEGORIES.get(asset.category, asset.category)
        return ""

    def measure_records(self, definition: MeasureDefinition) -> tuple[MeasureRecord, ...]:
        """Return the recordings of one measure in this episode (ONS4 from its outcomes)."""
        roles = {s.id: s.role for s in self.sessions if s.id}
        if definition.code == ONS4.code:
            return ons4_records(self.outcomes, roles)
        return tuple(r for r in self.measures if r.code.upper() == definition.code.upper())

    def first_to_latest(self, definitions: Iterable[MeasureDefinition],
                        up_to: date | None = None,
                        ) -> tuple[tuple[MeasureDefinition, tuple[FirstLatest, ...]], ...]:
        """Return each measure recorded in the episode with its first and latest scores."""
        out = []
        for definition in definitions:
            rows = first_to_latest(definition, self.measure_records(definition), up_to)
            if rows:
                out.append((definition, rows))
        return tuple(out)

    def codes_due(self, code_list: Iterable[CodeListEntry] = SHIPPED_CODE_LIST,
                  ) -> tuple[CodeDue, ...]:
        """Return the codes the episode's events call for, from a code list."""
        return codes_due(episode_milestones(self.episode, self.sessions, self.goals),
                         code_list)
