"""The laptop's side of the team: the outbox, the cursor, and applying pulled entries.

Written against a plain `sqlite3.Connection` and the table metadata (`TeamSchema`), so the
store can call it from inside its own transactions:

- `record_change` — call in the same transaction as a local write, after the store wrote
  the row: it stamps an entry (clock, the versions each column was based on), puts it in
  the outbox and keeps the merge state in step.
- `waiting` / `mark_pushed` — what a push sends, and forgetting it once the server has it.
- `apply_pulled` — merge pulled entries into the caseload's tables, in one transaction
  together with the new cursor.
- `conflicts` / `possible_duplicates` — the lists the window shows.

The tables it needs are created by `LOCAL_MIGRATION_SQL`, to be added to the store as a
numbered migration.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from arrs_desktop.team import merge as rule
from arrs_desktop.team.codec import add_person_event, person_events, row_from_json, row_text
from arrs_desktop.team.entries import (
    PERSON_KINDS,
    ChangeEntry,
    EntryKind,
    JSONValue,
    new_entry,
)
from arrs_desktop.team.hlc import HLC, HybridClock
from arrs_desktop.team.merge import MergeReport, RowKey, TeamState, Tombstone
from arrs_desktop.team.tables import TableSpec, TeamSchema

# Add as the store's next numbered migration (one script; every statement ends with ";").
LOCAL_MIGRATION_SQL = """
CREATE TABLE team_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    entry_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX team_outbox_row ON team_outbox(table_name, row_id);
CREATE TABLE team_sync (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE team_rows (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    owner TEXT,
    state_json TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
CREATE INDEX team_rows_owner ON team_rows(owner) WHERE owner IS NOT NULL;
CREATE TABLE team_tombstones (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    person_id TEXT,
    PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;
CREATE TABLE team_person_events (
    change_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    person_id TEXT NOT NULL,
    other_id TEXT,
    hlc TEXT NOT NULL,
    author TEXT NOT NULL
);
CREATE TABLE team_conflicts (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    column_name TEXT NOT NULL,
    change_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author TEXT NOT NULL,
    value_json TEXT,
    winner_change_id TEXT,
    winner_value_json TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (table_name, row_id, column_name, change_id)
);
DROP INDEX IF EXISTS people_nhs_number;
CREATE INDEX people_nhs_number ON people(nhs_number) WHERE nhs_number IS NOT NULL;
"""
# The last two lines: two laptops can each add the same person while apart, so one NHS
# number may appear twice until someone merges them (the store still warns when typing).

CURSOR_KEY = "cursor"
CLOCK_KEY = "clock"


class LocalTables(Protocol):
    """Writes merged rows into the caseload's own tables (the store may supply its own)."""

    def write_row(self, conn: sqlite3.Connection, spec: TableSpec, row_id: str,
                  values: Mapping[str, JSONValue], device_id: str) -> None: ...

    def delete_row(self, conn: sqlite3.Connection, spec: TableSpec, row_id: str) -> None: ...


class SqliteTables:
    """Write rows with one UPSERT each, by the table's key columns; delete by key."""

    def __init__(self) -> None:
        self._columns: dict[str, list[str]] = {}
        self._known: dict[str, frozenset[str]] = {}
        self._sql: dict[tuple[str, tuple[str, ...]], str] = {}

    def columns(self, conn: sqlite3.Connection, table: str) -> list[str]:
        if table not in self._columns:
            rows = conn.execute("SELECT name FROM pragma_table_info(?)", [table]).fetchall()
            self._columns[table] = [str(r[0]) for r in rows]
        return self._columns[table]

    def write_row(self, conn: sqlite3.Connection, spec: TableSpec, row_id: str,
                  values: Mapping[str, JSONValue], device_id: str) -> None:
        statement, params = self.upsert(conn, spec, row_id, values, device_id)
        conn.execute(statement, params)

    def upsert(self, conn: sqlite3.Connection, spec: TableSpec, row_id: str,
               values: Mapping[str, JSONValue], device_id: str) -> tuple[str, list[object]]:
        """Return the statement and parameters that write one row (for `executemany`)."""
        known = self._known.get(spec.name)
        if known is None:
            known = self._known[spec.name] = frozenset(self.columns(conn, spec.name))
        row: dict[str, object] = {c: v for c, v in values.items() if c in known}
        row.update(zip(spec.key, spec.key_values(row_id), strict=True))
        if "updated_at" in spec.bookkeeping and "updated_at" in known:
            row["updated_at"] = datetime.now(UTC).isoformat(timespec="microseconds")
        if "device_id" in spec.bookkeeping and "device_id" in known:
            row["device_id"] = device_id
        if "created_at" in known and row.get("created_at") is None:
            row["created_at"] = row.get("updated_at") or datetime.now(UTC).isoformat(
                timespec="microseconds")
        names = tuple(row)
        statement = self._sql.get((spec.name, names))
        if statement is None:
            quoted = ", ".join(f'"{n}"' for n in names)
            updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n not in spec.key)
            conflict = ", ".join(f'"{k}"' for k in spec.key)
            action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
            statement = (f'INSERT INTO "{spec.name}" ({quoted})'
                         f' VALUES ({", ".join("?" * len(names))})'
                         f" ON CONFLICT ({conflict}) {action}")
            self._sql[(spec.name, names)] = statement
        return statement, [row[n] for n in names]

    def delete_row(self, conn: sqlite3.Connection, spec: TableSpec, row_id: str) -> None:
        where = " AND ".join(f'"{k}" = ?' for k in spec.key)
        conn.execute(f'DELETE FROM "{spec.name}" WHERE {where}', list(spec.key_values(row_id)))


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Run inside the caller's transaction (as a savepoint) or in one of our own."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT team")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO team")
            conn.execute("RELEASE team")
            raise
        conn.execute("RELEASE team")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM team_sync WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO team_sync (key, value) VALUES (?, ?)"
                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def load_clock(conn: sqlite3.Connection, device_id: str) -> HybridClock:
    """Return this laptop's clock, carrying on from the last time it gave or saw."""
    text = _get(conn, CLOCK_KEY)
    last = HLC.from_text(text) if text else None
    if last is not None and last.device != device_id:
        last = HLC(last.ms, last.counter, device_id)
    return HybridClock(device_id, last)


def _save_clock(conn: sqlite3.Connection, clock: HybridClock) -> None:
    if clock.last is not None:
        _set(conn, CLOCK_KEY, clock.last.to_text())


def cursor(conn: sqlite3.Connection) -> int:
    """Return the number of the last team entry this laptop has applied (0: none yet)."""
    return int(_get(conn, CURSOR_KEY) or 0)


def record_change(conn: sqlite3.Connection, schema: TeamSchema, clock: HybridClock,
                  author: str, table: str, row_id: str, kind: EntryKind,
                  values: Mapping[str, JSONValue] | None = None, *,
                  resolve: bool = False) -> ChangeEntry:
    """Record a local write in the outbox; call in the write's own transaction.

    For updates, each column is based on the version this laptop holds (with `resolve`,
    on every version it holds: keeping one side of a conflict settles it everywhere).
    Columns each laptop works out for itself are left out. Person events (erase, merge,
    distinct) are also carried out on this laptop's tables.
    """
    spec = schema.spec(table)
    kept = {c: v for c, v in (values or {}).items()
            if kind in PERSON_KINDS or spec.synced(c)}
    seen: dict[str, tuple[str, ...]] = {}
    if kind is EntryKind.UPDATE:
        found = conn.execute("SELECT state_json FROM team_rows WHERE table_name = ?"
                             " AND row_id = ?", [table, row_id]).fetchone()
        if found is not None:
            row = row_from_json(table, row_id, found[0])
            for column in kept:
                heads = row.heads.get(column, [])
                chosen = heads if resolve else heads[:1]
                if chosen:
                    seen[column] = tuple(h.change_id for h in chosen)
    with transaction(conn):
        # An erasure or merge may remove rows of several records, parents before children:
        # the keys are checked when the write's whole transaction commits.
        conn.execute("PRAGMA defer_foreign_keys = ON")
        entry = new_entry(clock, author, table, row_id, kind, kept, seen)
        conn.execute("INSERT INTO team_outbox (change_id, table_name, row_id, entry_json,"
                     " created_at) VALUES (?, ?, ?, ?, ?)",
                     [entry.change_id, table, row_id, entry.to_text(),
                      datetime.now(UTC).isoformat(timespec="microseconds")])
        _merge_locally(conn, schema, [entry], clock.device, project_rows=False)
        _save_clock(conn, clock)
    return entry


def record_existing(conn: sqlite3.Connection, schema: TeamSchema, clock: HybridClock,
                    author: str, *, page: int = 5_000) -> int:
    """Put every row the caseload held before it joined a team into the outbox; return how many.

    Rows already known to the team (they have a merge state) are skipped, so it can run again
    after an interruption. Tables go in the schema's order, parents before children.
    """
    count = 0
    known: dict[str, set[str]] = {}
    batch: list[ChangeEntry] = []

    def flush() -> None:
        with transaction(conn):
            conn.executemany(
                "INSERT INTO team_outbox (change_id, table_name, row_id, entry_json,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                [(e.change_id, e.table, e.row_id, e.to_text(),
                  datetime.now(UTC).isoformat(timespec="microseconds")) for e in batch])
            _merge_locally(conn, schema, batch, clock.device, project_rows=False)
            _save_clock(conn, clock)
        batch.clear()

    for spec, row_id, values in existing_rows(conn, schema):
        if spec.name not in known:
            known[spec.name] = {str(r[0]) for r in conn.execute(
                "SELECT row_id FROM team_rows WHERE table_name = ?", [spec.name])}
        if row_id in known[spec.name]:
            continue
        batch.append(new_entry(clock, author, spec.name, row_id, EntryKind.INSERT, values))
        count += 1
        if len(batch) >= page:
            flush()
    if batch:
        flush()
    return count


def existing_rows(conn: sqlite3.Connection, schema: TeamSchema
                  ) -> Iterator[tuple[TableSpec, str, dict[str, JSONValue]]]:
    """Yield every synced row of a caseload file as (spec, row id, synced values), parents
    first (for loading a whole caseload into a new team server: `server.seed`)."""
    for spec in schema.tables.values():
        columns = [str(r[0]) for r in conn.execute("SELECT name FROM pragma_table_info(?)",
                                                   [spec.name]).fetchall()]
        synced = [c for c in columns if spec.synced(c)]
        listed = ", ".join(f't."{c}"' for c in synced)
        where = (f' WHERE t."{spec.local_rows[0]}" IS NOT {int(spec.local_rows[1])}'
                 if spec.local_rows else "")
        for row in conn.execute(f'SELECT {listed} FROM "{spec.name}" t{where}'):
            values: dict[str, JSONValue] = dict(zip(synced, row, strict=True))
            row_id = spec.row_id_of(values)
            if spec.key == ("id",):
                values.pop("id", None)
            yield spec, row_id, values


def existing_entries(conn: sqlite3.Connection, schema: TeamSchema, clock: HybridClock,
                     author: str, *, page: int = 5_000
                     ) -> Iterator[list[tuple[ChangeEntry, str | None]]]:
    """Yield every synced row of the file as an insert entry with the person it is about,
    in pages, parents first (for loading a whole caseload into an empty team at once:
    `server.seed`). Nothing is written here."""
    parents = {spec.parent[1] for spec in schema.tables.values() if spec.parent is not None}
    owners: dict[str, dict[str, str | None]] = {t: {} for t in parents}
    batch: list[tuple[ChangeEntry, str | None]] = []
    for spec, row_id, values in existing_rows(conn, schema):
        owner: str | None = None
        if spec.person_column == "id":
            owner = row_id
        elif spec.person_column is not None:
            person = values.get(spec.person_column)
            owner = person if isinstance(person, str) else None
        elif spec.parent is not None:
            owner = owners[spec.parent[1]].get(str(values.get(spec.parent[0])))
        if spec.name in owners:
            owners[spec.name][row_id] = owner
        batch.append((new_entry(clock, author, spec.name, row_id, EntryKind.INSERT, values),
                      owner))
        if len(batch) >= page:
            yield batch
            batch = []
    if batch:
        yield batch


def keep_seeded_states(conn: sqlite3.Connection, schema: TeamSchema,
                       page: Sequence[tuple[ChangeEntry, str | None]]
                       ) -> list[tuple[ChangeEntry, str | None, str]]:
    """Keep the merge state of rows being loaded into an empty team, one page a
    transaction: the state an insert alone gives them, as the server keeps it too. Returns
    the page with each state's text, for `server.seed`. Until `finish_seeding` sets the
    cursor they count for nothing (`forget_seeded_states` takes them away)."""
    states = [(e, owner, row_text(rule.insert_state(e, schema, owner))) for e, owner in page]
    with transaction(conn):
        conn.executemany(
            "INSERT INTO team_rows (table_name, row_id, owner, state_json) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (table_name, row_id) DO UPDATE"
            " SET owner = excluded.owner, state_json = excluded.state_json",
            [(e.table, e.row_id, owner, state) for e, owner, state in states])
    return states


def forget_seeded_states(conn: sqlite3.Connection) -> None:
    """Take away the states a load that did not reach the team left behind."""
    with transaction(conn):
        conn.execute("DELETE FROM team_rows")


def finish_seeding(conn: sqlite3.Connection, cursor: int, clock: HybridClock) -> None:
    """The team holds the loaded caseload: carry on pulling after its last entry."""
    with transaction(conn):
        _set(conn, CURSOR_KEY, str(cursor))
        _save_clock(conn, clock)


def waiting(conn: sqlite3.Connection, limit: int = 5_000) -> list[ChangeEntry]:
    """Return the oldest entries not yet on the server."""
    rows = conn.execute("SELECT entry_json FROM team_outbox ORDER BY seq LIMIT ?",
                        [limit]).fetchall()
    return [ChangeEntry.from_text(r[0]) for r in rows]


def waiting_count(conn: sqlite3.Connection) -> int:
    """Return how many changes wait to be pushed."""
    return int(conn.execute("SELECT count(*) FROM team_outbox").fetchone()[0])


def mark_pushed(conn: sqlite3.Connection, change_ids: Sequence[str]) -> None:
    """Forget entries the server has confirmed (it keeps them from now on)."""
    with transaction(conn):
        conn.executemany("DELETE FROM team_outbox WHERE change_id = ?",
                         [(c,) for c in change_ids])


@dataclass
class AppliedPull:
    """What applying pulled entries changed on this laptop, for the change bus."""

    rows: set[RowKey] = field(default_factory=set)  # written or removed in the tables
    people: set[str] = field(default_factory=set)  # whose derived columns need redoing
    erased: set[str] = field(default_factory=set)
    cursor: int = 0


def apply_pulled(conn: sqlite3.Connection, schema: TeamSchema, entries: Sequence[ChangeEntry],
                 new_cursor: int, clock: HybridClock,
                 tables: LocalTables | None = None) -> AppliedPull:
    """Merge pulled entries into this laptop's tables, in one transaction with the cursor."""
    with transaction(conn):
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for entry in entries:
            clock.observe(entry.hlc)
        result = _merge_locally(conn, schema, entries, clock.device, project_rows=True,
                                tables=tables)
        _set(conn, CURSOR_KEY, str(new_cursor))
        _save_clock(conn, clock)
    result.cursor = new_cursor
    return result


class SnapshotRows(Protocol):
    """What a first sync copies from the server (`team.server.Snapshot`)."""

    @property
    def cursor(self) -> int: ...

    @property
    def latest(self) -> str | None: ...

    @property
    def events(self) -> Sequence[tuple[str, str, str, str | None, str, str]]: ...

    @property
    def tombstones(self) -> Sequence[Tombstone]: ...

    def rows(self) -> Iterable[tuple[str, str, str | None, str]]: ...


SNAPSHOT_PAGE = 50_000


def apply_snapshot(conn: sqlite3.Connection, schema: TeamSchema, snap: SnapshotRows,
                   clock: HybridClock, *, page: int = SNAPSHOT_PAGE,
                   finish: Callable[[], None] | None = None,
                   on_rows: Callable[[set[RowKey]], object] | None = None,
                   tables: LocalTables | None = None) -> AppliedPull:
    """A first sync: copy the server's current rows instead of replaying its whole log.

    The server's merge state is what merging every entry up to `snap.cursor` gives, so this
    laptop takes it as it is: each row's state and its values, page by page (each page a
    transaction), then the tombstones, the conflicts of refused merges and the cursor in a
    last transaction (with `finish`, the caller's own last writes). A first sync cut off
    part way leaves the cursor at 0, so the next sync copies again from the start.
    `AppliedPull.rows` names each table written as (table, "*").
    """
    writer = tables or SqliteTables()
    state = TeamState()
    for event in snap.events:
        add_person_event(state, event)
    links = rule.PersonLinks(state.merges.values())
    result = AppliedPull()
    batch: list[tuple[str, str, str | None, str]] = []

    def flush() -> None:
        with transaction(conn):
            conn.execute("PRAGMA defer_foreign_keys = ON")
            if not result.rows:  # the first page: conflicts are the server's from now on
                conn.execute("DELETE FROM team_conflicts")
            found: list[rule.Conflict] = []
            grouped: dict[str, list[list[object]]] = {}
            for table, row_id, _, text in batch:
                spec = schema.tables[table]
                row = row_from_json(table, row_id, text)
                values = rule.row_values(state, schema, row, links)
                if values is not None:
                    device = _last_device(row, clock.device)
                    if isinstance(writer, SqliteTables):
                        statement, params = writer.upsert(conn, spec, row_id, values, device)
                        grouped.setdefault(statement, []).append(params)
                    else:
                        writer.write_row(conn, spec, row_id, values, device)
                if len(row.heads) and any(len(h) > 1 for h in row.heads.values()) or row.moves:
                    found.extend(rule.row_conflicts(row, schema))
                result.rows.add((table, "*"))
            for statement, rows in grouped.items():  # parents first: tables keep their order
                conn.executemany(statement, rows)
            conn.executemany(
                "INSERT INTO team_rows (table_name, row_id, owner, state_json) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (table_name, row_id) DO UPDATE"
                " SET owner = excluded.owner, state_json = excluded.state_json", batch)
            _insert_conflicts(conn, found)
        batch.clear()

    # The pages need not each reach the disk: until the cursor is set (last, with the
    # file's own durability) a first sync cut off anywhere starts again from the start.
    # A large page cache keeps a long copy from writing pages to the log again and again.
    sync_level = conn.execute("PRAGMA synchronous").fetchone()[0]
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -262144")
    try:
        for item in snap.rows():
            if item[0] in schema.tables:
                batch.append(item)
                if len(batch) >= page:
                    flush()
        if batch:
            flush()
    finally:
        conn.execute(f"PRAGMA synchronous = {int(sync_level)}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    with transaction(conn):
        conn.execute("PRAGMA defer_foreign_keys = ON")
        stones = sorted(snap.tombstones, key=lambda s: (s.table, s.row_id))
        if stones:
            secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
            conn.execute("PRAGMA secure_delete = ON")
            try:
                for stone in stones:
                    spec = schema.tables.get(stone.table)
                    if spec is not None:
                        writer.delete_row(conn, spec, stone.row_id)
                    if stone.person_id is not None:
                        result.erased.add(stone.person_id)
                keys = [(s.table, s.row_id) for s in stones]
                conn.executemany("DELETE FROM team_rows WHERE table_name = ? AND row_id = ?",
                                 keys)
                conn.executemany("DELETE FROM team_outbox WHERE table_name = ? AND row_id = ?"
                                 " AND json_extract(entry_json, '$.kind') NOT IN"
                                 " ('erase', 'delete', 'merge', 'distinct')", keys)
            finally:
                conn.execute(f"PRAGMA secure_delete = {int(secure)}")
            conn.executemany(
                "INSERT OR IGNORE INTO team_tombstones (table_name, row_id, reason, person_id)"
                " VALUES (?, ?, ?, ?)", [(s.table, s.row_id, s.reason, s.person_id)
                                         for s in stones])
            result.rows |= {(s.table, "*") for s in stones if s.table in schema.tables}
        conn.executemany(
            "INSERT OR IGNORE INTO team_person_events (change_id, kind, person_id, other_id,"
            " hlc, author) VALUES (?, ?, ?, ?, ?, ?)", list(snap.events))
        conn.execute("DELETE FROM team_conflicts WHERE kind = 'merge'")
        _insert_conflicts(conn, rule.merge_conflicts(state, schema))
        if snap.latest:
            clock.observe(HLC.from_text(snap.latest))
        _set(conn, CURSOR_KEY, str(snap.cursor))
        _save_clock(conn, clock)
        if on_rows is not None:
            on_rows(result.rows)
        if finish is not None:
            finish()
    result.cursor = snap.cursor
    return result


def _insert_conflicts(conn: sqlite3.Connection, found: Iterable[rule.Conflict]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO team_conflicts (table_name, row_id, column_name, change_id,"
        " kind, hlc, author, value_json, winner_change_id, winner_value_json, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.table, c.row_id, c.column, c.change_id, c.kind, c.hlc.to_text(), c.author,
          json.dumps(c.value), c.winner_change_id, json.dumps(c.winner_value), c.reason)
         for c in found])


def _load_state(conn: sqlite3.Connection, schema: TeamSchema,
                entries: Sequence[ChangeEntry]) -> TeamState:
    state = TeamState()
    for event in conn.execute("SELECT change_id, kind, person_id, other_id, hlc, author"
                              " FROM team_person_events"):
        add_person_event(state, (event[0], event[1], event[2], event[3], event[4], event[5]))
    keys, people = rule.rows_needed(entries, schema)
    # Merges arriving now join records too; an erasure reaches every record any merge links.
    for e in entries:
        if e.kind is EntryKind.MERGE:
            people |= {str(e.values.get("absorbed_id")), e.row_id}
    merges = [*state.merges.values()] + [
        rule.PersonMerge(e.change_id, e.row_id, str(e.values.get("absorbed_id")), e.hlc,
                         e.author)
        for e in entries if e.kind is EntryKind.MERGE]
    owners = rule.linked_records(merges, people)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS team_keys (t TEXT, r TEXT)")
    conn.execute("DELETE FROM temp.team_keys")
    conn.executemany("INSERT INTO temp.team_keys VALUES (?, ?)", sorted(keys))
    found = conn.execute(
        "SELECT s.table_name, s.row_id, s.state_json FROM team_rows s"
        " JOIN temp.team_keys k ON s.table_name = k.t AND s.row_id = k.r").fetchall()
    for owner in sorted(owners):
        found += conn.execute("SELECT table_name, row_id, state_json FROM team_rows"
                              " WHERE owner = ?", [owner]).fetchall()
    for table, row_id, text in found:
        row = row_from_json(table, row_id, text)
        state.rows[row.key] = row
    for table, row_id, reason, person in conn.execute(
            "SELECT s.table_name, s.row_id, s.reason, s.person_id FROM team_tombstones s"
            " JOIN temp.team_keys k ON s.table_name = k.t AND s.row_id = k.r"):
        state.tombstones[(table, row_id)] = Tombstone(table, row_id, reason, person)
    return state


def _merge_locally(conn: sqlite3.Connection, schema: TeamSchema,
                   entries: Sequence[ChangeEntry], device_id: str, *, project_rows: bool,
                   tables: LocalTables | None = None) -> AppliedPull:
    writer = tables or SqliteTables()
    state = _load_state(conn, schema, entries)
    known_events = {e[0] for e in person_events(state)}
    report = rule.apply_entries(state, entries, schema)
    result = AppliedPull()
    _save_meta(conn, schema, state, report, known_events)
    links = rule.PersonLinks(state.merges.values())
    people_moved = report.people_changed
    for key in sorted(report.changed):
        row = state.rows[key]
        spec = schema.tables[key[0]]
        owner = rule.owner_of(state, schema, row)
        if owner is not None:
            result.people.add(links.resolve(owner))
        if not (project_rows or people_moved):
            continue
        values = rule.row_values(state, schema, row, links)
        if values is not None:
            writer.write_row(conn, spec, row.row_id, values, _last_device(row, device_id))
            result.rows.add(key)
    erased_rows = sorted(report.removed)
    if erased_rows:
        secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
        conn.execute("PRAGMA secure_delete = ON")
        try:
            for key in erased_rows:
                gone = schema.tables.get(key[0])
                if gone is not None:
                    writer.delete_row(conn, gone, key[1])
                    result.rows.add(key)
                stone = state.tombstones.get(key)
                if stone is not None and stone.person_id is not None:
                    result.erased.add(stone.person_id)
            # Waiting changes of the rows go; the erasure or deletion itself (and any merge or
            # decision about the person) still has to reach the team.
            conn.executemany("DELETE FROM team_outbox WHERE table_name = ? AND row_id = ?"
                             " AND json_extract(entry_json, '$.kind') NOT IN"
                             " ('erase', 'delete', 'merge', 'distinct')", erased_rows)
        finally:
            conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    result.people -= result.erased
    return result


def _last_device(row: rule.RowState, fallback: str) -> str:
    latest = max((h[0] for h in row.heads.values() if h), key=rule.Version.key, default=None)
    return latest.hlc.device if latest is not None else fallback


def _save_meta(conn: sqlite3.Connection, schema: TeamSchema, state: TeamState,
               report: MergeReport, known_events: set[str]) -> None:
    changed = sorted(k for k in report.changed if k in state.rows)
    conn.executemany(
        "INSERT INTO team_rows (table_name, row_id, owner, state_json) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (table_name, row_id) DO UPDATE"
        " SET owner = excluded.owner, state_json = excluded.state_json",
        [(k[0], k[1], rule.owner_of(state, schema, state.rows[k]), row_text(state.rows[k]))
         for k in changed])
    touched = changed + sorted(report.removed)
    # A row's own conflicts are worked out again; refused merges of people only when the
    # person events change (they are listed against a record but do not come from it).
    conn.executemany("DELETE FROM team_conflicts WHERE table_name = ? AND row_id = ?"
                     " AND kind != 'merge'", touched)
    found: list[rule.Conflict] = []
    for key in changed:
        found.extend(rule.row_conflicts(state.rows[key], schema))
    if report.people_changed:
        conn.execute("DELETE FROM team_conflicts WHERE kind = 'merge'")
        found.extend(rule.merge_conflicts(state, schema))
    conn.executemany(
        "INSERT OR REPLACE INTO team_conflicts (table_name, row_id, column_name, change_id,"
        " kind, hlc, author, value_json, winner_change_id, winner_value_json, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.table, c.row_id, c.column, c.change_id, c.kind, c.hlc.to_text(), c.author,
          json.dumps(c.value), c.winner_change_id, json.dumps(c.winner_value), c.reason)
         for c in found])
    removed = sorted(report.removed)
    conn.executemany("DELETE FROM team_rows WHERE table_name = ? AND row_id = ?", removed)
    conn.executemany(
        "INSERT OR IGNORE INTO team_tombstones (table_name, row_id, reason, person_id)"
        " VALUES (?, ?, ?, ?)",
        [(s.table, s.row_id, s.reason, s.person_id)
         for s in (state.tombstones[k] for k in removed if k in state.tombstones)])
    conn.executemany(
        "INSERT OR IGNORE INTO team_person_events (change_id, kind, person_id, other_id, hlc,"
        " author) VALUES (?, ?, ?, ?, ?, ?)",
        [e for e in person_events(state) if e[0] not in known_events])


def conflicts(conn: sqlite3.Connection) -> list[rule.Conflict]:
    """Return the open conflicts on this laptop, in a fixed order."""
    rows = conn.execute(
        "SELECT kind, table_name, row_id, column_name, change_id, hlc, author, value_json,"
        " winner_change_id, winner_value_json, reason FROM team_conflicts"
        " ORDER BY table_name, row_id, column_name, hlc, change_id").fetchall()
    return [rule.Conflict(r[0], r[1], r[2], r[3], r[4], HLC.from_text(r[5]), r[6],
                          json.loads(r[7]), r[8], json.loads(r[9]), r[10]) for r in rows]


def possible_duplicates(conn: sqlite3.Connection) -> list[rule.PossibleDuplicate]:
    """Return the live person records that may be one person (for someone to merge)."""
    rows = conn.execute(
        "SELECT id, name, search_name, nhs_number, date_of_birth, deleted_at FROM people"
        " WHERE deleted_at IS NULL AND ("
        " nhs_number IN (SELECT nhs_number FROM people WHERE deleted_at IS NULL"
        "   AND nhs_number IS NOT NULL GROUP BY nhs_number HAVING count(*) > 1)"
        " OR (search_name, date_of_birth) IN (SELECT search_name, date_of_birth FROM people"
        "   WHERE deleted_at IS NULL AND date_of_birth IS NOT NULL"
        "   GROUP BY search_name, date_of_birth HAVING count(*) > 1))").fetchall()
    people: list[tuple[str, dict[str, JSONValue]]] = [
        (r[0], {"name": r[1], "search_name": r[2], "nhs_number": r[3], "date_of_birth": r[4],
                "deleted_at": r[5]}) for r in rows]
    state = TeamState()
    for event in conn.execute("SELECT change_id, kind, person_id, other_id, hlc, author"
                              " FROM team_person_events WHERE kind = 'distinct'"):
        add_person_event(state, (event[0], event[1], event[2], event[3], event[4], event[5]))
    return rule.possible_duplicates(people, state.distinct.values())


def local_state(conn: sqlite3.Connection) -> TeamState:
    """Return this laptop's whole merge state (for checks and reports)."""
    state = TeamState()
    for event in conn.execute("SELECT change_id, kind, person_id, other_id, hlc, author"
                              " FROM team_person_events"):
        add_person_event(state, (event[0], event[1], event[2], event[3], event[4], event[5]))
    for table, row_id, text in conn.execute(
            "SELECT table_name, row_id, state_json FROM team_rows"):
        row = row_from_json(table, row_id, text)
        state.rows[row.key] = row
    for table, row_id, reason, person in conn.execute(
            "SELECT table_name, row_id, reason, person_id FROM team_tombstones"):
        state.tombstones[(table, row_id)] = Tombstone(table, row_id, reason, person)
    return state


def iter_entries(texts: Iterable[str]) -> list[ChangeEntry]:
    """Read entries from JSON texts (e.g. lines of a file)."""
    return [ChangeEntry.from_text(t) for t in texts]
