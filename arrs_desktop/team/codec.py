"""The merge state as JSON: how the server and each laptop store what the merge rule keeps."""

from __future__ import annotations

import json
from typing import Any

from arrs_desktop.team.entries import JSONValue
from arrs_desktop.team.hlc import HLC
from arrs_desktop.team.merge import (
    DistinctPeople,
    Erasure,
    PersonMerge,
    RowState,
    StatusMove,
    TeamState,
    Version,
)


def row_to_json(row: RowState) -> dict[str, JSONValue]:
    """Return a row's merge state as a JSON object (versions shared by columns written once)."""
    versions: list[JSONValue] = []
    index: dict[str, int] = {}

    def ref(v: Version) -> int:
        if v.change_id not in index:
            index[v.change_id] = len(versions)
            versions.append([v.hlc.to_text(), v.change_id, v.author])
        return index[v.change_id]

    heads: dict[str, JSONValue] = {
        column: [[ref(v), v.value] for v in column_heads]
        for column, column_heads in sorted(row.heads.items()) if column_heads
    }
    out: dict[str, JSONValue] = {"v": versions, "h": heads}
    if row.exists:
        out["e"] = 1
    if row.created is not None:
        out["c"] = ref(row.created)
    if row.superseded:
        out["s"] = [[c, i] for c, i in sorted(row.superseded)]
    if row.initial is not None:
        out["i"] = dict(row.initial)
    if row.moves:
        out["m"] = [[m.hlc.to_text(), m.change_id, m.author, dict(m.values)]
                    for m in sorted(row.moves, key=StatusMove.key)]
    if row.owner is not None:
        out["o"] = row.owner
    return out


def row_from_json(table: str, row_id: str, data: Any) -> RowState:
    """Read a row's merge state written by `row_to_json`."""
    if isinstance(data, str | bytes):
        data = json.loads(data)
    versions = [(HLC.from_text(h), str(c), str(a)) for h, c, a in data.get("v", [])]

    def version(i: int, value: JSONValue = None) -> Version:
        hlc, cid, author = versions[i]
        return Version(cid, hlc, author, value)

    created = data.get("c")
    return RowState(
        table=table,
        row_id=row_id,
        exists=bool(data.get("e")),
        created=version(created) if created is not None else None,
        heads={column: [version(i, value) for i, value in heads]
               for column, heads in data.get("h", {}).items()},
        superseded={(str(c), str(i)) for c, i in data.get("s", [])},
        initial=data.get("i"),
        moves=[StatusMove(str(c), HLC.from_text(h), str(a), dict(v))
               for h, c, a, v in data.get("m", [])],
        owner=data.get("o"),
    )


def row_text(row: RowState) -> str:
    """Return a row's merge state as compact JSON text."""
    return json.dumps(row_to_json(row), separators=(",", ":"), sort_keys=True)


PersonEvent = tuple[str, str, str, str | None, str, str]  # id, kind, person, other, hlc, author


def person_events(state: TeamState) -> list[PersonEvent]:
    """Return the state's erasures, merges and distinct decisions as plain tuples."""
    out: list[PersonEvent] = []
    for e in state.erasures.values():
        out.append((e.change_id, "erase", e.person_id, None, e.hlc.to_text(), e.author))
    for m in state.merges.values():
        out.append((m.change_id, "merge", m.survivor_id, m.absorbed_id, m.hlc.to_text(),
                    m.author))
    for d in state.distinct.values():
        out.append((d.change_id, "distinct", d.first_id, d.second_id, d.hlc.to_text(),
                    d.author))
    return sorted(out)


def add_person_event(state: TeamState, event: PersonEvent) -> None:
    """Put one stored erasure, merge or distinct decision into a state."""
    change_id, kind, person, other, hlc_text, author = event
    hlc = HLC.from_text(hlc_text)
    if kind == "erase":
        state.erasures[change_id] = Erasure(change_id, person, hlc, author)
    elif kind == "merge" and other is not None:
        state.merges[change_id] = PersonMerge(change_id, person, other, hlc, author)
    elif kind == "distinct" and other is not None:
        state.distinct[change_id] = DistinctPeople(change_id, person, other, hlc, author)
