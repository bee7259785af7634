"""The change log entry: one confirmed local write, as it travels between laptops and server.

An entry says who changed which row of which table, when (hybrid logical clock), and the
columns it wrote with their new values. For each column an update writes, it also lists the
versions of that column its writer had (`seen`): the change ids of the values on screen when
the change was made. "B has seen A" means exactly that A's change id is in B's `seen` for that
column. That is what tells a later edit (it saw the value it replaced) from a concurrent one
(neither saw the other).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias

from arrs_desktop.team.hlc import HLC, ClockTextError, HybridClock

JSONValue: TypeAlias = "None | bool | int | float | str | list[JSONValue] | dict[str, JSONValue]"

FORMAT_VERSION = 1


class EntryKind(StrEnum):
    """What an entry does."""

    INSERT = "insert"  # a new row with every column it syncs
    UPDATE = "update"  # some columns of a row
    STATUS = "status"  # a status move and the columns it sets; replayed through the transitions
    DELETE = "delete"  # a row removed (a row that holds no person, e.g. a GP code)
    ERASE = "erase"  # a person erased: their values removed everywhere, a tombstone left
    MERGE = "merge"  # two records of one person: row_id survives, values["absorbed_id"] joins it
    DISTINCT = "distinct"  # a possible duplicate judged two people: values["other_id"]


ROW_KINDS = frozenset({EntryKind.INSERT, EntryKind.UPDATE, EntryKind.STATUS})
PERSON_KINDS = frozenset({EntryKind.ERASE, EntryKind.MERGE, EntryKind.DISTINCT})


class EntryFormatError(ValueError):
    """A change log entry that cannot be read."""


@dataclass(frozen=True)
class ChangeEntry:
    """One change, as recorded in the outbox and the team's change log."""

    change_id: str
    hlc: HLC
    author: str
    table: str
    row_id: str
    kind: EntryKind
    values: Mapping[str, JSONValue] = field(default_factory=dict)
    seen: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    purged: bool = False  # values removed because the person was erased

    @property
    def device_id(self) -> str:
        """Return the device that made the change (the clock's device)."""
        return self.hlc.device

    def sort_key(self) -> tuple[HLC, str]:
        """Return the key that orders every entry the same way on every replica."""
        return (self.hlc, self.change_id)

    def to_json(self) -> dict[str, JSONValue]:
        """Return the entry as a JSON object."""
        out: dict[str, JSONValue] = {
            "v": FORMAT_VERSION,
            "id": self.change_id,
            "hlc": self.hlc.to_text(),
            "author": self.author,
            "table": self.table,
            "row": self.row_id,
            "kind": self.kind.value,
            "values": dict(self.values),
        }
        if self.seen:
            out["seen"] = {col: list(ids) for col, ids in sorted(self.seen.items())}
        if self.purged:
            out["purged"] = True
        return out

    def to_text(self) -> str:
        """Return the entry as compact JSON text."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: Any) -> ChangeEntry:
        """Read an entry from its JSON object; raise EntryFormatError if it is not one."""
        if not isinstance(data, dict):
            raise EntryFormatError("an entry is a JSON object")
        try:
            version = data.get("v", FORMAT_VERSION)
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise EntryFormatError(f"entry format {version} is newer than this version")
            values = data.get("values", {})
            seen = data.get("seen", {})
            if not isinstance(values, dict) or not isinstance(seen, dict):
                raise EntryFormatError("values and seen are JSON objects")
            entry = cls(
                change_id=_text(data, "id"),
                hlc=HLC.from_text(_text(data, "hlc")),
                author=_text(data, "author", empty=True),
                table=_text(data, "table"),
                row_id=_text(data, "row"),
                kind=EntryKind(data["kind"]),
                values=values,
                seen={str(c): tuple(str(i) for i in ids) for c, ids in seen.items()},
                purged=bool(data.get("purged", False)),
            )
        except (KeyError, TypeError, ClockTextError) as exc:
            raise EntryFormatError(f"not a change log entry: {exc}") from None
        except ValueError as exc:
            raise EntryFormatError(str(exc)) from None
        entry.check()
        return entry

    @classmethod
    def from_text(cls, text: str | bytes) -> ChangeEntry:
        """Read an entry from JSON text."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise EntryFormatError(f"not JSON: {exc}") from None
        return cls.from_json(data)

    def check(self) -> None:
        """Raise EntryFormatError if the entry breaks the format's rules."""
        try:
            uuid.UUID(self.change_id)
        except (ValueError, AttributeError):
            raise EntryFormatError(f"change id is not a UUID: {self.change_id!r}") from None
        if self.kind is EntryKind.MERGE and not isinstance(self.values.get("absorbed_id"), str):
            raise EntryFormatError("a merge names the absorbed person (absorbed_id)")
        if self.kind is EntryKind.DISTINCT and not isinstance(self.values.get("other_id"), str):
            raise EntryFormatError("a not-a-duplicate decision names the other person")
        if self.kind is EntryKind.INSERT and self.seen:
            raise EntryFormatError("an insert is based on no earlier version")
        for col in self.seen:
            if col not in self.values:
                raise EntryFormatError(f"seen names a column the entry does not write: {col}")

    def without_values(self) -> ChangeEntry:
        """Return this entry with its values removed (after its person was erased)."""
        return ChangeEntry(self.change_id, self.hlc, self.author, self.table, self.row_id,
                           self.kind, {}, {}, purged=True)


def _text(data: Mapping[str, Any], key: str, *, empty: bool = False) -> str:
    value = data[key]
    if not isinstance(value, str) or (not empty and not value):
        raise EntryFormatError(f"{key} must be text")
    return value


def new_entry(clock: HybridClock, author: str, table: str, row_id: str, kind: EntryKind,
              values: Mapping[str, JSONValue] | None = None,
              seen: Mapping[str, tuple[str, ...]] | None = None) -> ChangeEntry:
    """Return a new entry stamped with a fresh change id and the clock's next time."""
    entry = ChangeEntry(str(uuid.uuid4()), clock.now(), author, table, row_id, kind,
                        dict(values or {}), dict(seen or {}))
    entry.check()
    return entry
