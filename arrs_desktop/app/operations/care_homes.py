"""Care homes and the contacts with them."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import CareHome, CareHomeContact
from arrs_desktop.store import Store


def save_care_home(store: Store, home: CareHome, *, on_top: bool = False) -> OpResult[CareHome]:
    """Add a care home (no id yet) or save changes to one (refused if it changed since it
    was loaded, unless `on_top`)."""
    saved = store.care_homes.update(home, on_top=on_top) if home.id else store.care_homes.add(home)
    return OpResult(saved, Changes(care_homes=True, audit=True))


def log_care_home_contact(store: Store, contact: CareHomeContact) -> OpResult[CareHomeContact]:
    """Save a contact with a care home and the residents discussed."""
    saved = store.care_homes.log_contact(contact)
    return OpResult(saved, Changes(care_homes=True, audit=True))
