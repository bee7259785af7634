"""Which GP-system codes an episode calls for: the rules and the pure matching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrs_desktop.domain.models import Episode, GpCode

# applies_to value -> what it means. A code is suggested for an episode when its rule holds.
GP_CODE_RULES: dict[str, str] = {
    "splw_first_contact": "A link-worker episode that has had its first contact",
    "splw_declined": "A link-worker referral the person declined",
    "cc_first_contact": "A care-coordinator episode that has had its first contact",
    "hwbc_first_contact": "A health-coach episode that has had its first contact",
    "any_first_contact": "Any episode that has had its first contact",
    "any_declined": "Any referral the person declined",
    "closed": "Any episode that has been closed",
    "custom": "Never suggested on its own: kept in the list to pick by hand",
}


@dataclass(frozen=True)
class EpisodeCode:
    """A code to enter in the GP system for an episode, with the day it refers to."""

    code: str
    term: str
    applies_to: str
    why: str
    on: date | None
    shipped: bool = False


def _rule_holds(rule: str, episode: Episode) -> date | None | bool:
    """Return the day a rule holds for an episode (True if it holds undated), else False."""
    contact = episode.first_contact_date
    if rule == "any_first_contact" or rule == f"{episode.role}_first_contact":
        return contact if contact is not None else False
    if rule == "any_declined" or (rule == "splw_declined" and episode.role == "splw"):
        return (episode.closure_date or True) if episode.status == "declined" else False
    if rule == "closed":
        return (episode.closure_date or True) if episode.status == "closed" else False
    return False


def codes_that_apply(episode: Episode, codes: list[GpCode]) -> list[EpisodeCode]:
    """Return the codes whose applies_to rule holds for an episode, shipped codes first."""
    out = []
    for code in sorted(codes, key=lambda c: (not c.shipped, c.term.lower())):
        held = _rule_holds(code.applies_to, episode)
        if held is False:
            continue
        out.append(EpisodeCode(code=code.code, term=code.term, applies_to=code.applies_to,
                               why=GP_CODE_RULES.get(code.applies_to, code.applies_to),
                               on=held if isinstance(held, date) else None,
                               shipped=code.shipped))
    return out


def newly_due(before: Episode | None, after: Episode, codes: list[GpCode]) -> list[EpisodeCode]:
    """Return the codes a change to an episode makes due: those that apply now, not before."""
    had = {c.code for c in codes_that_apply(before, codes)} if before is not None else set()
    return [c for c in codes_that_apply(after, codes) if c.code not in had]
