"""Return the role to preselect: the user's own, else the person's lead role, else splw."""

from __future__ import annotations

from arrs_desktop.domain.catalogue import ROLES, ROLES_BY_CODE
from arrs_desktop.domain.episodes import is_open


def default_role(store, settings, person_id: str | None) -> str:
    """Return the role to preselect: the user's own, else the person's lead role, else splw."""
    if settings.role in ROLES_BY_CODE:
        return settings.role
    if person_id:
        for episode in store.episodes.for_person(person_id):
            if is_open(episode.status):
                return episode.role
    return ROLES[0].code
