"""Audited events that change no record (the window locked and unlocked, a restore)."""

from __future__ import annotations

from typing import Any

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.store import Store


def record_event(store: Store, action: str,
                 detail: dict[str, Any] | None = None) -> OpResult[None]:
    """Append an audit line for something that happened but changed no row."""
    store.audit.record_event(action, detail)
    return OpResult(None, Changes(audit=True))


def record_view(store: Store, person_id: str, what: str = "record") -> OpResult[None]:
    """Audit that a person's record was opened: who (the store's user), when, whose."""
    store.audit.record_view(person_id, what)
    return OpResult(None, Changes(person_id=person_id, audit=True))
