"""Community groups and services, and referring people to them."""

from __future__ import annotations

from datetime import date

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import AssetReferral, CommunityAsset
from arrs_desktop.store import Store


def save_asset(store: Store, asset: CommunityAsset, *,
               on_top: bool = False) -> OpResult[CommunityAsset]:
    """Add a community asset (no id yet) or save changes to one (refused if it changed
    since it was loaded, unless `on_top`)."""
    if asset.id:
        saved = store.community.update_asset(asset, on_top=on_top)
    else:
        saved = store.community.add_asset(asset)
    return OpResult(saved, Changes(community=True, audit=True))


def refer_to_asset(store: Store, referral: AssetReferral) -> OpResult[AssetReferral]:
    """Refer a person to a community asset."""
    saved = store.community.refer(referral)
    return OpResult(saved, Changes(person_id=saved.person_id, referrals=True, audit=True))


def set_referral_outcome(store: Store, referral_id: str, outcome: str, *,
                         on: date | None = None, notes: str | None = None,
                         expected_outcome: str | None = None) -> OpResult[AssetReferral]:
    """Record what came of a community referral (refused if someone recorded another
    outcome since `expected_outcome` was shown)."""
    saved = store.community.set_outcome(referral_id, outcome, on=on, notes=notes,
                                        expected_outcome=expected_outcome)
    return OpResult(saved, Changes(person_id=saved.person_id, referrals=True, audit=True))
