"""Return the role to preselect: the user's own, else the person's lead role, else splw."""

from __future__ import annotations

from arrs_desktop.domain.catalogue import ROLES, ROLES_BY_CODE


def default_role(store, settings, person_id: str | None) -> str:
    """Return the role to preselect: the user's own, else the person's lead role, else splw."""
    role = getattr(settings, "role", "") if settings is not None else ""
    if role in ROLES_BY_CODE:
        return role
    if person_id:
        for episode in store.episodes.for_person(person_id):
            if episode.status in ("referred", "active", "on_hold"):
                return episode.role
    return ROLES[0].code
