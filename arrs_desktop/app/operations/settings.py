"""The user's settings (kept in the settings folder by arrs_desktop/settings.py)."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.settings import Settings
from arrs_desktop.store import Store


def use_settings(store: Store, settings: Settings) -> OpResult[Settings]:
    """Use new settings from now on: their name goes on every change audited."""
    store.user = settings.user_name or store.user
    return OpResult(settings, Changes(settings=True))
