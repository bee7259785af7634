"""What the merge rule needs to know about each table of the caseload it syncs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from arrs_desktop.domain import catalogue

# (table, current status, new status) -> whether the move is allowed.
TransitionRule = Callable[[str, str, str], bool]

BOOKKEEPING = ("updated_at", "device_id")


@dataclass(frozen=True)
class TableSpec:
    """How one table syncs."""

    name: str
    key: tuple[str, ...] = ("id",)  # columns that make the row id (joined with ":")
    append_only: bool = False  # rows are only ever added (sessions, scores...)
    person_column: str | None = None  # the person the row is about ("id" for people)
    parent: tuple[str, str] | None = None  # (column, table) holding the row's person instead
    status_column: str | None = None  # moved only by status entries, through the transitions
    status_columns: tuple[str, ...] = ()  # what status moves set (the status column first)
    local_columns: tuple[str, ...] = ()  # worked out on each laptop; never synced
    bookkeeping: tuple[str, ...] = BOOKKEEPING  # set by each replica when it writes the row
    immutable: tuple[str, ...] = ("created_at",)  # written by the insert only
    # (column, value) of rows every laptop makes itself (the shipped GP codes): never synced
    local_rows: tuple[str, int] | None = None

    def is_local_row(self, values: Mapping[str, object]) -> bool:
        """Return True for a row every laptop has of its own (never sent)."""
        return self.local_rows is not None and values.get(self.local_rows[0]) == self.local_rows[1]

    def synced(self, column: str) -> bool:
        """Return True if the column travels in entries."""
        return column not in self.local_columns and column not in self.bookkeeping

    def row_id_of(self, values: Mapping[str, object]) -> str:
        """Return the row id of a row of this table from its key columns."""
        return ":".join(str(values[k]) for k in self.key)

    def key_values(self, row_id: str) -> tuple[str, ...]:
        """Return the key column values of a row id."""
        if len(self.key) == 1:
            return (row_id,)
        parts = tuple(row_id.split(":"))
        if len(parts) != len(self.key):
            raise ValueError(f"row id {row_id!r} does not fit the key {self.key} of {self.name}")
        return parts


@dataclass(frozen=True)
class TeamSchema:
    """The synced tables and the status rule; given to the merge, the outbox and the server."""

    tables: Mapping[str, TableSpec]
    transition: TransitionRule
    people_table: str = "people"

    def spec(self, table: str) -> TableSpec:
        """Return the spec of a table; raise KeyError for a table that does not sync."""
        return self.tables[table]


def caseload_transition(table: str, current: str, new: str) -> bool:
    """Return whether a status move is allowed: the caseload's own rules."""
    if table == "episodes":
        return new in catalogue.EPISODE_TRANSITIONS.get(current, frozenset())
    if table == "goals":
        return new != current and new in catalogue.GOAL_STATUSES
    return new != current


def _specs(*specs: TableSpec) -> dict[str, TableSpec]:
    return {s.name: s for s in specs}


# In the order rows can be added: a row's parents come before it (joining a team sends a
# caseload's rows in this order, so each page of a first pull holds together).
CASELOAD_TABLES = _specs(
    TableSpec("care_homes"),
    TableSpec("community_assets"),
    TableSpec("gp_codes", local_rows=("shipped", 1)),
    TableSpec("code_list", local_rows=("shipped", 1)),
    TableSpec("people", person_column="id",
              local_columns=("lead_role", "episode_status", "lead_worker", "next_follow_up")),
    TableSpec("needs", person_column="person_id", immutable=("created_at", "person_id")),
    TableSpec("episodes", person_column="person_id", immutable=("created_at", "person_id"),
              status_column="status",
              status_columns=("status", "first_contact_date", "closure_date", "closure_reason")),
    TableSpec("goals", person_column="person_id", immutable=("created_at", "person_id"),
              status_column="status", status_columns=("status", "achieved_date")),
    TableSpec("sessions", append_only=True, person_column="person_id",
              immutable=("created_at", "person_id")),
    TableSpec("goal_progress", append_only=True, parent=("goal_id", "goals"),
              immutable=("created_at", "goal_id")),
    TableSpec("outcome_measures", append_only=True, person_column="person_id",
              immutable=("created_at", "person_id")),
    TableSpec("care_home_contacts", append_only=True),
    TableSpec("care_home_contact_residents", key=("contact_id", "person_id"), append_only=True,
              person_column="person_id", bookkeeping=(),
              immutable=("contact_id", "person_id")),
    TableSpec("asset_referrals", append_only=True, person_column="person_id",
              immutable=("created_at", "person_id")),
    TableSpec("referrals", person_column="person_id",
              immutable=("created_at", "person_id", "episode_id")),
    TableSpec("safety_alerts", person_column="person_id", immutable=("created_at", "person_id")),
    TableSpec("measure_scores", append_only=True, person_column="person_id",
              immutable=("created_at", "person_id")),
    TableSpec("gp_messages", append_only=True, person_column="person_id",
              immutable=("created_at", "person_id")),
)
# The audit log is not one of these tables: its lines never conflict and are never merged.
# Each laptop keeps its own hash-chained `audit_log`; its lines travel beside the change
# entries, named (device id, seq), and the other devices' lines are kept in `team_audit`
# (team/audit_sync.py; server migration 2).

CASELOAD_SCHEMA = TeamSchema(tables=CASELOAD_TABLES, transition=caseload_transition)
