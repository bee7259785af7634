"""A person's needs."""

from __future__ import annotations

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.store import Store


def tick_need(store: Store, person_id: str, need_id: str,
              present: bool) -> OpResult[frozenset[str]]:
    """Record that a person has (or no longer has) a need; return their needs now.

    The one write a tick costs: the role match is worked out again from the needs this
    returns, with no read of the file.
    """
    needs = store.needs.tick(person_id, need_id, present)
    return OpResult(needs, Changes(person_id=person_id, needs=True, audit=True))
