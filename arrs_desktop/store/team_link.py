"""The caseload's side of team sync: its link to the team server, the outbox hook, pulls.

`TeamLink` (`store.team`) joins the store to `arrs_desktop/team/` (pure Python, no network
here):

- `on_write`, one of the writer's hooks: once the file is linked to a team, every local
  write records its change in the outbox (`team.outbox.record_change`) in the write's own
  transaction: inserts with the row, updates with the changed columns, status moves of
  episodes and goals as status entries, GP code removal as a delete, erasure as an erase;
  a bulk load puts the rows it added in the outbox (`record_existing`).
- the link: the server's connection string (no password) and the worker's server password,
  kept in the caseload file (`team_sync`), so in the encrypted caseload once it is one;
- `apply_page`: a pulled page applied in one transaction with the new cursor, the pulled
  people's derived columns worked out again and one audit line for the page;
- `apply_audit_page`: a pulled page of other devices' audit lines kept in `team_audit`
  with its cursor, in one transaction (never audited itself: pulling the team's record of
  who looked is not a change);
- the lists for the window: conflicts (keep a value), possible duplicates (merge, or mark
  as two people).

Nothing here imports the PostgreSQL driver; `team.sync` does, when a sync runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store.rows import Db, now_iso
from arrs_desktop.store.summary import PersonSummary
from arrs_desktop.store.writer import RowWritten, Writer
from arrs_desktop.team import audit_sync, outbox
from arrs_desktop.team.audit_sync import AuditLine
from arrs_desktop.team.entries import ChangeEntry, EntryKind, JSONValue
from arrs_desktop.team.hlc import HybridClock
from arrs_desktop.team.merge import Conflict, PossibleDuplicate
from arrs_desktop.team.tables import CASELOAD_SCHEMA, TeamSchema

if TYPE_CHECKING:
    from arrs_desktop.store.team_restore import TeamRestorePlan

SERVER_KEY = "server"
PASSWORD_KEY = "server_password"
LAST_SYNC_KEY = "last_sync_at"
LAST_RESULT_KEY = "last_sync"
LAST_ERROR_KEY = "last_error"
DEVICE_KEY = "device"
SEEDING_KEY = "seeding"  # set while a join loads the whole caseload into an empty team
ERASURE_PULLED = "team_erasure_pulled"  # the audit action: an erasure came from the team
LEFT_KEY = "left_team"  # the server of a team this file has left (it cannot join again)
LEFT_TEAM_MESSAGE = ("this caseload file has left a team and cannot join one again: start a"
                     " new caseload file and join the team from it (the team's caseload is"
                     " copied to it)")
REJOIN_KEY = "rejoin"  # set by restoring a backup from outside the team: re-join next sync

# Tables of the caseload that stay on each laptop (never synced), with why.
# What a laptop keeps only while it is in a team (cleared when it leaves).
TEAM_STATE_TABLES = ("team_outbox", "team_rows", "team_tombstones", "team_person_events",
                     "team_conflicts")
LOCAL_ONLY_TABLES = {
    "arrs_meta": "which application made the file",
    "audit_log": "this laptop's own hash-chained audit log (its lines are pushed to the team"
                 " as lines of their own, not as changes: team/audit_sync.py)",
    "_sqlite_migrations": "the migrations applied to this file",
    "sqlite_sequence": "SQLite's own counters",
}


@dataclass(frozen=True)
class TeamStatus:
    """What the window and `arrs team status` show."""

    server: str  # the connection string, without its password ("" when not in a team)
    has_password: bool
    last_sync_at: str | None  # ISO time of the last sync that finished
    last_result: str  # "pushed N, pulled M, conflicts K"
    last_error: str  # why the last sync failed ("" when it did not)
    waiting: int  # changes not yet on the server
    conflicts: int
    duplicates: int
    cursor: int
    rejoining: bool = False  # a backup from outside the team was restored: the next sync
    # takes the team's copy, then sends the backup's records the team does not have

    @property
    def linked(self) -> bool:
        return bool(self.server)


@dataclass(frozen=True)
class ConflictRow:
    """A conflict as the Team changes view lists it: whose record, which field."""

    conflict: Conflict
    record: str  # the person (or care home, group...) the row belongs to
    person_id: str | None


@dataclass(frozen=True)
class PersonBrief:
    id: str
    name: str
    date_of_birth: str | None
    nhs_number: str | None
    episodes: int
    sessions: int


@dataclass(frozen=True)
class DuplicateRow:
    """Two records that may be one person, with what tells them apart."""

    first: PersonBrief
    second: PersonBrief
    reason: str  # "nhs_number" or "name_and_date_of_birth"


@dataclass(frozen=True)
class TeamListing:
    """Everything the Team changes view shows, read in one go (off the UI thread)."""

    status: TeamStatus
    conflicts: list[ConflictRow]
    duplicates: list[DuplicateRow]


_TABLE_WORDS = {
    "people": "person", "needs": "need", "episodes": "episode", "goals": "goal",
    "sessions": "session", "goal_progress": "goal progress", "outcome_measures": "scores",
    "care_homes": "care home", "care_home_contacts": "care-home contact",
    "community_assets": "community group", "asset_referrals": "community referral",
    "gp_codes": "GP code",
}


class TeamLink:
    """This caseload's link to its team: the outbox hook, the settings, applying pulls."""

    def __init__(self, db: Db, writer: Writer, summary: PersonSummary, device_id: str, *,
                 schema: TeamSchema = CASELOAD_SCHEMA, clock: HybridClock | None = None,
                 redact: Callable[[str], int] | None = None) -> None:
        self._db = db
        self._writer = writer
        self._summary = summary
        self._computer = device_id  # this computer's id (settings)
        self.schema = schema
        self._clock = clock
        self._clock_lock = threading.Lock()
        self._linked: bool | None = None  # read once; kept in step by link and unlink
        self._rejoining: bool | None = None  # only "no" is remembered (it ends on a worker)
        self._redact = redact  # blanks an erased person's audit lines on this laptop

    # -- settings -------------------------------------------------------------------------
    def _get(self, key: str) -> str | None:
        row = self._db.conn.execute("SELECT value FROM team_sync WHERE key = ?",
                                    [key]).fetchone()
        return None if row is None else str(row[0])

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self._writer.execute("DELETE FROM team_sync WHERE key = ?", [key])
        else:
            self._writer.execute(
                "INSERT INTO team_sync (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    @property
    def device_id(self) -> str:
        """Return this caseload's device id in the team: the computer's id and a suffix
        made when the file joined, so two caseload files on one computer are two devices."""
        return self._get(DEVICE_KEY) or self._computer

    def linked(self) -> bool:
        """Return whether this file belongs to a team (its writes go to the outbox).

        Read from the file once and then remembered, so a write costs no extra statement;
        `refresh()` reads it again (after a restore, or if another program linked it).
        """
        if self._linked is None:
            self._linked = bool(self._get(SERVER_KEY))
        return self._linked

    def refresh(self) -> bool:
        """Read again whether the file is in a team (and its device id); return it."""
        self._linked = None
        self._rejoining = None
        with self._clock_lock:
            if self._clock is not None and self._clock.device != self.device_id:
                self._clock = None  # it joined elsewhere (another connection): new device id
        return self.linked()

    def rejoining(self) -> bool:
        """Return whether the file waits to re-join its team (after restoring a backup from
        outside it): until then its writes are not put in the outbox, since the next sync
        takes the team's copy and then sends every record the team does not have."""
        if self._rejoining is not False:
            self._rejoining = bool(self._get(REJOIN_KEY))
        return self._rejoining

    def finish_rejoin(self) -> int:
        """Re-join now: put every record the team does not have in the outbox and stop
        waiting, in one transaction; return how many changes were put there."""
        with self._writer.transaction():
            return self._finish_rejoin()

    def _finish_rejoin(self) -> int:
        count = self.record_existing()
        self._set(REJOIN_KEY, None)
        self._writer.event("team_rejoined", {"server": self.server(), "sent": count})
        self._rejoining = False
        return count

    def restore_plan(self, backup_path: Path) -> TeamRestorePlan:
        """Return what restoring a backup would do to this file's place in its team."""
        from arrs_desktop.store import team_restore

        return team_restore.plan_restore(team_restore.read_facts(self._db.conn),
                                         team_restore.read_backup_facts(Path(backup_path)))

    def brief(self) -> TeamStatus:
        """Return the status without the possible duplicates (cheap: for the status bar)."""
        values = dict(self._db.conn.execute("SELECT key, value FROM team_sync").fetchall())
        return TeamStatus(
            server=str(values.get(SERVER_KEY) or ""),
            has_password=bool(values.get(PASSWORD_KEY)),
            last_sync_at=values.get(LAST_SYNC_KEY),
            last_result=str(values.get(LAST_RESULT_KEY) or ""),
            last_error=str(values.get(LAST_ERROR_KEY) or ""),
            waiting=outbox.waiting_count(self._db.conn),
            conflicts=int(self._db.conn.execute("SELECT count(*) FROM team_conflicts")
                          .fetchone()[0]),
            duplicates=0,
            cursor=outbox.cursor(self._db.conn),
            rejoining=bool(values.get(REJOIN_KEY)),
        )

    def server(self) -> str:
        """Return the team server's connection string ("" when not in a team)."""
        return self._get(SERVER_KEY) or ""

    def password(self) -> str | None:
        """Return the worker's server password kept in this file (None: libpq's sources)."""
        return self._get(PASSWORD_KEY)

    def link(self, server: str, password: str | None) -> None:
        """Link the file to a team server (audited; the password is never audited)."""
        if not server.strip():
            raise ValidationError("server", "give the team server's address")
        self.require_can_join()
        with self._writer.transaction():
            if not self._get(DEVICE_KEY):
                self._set(DEVICE_KEY, f"{self._computer}-{uuid.uuid4().hex[:8]}")
                with self._clock_lock:
                    self._clock = None  # its times carry the new device id from now on
            self._set(SERVER_KEY, server.strip())
            if password is not None:
                self._set(PASSWORD_KEY, password)
            self._writer.event("team_linked", {"server": server.strip()})
        self._linked = True

    def set_password(self, password: str | None) -> None:
        """Keep a new server password in the file (or forget it: None)."""
        with self._writer.transaction():
            self._set(PASSWORD_KEY, password)
            self._writer.event("team_password_changed", {})

    def unlink(self) -> None:
        """Stop syncing this file (its rows stay; its waiting changes are kept)."""
        with self._writer.transaction():
            self._set(SERVER_KEY, None)
            self._set(PASSWORD_KEY, None)
            self._writer.event("team_unlinked", {})
        self._linked = False

    def left_team(self) -> str | None:
        """Return the server of a team this file has left (None: it never left one)."""
        return self._get(LEFT_KEY)

    def require_can_join(self) -> None:
        """Raise ValidationError if this file may not join a team: it left one before (its
        rows would reach the team as new, over what the team did meanwhile)."""
        if self.left_team():
            raise ValidationError("server", LEFT_TEAM_MESSAGE)

    def leave(self) -> int:
        """Take this file out of its team: it becomes a caseload of this laptop only.

        Its rows stay as they are; what only a team member needs goes, in one transaction:
        the server and password, the changes not yet sent (their count is returned and
        audited), the merge state, the cursor and the lists of conflicts. The file cannot
        join a team again (its rows would reach the team as new, over what the team did
        meanwhile): a new caseload file joins instead. The clock and the device id stay.
        """
        if not self.linked():
            raise ValidationError("team", "this caseload is not in a team")
        with self._writer.transaction():
            server = self.server()
            dropped = outbox.waiting_count(self._db.conn)
            for table in TEAM_STATE_TABLES:
                self._writer.execute(f"DELETE FROM {table}")
            self._writer.execute("DELETE FROM team_sync WHERE key NOT IN (?, ?)",
                                 [DEVICE_KEY, outbox.CLOCK_KEY])
            self._set(LEFT_KEY, server)
            self._writer.event("team_left", {"server": server, "unsent_changes": dropped})
        self._linked = False
        return dropped

    def record_result(self, summary: str) -> None:
        """Remember a sync that finished (not audited: it is not a record)."""
        with self._writer.transaction():
            self._set(LAST_SYNC_KEY, now_iso())
            self._set(LAST_RESULT_KEY, summary)
            self._set(LAST_ERROR_KEY, None)

    def record_failure(self, message: str) -> None:
        """Remember why the last sync failed (the status bar says so)."""
        with self._writer.transaction():
            self._set(LAST_ERROR_KEY, message)

    def status(self) -> TeamStatus:
        """Return the link, the last sync and the counts the window shows."""
        self.refresh()
        return dataclasses.replace(self.brief(), duplicates=len(self.possible_duplicates()))

    # -- the clock ------------------------------------------------------------------------
    @property
    def clock(self) -> HybridClock:
        """Return this laptop's clock (one per open caseload, shared with its sync)."""
        with self._clock_lock:
            if self._clock is None:
                self._clock = outbox.load_clock(self._db.conn, self.device_id)
            return self._clock

    # -- local writes into the outbox ------------------------------------------------------
    def on_write(self, row: RowWritten) -> None:
        """The writer's hook: record the change of a local write, in its transaction."""
        if row.kind in ("event",) or not self.linked() or self.rejoining():
            return
        if row.kind == "bulk":
            self.record_existing()
            return
        if row.kind == "erase":
            self._record(self.schema.people_table, row.row_id, EntryKind.ERASE, {})
            return
        spec = self.schema.tables.get(row.table)
        if spec is None or spec.is_local_row(row.values):
            return
        if row.kind == "delete":
            self._record(row.table, row.row_id, EntryKind.DELETE, {})
            return
        values: dict[str, JSONValue] = {c: v for c, v in row.values.items() if spec.synced(c)}
        if row.kind == "insert":
            row_id = spec.row_id_of(row.values) if spec.key != ("id",) else row.row_id
            if spec.key == ("id",):
                values.pop("id", None)
            self._record(row.table, row_id, EntryKind.INSERT, values)
            return
        moved = {c: v for c, v in values.items() if c in spec.status_columns}
        rest = {c: v for c, v in values.items() if c not in spec.status_columns}
        if spec.status_column is not None and moved:
            self._record(row.table, row.row_id, EntryKind.STATUS, moved)
        if rest:
            self._record(row.table, row.row_id, EntryKind.UPDATE, rest)

    def _record(self, table: str, row_id: str, kind: EntryKind,
                values: dict[str, JSONValue], *, resolve: bool = False) -> ChangeEntry:
        return outbox.record_change(self._db.conn, self.schema, self.clock, self._writer.user,
                                    table, row_id, kind, values, resolve=resolve)

    # -- joining with a whole caseload at once ---------------------------------------------
    def fresh(self) -> bool:
        """Return True if nothing of this file has gone to a team or come from one yet
        (states a load left behind do not count while it is unfinished)."""
        conn = self._db.conn
        return (outbox.cursor(conn) == 0
                and conn.execute("SELECT 1 FROM team_outbox LIMIT 1").fetchone() is None
                and conn.execute("SELECT 1 FROM team_rows LIMIT 1").fetchone() is None)

    def seeding(self) -> bool:
        """Return True while a join that loads the whole caseload at once is unfinished."""
        return self._get(SEEDING_KEY) is not None

    def set_seeding(self, on: bool) -> None:
        """Remember (durably, before the server is touched) that a join loads the whole
        caseload at once, or that it has finished."""
        with self._writer.transaction():
            self._set(SEEDING_KEY, "1" if on else None)

    def existing_entries(self, page: int) -> Iterator[list[tuple[ChangeEntry, str | None]]]:
        """Yield the file's rows as insert entries, parents first, in pages (`server.seed`)."""
        return outbox.existing_entries(self._db.conn, self.schema, self.clock,
                                       self._writer.user, page=page)

    def keep_seeded_states(self, page: Sequence[tuple[ChangeEntry, str | None]]
                           ) -> list[tuple[ChangeEntry, str | None, str]]:
        """Keep the merge state of a page of rows going to an empty team at once; return
        the page with the states, for the server."""
        return outbox.keep_seeded_states(self._db.conn, self.schema, page)

    def forget_seeded_states(self) -> None:
        """A load that did not reach the team: its states go, so the rows are sent again."""
        outbox.forget_seeded_states(self._db.conn)

    def finish_seeding(self, cursor: int) -> None:
        """The team holds the whole caseload: pull after `cursor` from now on; audited."""
        with self._writer.transaction():
            outbox.finish_seeding(self._db.conn, cursor, self.clock)
            self._set(SEEDING_KEY, None)
            self._writer.event("team_caseload_loaded", {"cursor": cursor})

    def record_existing(self) -> int:
        """Put every row not yet known to the team into the outbox (joining); return how many."""
        return outbox.record_existing(self._db.conn, self.schema, self.clock,
                                      self._writer.user)

    # -- pushing and pulling -----------------------------------------------------------------
    def waiting(self, limit: int) -> list[ChangeEntry]:
        return outbox.waiting(self._db.conn, limit)

    def waiting_count(self) -> int:
        return outbox.waiting_count(self._db.conn)

    def cursor(self) -> int:
        return outbox.cursor(self._db.conn)

    def apply_page(self, entries: Sequence[ChangeEntry], cursor: int) -> outbox.AppliedPull:
        """Apply a pulled page with its cursor, derived columns and audit line: all or none."""
        conn = self._db.conn
        device = self.device_id
        mine = sum(1 for e in entries if e.device_id == device)
        with self._writer.transaction():
            applied = outbox.apply_pulled(conn, self.schema, entries, cursor, self.clock)
            # A merged-away record's own row is written too: its columns go empty.
            people = applied.people | {row for table, row in applied.rows
                                       if table == self.schema.people_table}
            if people:
                self._summary.refresh_many(people - applied.erased)
            self._redact_erased(applied.erased)
            if len(entries) > mine:
                self._writer.event("team_pulled", {
                    "changes": len(entries) - mine, "cursor": cursor,
                    "devices": sorted({e.device_id for e in entries} - {device}),
                    "people": len(applied.people), "erased": len(applied.erased)})
        if applied.erased:
            with contextlib.suppress(*self._writer.errors):  # a busy one happens later
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return applied

    def apply_audit_page(self, lines: Sequence[AuditLine], cursor: int) -> int:
        """Keep a pulled page of the team's audit lines with its cursor: all or none.

        Lines about a person erased on this laptop lose their values at once. Returns how
        many lines were new here.
        """
        with self._writer.transaction():
            return audit_sync.apply_pulled_lines(self._db.conn, lines, cursor,
                                                 self.device_id)

    def audit_waiting(self) -> int:
        """Return how many of this laptop's audit lines the team server does not have yet."""
        return audit_sync.waiting_line_count(self._db.conn)

    def apply_snapshot(self, snap: outbox.SnapshotRows) -> outbox.AppliedPull:
        """A first sync: copy the server's current rows (see `team.outbox.apply_snapshot`).

        In its last transaction everyone's derived columns are worked out again and one
        audit line says how much came; `AppliedPull.people` is left empty (everyone).
        """
        self._writer.health.require_writable()

        def finish() -> None:
            if self.rejoining():  # the team's copy is in: send what only this file has
                self._finish_rejoin()
            self._summary.refresh_many(None)
            self._redact_erased({s.person_id for s in snap.tombstones if s.person_id})
            self._writer.event("team_first_pull", {
                "cursor": snap.cursor,
                "tables": sorted({t for t, _ in applied_tables}),
                "erased": len(snap.tombstones)})

        applied_tables: set[tuple[str, str]] = set()
        conn = self._db.conn
        applied = outbox.apply_snapshot(conn, self.schema, snap, self.clock, finish=finish,
                                        on_rows=applied_tables.update)
        if applied.erased:
            with contextlib.suppress(*self._writer.errors):
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return applied

    def _redact_erased(self, people: set[str]) -> None:
        """Blank the audit lines about people erased elsewhere; where any were blanked, one
        line says the erasure came from the team (`arrs check` allows the blanked values
        and the removed rows before it, as before a local erase line)."""
        if self._redact is not None:
            for person in sorted(people):
                if self._redact(person):
                    self._writer.event(ERASURE_PULLED, {}, person_id=person)

    # -- the lists ---------------------------------------------------------------------------
    def conflicts(self) -> list[Conflict]:
        """Return the open conflicts: concurrent edits, refused moves, refused merges."""
        return outbox.conflicts(self._db.conn)

    def listing(self) -> TeamListing:
        """Return the status, the conflicts and the possible duplicates, described."""
        conflicts = [self._describe(c) for c in self.conflicts()]
        duplicates = [DuplicateRow(self._person(d.first_id), self._person(d.second_id),
                                   d.reason) for d in self.possible_duplicates()]
        return TeamListing(self.status(), conflicts, duplicates)

    def _describe(self, conflict: Conflict) -> ConflictRow:
        spec = self.schema.tables.get(conflict.table)
        person: str | None = None
        what = _TABLE_WORDS.get(conflict.table, conflict.table)
        if spec is not None and spec.person_column == "id":
            person = conflict.row_id
        elif spec is not None and spec.person_column and len(spec.key) == 1:
            found = self._db.conn.execute(
                f'SELECT "{spec.person_column}" FROM "{spec.name}" WHERE id = ?',
                [conflict.row_id]).fetchone()
            person = None if found is None else found[0]
        elif spec is not None and spec.name in ("care_homes", "community_assets"):
            found = self._db.conn.execute(f'SELECT name FROM "{spec.name}" WHERE id = ?',
                                          [conflict.row_id]).fetchone()
            if found is not None:
                return ConflictRow(conflict, f"{what}: {found[0]}", None)
        if person is not None:
            found = self._db.conn.execute("SELECT name FROM people WHERE id = ?",
                                          [person]).fetchone()
            name = found[0] if found is not None else "(not on this laptop)"
            label = name if conflict.table == "people" else f"{name} — {what}"
            return ConflictRow(conflict, label, person)
        return ConflictRow(conflict, what, None)

    def _person(self, person_id: str) -> PersonBrief:
        row = self._db.conn.execute(
            "SELECT name, date_of_birth, nhs_number,"
            " (SELECT count(*) FROM episodes e WHERE e.person_id = p.id),"
            " (SELECT count(*) FROM sessions s WHERE s.person_id = p.id)"
            " FROM people p WHERE id = ?", [person_id]).fetchone()
        if row is None:
            return PersonBrief(person_id, "(not on this laptop)", None, None, 0, 0)
        return PersonBrief(person_id, str(row[0]), row[1], row[2], int(row[3]), int(row[4]))

    def possible_duplicates(self) -> list[PossibleDuplicate]:
        """Return the pairs of person records that may be one person."""
        return outbox.possible_duplicates(self._db.conn)

    def keep(self, conflict: Conflict, value: Any) -> None:
        """Settle a concurrent edit: keep `value` (the shown one or the listed one).

        The kept value is written as an edit that has seen every version of the field, so
        the conflict is settled on every laptop once it syncs.
        """
        if conflict.kind != "edit":
            raise ValidationError("conflict", "only a field changed on two laptops can be"
                                  " kept or swapped; a refused move is settled by moving it"
                                  " again")
        spec = self.schema.tables[conflict.table]
        with self._writer.transaction():
            exists = self._db.conn.execute(
                f'SELECT 1 FROM "{spec.name}" WHERE "{spec.key[0]}" = ?',
                [spec.key_values(conflict.row_id)[0]]).fetchone()
            if exists is None:
                raise ValidationError("conflict", "that record is no longer on this laptop")
            self._writer.execute(
                f'UPDATE "{spec.name}" SET "{conflict.column}" = ?, updated_at = ?,'
                f' device_id = ? WHERE "{spec.key[0]}" = ?',
                [value, now_iso(), self.device_id, spec.key_values(conflict.row_id)[0]])
            self._writer.event("team_conflict_settled", {
                "table": conflict.table, "row_id": conflict.row_id,
                "column": conflict.column})
            self._record(conflict.table, conflict.row_id, EntryKind.UPDATE,
                         {conflict.column: value}, resolve=True)

    def dismiss(self, conflict: Conflict) -> None:
        """Take a refused move or merge off the list (it stays refused)."""
        with self._writer.transaction():
            self._writer.execute(
                "DELETE FROM team_conflicts WHERE table_name = ? AND row_id = ?"
                " AND column_name = ? AND change_id = ?",
                [conflict.table, conflict.row_id, conflict.column, conflict.change_id])
            self._writer.event("team_conflict_dismissed", {
                "table": conflict.table, "row_id": conflict.row_id, "kind": conflict.kind})

    def merge_people(self, survivor_id: str, absorbed_id: str) -> set[str]:
        """Merge two records of one person: every row of the absorbed one shows the survivor.

        Nothing is copied or lost: episodes, sessions, goals, needs, scores and referrals of
        both show under the survivor, and the absorbed record is marked deleted. Returns
        the people whose rows changed.
        """
        self._check_pair(survivor_id, absorbed_id)
        with self._writer.transaction():
            self._writer.event("team_people_merged", {"survivor": survivor_id,
                                                      "absorbed": absorbed_id})
            self._record(self.schema.people_table, survivor_id, EntryKind.MERGE,
                         {"absorbed_id": absorbed_id})
            self._summary.refresh_many([survivor_id, absorbed_id])
        return {survivor_id, absorbed_id}

    def mark_distinct(self, first_id: str, second_id: str) -> None:
        """Record that two listed records are two different people (no longer listed)."""
        self._check_pair(first_id, second_id)
        with self._writer.transaction():
            self._writer.event("team_people_distinct", {"first": first_id,
                                                        "second": second_id})
            self._record(self.schema.people_table, first_id, EntryKind.DISTINCT,
                         {"other_id": second_id})

    def _check_pair(self, first_id: str, second_id: str) -> None:
        if first_id == second_id:
            raise ValidationError("person_id", "choose two different records")
        for person in (first_id, second_id):
            found = self._db.conn.execute(
                "SELECT 1 FROM people WHERE id = ? AND deleted_at IS NULL", [person]).fetchone()
            if found is None:
                raise ValidationError("person_id", "is not a live record on this laptop")
        if not self.linked():
            raise ValidationError("team", "this caseload is not in a team")


def conflict_text(value: Any) -> str:
    """Return a conflict's value as a person reads it."""
    if value is None:
        return "(empty)"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v is not None)
    if isinstance(value, str):
        return value
    return json.dumps(value)


__all__ = ["LOCAL_ONLY_TABLES", "ConflictRow", "DuplicateRow", "PersonBrief", "TeamLink",
           "TeamListing", "TeamStatus", "conflict_text"]
