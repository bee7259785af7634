"""Look inside a caseload file from a test: plain SQL on an open store's own connection."""

from __future__ import annotations

from typing import Any


def sql_rows(store, sql: str, params=()) -> list[dict[str, Any]]:
    """Return every row of a query on the store's connection, as dicts."""
    cursor = store.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor]


def sql_row(store, sql: str, params=()) -> dict[str, Any] | None:
    """Return the first row of a query, or None."""
    found = sql_rows(store, sql, params)
    return found[0] if found else None


def sql_scalar(store, sql: str, params=()) -> Any:
    """Return the first value of the first row, or None."""
    found = store.conn.execute(sql, params).fetchone()
    return found[0] if found else None
