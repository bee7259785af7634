"""The merge rule: a pure function from the rows a replica holds and some entries to new rows.

Every replica (each laptop, and the server) applies the entries it receives with this rule,
in whatever order they arrive, as often as they arrive; the result depends only on the set
of entries, so replicas that have the same entries hold the same rows, the same conflicts
and the same possible duplicates.

- Each column of a row holds its *heads*: the versions no other version was based on
  (an entry's `seen` names the versions it replaced). The winner is the head with the
  greatest clock time (ties by device id, then change id). The other heads are concurrent
  edits nobody saw: each is a conflict that keeps its value until someone keeps or swaps.
- Status columns are not last-writer-wins: every status move is replayed in clock order
  from the insert through the transition rule; a move no longer possible is a conflict.
- Append-only tables (sessions, scores, progress, contacts, referrals, audit) are only
  ever added to, so they meet no conflicting insert.
- An erasure removes every row of the person (and of anyone merged with them), leaves
  tombstones, and drops every entry that arrives for those rows afterwards.
- A merge of two records of one person points the absorbed record's rows at the survivor
  and hides the absorbed record; a merge that would loop becomes a conflict.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from arrs_desktop.domain.validation import search_key
from arrs_desktop.team.entries import ChangeEntry, EntryKind, JSONValue
from arrs_desktop.team.hlc import HLC
from arrs_desktop.team.tables import TableSpec, TeamSchema

RowKey = tuple[str, str]  # (table, row id)


@dataclass
class Version:
    """One value of one column, as written by one entry."""

    change_id: str
    hlc: HLC
    author: str
    value: JSONValue = None

    def key(self) -> tuple[HLC, str]:
        return (self.hlc, self.change_id)


@dataclass
class StatusMove:
    """One status move and the columns it sets."""

    change_id: str
    hlc: HLC
    author: str
    values: dict[str, JSONValue]

    def key(self) -> tuple[HLC, str]:
        return (self.hlc, self.change_id)


@dataclass
class RowState:
    """Everything a replica keeps about one row to merge further entries into it."""

    table: str
    row_id: str
    exists: bool = False  # its insert has arrived (updates may come first, out of order)
    created: Version | None = None  # the insert (the earliest, if two ever share a row id)
    heads: dict[str, list[Version]] = field(default_factory=dict)  # winner first
    superseded: set[tuple[str, str]] = field(default_factory=set)  # (column, change id)
    initial: dict[str, JSONValue] | None = None  # status columns as the insert set them
    moves: list[StatusMove] = field(default_factory=list)
    owner: str | None = None  # the person the row is about, as recorded (before merges)

    @property
    def key(self) -> RowKey:
        return (self.table, self.row_id)


@dataclass(frozen=True)
class Erasure:
    change_id: str
    person_id: str
    hlc: HLC
    author: str


@dataclass(frozen=True)
class PersonMerge:
    change_id: str
    survivor_id: str
    absorbed_id: str
    hlc: HLC
    author: str

    def key(self) -> tuple[HLC, str]:
        return (self.hlc, self.change_id)


@dataclass(frozen=True)
class DistinctPeople:
    """Two records judged to be two different people (no longer listed as duplicates)."""

    change_id: str
    first_id: str
    second_id: str
    hlc: HLC
    author: str


@dataclass(frozen=True)
class Tombstone:
    """A row that is gone for good; `person_id` is set when it went with an erased person."""

    table: str
    row_id: str
    reason: str  # "erased" or "deleted"
    person_id: str | None = None


@dataclass
class TeamState:
    """The rows (or the part of them an adapter loaded) and the team-wide decisions."""

    rows: dict[RowKey, RowState] = field(default_factory=dict)
    tombstones: dict[RowKey, Tombstone] = field(default_factory=dict)
    erasures: dict[str, Erasure] = field(default_factory=dict)
    merges: dict[str, PersonMerge] = field(default_factory=dict)
    distinct: dict[str, DistinctPeople] = field(default_factory=dict)


@dataclass
class MergeReport:
    """What applying some entries did, so an adapter writes back only what moved."""

    changed: set[RowKey] = field(default_factory=set)
    removed: set[RowKey] = field(default_factory=set)
    applied: list[str] = field(default_factory=list)  # change ids that took effect
    ignored: list[str] = field(default_factory=list)  # duplicates, or rows already erased
    people_changed: bool = False  # an erasure, merge or distinct decision arrived


@dataclass(frozen=True)
class Conflict:
    """A value kept aside: a concurrent edit that lost, or a move no longer possible."""

    kind: str  # "edit", "status" or "merge"
    table: str
    row_id: str
    column: str
    change_id: str
    hlc: HLC
    author: str
    value: JSONValue
    winner_change_id: str | None
    winner_value: JSONValue
    reason: str

    def sort_key(self) -> tuple[str, str, str, HLC, str]:
        return (self.table, self.row_id, self.column, self.hlc, self.change_id)


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two person records that may be one person, for someone to merge or keep apart."""

    first_id: str
    second_id: str
    reason: str  # "nhs_number" or "name_and_date_of_birth"


class PersonLinks:
    """The valid merges, replayed in clock order: who was absorbed into whom."""

    def __init__(self, merges: Iterable[PersonMerge]) -> None:
        self.parent: dict[str, str] = {}
        self.by_absorbed: dict[str, PersonMerge] = {}
        self.rejected: list[PersonMerge] = []
        for m in sorted(merges, key=PersonMerge.key):
            if (m.absorbed_id == m.survivor_id or m.absorbed_id in self.parent
                    or self.resolve(m.survivor_id) == m.absorbed_id):
                self.rejected.append(m)
                continue
            self.parent[m.absorbed_id] = m.survivor_id
            self.by_absorbed[m.absorbed_id] = m
        members: dict[str, set[str]] = {}
        for person in set(self.parent) | set(self.parent.values()):
            members.setdefault(self.resolve(person), set()).add(person)
        self._members = members

    def resolve(self, person_id: str) -> str:
        """Return the record a person's rows now belong to (itself when never absorbed)."""
        seen = set()
        while person_id in self.parent and person_id not in seen:
            seen.add(person_id)
            person_id = self.parent[person_id]
        return person_id

    def group(self, person_id: str) -> set[str]:
        """Return every record merged together with this one (itself included)."""
        return set(self._members.get(self.resolve(person_id), {person_id})) | {person_id}


class _Context:
    """The schema and the team-wide decisions, worked out once per change to them."""

    def __init__(self, state: TeamState, schema: TeamSchema) -> None:
        self.state = state
        self.schema = schema
        self.refresh()

    def refresh(self) -> None:
        self.links = PersonLinks(self.state.merges.values())
        self.erased = erased_people(self.state)


def linked_records(merges: Iterable[PersonMerge], people: Iterable[str]) -> set[str]:
    """Return the people and every record any merge entry links them with (accepted or
    refused): what an adapter loads before merging a person event."""
    parent: dict[str, str] = {}

    def root(person: str) -> str:
        while parent.get(person, person) != person:
            person = parent[person]
        return person

    for m in merges:
        a, b = root(m.survivor_id), root(m.absorbed_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    wanted = {root(p) for p in people}
    return set(people) | {p for p in set(parent) | set(parent.values()) if root(p) in wanted}


def erased_people(state: TeamState) -> set[str]:
    """Return every record an erasure reaches: the erased person and every record any merge
    entry ever linked with them, the merges later refused included.

    Refused merges count too so that the set only ever grows as entries arrive: a merge
    accepted until an earlier one arrives (and then refused) must not leave one replica
    with a record another has erased.
    """
    if not state.erasures:
        return set()
    parent: dict[str, str] = {}

    def root(person: str) -> str:
        while parent.get(person, person) != person:
            person = parent[person]
        return person

    for m in state.merges.values():
        a, b = root(m.survivor_id), root(m.absorbed_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = {}
    for person in set(parent) | set(parent.values()):
        groups.setdefault(root(person), set()).add(person)
    erased: set[str] = set()
    for erasure in state.erasures.values():
        erased |= groups.get(root(erasure.person_id), set()) | {erasure.person_id}
    return erased


def owner_of(state: TeamState, schema: TeamSchema, row: RowState) -> str | None:
    """Return the person a row is about (as recorded), through its parent row if need be."""
    if row.owner is not None:
        return row.owner
    spec = schema.tables.get(row.table)
    if spec is None or spec.parent is None or not row.exists:
        return None
    column, table = spec.parent
    parent_id = _winner(row, column)
    if not isinstance(parent_id, str):
        return None
    parent = state.rows.get((table, parent_id))
    if parent is not None:
        return owner_of(state, schema, parent)
    stone = state.tombstones.get((table, parent_id))
    return stone.person_id if stone is not None else None


def _winner(row: RowState, column: str) -> JSONValue:
    heads = row.heads.get(column)
    return heads[0].value if heads else None


def _owner_from_insert(ctx: _Context, spec: TableSpec, entry: ChangeEntry) -> str | None:
    if spec.person_column == "id":
        return entry.row_id
    if spec.person_column is not None:
        value = entry.values.get(spec.person_column)
        return value if isinstance(value, str) else None
    if spec.parent is not None:
        column, table = spec.parent
        parent_id = entry.values.get(column)
        if not isinstance(parent_id, str):
            return None
        parent = ctx.state.rows.get((table, parent_id))
        if parent is not None:
            return owner_of(ctx.state, ctx.schema, parent)
        stone = ctx.state.tombstones.get((table, parent_id))
        return stone.person_id if stone is not None else None
    return None


def _write(row: RowState, column: str, version: Version, parents: tuple[str, ...]) -> bool:
    """Add one version to a column's heads; return False if it changed nothing.

    The versions it was based on stop being heads even when it is itself replaced already
    (entries can arrive after the ones that saw them).
    """
    heads = row.heads.setdefault(column, [])
    changed = False
    for parent in parents:
        if (column, parent) not in row.superseded:
            row.superseded.add((column, parent))
            changed = True
    if changed:
        heads[:] = [h for h in heads if h.change_id not in parents]
    if (column, version.change_id) in row.superseded or any(
            h.change_id == version.change_id for h in heads):
        return changed  # a later version that saw this one is here already, or it is
    heads.append(version)
    heads.sort(key=Version.key, reverse=True)
    return True


def apply_entries(state: TeamState, entries: Iterable[ChangeEntry],
                  schema: TeamSchema) -> MergeReport:
    """Merge entries into state (in place); return what changed.

    The state must hold every row the entries touch that the replica has, their parent
    rows, and for erasures and merges every row of the people involved: adapters load
    those with `rows_needed` first.
    """
    ctx = _Context(state, schema)
    report = MergeReport()
    for entry in entries:
        if entry.kind in (EntryKind.ERASE, EntryKind.MERGE, EntryKind.DISTINCT):
            _apply_person_event(ctx, entry, report)
        elif entry.kind is EntryKind.DELETE:
            _apply_delete(ctx, entry, report)
        else:
            _apply_row_entry(ctx, entry, report)
    return report


def merge(state: TeamState, entries: Iterable[ChangeEntry], schema: TeamSchema) -> TeamState:
    """Return the state after the entries; the given state is left as it was."""
    result = copy.deepcopy(state)
    apply_entries(result, entries, schema)
    return result


def _apply_row_entry(ctx: _Context, entry: ChangeEntry, report: MergeReport) -> None:
    state = ctx.state
    spec = ctx.schema.tables.get(entry.table)
    key = (entry.table, entry.row_id)
    if (entry.purged and entry.table == ctx.schema.people_table
            and key not in state.tombstones):
        _erased_on_server(ctx, entry, report)
    if spec is None or entry.purged or key in state.tombstones:
        report.ignored.append(entry.change_id)
        return
    row = state.rows.get(key) or RowState(entry.table, entry.row_id)
    changed = False
    if entry.kind is EntryKind.INSERT:
        owner = _owner_from_insert(ctx, spec, entry)
        if owner is not None and owner in ctx.erased:
            _bury(ctx, row, Tombstone(entry.table, entry.row_id, "erased", owner), report)
            report.ignored.append(entry.change_id)
            return
        insert = Version(entry.change_id, entry.hlc, entry.author)
        if row.created is not None and row.created.change_id == entry.change_id:
            report.ignored.append(entry.change_id)
            return
        if row.created is None or insert.key() < row.created.key():
            row.created = insert
            row.owner = owner
            if spec.status_column is not None:
                row.initial = {c: entry.values.get(c) for c in spec.status_columns}
        row.exists = True
        changed = True
        for column, value in entry.values.items():
            if spec.synced(column) and column not in spec.status_columns:
                _write(row, column, Version(entry.change_id, entry.hlc, entry.author, value), ())
    elif entry.kind is EntryKind.STATUS and spec.status_column is not None:
        if not any(m.change_id == entry.change_id for m in row.moves):
            row.moves.append(StatusMove(entry.change_id, entry.hlc, entry.author,
                                        {c: v for c, v in entry.values.items()
                                         if c in spec.status_columns}))
            changed = True
    else:  # an update (a status entry of a table without a status is an update too)
        for column, value in entry.values.items():
            if (not spec.synced(column) or column in spec.immutable
                    or column in spec.status_columns):
                continue
            version = Version(entry.change_id, entry.hlc, entry.author, value)
            changed |= _write(row, column, version, entry.seen.get(column, ()))
    if changed:
        state.rows[key] = row
        report.changed.add(key)
        report.applied.append(entry.change_id)
    else:
        report.ignored.append(entry.change_id)


def insert_state(entry: ChangeEntry, schema: TeamSchema, owner: str | None) -> RowState:
    """Return the state of a row made by one insert and nothing else (a bulk load of a
    whole caseload into a new team): what merging that insert alone gives."""
    spec = schema.tables[entry.table]
    version = Version(entry.change_id, entry.hlc, entry.author)
    row = RowState(entry.table, entry.row_id, exists=True, created=version, owner=owner)
    if spec.status_column is not None:
        row.initial = {c: entry.values.get(c) for c in spec.status_columns}
    for column, value in entry.values.items():
        if spec.synced(column) and column not in spec.status_columns:
            row.heads[column] = [Version(entry.change_id, entry.hlc, entry.author, value)]
    return row


def _apply_delete(ctx: _Context, entry: ChangeEntry, report: MergeReport) -> None:
    key = (entry.table, entry.row_id)
    if key in ctx.state.tombstones:
        report.ignored.append(entry.change_id)
        return
    row = ctx.state.rows.get(key) or RowState(entry.table, entry.row_id)
    _bury(ctx, row, Tombstone(entry.table, entry.row_id, "deleted"), report)
    report.applied.append(entry.change_id)


def _apply_person_event(ctx: _Context, entry: ChangeEntry, report: MergeReport) -> None:
    state = ctx.state
    cid = entry.change_id
    if cid in state.erasures or cid in state.merges or cid in state.distinct:
        report.ignored.append(cid)
        return
    if entry.kind is EntryKind.ERASE:
        state.erasures[cid] = Erasure(cid, entry.row_id, entry.hlc, entry.author)
    elif entry.kind is EntryKind.MERGE:
        absorbed = str(entry.values["absorbed_id"])
        state.merges[cid] = PersonMerge(cid, entry.row_id, absorbed, entry.hlc, entry.author)
    else:
        other = str(entry.values["other_id"])
        first, second = sorted((entry.row_id, other))
        state.distinct[cid] = DistinctPeople(cid, first, second, entry.hlc, entry.author)
    report.applied.append(cid)
    report.people_changed = True
    ctx.refresh()
    if entry.kind is not EntryKind.DISTINCT:
        _purge_erased(ctx, report)
        if entry.kind is EntryKind.MERGE:  # rows of both records now show the survivor
            # A merge arriving late can turn one made later into a refused one: rows of
            # every record any merge links with these two may now show someone else, and
            # that someone (who lost them) is named too, for the caseload to redraw them.
            group = linked_records(state.merges.values(), {
                entry.row_id, str(entry.values["absorbed_id"])})
            for row in state.rows.values():
                if owner_of(state, ctx.schema, row) in group:
                    report.changed.add(row.key)


def _erased_on_server(ctx: _Context, entry: ChangeEntry, report: MergeReport) -> None:
    """A person record's entry arrived purged: the server purges only what an erasure
    reached, and the erasure itself comes later in the log (perhaps on a later page). The
    record counts as erased from now on, so that no row is left pointing at it meanwhile
    (a merge into it, say); the erasure, when it arrives, finds the work done."""
    cid = f"purged:{entry.row_id}"
    if cid in ctx.state.erasures:
        return
    ctx.state.erasures[cid] = Erasure(cid, entry.row_id, entry.hlc, entry.author)
    report.people_changed = True
    ctx.refresh()
    _purge_erased(ctx, report)


def _purge_erased(ctx: _Context, report: MergeReport) -> None:
    """Remove every row of an erased person; tombstone them and the person records."""
    state = ctx.state
    if not ctx.erased:
        return
    for row in list(state.rows.values()):
        owner = owner_of(state, ctx.schema, row)
        if owner is not None and owner in ctx.erased:
            _bury(ctx, row, Tombstone(row.table, row.row_id, "erased", owner), report)
    people = ctx.schema.people_table
    for person in ctx.erased:
        record = state.rows.get((people, person))
        if record is not None:  # edits of the record that came before its insert
            _bury(ctx, record, Tombstone(people, person, "erased", person), report)
        elif (people, person) not in state.tombstones:
            state.tombstones[(people, person)] = Tombstone(people, person, "erased", person)
            report.removed.add((people, person))


def _bury(ctx: _Context, row: RowState, stone: Tombstone, report: MergeReport) -> None:
    ctx.state.rows.pop(row.key, None)
    ctx.state.tombstones[row.key] = stone
    report.changed.discard(row.key)
    report.removed.add(row.key)


# --- Reading the merged state -------------------------------------------------------


def fold_status(row: RowState, spec: TableSpec, schema: TeamSchema
                ) -> tuple[dict[str, JSONValue], list[tuple[StatusMove, str]]]:
    """Replay a row's status moves in clock order; return its values and refused moves."""
    if row.initial is None or spec.status_column is None:
        return {}, []
    current = dict(row.initial)
    refused: list[tuple[StatusMove, str]] = []
    for move in sorted(row.moves, key=StatusMove.key):
        if spec.status_column not in move.values:  # a date set with no move (first contact)
            current.update(move.values)
            continue
        now = current.get(spec.status_column)
        new = move.values.get(spec.status_column)
        if isinstance(now, str) and isinstance(new, str) and schema.transition(
                spec.name, now, new):
            current.update(move.values)
        else:
            refused.append((move, str(now)))
    return current, refused


def raw_values(row: RowState, schema: TeamSchema) -> dict[str, JSONValue]:
    """Return the row's columns as merged, before merges of people are taken into account."""
    values = {column: heads[0].value for column, heads in row.heads.items() if heads}
    spec = schema.tables[row.table]
    if spec.status_column is not None:
        folded, _ = fold_status(row, spec, schema)
        values.update(folded)
    return values


def row_values(state: TeamState, schema: TeamSchema, row: RowState,
               links: PersonLinks | None = None) -> dict[str, JSONValue] | None:
    """Return the row as the caseload shows it, or None while its insert has not arrived.

    A row about an absorbed person points at the survivor, and the absorbed person's own
    record is marked deleted (from the time of the merge) unless it was deleted already.
    """
    if not row.exists:
        return None
    links = links or PersonLinks(state.merges.values())
    spec = schema.tables[row.table]
    values = raw_values(row, schema)
    column = spec.person_column
    if column is not None and column != "id" and column not in spec.key:
        person = values.get(column)
        if isinstance(person, str):
            values[column] = links.resolve(person)
    absorbed = links.by_absorbed.get(row.row_id) if row.table == schema.people_table else None
    if absorbed is not None and values.get("deleted_at") is None:
        values["deleted_at"] = hlc_iso(absorbed.hlc)
    return values


def hlc_iso(hlc: HLC) -> str:
    """Return a clock time as the caseload's timestamp text (UTC, microseconds)."""
    return datetime.fromtimestamp(hlc.ms / 1000, tz=UTC).isoformat(timespec="microseconds")


def tables_of(state: TeamState, schema: TeamSchema) -> dict[str, dict[str, dict[str, JSONValue]]]:
    """Return every existing row by table and row id, as the caseload shows them."""
    links = PersonLinks(state.merges.values())
    out: dict[str, dict[str, dict[str, JSONValue]]] = {}
    for row in state.rows.values():
        values = row_values(state, schema, row, links)
        if values is not None:
            out.setdefault(row.table, {})[row.row_id] = values
    return out


def row_conflicts(row: RowState, schema: TeamSchema) -> list[Conflict]:
    """Return the conflicts one row holds: losing concurrent edits and refused moves."""
    out: list[Conflict] = []
    for column, heads in sorted(row.heads.items()):
        winner = heads[0]
        for loser in heads[1:]:
            out.append(Conflict("edit", row.table, row.row_id, column, loser.change_id,
                                loser.hlc, loser.author, loser.value, winner.change_id,
                                winner.value, "changed on two devices at once"))
    spec = schema.tables[row.table]
    if spec.status_column is not None:
        folded, refused = fold_status(row, spec, schema)
        for move, current in refused:
            out.append(Conflict("status", row.table, row.row_id, spec.status_column,
                                move.change_id, move.hlc, move.author, dict(move.values), None,
                                folded.get(spec.status_column),
                                f"the move to {move.values.get(spec.status_column)} was no"
                                f" longer possible: it was {current} by then"))
    return out


def merge_conflicts(state: TeamState, schema: TeamSchema) -> list[Conflict]:
    """Return the merges of people that could not be made (they would loop or repeat)."""
    links = PersonLinks(state.merges.values())
    return [Conflict("merge", schema.people_table, m.survivor_id, "absorbed_id", m.change_id,
                     m.hlc, m.author, m.absorbed_id, None, links.resolve(m.absorbed_id),
                     "these records were already merged the other way or into someone else")
            for m in links.rejected]


def conflicts_of(state: TeamState, schema: TeamSchema) -> list[Conflict]:
    """Return every conflict in the state, in a fixed order."""
    out = merge_conflicts(state, schema)
    for row in state.rows.values():
        out.extend(row_conflicts(row, schema))
    return sorted(out, key=Conflict.sort_key)


def possible_duplicates(people: Iterable[tuple[str, Mapping[str, JSONValue]]],
                        distinct: Iterable[DistinctPeople] = ()) -> list[PossibleDuplicate]:
    """Return pairs of live person records with one NHS number, or one name and birth date.

    `people` are (id, values) as the caseload shows them; deleted records (merged ones
    included) are left out, and so are pairs someone judged to be two people.
    """
    apart = {(d.first_id, d.second_id) for d in distinct}
    groups: dict[tuple[str, str], list[str]] = {}
    for person_id, values in people:
        if values.get("deleted_at") is not None:
            continue
        nhs = values.get("nhs_number")
        if isinstance(nhs, str) and nhs:
            groups.setdefault(("nhs_number", nhs), []).append(person_id)
        name = values.get("search_name") or search_key(str(values.get("name") or ""))
        dob = values.get("date_of_birth")
        if name and isinstance(dob, str) and dob:
            groups.setdefault(("name_and_date_of_birth", f"{name}\n{dob}"), []).append(person_id)
    pairs: dict[tuple[str, str], str] = {}
    # A shared NHS number is the stronger reason: it is named when both apply.
    for (reason, _), ids in sorted(groups.items(),
                                   key=lambda g: (g[0][0] != "nhs_number", g[0])):
        ids = sorted(set(ids))
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                if (first, second) not in apart:
                    pairs.setdefault((first, second), reason)
    return [PossibleDuplicate(a, b, r) for (a, b), r in sorted(pairs.items())]


def rows_needed(entries: Iterable[ChangeEntry], schema: TeamSchema
                ) -> tuple[set[RowKey], set[str]]:
    """Return the rows and the people whose rows an adapter must load before merging."""
    keys: set[RowKey] = set()
    people: set[str] = set()
    for entry in entries:
        if entry.purged and entry.table == schema.people_table:  # erased on the server
            people.add(entry.row_id)
        if entry.kind in (EntryKind.ERASE, EntryKind.MERGE):
            people.add(entry.row_id)
            if entry.kind is EntryKind.MERGE:
                people.add(str(entry.values.get("absorbed_id")))
            continue
        keys.add((entry.table, entry.row_id))
        spec = schema.tables.get(entry.table)
        if spec is not None and spec.parent is not None:
            parent_id = entry.values.get(spec.parent[0])
            if isinstance(parent_id, str):
                keys.add((spec.parent[1], parent_id))
    return keys, people
