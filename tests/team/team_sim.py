"""A simulated team for the merge tests: replicas that make changes and swap entries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from arrs_desktop.domain.validation import search_key
from arrs_desktop.team.entries import ChangeEntry, EntryKind, JSONValue
from arrs_desktop.team.hlc import HybridClock
from arrs_desktop.team.merge import (
    TeamState,
    apply_entries,
    conflicts_of,
    fold_status,
    possible_duplicates,
    raw_values,
    tables_of,
)
from arrs_desktop.team.tables import CASELOAD_SCHEMA

SCHEMA = CASELOAD_SCHEMA
_ids = iter(range(1, 10**9))


def next_id() -> str:
    """Return a fresh, reproducible UUID."""
    return str(uuid.UUID(int=next(_ids)))


def person_values(name: str, nhs: str | None = None,
                  dob: str | None = None) -> dict[str, JSONValue]:
    return {"name": name, "search_name": search_key(name), "date_of_birth": dob,
            "nhs_number": nhs, "phone": "", "what_matters": "", "deleted_at": None,
            "created_at": "2026-01-01T00:00:00.000000+00:00"}


def episode_values(person_id: str, role: str = "splw") -> dict[str, JSONValue]:
    return {"person_id": person_id, "role": role, "worker": "", "referral_date": "2026-01-02",
            "referral_source": "gp", "status": "referred", "first_contact_date": None,
            "closure_date": None, "closure_reason": None,
            "created_at": "2026-01-02T00:00:00.000000+00:00"}


def session_values(person_id: str, notes: str = "") -> dict[str, JSONValue]:
    return {"person_id": person_id, "episode_id": None, "date": "2026-01-03", "role": "splw",
            "kind": "follow_up", "mode": "telephone", "minutes": 30, "notes": notes,
            "worker": "", "next_follow_up": None,
            "created_at": "2026-01-03T00:00:00.000000+00:00"}


@dataclass
class Replica:
    """One laptop (or the server): its clock, its merged state, the entries it holds."""

    device: str
    now: list[int] = field(default_factory=lambda: [1_767_225_600_000])
    state: TeamState = field(default_factory=TeamState)
    held: dict[str, ChangeEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clock = HybridClock(self.device, now_ms=lambda: self.now[0])

    def make(self, table: str, row_id: str, kind: EntryKind,
             values: dict[str, JSONValue] | None = None, *, resolve: bool = False,
             author: str = "") -> ChangeEntry:
        """Make a local change as the store would: based on the versions this laptop has."""
        values = dict(values or {})
        seen: dict[str, tuple[str, ...]] = {}
        row = self.state.rows.get((table, row_id))
        if kind is EntryKind.UPDATE and row is not None:
            for column in values:
                heads = row.heads.get(column, [])
                chosen = heads if resolve else heads[:1]
                if chosen:
                    seen[column] = tuple(h.change_id for h in chosen)
        entry = ChangeEntry(next_id(), self.clock.now(), author or self.device, table, row_id,
                            kind, values, seen)
        self.receive([entry])
        return entry

    def receive(self, entries: Iterable[ChangeEntry]) -> None:
        """Take in entries from elsewhere (or its own), as a sync would."""
        batch = list(entries)
        for entry in batch:
            self.clock.observe(entry.hlc)
            self.held[entry.change_id] = entry
        apply_entries(self.state, batch, SCHEMA)

    def status_of(self, table: str, row_id: str) -> str | None:
        row = self.state.rows.get((table, row_id))
        if row is None or not row.exists:
            return None
        folded, _ = fold_status(row, SCHEMA.tables[table], SCHEMA)
        status = folded.get("status")
        return status if isinstance(status, str) else None

    def value(self, table: str, row_id: str, column: str) -> JSONValue:
        row = self.state.rows.get((table, row_id))
        return None if row is None else raw_values(row, SCHEMA).get(column)

    def snapshot(self) -> tuple[object, ...]:
        """Return what every replica must agree on once they hold the same entries."""
        tables = tables_of(self.state, SCHEMA)
        people = sorted(tables.get("people", {}).items())
        return (tables, conflicts_of(self.state, SCHEMA),
                possible_duplicates(people, self.state.distinct.values()),
                dict(sorted(self.state.tombstones.items())))
