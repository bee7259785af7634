"""Find changes made to a caseload file behind the app's back (for `arrs check`).

Everything the app writes goes through the store: each change is validated and appended to
the audit log in the same transaction, and the audit log is a hash chain. So a file edited
with another tool shows it in one of these ways, each reported with its table and row:

* its schema differs from what this version's migrations make (a trigger, index or table
  dropped, changed or added), or its record of upgrades has a gap;
* the audit chain breaks (a line changed, removed or moved), a line's values no longer
  match their hash, lines are missing from the end (the newest line this app saw is kept
  outside the file), or the log is empty while the caseload is not;
* a row differs from what its audit trail says it holds, has no audit line, or is in the
  trail but gone (the app deletes rows only when a person is erased, or a GP code removed);
* a value breaks the rules the app enforces on the way in (an NHS number's check digit,
  control or hidden characters, a date that is not a date, a code the app does not know).

Only SQLite reads the file, on the connection given.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.audit_text import field_label
from arrs_desktop.domain.validation import (
    LONG_TEXT_MAX,
    NAME_MAX,
    clean_choice,
    clean_date,
    clean_email,
    clean_nhs_number,
    clean_postcode,
    clean_text,
)
from arrs_desktop.store.audit_chain import GENESIS, anchor_for, chain_hash, values_hash

MAX_PER_KIND = 20  # problems of one kind listed before "and N more"

# Columns the store keeps in step itself (not audited), or that say when and where.
_UNAUDITED = {"created_at", "updated_at", "device_id", "lead_role", "episode_status",
              "lead_worker", "next_follow_up"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (table and row, or schema object) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class _Limited:
    """Collect problems, at most MAX_PER_KIND of each kind, counting the rest."""

    def __init__(self) -> None:
        self.found: list[Problem] = []
        self._counts: dict[str, int] = {}

    def add(self, kind: str, where: str, message: str) -> None:
        n = self._counts.get(kind, 0) + 1
        self._counts[kind] = n
        if n <= MAX_PER_KIND:
            self.found.append(Problem(where, message))

    def finish(self) -> list[Problem]:
        for kind, n in self._counts.items():
            if n > MAX_PER_KIND:
                self.found.append(Problem(kind, f"and {n - MAX_PER_KIND} more like these"))
        return self.found


def find_problems(conn: sqlite3.Connection, db_path: Path) -> list[Problem]:
    """Return every sign that the file was changed other than through the app."""
    out = _Limited()
    _check_schema(conn, out)
    _check_chain(conn, db_path, out)
    _check_trail(conn, out)
    _check_fields(conn, out)
    return out.finish()


# -- schema -------------------------------------------------------------------------------
def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split())


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {(kind, name): _normal(sql) for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")}


def expected_objects(stop_before: str | None = None) -> dict[tuple[str, str], str]:
    """Return the tables, indexes and triggers this version's migrations make."""
    from sqlite_utils import Database

    from arrs_desktop.store.schema import migrations

    mem = sqlite3.connect(":memory:")
    try:
        migrations.apply(Database(mem, execute_plugins=False), stop_before=stop_before)
        return _objects(mem)
    finally:
        mem.close()


def _check_schema(conn: sqlite3.Connection, out: _Limited) -> None:
    from arrs_desktop.store.schema import MIGRATION_SET, known_migration_names

    known = known_migration_names()
    applied = [r[0] for r in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
        [MIGRATION_SET])]
    gaps = [name for name in known[:len(applied)] if name not in applied]
    for name in gaps:
        out.add("upgrades", f"upgrade {name}",
                "its record is missing although later upgrades are recorded: the record of "
                "upgrades was changed")
    if gaps:
        return  # the schema cannot be compared with a version it does not say it is at
    pending = known[len(applied)] if len(applied) < len(known) else None
    want, have = expected_objects(pending), _objects(conn)
    for (kind, name), sql in sorted(want.items()):
        if (kind, name) not in have:
            out.add("schema", f"{kind} {name}", "is missing (it was dropped by another "
                    "program)" + (": the audit log could be changed unseen"
                                  if name.startswith("audit_log") else ""))
        elif have[(kind, name)] != sql:
            out.add("schema", f"{kind} {name}", "differs from what ARRS Desktop made")
    for kind, name in sorted(set(have) - set(want)):
        out.add("schema", f"{kind} {name}", "is not part of the ARRS Desktop schema (another "
                "program added it)")


# -- the audit chain ----------------------------------------------------------------------
# Each erased person and the last line erasing them: erased here (the erase line names the
# person's row), or erased on another laptop of the team (a line about the person says so).
_ERASED_AT = (
    "SELECT person, max(seq) FROM ("
    " SELECT row_id AS person, seq FROM audit_log WHERE action = 'erase'"
    " UNION ALL SELECT person_id, seq FROM audit_log WHERE action = 'team_erasure_pulled')"
    " GROUP BY person")
def _check_chain(conn: sqlite3.Connection, db_path: Path, out: _Limited) -> None:
    columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
    if "chain_hash" not in columns:
        return  # not yet upgraded: the chain is made on the next open
    erased_at = dict(conn.execute(_ERASED_AT))
    previous = GENESIS
    broken = False
    count = 0
    for (seq, at, who, device, action, table, row_id, person_id, before, after, values,
         chained) in conn.execute(
            "SELECT seq, at, who, device_id, action, table_name, row_id, person_id,"
            " before_json, after_json, values_hash, chain_hash FROM audit_log ORDER BY seq"):
        count += 1
        if values is None or chained is None:
            out.add("audit hashes", f"audit_log row {seq}", "has no hash: it was added "
                    "behind the app's back")
            continue
        redacted_by_erase = person_id in erased_at and seq < erased_at[person_id]
        if not redacted_by_erase and values_hash(before, after) != values:
            out.add("audit values", f"audit_log row {seq}",
                    "its values were changed after it was written")
        if chain_hash(previous, at, who, device, action, table, row_id, person_id,
                      values) != chained and not broken:
            broken = True
            out.add("audit chain", f"audit_log row {seq}",
                    "the chain breaks here: a line at or just before it was changed, removed "
                    "or moved")
        previous = chained
    people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    if count == 0 and people:
        out.add("audit chain", "audit_log", f"is empty although the caseload holds {people} "
                "people: the audit log was deleted")
        return
    anchor = anchor_for(db_path)
    if not anchor:
        return
    row = conn.execute("SELECT chain_hash FROM audit_log WHERE seq = ?",
                       [anchor.get("seq")]).fetchone()
    if row is None or count < int(anchor.get("count", 0)):
        out.add("audit chain", "audit_log",
                f"lines were removed from the end: the newest line this app last saw (row "
                f"{anchor.get('seq')}, of {anchor.get('count')}) is gone, {count} are left")
    elif row[0] != anchor.get("chain"):
        out.add("audit chain", f"audit_log row {anchor.get('seq')}",
                "is not the line this app last saw there: the log was rewritten")


# -- rows against their audit trail -------------------------------------------------------
def _audited_tables(conn: sqlite3.Connection) -> list[str]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    trail = {r[0] for r in conn.execute("SELECT DISTINCT table_name FROM audit_log")}
    candidates = {"people", "needs", "episodes", "goals", "goal_progress", "sessions",
                  "outcome_measures", "care_homes", "care_home_contacts", "community_assets",
                  "asset_referrals", "gp_codes"}
    return sorted((candidates & tables) | (trail & tables & candidates))


Trail = tuple[str, dict[str, Any], str | None, bool]


def _trail(conn: sqlite3.Connection, table: str) -> Iterator[Trail]:
    """Yield (row id, fields as the trail leaves them, person id, deleted) in id order."""
    current: str | None = None
    state: dict[str, Any] = {}
    person: str | None = None
    deleted = False
    for row_id, action, person_id, after_json in conn.execute(
            "SELECT row_id, action, person_id, after_json FROM audit_log"
            " WHERE table_name = ? ORDER BY row_id, seq", [table]):
        if row_id != current:
            if current is not None:
                yield current, state, person, deleted
            current, state, person, deleted = row_id, {}, person_id, False
        after = json.loads(after_json) if after_json else None
        if action == "create":
            state, deleted = dict(after or {}), False
        elif after is None and action == "delete":
            deleted = True
        elif isinstance(after, dict):
            state.update(after)
        person = person or person_id
    if current is not None:
        yield current, state, person, deleted


def _rows(conn: sqlite3.Connection, table: str) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY id')
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def _check_trail(conn: sqlite3.Connection, out: _Limited) -> None:
    bulk = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'bulk_import'"
                        ).fetchone()[0] > 0
    erased = {r[0] for r in conn.execute(_ERASED_AT)}
    for table in _audited_tables(conn):
        trail = _trail(conn, table)
        rows = _rows(conn, table)
        t: Trail | None = next(trail, None)
        r = next(rows, None)
        while t is not None or r is not None:
            if r is not None and (t is None or r["id"] < t[0]):
                shipped = table == "gp_codes" and r.get("shipped")  # made by an upgrade
                if not bulk and not shipped:  # a bulk-loaded demo has one line per batch
                    out.add(f"{table} unaudited", f"{table} row {r['id']}",
                            "has no audit line: it was added behind the app's back")
                r = next(rows, None)
            elif t is not None and (r is None or t[0] < r["id"]):
                row_id, _state, person, deleted = t
                if not deleted and person not in erased:
                    out.add(f"{table} missing", f"{table} row {row_id}",
                            "is in the audit trail but missing from the table: it was "
                            "deleted behind the app's back")
                t = next(trail, None)
            elif t is not None and r is not None:
                _compare(table, r, t[1], out)
                t, r = next(trail, None), next(rows, None)
    _check_residents(conn, bulk, erased, out)


def _check_residents(conn: sqlite3.Connection, bulk: bool, erased: set[str],
                     out: _Limited) -> None:
    """The residents discussed at a care-home contact: one audit line per link."""
    trail = {(json.loads(a)["contact_id"], p) for a, p in conn.execute(
        "SELECT after_json, person_id FROM audit_log WHERE table_name ="
        " 'care_home_contact_residents' AND action = 'create' AND after_json IS NOT NULL")
        if "contact_id" in json.loads(a)}
    rows = set(conn.execute("SELECT contact_id, person_id FROM care_home_contact_residents"))
    for contact, person in sorted(rows - trail) if not bulk else ():
        out.add("residents unaudited", f"care_home_contact_residents row {contact}/{person}",
                "has no audit line: it was added behind the app's back")
    for contact, person in sorted(trail - rows):
        if person not in erased:
            out.add("residents missing", f"care_home_contact_residents row {contact}/{person}",
                    "is in the audit trail but missing: it was deleted behind the app's back")


def _compare(table: str, row: dict[str, Any], state: dict[str, Any], out: _Limited) -> None:
    for name, value in state.items():
        if name in _UNAUDITED or name not in row or row[name] == value:
            continue
        out.add(f"{table} changed", f"{table} row {row['id']}",
                f"{field_label(name)} differs from its audit trail (the trail says "
                f"{_short(value)}, the file holds {_short(row[name])}): it was changed "
                "behind the app's back")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# -- values against the rules the app enforces -------------------------------------------
Rule = Callable[[Any], object]


def _text(max_len: int = 200, *, multiline: bool = False, required: bool = False) -> Rule:
    return lambda v: clean_text(v, max_len=max_len, multiline=multiline, required=required)


def _day(required: bool = False) -> Rule:
    return lambda v: clean_date(v, required=required)


def _code(choices: Any, required: bool = True) -> Rule:
    return lambda v: clean_choice(v, choices, required=required)


_LONG = _text(LONG_TEXT_MAX, multiline=True)
FIELD_RULES: dict[str, dict[str, Rule]] = {
    "people": {
        "name": _text(NAME_MAX, required=True), "nhs_number": clean_nhs_number,
        "date_of_birth": lambda v: clean_date(v, not_future=True),
        "postcode": clean_postcode, "email": clean_email,
        "address": _text(300, multiline=True), "what_matters": _LONG,
        "phone": _text(40), "gp_practice": _text(), "ethnicity": _text(100),
        "gender": _code(catalogue.GENDERS, required=False),
        "preferred_contact": _code(catalogue.PREFERRED_CONTACT, required=False),
    },
    "episodes": {
        "referral_date": _day(True), "first_contact_date": _day(), "closure_date": _day(),
        "referral_reason": _LONG, "worker": _text(120),
        "referral_source": _code(catalogue.REFERRAL_SOURCES),
        "closure_reason": _code(catalogue.CLOSURE_REASONS, required=False),
    },
    "goals": {"title": _text(required=True), "what_matters": _LONG, "target_date": _day(),
              "set_date": _day(), "achieved_date": _day()},
    "sessions": {"date": _day(True), "notes": _LONG, "worker": _text(120),
                 "next_follow_up": _day(), "kind": _code(catalogue.SESSION_KINDS),
                 "mode": _code(catalogue.SESSION_MODES)},
    "goal_progress": {"date": _day(True), "note": _LONG},
    "outcome_measures": {"date": _day(True)},
    "care_homes": {"name": _text(required=True), "address": _text(300, multiline=True),
                   "phone": _text(40), "practice": _text(), "clinical_lead": _text(),
                   "lead_worker": _text()},
    "care_home_contacts": {"date": _day(True), "actions": _LONG, "next_due": _day(),
                           "worker": _text(120)},
    "community_assets": {"name": _text(required=True), "contact": _text(),
                         "address": _text(300, multiline=True), "notes": _LONG},
    "asset_referrals": {"referred_on": _day(True), "outcome_date": _day(), "notes": _LONG},
}


def _check_fields(conn: sqlite3.Connection, out: _Limited) -> None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, rules in FIELD_RULES.items():
        if table not in tables:
            continue
        columns = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        wanted = [c for c in rules if c in columns]
        if not wanted:
            continue
        cursor = conn.execute(f'SELECT id, {", ".join(wanted)} FROM "{table}"')
        for row in cursor:
            for name, value in zip(wanted, row[1:], strict=True):
                try:
                    rules[name](value)
                except ValueError as exc:
                    out.add(f"{table} {name} rule", f"{table} row {row[0]}",
                            f"{field_label(name)} {exc}")
