"""Reading rows on one connection, and the small conversions every part of the store shares."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

Row = dict[str, Any]
Params = Sequence[Any] | Mapping[str, Any]


def now_iso() -> str:
    """Return the current UTC time as ISO text with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    """Return a new random UUID as text."""
    return str(uuid.uuid4())


def iso(value: date | None) -> str | None:
    """Return a date as ISO text (or None)."""
    return value.isoformat() if value is not None else None


def to_date(value: str | None) -> date | None:
    """Parse ISO date text from the database."""
    return date.fromisoformat(value) if value else None


def to_day(value: str | None) -> date:
    """Parse ISO date text from a column that always holds a date (NOT NULL)."""
    day = to_date(value)
    if day is None:
        raise ValueError("a date column holds no date")
    return day


def as_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return column values as stored: dates as ISO text, the rest as they are."""
    return {k: iso(v) if isinstance(v, date) else v for k, v in values.items()}


def jsonable(value: Any) -> Any:
    """Return a value made of plain JSON types (dates as ISO text, dataclasses as dicts)."""
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def dumps(value: Any) -> str:
    """Serialise a row or value to stable JSON for the audit log."""
    return json.dumps(jsonable(value), sort_keys=True, ensure_ascii=False)


def later_than(stamp: str, previous: str | None) -> str:
    """Return `stamp`, or a microsecond after `previous` if the clock has not moved past it.

    Every saved change gives its row a new version, even when two land in the same
    microsecond or the clock has been set back.
    """
    if not previous or stamp > previous:
        return stamp
    try:
        return (datetime.fromisoformat(previous) + timedelta(microseconds=1)).isoformat(
            timespec="microseconds")
    except ValueError:
        return stamp


def sql_list(values: Iterable[str]) -> str:
    """Return constant text values as an SQL list: ('a', 'b') (never user input)."""
    items = list(values)
    assert all("'" not in v for v in items)
    return "(" + ", ".join(f"'{v}'" for v in items) + ")"


class Db:
    """Reads on one SQLite connection: rows as dicts, one row, one value.

    Every part of the store is given the same `Db` (the open file's connection, or a
    reader's), so a part's reads and the writer's writes see one transaction.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        """Return every row of a query as a dict of column -> value."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor]

    def row(self, sql: str, params: Params = ()) -> Row | None:
        """Return the first row of a query, or None."""
        cursor = self.conn.execute(sql, params)
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([d[0] for d in cursor.description], found, strict=True))

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """Return the first value of the first row, or None."""
        found = self.conn.execute(sql, params).fetchone()
        return found[0] if found else None

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Return every row of a query as a plain tuple (for lists of many thousands)."""
        return [tuple(r) for r in self.conn.execute(sql, params)]
