"""The PCN's own GP codes."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.models import GpCode
from arrs_desktop.store import Store


def add_gp_code(store: Store, code: GpCode) -> OpResult[GpCode]:
    """Add one of the PCN's own codes to record in the GP system."""
    return OpResult(store.gp_codes.add(code), Changes(gp_codes=True, audit=True))


def remove_gp_code(store: Store, code_id: str) -> OpResult[None]:
    """Remove one of the PCN's own codes (shipped codes stay)."""
    store.gp_codes.remove(code_id)
    return OpResult(None, Changes(gp_codes=True, audit=True))
