"""Episodes: allocating a person to a role, moving an episode along, consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.catalogue import NEEDS_BY_ID
from arrs_desktop.domain.gp_codes import EpisodeCode, newly_due
from arrs_desktop.domain.matching import MatchResult, Rules, match_roles
from arrs_desktop.domain.models import Episode
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import Store

CONSENT_NEEDED = ("needs an answer: ask the person whether they agree, or choose Not asked "
                  "yet")


@dataclass(frozen=True)
class Allocation:
    """A referral of a person to a role, as the worker confirmed it."""

    person_id: str
    role: str
    referral_date: date | str | None
    referral_source: str
    referral_reason: str = ""
    worker: str = ""
    share_with_gp: bool | None = None  # None: the question was not answered


@dataclass(frozen=True)
class EpisodeMove:
    """An episode after a status move, and the GP codes the move made due."""

    episode: Episode
    new_codes: tuple[EpisodeCode, ...] = ()


def suggested_match(store: Store, rules: Rules, person_id: str) -> MatchResult:
    """Return the role match for the needs stored for a person now."""
    return match_roles([n for n in store.needs.current(person_id) if n in NEEDS_BY_ID], rules)


def allocate(store: Store, rules: Rules, allocation: Allocation) -> OpResult[Episode]:
    """Open an episode with a role, recording the suggestion worked out from the needs
    stored now (not from what a screen shows) and whether this followed it."""
    if allocation.share_with_gp is None:
        raise ValidationError("share_with_gp", CONSENT_NEEDED)
    with store.transaction():
        match = suggested_match(store, rules, allocation.person_id)
        episode = store.episodes.open(Episode(
            person_id=allocation.person_id, role=allocation.role, worker=allocation.worker,
            referral_date=allocation.referral_date,  # type: ignore[arg-type]  # checked
            referral_source=allocation.referral_source,
            referral_reason=allocation.referral_reason, suggested_role=match.lead,
            suggestion=match.to_json_dict(), share_with_gp=bool(allocation.share_with_gp)))
    return OpResult(episode, Changes(person_id=episode.person_id, episodes=True,
                                     caseload=True, audit=True))


def move_episode(store: Store, episode_id: str, status: str, *, on: date | None = None,
                 closure_reason: str | None = None,
                 expected_status: str | None = None) -> OpResult[EpisodeMove]:
    """Move an episode to a new status (the death rule closes the person's others); say
    which GP codes the move made due."""
    before = store.episodes.get(episode_id)
    after = store.episodes.change_status(episode_id, status, on=on,
                                         closure_reason=closure_reason,
                                         expected_status=expected_status)
    codes = tuple(newly_due(before, after, store.gp_codes.all()))
    return OpResult(EpisodeMove(after, codes), Changes(
        person_id=after.person_id, episodes=True, caseload=True, audit=True))


def set_consent(store: Store, episode_id: str, share_with_gp: bool) -> OpResult[Episode]:
    """Record whether the person agrees to share an episode with their GP."""
    episode = store.episodes.set_consent(episode_id, share_with_gp)
    return OpResult(episode, Changes(person_id=episode.person_id, episodes=True, audit=True))
