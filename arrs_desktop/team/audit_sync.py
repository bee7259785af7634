"""The laptop's side of the team's audit log: its own lines pushed, the others' lines kept.

Each laptop keeps its own hash-chained `audit_log` exactly as it is; nothing here writes
to it. Its lines after the last one pushed (`audit_pushed` in `team_sync`) go to the server
in pages, named there by (the laptop's team device id, the line's seq): a page sent twice
is stored once. Lines of the other devices come back into `team_audit` (store migration
0016), keyed (device_id, seq) and never chained here, each page in one transaction with
the cursor it was pulled up to (`audit_cursor`, the server's numbering).

Erasure: the values of pulled lines about an erased person are replaced by "[erased]"
(the keys of an object are kept, as on the laptop's own log), when the erasure is made
here, when it is pulled, and when a line about a person erased already is pulled.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from arrs_desktop.team.outbox import transaction

PUSHED_KEY = "audit_pushed"
CURSOR_KEY = "audit_cursor"
ERASED = "[erased]"


@dataclass(frozen=True)
class AuditLine:
    """One audit line as the team holds it; `seq` is its number on the device that wrote it.

    `server_seq` and `pushed_by` are the server's (0 and "" for a line not yet pushed).
    """

    device_id: str
    seq: int
    at: str
    who: str
    action: str
    table_name: str
    row_id: str
    person_id: str | None
    before_json: str | None
    after_json: str | None
    server_seq: int = 0
    pushed_by: str = ""


def _get_int(conn: sqlite3.Connection, key: str) -> int:
    row = conn.execute("SELECT value FROM team_sync WHERE key = ?", [key]).fetchone()
    return 0 if row is None else int(row[0])


def _set_int(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT INTO team_sync (key, value) VALUES (?, ?)"
                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, str(value)])


# -- pushing this laptop's own lines --------------------------------------------------------
def pushed_up_to(conn: sqlite3.Connection) -> int:
    """Return the seq of this laptop's last audit line the server has."""
    return _get_int(conn, PUSHED_KEY)


def waiting_lines(conn: sqlite3.Connection, device_id: str, limit: int) -> list[AuditLine]:
    """Return up to `limit` of this laptop's own audit lines not yet pushed, oldest first,
    named by the team device id."""
    rows = conn.execute(
        "SELECT seq, at, who, action, table_name, row_id, person_id, before_json, after_json"
        " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
        [pushed_up_to(conn), limit]).fetchall()
    return [AuditLine(device_id, int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]),
                      str(r[5]), None if r[6] is None else str(r[6]), r[7], r[8])
            for r in rows]


def waiting_line_count(conn: sqlite3.Connection) -> int:
    """Return how many of this laptop's audit lines the server does not have yet."""
    row = conn.execute("SELECT count(*) FROM audit_log WHERE seq > ?",
                       [pushed_up_to(conn)]).fetchone()
    return int(row[0]) if row else 0


def mark_lines_pushed(conn: sqlite3.Connection, seq: int) -> None:
    """Remember that the server has every own line up to `seq` (never moves back)."""
    with transaction(conn):
        if seq > pushed_up_to(conn):
            _set_int(conn, PUSHED_KEY, seq)


# -- the other devices' lines ----------------------------------------------------------------
def audit_cursor(conn: sqlite3.Connection) -> int:
    """Return the server number of the last team audit line pulled."""
    return _get_int(conn, CURSOR_KEY)


def _redact_sql(column: str) -> str:
    return (f"CASE WHEN {column} IS NULL THEN NULL"
            f" WHEN json_valid({column}) AND json_type({column}) = 'object' THEN"
            f" (SELECT json_group_object(key, '{ERASED}') FROM"
            f" (SELECT key FROM json_each({column}) ORDER BY key))"
            f" ELSE json_quote('{ERASED}') END")


def redact_people(conn: sqlite3.Connection, people: Iterable[str]) -> int:
    """Blank the values of the pulled audit lines about these people (erased); keep the
    erase lines themselves (who erased, when, why). Call inside the erasure's or the
    pull's transaction. Returns how many lines were about them."""
    wanted = sorted(set(people))
    if not wanted:
        return 0
    marks = ", ".join("?" * len(wanted))
    cursor = conn.execute(
        f"UPDATE team_audit SET before_json = {_redact_sql('before_json')},"
        f" after_json = {_redact_sql('after_json')}"
        f" WHERE person_id IN ({marks}) AND action <> 'erase'", wanted)
    return max(cursor.rowcount, 0)


def erased_among(conn: sqlite3.Connection, people: Iterable[str]) -> set[str]:
    """Return those of these people this laptop knows were erased (made here or pulled)."""
    wanted = sorted(set(people))
    if not wanted:
        return set()
    marks = ", ".join("?" * len(wanted))
    rows = conn.execute(
        f"SELECT person_id FROM team_person_events WHERE kind = 'erase'"
        f" AND person_id IN ({marks})"
        f" UNION SELECT row_id FROM team_tombstones WHERE reason = 'erased'"
        f" AND table_name = 'people' AND row_id IN ({marks})"
        f" UNION SELECT row_id FROM audit_log WHERE action = 'erase'"
        f" AND table_name = 'people' AND row_id IN ({marks})", wanted * 3).fetchall()
    return {str(r[0]) for r in rows}


def apply_pulled_lines(conn: sqlite3.Connection, lines: Sequence[AuditLine], cursor: int,
                       own_device: str) -> int:
    """Keep a pulled page of other devices' audit lines with its cursor, in one transaction.

    Lines already held (same device and seq) are left as they are; lines about a person
    erased on this laptop lose their values at once. Returns how many lines were new.
    """
    with transaction(conn):
        before = conn.total_changes
        conn.executemany(
            "INSERT INTO team_audit (device_id, seq, server_seq, at, who, action, table_name,"
            " row_id, person_id, before_json, after_json, pushed_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (device_id, seq) DO NOTHING",
            [(x.device_id, x.seq, x.server_seq, x.at, x.who, x.action, x.table_name,
              x.row_id, x.person_id, x.before_json, x.after_json, x.pushed_by)
             for x in lines if x.device_id != own_device])
        added = conn.total_changes - before
        erased = erased_among(conn, {x.person_id for x in lines if x.person_id})
        redact_people(conn, erased)
        if cursor > audit_cursor(conn):
            _set_int(conn, CURSOR_KEY, cursor)
    return added


__all__ = ["AuditLine", "ERASED", "apply_pulled_lines", "audit_cursor", "erased_among",
           "mark_lines_pushed", "pushed_up_to", "redact_people", "waiting_line_count",
           "waiting_lines"]
