"""The team server: a PostgreSQL database holding the team's change log and current rows.

Imported only when a caseload talks to its team (it imports psycopg). Every function takes
an open psycopg connection, so the caller decides where the connection string, password
and TLS settings come from (libpq's usual sources).

- `migrate` creates or upgrades the team schema (numbered server migrations) and the team
  role; run it as the PCN's database administrator.
- `add_member` / `remove_member` give a worker a login role in the team role, or take it away.
- `push` stores entries in one transaction: idempotent on change id, merged into the server's
  rows by the merge rule, numbered by a server sequence that commits in order.
- `pull` returns the entries after a laptop's cursor.

Members may insert and read the change log but never update or delete it; the only change
ever made to a stored entry is removing an erased person's values, done by a function that
runs with the owner's rights and touches only entries of erased rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from arrs_desktop.team.audit_sync import AuditLine
from arrs_desktop.team.codec import add_person_event, person_events, row_from_json, row_text
from arrs_desktop.team.entries import PERSON_KINDS, ChangeEntry, EntryKind
from arrs_desktop.team.merge import (
    MergeReport,
    PersonMerge,
    RowKey,
    TeamState,
    Tombstone,
    apply_entries,
    linked_records,
    owner_of,
    rows_needed,
)
from arrs_desktop.team.tables import CASELOAD_SCHEMA, TeamSchema

SCHEMA_NAME = "arrs_team"
DEFAULT_TEAM_ROLE = "arrs_team_members"
_PUSH_LOCK = 0x4152_5253  # pushes take this transaction lock: sequence order = commit order
PULL_PAGE = 5_000


class TeamServerError(Exception):
    """The team server refused or could not do what was asked; the message says why."""


class SchemaTooOld(TeamServerError):
    """This laptop's version is older than the team server's schema."""


class ServerTooOld(TeamServerError):
    """The team server's schema is older than this laptop's; it needs `arrs team init`."""


class NotATeamServer(TeamServerError):
    """The database holds no team schema."""


class ServerUnreachable(TeamServerError):
    """The team server could not be reached (network, server down, TLS refused)."""


class TeamNotEmpty(TeamServerError):
    """A whole caseload can be loaded at once only into a team that holds nothing yet."""


class LoginRefused(TeamServerError):
    """The server would not let this worker's login in (wrong password, removed member)."""


_REFUSED_LOGIN = ("password authentication failed", "not permitted to log in",
                  "no password supplied", "does not exist", "pg_hba.conf")


def split_password(conninfo: str) -> tuple[str, str | None]:
    """Return a libpq connection string (or URL) without its password, and the password."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as exc:
        raise TeamServerError(f"That is not a server address libpq understands ({exc}).") from None
    password = params.pop("password", None)
    return make_conninfo("", **{k: v for k, v in params.items() if v is not None}), (
        None if password is None else str(password))


def connect(conninfo: str, password: str | None = None, *, timeout: int = 10) -> Conn:
    """Open a connection to the team server; raise ServerUnreachable or LoginRefused.

    `conninfo` is a libpq connection string or URL: host, port, dbname, user and the TLS
    settings (`sslmode`, `sslrootcert`...) come from it and from libpq's environment; the
    password is `password` if given, else libpq's usual sources (PGPASSWORD, ~/.pgpass).
    """
    extra: dict[str, str | int] = {"connect_timeout": timeout,
                                   "application_name": "arrs-desktop"}
    if password:
        extra["password"] = password
    try:
        return psycopg.connect(conninfo, **extra)  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        text = str(exc).strip()
        first = text.splitlines()[-1].strip() if text else "no answer"
        if any(marker in text for marker in _REFUSED_LOGIN):
            raise LoginRefused(
                "The team server refused this laptop's login (" + first.removeprefix(
                    "FATAL:  ") + "). If you were removed from the team, or your password"
                " changed, ask the team's administrator.") from None
        raise ServerUnreachable(f"The team server could not be reached ({first}).") from None
    except psycopg.Error as exc:
        raise ServerUnreachable(f"The team server could not be reached ({exc}).") from None


Migration = Callable[[psycopg.Connection[tuple[object, ...]], str], None]


def _m0001_team_schema(conn: psycopg.Connection[tuple[object, ...]], team: str) -> None:
    """Create the change log, the current rows, tombstones, person decisions and members."""
    role = sql.Identifier(team)
    conn.execute("""
        CREATE TABLE arrs_team.changes (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            change_id uuid NOT NULL UNIQUE,
            hlc text COLLATE "C" NOT NULL,
            device_id text NOT NULL,
            author text NOT NULL,
            table_name text NOT NULL,
            row_id text NOT NULL,
            kind text NOT NULL,
            entry jsonb NOT NULL,
            purged boolean NOT NULL DEFAULT false,
            pushed_by text NOT NULL DEFAULT current_user,
            pushed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX changes_row ON arrs_team.changes (table_name, row_id);
        CREATE TABLE arrs_team.rows (
            table_name text NOT NULL,
            row_id text NOT NULL,
            owner text,
            state jsonb NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (table_name, row_id)
        );
        CREATE INDEX rows_owner ON arrs_team.rows (owner) WHERE owner IS NOT NULL;
        CREATE TABLE arrs_team.tombstones (
            table_name text NOT NULL,
            row_id text NOT NULL,
            reason text NOT NULL CHECK (reason IN ('erased', 'deleted')),
            person_id text,
            seq bigint NOT NULL,
            PRIMARY KEY (table_name, row_id)
        );
        CREATE TABLE arrs_team.person_events (
            change_id uuid PRIMARY KEY,
            kind text NOT NULL CHECK (kind IN ('erase', 'merge', 'distinct')),
            person_id text NOT NULL,
            other_id text,
            hlc text COLLATE "C" NOT NULL,
            author text NOT NULL,
            seq bigint NOT NULL
        );
        CREATE TABLE arrs_team.members (
            role_name text PRIMARY KEY,
            display_name text NOT NULL DEFAULT '',
            added_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE FUNCTION arrs_team.purge_erased(tables text[], row_ids text[]) RETURNS bigint
        LANGUAGE sql SECURITY DEFINER SET search_path = arrs_team, pg_temp AS $$
            WITH purged AS (
                UPDATE arrs_team.changes c
                SET entry = (c.entry - 'values' - 'seen')
                            || '{"values": {}, "purged": true}'::jsonb,
                    purged = true
                FROM unnest(tables, row_ids) AS k(table_name, row_id)
                JOIN arrs_team.tombstones t
                  ON t.table_name = k.table_name AND t.row_id = k.row_id
                 AND t.reason = 'erased'
                WHERE c.table_name = k.table_name AND c.row_id = k.row_id
                  AND NOT c.purged AND c.kind NOT IN ('erase', 'merge', 'distinct')
                RETURNING 1
            )
            SELECT count(*) FROM purged
        $$;
    """)
    conn.execute(sql.SQL("""
        REVOKE ALL ON ALL TABLES IN SCHEMA arrs_team FROM PUBLIC;
        REVOKE ALL ON FUNCTION arrs_team.purge_erased(text[], text[]) FROM PUBLIC;
        GRANT USAGE ON SCHEMA arrs_team TO {role};
        GRANT SELECT, INSERT ON arrs_team.changes TO {role};
        GRANT SELECT, INSERT, UPDATE, DELETE ON arrs_team.rows, arrs_team.tombstones,
            arrs_team.person_events TO {role};
        GRANT SELECT ON arrs_team.members, arrs_team.schema_version, arrs_team.settings
            TO {role};
        GRANT EXECUTE ON FUNCTION arrs_team.purge_erased(text[], text[]) TO {role};
    """).format(role=role))


def _m0002_team_audit(conn: psycopg.Connection[tuple[object, ...]], team: str) -> None:
    """Add the team's audit log: every laptop's own audit lines, once each.

    Named by (device, the line's number there); numbered by the server as pushed (`seq`
    below is the device's, `server_seq` the server's). Members may insert and read it,
    never change or delete it; only an erasure blanks the values of an erased person's
    lines, through a function that runs with the owner's rights and checks the person is
    erased.
    """
    role = sql.Identifier(team)
    conn.execute("""
        CREATE TABLE arrs_team.audit (
            server_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            device_id text NOT NULL,
            seq bigint NOT NULL,
            at text NOT NULL,
            who text NOT NULL,
            action text NOT NULL,
            table_name text NOT NULL,
            row_id text NOT NULL,
            person_id text,
            before_json jsonb,
            after_json jsonb,
            redacted boolean NOT NULL DEFAULT false,
            pushed_by text NOT NULL DEFAULT current_user,
            pushed_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (device_id, seq)
        );
        CREATE INDEX audit_person ON arrs_team.audit (person_id) WHERE person_id IS NOT NULL;
        CREATE FUNCTION arrs_team.erased_json(value jsonb) RETURNS jsonb
        LANGUAGE sql IMMUTABLE SET search_path = arrs_team, pg_temp AS $$
            SELECT CASE
                WHEN value IS NULL THEN NULL
                WHEN jsonb_typeof(value) = 'object' THEN coalesce(
                    (SELECT jsonb_object_agg(k, to_jsonb('[erased]'::text))
                     FROM jsonb_object_keys(value) AS k), '{}'::jsonb)
                ELSE to_jsonb('[erased]'::text)
            END
        $$;
        CREATE FUNCTION arrs_team.redact_erased_audit(people text[]) RETURNS bigint
        LANGUAGE sql SECURITY DEFINER SET search_path = arrs_team, pg_temp AS $$
            WITH erased AS (
                SELECT DISTINCT p.person_id FROM unnest(people) AS p(person_id)
                WHERE EXISTS (SELECT 1 FROM arrs_team.person_events e
                              WHERE e.kind = 'erase' AND e.person_id = p.person_id)
                   OR EXISTS (SELECT 1 FROM arrs_team.tombstones t
                              WHERE t.reason = 'erased' AND t.table_name = 'people'
                                AND t.row_id = p.person_id)
            ), redacted AS (
                UPDATE arrs_team.audit a
                SET before_json = arrs_team.erased_json(a.before_json),
                    after_json = arrs_team.erased_json(a.after_json),
                    redacted = true
                FROM erased
                WHERE a.person_id = erased.person_id AND NOT a.redacted
                  AND a.action <> 'erase'
                RETURNING 1
            )
            SELECT count(*) FROM redacted
        $$;
    """)
    conn.execute(sql.SQL("""
        REVOKE ALL ON arrs_team.audit FROM PUBLIC;
        REVOKE ALL ON FUNCTION arrs_team.redact_erased_audit(text[]) FROM PUBLIC;
        GRANT SELECT, INSERT ON arrs_team.audit TO {role};
        GRANT EXECUTE ON FUNCTION arrs_team.redact_erased_audit(text[]) TO {role};
    """).format(role=role))


SERVER_MIGRATIONS: tuple[tuple[int, str, Migration], ...] = (
    (1, "team_schema", _m0001_team_schema),
    (2, "team_audit", _m0002_team_audit),
)
SERVER_SCHEMA_VERSION = SERVER_MIGRATIONS[-1][0]

Conn = psycopg.Connection[tuple[object, ...]]


def migrate(conn: Conn, team_role: str = DEFAULT_TEAM_ROLE) -> int:
    """Create or upgrade the team schema and its team role; return the schema version.

    Run as the database's administrator (owner of the schema). Safe to run again.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_PUSH_LOCK])
        conn.execute("CREATE SCHEMA IF NOT EXISTS arrs_team")
        conn.execute("""
            CREATE TABLE IF NOT EXISTS arrs_team.schema_version (
                version integer PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )""")
        conn.execute("""
            CREATE TABLE IF NOT EXISTS arrs_team.settings (
                key text PRIMARY KEY,
                value text NOT NULL
            )""")
        stored = conn.execute(
            "SELECT value FROM arrs_team.settings WHERE key = 'team_role'").fetchone()
        team = str(stored[0]) if stored else team_role
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [team]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(team)))
        conn.execute("INSERT INTO arrs_team.settings (key, value) VALUES ('team_role', %s)"
                     " ON CONFLICT (key) DO NOTHING", [team])
        done = {int(str(r[0])) for r in
                conn.execute("SELECT version FROM arrs_team.schema_version").fetchall()}
        newer = [v for v in done if v > SERVER_SCHEMA_VERSION]
        if newer:
            raise SchemaTooOld(_too_old_message(max(newer)))
        for number, name, step in SERVER_MIGRATIONS:
            if number not in done:
                step(conn, team)
                conn.execute("INSERT INTO arrs_team.schema_version (version, name)"
                             " VALUES (%s, %s)", [number, name])
    return SERVER_SCHEMA_VERSION


def _too_old_message(server_version: int) -> str:
    return (f"The team server has been upgraded (team schema {server_version}); this copy of"
            f" ARRS Desktop knows schema {SERVER_SCHEMA_VERSION}. Update ARRS Desktop on this"
            " laptop, then sync again. Nothing was sent.")


def server_version(conn: Conn) -> int:
    """Return the team schema version of the server; raise NotATeamServer if it has none."""
    try:
        row = conn.execute("SELECT max(version) FROM arrs_team.schema_version").fetchone()
    except psycopg.errors.UndefinedTable:
        conn.rollback()
        raise NotATeamServer("This database holds no ARRS team: run `arrs team init` on it"
                             " first.") from None
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()
        raise TeamServerError("This login is not a member of the team on this server (ask"
                              " the team's administrator to add it).") from None
    return int(str(row[0])) if row and row[0] is not None else 0


def check_version(conn: Conn, client_version: int = SERVER_SCHEMA_VERSION) -> int:
    """Raise SchemaTooOld or ServerTooOld unless this laptop and the server agree."""
    version = server_version(conn)
    if version > client_version:
        raise SchemaTooOld(_too_old_message(version).replace(
            f"knows schema {SERVER_SCHEMA_VERSION}", f"knows schema {client_version}"))
    if version < client_version:
        raise ServerTooOld(f"The team server is at team schema {version} and this laptop at"
                           f" {client_version}: ask the team's administrator to run"
                           " `arrs team init` to upgrade it. Nothing was sent.")
    return version


def team_role(conn: Conn) -> str:
    """Return the name of the team's role."""
    row = conn.execute("SELECT value FROM arrs_team.settings WHERE key = 'team_role'"
                       ).fetchone()
    if row is None:
        raise NotATeamServer("This database holds no ARRS team: run `arrs team init` first.")
    return str(row[0])


def add_member(conn: Conn, login: str, password: str, display_name: str = "") -> None:
    """Create a worker's login role (or re-admit it) in the team role.

    The password is turned into a SCRAM verifier here, so the server never sees it.
    """
    team = team_role(conn)
    verifier = conn.pgconn.encrypt_password(password.encode(), login.encode(),
                                            b"scram-sha-256").decode()
    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [login]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(verifier)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(team),
                                                       sql.Identifier(login)))
        conn.execute("INSERT INTO arrs_team.members (role_name, display_name) VALUES (%s, %s)"
                     " ON CONFLICT (role_name) DO UPDATE SET display_name = excluded.display_name",
                     [login, display_name])


def remove_member(conn: Conn, login: str) -> None:
    """Take a worker out of the team: no more logins, no more rights, open sessions ended."""
    team = team_role(conn)
    with conn.transaction():
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(team),
                                                          sql.Identifier(login)))
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
        conn.execute("DELETE FROM arrs_team.members WHERE role_name = %s", [login])
    try:  # needs superuser or pg_signal_backend; without it their next statement fails anyway
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                     " WHERE usename = %s", [login])
        conn.commit()
    except psycopg.errors.InsufficientPrivilege:
        conn.rollback()


def members(conn: Conn) -> list[tuple[str, str]]:
    """Return (login, display name) of every member."""
    rows = conn.execute("SELECT role_name, display_name FROM arrs_team.members"
                        " ORDER BY role_name").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


@dataclass(frozen=True)
class PushResult:
    """What a push did: entries new to the server, ones it had already, the last number."""

    stored: int
    already: int
    last_seq: int


def push(conn: Conn, entries: Sequence[ChangeEntry], *,
         client_version: int = SERVER_SCHEMA_VERSION,
         schema: TeamSchema = CASELOAD_SCHEMA) -> PushResult:
    """Store entries in one server transaction and merge them into the server's rows.

    Entries the server has already (same change id) are left as they are, so a push that
    died half-way, or was never acknowledged, can be sent again whole.
    """
    check_version(conn, client_version)
    conn.commit()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_PUSH_LOCK])
        new = _insert_entries(conn, entries)
        if new:
            _merge_on_server(conn, [e for _, e in new], schema, new[-1][0])
        last = conn.execute("SELECT coalesce(max(seq), 0) FROM arrs_team.changes").fetchone()
    return PushResult(len(new), len(entries) - len(new), int(str(last[0])) if last else 0)


def _insert_entries(conn: Conn, entries: Sequence[ChangeEntry]
                    ) -> list[tuple[int, ChangeEntry]]:
    """Insert the entries the log lacks, in the order given; return them with their numbers."""
    conn.execute("""CREATE TEMP TABLE IF NOT EXISTS incoming (
        ord integer, change_id uuid, hlc text, device_id text, author text, table_name text,
        row_id text, kind text, entry jsonb) ON COMMIT DELETE ROWS""")
    seen: set[str] = set()
    with conn.cursor().copy("COPY incoming FROM STDIN") as copy:
        for i, e in enumerate(entries):
            if e.change_id in seen:
                continue
            seen.add(e.change_id)
            copy.write_row((i, e.change_id, e.hlc.to_text(), e.device_id, e.author, e.table,
                            e.row_id, e.kind.value, e.to_text()))
    rows = conn.execute("""
        INSERT INTO arrs_team.changes
            (change_id, hlc, device_id, author, table_name, row_id, kind, entry)
        SELECT change_id, hlc, device_id, author, table_name, row_id, kind, entry
        FROM incoming i
        WHERE NOT EXISTS (SELECT 1 FROM arrs_team.changes c WHERE c.change_id = i.change_id)
        ORDER BY ord
        ON CONFLICT (change_id) DO NOTHING
        RETURNING seq, change_id::text""").fetchall()
    by_id = {e.change_id: e for e in entries}
    return sorted((int(str(seq)), by_id[str(cid)]) for seq, cid in rows)


def _load_state(conn: Conn, entries: Sequence[ChangeEntry], schema: TeamSchema) -> TeamState:
    """Load what the merge rule needs for these entries from the server's tables."""
    state = TeamState()
    for event in conn.execute("SELECT change_id::text, kind, person_id, other_id, hlc, author"
                              " FROM arrs_team.person_events").fetchall():
        add_person_event(state, (str(event[0]), str(event[1]), str(event[2]),
                                 None if event[3] is None else str(event[3]), str(event[4]),
                                 str(event[5])))
    keys, people = rows_needed(entries, schema)
    # Merges arriving now join records too; an erasure reaches every record any merge links.
    for e in entries:
        if e.kind is EntryKind.MERGE:
            people |= {str(e.values.get("absorbed_id")), e.row_id}
    merges = [*state.merges.values()] + [
        PersonMerge(e.change_id, e.row_id, str(e.values.get("absorbed_id")), e.hlc,
                    e.author)
        for e in entries if e.kind is EntryKind.MERGE]
    owners = linked_records(merges, people)
    tables = [k[0] for k in keys]
    row_ids = [k[1] for k in keys]
    found = conn.execute("""
        SELECT r.table_name, r.row_id, r.state FROM arrs_team.rows r
        JOIN unnest(%s::text[], %s::text[]) AS k(table_name, row_id)
          ON r.table_name = k.table_name AND r.row_id = k.row_id
        UNION ALL
        SELECT table_name, row_id, state FROM arrs_team.rows WHERE owner = ANY(%s)""",
                         [tables, row_ids, sorted(owners)]).fetchall()
    for table, row_id, data in found:
        row = row_from_json(str(table), str(row_id), data)
        state.rows[row.key] = row
    for s_table, s_row, reason, s_person in conn.execute("""
        SELECT t.table_name, t.row_id, t.reason, t.person_id FROM arrs_team.tombstones t
        JOIN unnest(%s::text[], %s::text[]) AS k(table_name, row_id)
          ON t.table_name = k.table_name AND t.row_id = k.row_id""",
                                                       [tables, row_ids]).fetchall():
        key = (str(s_table), str(s_row))
        state.tombstones[key] = Tombstone(key[0], key[1], str(reason),
                                          None if s_person is None else str(s_person))
    return state


def _merge_on_server(conn: Conn, entries: Sequence[ChangeEntry], schema: TeamSchema,
                     seq: int) -> None:
    state = _load_state(conn, entries, schema)
    known_events = {e[0] for e in person_events(state)}
    report = apply_entries(state, entries, schema)
    _save_state(conn, state, report, schema, seq, known_events)
    # Entries about rows of an erased person lose their values in the log as well.
    stale = {(e.table, e.row_id) for e in entries if (e.table, e.row_id) in state.tombstones
             and state.tombstones[(e.table, e.row_id)].reason == "erased"}
    gone = {k for k in report.removed if k in state.tombstones
            and state.tombstones[k].reason == "erased"}
    purge = sorted(stale | gone)
    if purge:
        conn.execute("SELECT arrs_team.purge_erased(%s::text[], %s::text[])",
                     [[k[0] for k in purge], [k[1] for k in purge]])
    # The team's audit lines about an erased person lose their values too.
    erased = {k[1] for k in gone if k[0] == schema.people_table} | {
        p for k in gone if (p := state.tombstones[k].person_id)} | {
        e.row_id for e in entries if e.kind is EntryKind.ERASE}
    if erased:
        _redact_audit(conn, erased)


def _redact_audit(conn: Conn, people: Iterable[str]) -> int:
    row = conn.execute("SELECT arrs_team.redact_erased_audit(%s::text[])",
                       [sorted(people)]).fetchone()
    return int(str(row[0])) if row and row[0] is not None else 0


def _save_state(conn: Conn, state: TeamState, report: MergeReport, schema: TeamSchema,
                seq: int, known_events: set[str]) -> None:
    changed = sorted(k for k in report.changed if k in state.rows)
    if changed:
        conn.execute("""CREATE TEMP TABLE IF NOT EXISTS outgoing_rows (
            table_name text, row_id text, owner text, state jsonb) ON COMMIT DELETE ROWS""")
        with conn.cursor().copy("COPY outgoing_rows FROM STDIN") as copy:
            for key in changed:
                row = state.rows[key]
                copy.write_row((key[0], key[1], owner_of(state, schema, row), row_text(row)))
        conn.execute("""
            INSERT INTO arrs_team.rows (table_name, row_id, owner, state, seq)
            SELECT table_name, row_id, owner, state, %s FROM outgoing_rows
            ON CONFLICT (table_name, row_id) DO UPDATE
            SET owner = excluded.owner, state = excluded.state, seq = excluded.seq""", [seq])
    removed: list[RowKey] = sorted(report.removed)
    if removed:
        conn.execute("""
            DELETE FROM arrs_team.rows r USING unnest(%s::text[], %s::text[]) AS k(t, i)
            WHERE r.table_name = k.t AND r.row_id = k.i""",
                     [[k[0] for k in removed], [k[1] for k in removed]])
        stones = [state.tombstones[k] for k in removed if k in state.tombstones]
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO arrs_team.tombstones (table_name, row_id, reason, person_id, seq)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (table_name, row_id) DO NOTHING",
                [(s.table, s.row_id, s.reason, s.person_id, seq) for s in stones])
    new_events = [e for e in person_events(state) if e[0] not in known_events]
    if new_events:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO arrs_team.person_events"
                " (change_id, kind, person_id, other_id, hlc, author, seq)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (change_id) DO NOTHING",
                [(*e, seq) for e in new_events])


@dataclass(frozen=True)
class SeedResult:
    """What `seed` loaded: how many entries, and the number of the last (the cursor)."""

    count: int
    cursor: int


def seed(conn: Conn, pages: Iterable[Sequence[tuple[ChangeEntry, str | None, str]]]
         ) -> SeedResult:
    """Load a whole caseload into an empty team at once: its rows as insert entries.

    For a laptop bringing a large existing caseload to a new team (`arrs team join`): the
    pages of (insert entry, the person it is about, the row's merge state as text) are
    copied into the change log and the current rows without the general merge (an insert
    alone merges to a known state: `merge.insert_state`, which the laptop keeps too), all
    in one transaction: the team gets the whole caseload or nothing. Raises TeamNotEmpty
    unless the team's log is empty.
    """
    check_version(conn)
    conn.commit()
    count = seq = 0
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_PUSH_LOCK])  # no push meanwhile
        if conn.execute("SELECT 1 FROM arrs_team.changes LIMIT 1").fetchone():
            raise TeamNotEmpty("The team already holds changes: join it with"
                               " `arrs team join` instead.")
        for page in pages:
            with conn.cursor().copy(
                    "COPY arrs_team.changes (change_id, hlc, device_id, author, table_name,"
                    " row_id, kind, entry) FROM STDIN") as copy:
                for entry, _, _ in page:
                    copy.write_row((entry.change_id, entry.hlc.to_text(), entry.device_id,
                                    entry.author, entry.table, entry.row_id, entry.kind.value,
                                    entry.to_text()))
            last = conn.execute("SELECT max(seq) FROM arrs_team.changes").fetchone()
            seq = int(str(last[0])) if last and last[0] is not None else 0
            with conn.cursor().copy("COPY arrs_team.rows (table_name, row_id, owner, state,"
                                    " seq) FROM STDIN") as copy:
                for entry, owner, state in page:
                    copy.write_row((entry.table, entry.row_id, owner, state, seq))
            count += len(page)
    return SeedResult(count, seq)


def is_empty(conn: Conn) -> bool:
    """Return True if the team holds no change yet (a caseload joining may seed it)."""
    found = conn.execute("SELECT 1 FROM arrs_team.changes LIMIT 1").fetchone()
    conn.commit()
    return found is None


def last_change_of(conn: Conn, device_id: str) -> int:
    """Return the number of the team's last change made on this device (0: none)."""
    found = conn.execute("SELECT max(seq) FROM arrs_team.changes WHERE device_id = %s",
                         [device_id]).fetchone()
    conn.commit()
    return int(str(found[0])) if found and found[0] is not None else 0


@dataclass(frozen=True)
class PullResult:
    """Entries after a cursor, in server order; `cursor` is the number to ask after next."""

    entries: list[ChangeEntry]
    cursor: int
    more: bool


def pull(conn: Conn, after: int, *, limit: int = PULL_PAGE,
         client_version: int = SERVER_SCHEMA_VERSION) -> PullResult:
    """Return up to `limit` entries numbered after `after`, oldest first."""
    check_version(conn, client_version)
    rows = conn.execute("SELECT seq, entry FROM arrs_team.changes WHERE seq > %s"
                        " ORDER BY seq LIMIT %s", [after, limit + 1]).fetchall()
    conn.commit()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [ChangeEntry.from_json(r[1] if not isinstance(r[1], str) else json.loads(r[1]))
               for r in rows]
    cursor = int(str(rows[-1][0])) if rows else after
    return PullResult(entries, cursor, more)


def pull_all(conn: Conn, after: int, *, limit: int = PULL_PAGE,
             client_version: int = SERVER_SCHEMA_VERSION) -> Iterable[PullResult]:
    """Yield pages of entries after `after` until none are left."""
    while True:
        page = pull(conn, after, limit=limit, client_version=client_version)
        yield page
        if not page.more:
            return
        after = page.cursor


@dataclass(frozen=True)
class AuditPushResult:
    """What a push of audit lines did: lines new to the server, ones it had already."""

    stored: int
    already: int


def _json_text(text: str | None) -> str | None:
    """Return a line's values as JSON text the server takes (a damaged value as a string)."""
    if text is None:
        return None
    try:
        json.loads(text)
    except ValueError:
        return json.dumps(text)
    return text


def push_audit(conn: Conn, lines: Sequence[AuditLine], *,
               client_version: int = SERVER_SCHEMA_VERSION) -> AuditPushResult:
    """Store a laptop's audit lines in one server transaction, each (device, seq) once.

    Lines the server has already are left as they are, so a push that died half-way, or
    was never acknowledged, can be sent again whole. Lines about a person the team has
    erased lose their values as they arrive.
    """
    check_version(conn, client_version)
    conn.commit()
    with conn.transaction():
        # Shared with the change pushes: server numbers commit in order, and an erasure
        # and lines about the erased person never pass each other unseen.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [_PUSH_LOCK])
        stored = _insert_audit(conn, lines)
        people = {x.person_id for x in lines if x.person_id}
        if people:
            _redact_audit(conn, people)
    unique = len({(x.device_id, x.seq) for x in lines})
    return AuditPushResult(stored, unique - stored)


def _insert_audit(conn: Conn, lines: Sequence[AuditLine]) -> int:
    """Insert the lines the server lacks, in the order given; return how many."""
    conn.execute("""CREATE TEMP TABLE IF NOT EXISTS incoming_audit (
        ord integer, device_id text, seq bigint, at text, who text, action text,
        table_name text, row_id text, person_id text, before_json jsonb, after_json jsonb)
        ON COMMIT DELETE ROWS""")
    with conn.cursor().copy("COPY incoming_audit FROM STDIN") as copy:
        for i, x in enumerate(lines):
            copy.write_row((i, x.device_id, x.seq, x.at, x.who, x.action, x.table_name,
                            x.row_id, x.person_id, _json_text(x.before_json),
                            _json_text(x.after_json)))
    rows = conn.execute("""
        INSERT INTO arrs_team.audit (device_id, seq, at, who, action, table_name, row_id,
                                     person_id, before_json, after_json)
        SELECT device_id, seq, at, who, action, table_name, row_id, person_id,
               before_json, after_json
        FROM (SELECT DISTINCT ON (device_id, seq) * FROM incoming_audit
              ORDER BY device_id, seq, ord) i
        ORDER BY ord
        ON CONFLICT (device_id, seq) DO NOTHING
        RETURNING 1""").fetchall()
    return len(rows)


@dataclass(frozen=True)
class AuditPullResult:
    """Other devices' audit lines after a cursor, in server order; `cursor` to ask after."""

    lines: list[AuditLine]
    cursor: int
    more: bool


def _values_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):  # a driver that hands jsonb back as text
        value = json.loads(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def pull_audit(conn: Conn, after: int, device_id: str, *, limit: int = PULL_PAGE,
               client_version: int = SERVER_SCHEMA_VERSION) -> AuditPullResult:
    """Return up to `limit` audit lines of devices other than `device_id` numbered after
    `after`, oldest first.

    With none left, the cursor moves to the server's last number (the laptop's own lines
    after it need not be looked at again); read in one statement, so in one view.
    """
    check_version(conn, client_version)
    rows = conn.execute("""
        SELECT last.n, a.server_seq, a.device_id, a.seq, a.at, a.who, a.action, a.table_name,
               a.row_id, a.person_id, a.before_json, a.after_json, a.pushed_by
        FROM (SELECT coalesce(max(server_seq), 0) AS n FROM arrs_team.audit) AS last
        LEFT JOIN LATERAL (
            SELECT * FROM arrs_team.audit
            WHERE server_seq > %s AND device_id <> %s
            ORDER BY server_seq LIMIT %s) AS a ON true
        ORDER BY a.server_seq""", [after, device_id, limit + 1]).fetchall()
    conn.commit()
    last = int(str(rows[0][0])) if rows else after
    found = [r for r in rows if r[1] is not None]
    more = len(found) > limit
    found = found[:limit]
    lines = [AuditLine(str(r[2]), int(str(r[3])), str(r[4]), str(r[5]), str(r[6]),
                       str(r[7]), str(r[8]), None if r[9] is None else str(r[9]),
                       _values_text(r[10]), _values_text(r[11]), int(str(r[1])), str(r[12]))
             for r in found]
    if more:
        cursor = lines[-1].server_seq
    else:
        cursor = max(after, last)
    return AuditPullResult(lines, cursor, more)


def pull_audit_all(conn: Conn, after: int, device_id: str, *, limit: int = PULL_PAGE,
                   client_version: int = SERVER_SCHEMA_VERSION) -> Iterable[AuditPullResult]:
    """Yield pages of other devices' audit lines after `after` until none are left."""
    while True:
        page = pull_audit(conn, after, device_id, limit=limit, client_version=client_version)
        yield page
        if not page.more:
            return
        after = page.cursor


def driver_error(exc: BaseException) -> TeamServerError | None:
    """Return the team error a driver error means (None: it is not the driver's).

    A connection lost mid-sync (network, server stopped) is ServerUnreachable; a login whose
    rights were taken away (removed from the team) is LoginRefused.
    """
    if isinstance(exc, TeamServerError):
        return exc
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return LoginRefused("The team server no longer lets this login sync (it is not a"
                            " member of the team any more): ask the team's administrator.")
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        text = str(exc).strip().splitlines()
        return ServerUnreachable("The team server stopped answering during the sync"
                                 f" ({text[-1].strip() if text else 'connection lost'}).")
    return None


@dataclass(frozen=True)
class Snapshot:
    """The server's current state as of one change number, for a new laptop's first sync."""

    cursor: int  # the last change the state includes
    others: int  # how many of those changes other devices made
    latest: str | None  # the latest clock time among them (text form)
    events: list[tuple[str, str, str, str | None, str, str]]
    tombstones: list[Tombstone]
    row_count: int
    rows: Callable[[], Iterable[tuple[str, str, str | None, str]]]  # (table, row, owner, json)


def snapshot(conn: Conn, device_id: str, *, client_version: int = SERVER_SCHEMA_VERSION,
             schema: TeamSchema = CASELOAD_SCHEMA) -> Iterator[Snapshot]:
    """Yield the server's current rows as of its last change, read in one consistent view.

    A generator: the rows are streamed (COPY) while the caller writes them, inside one
    repeatable-read transaction, so they hold together with `cursor` whatever pushes
    commit meanwhile. Rows come parents first (the schema's table order).
    """
    check_version(conn, client_version)
    conn.commit()
    order = list(schema.tables)
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        last = conn.execute("SELECT coalesce(max(seq), 0) FROM arrs_team.changes").fetchone()
        cursor = int(str(last[0])) if last else 0
        others = conn.execute("SELECT count(*) FILTER (WHERE device_id <> %s), max(hlc)"
                              " FROM arrs_team.changes WHERE seq <= %s",
                              [device_id, cursor]).fetchone()
        events = [(str(e[0]), str(e[1]), str(e[2]), None if e[3] is None else str(e[3]),
                   str(e[4]), str(e[5])) for e in conn.execute(
            "SELECT change_id::text, kind, person_id, other_id, hlc, author"
            " FROM arrs_team.person_events ORDER BY change_id").fetchall()]
        stones = [Tombstone(str(t), str(r), str(why), None if p is None else str(p))
                  for t, r, why, p in conn.execute(
                      "SELECT table_name, row_id, reason, person_id FROM arrs_team.tombstones"
                  ).fetchall()]
        counted = conn.execute("SELECT count(*) FROM arrs_team.rows").fetchone()

        def rows() -> Iterable[tuple[str, str, str | None, str]]:
            copy_sql = sql.SQL(
                "COPY (SELECT table_name, row_id, owner, state::text FROM arrs_team.rows"
                " ORDER BY array_position({order}::text[], table_name), table_name, row_id)"
                " TO STDOUT").format(order=sql.Literal(order))
            with conn.cursor().copy(copy_sql) as copy:
                for table, row_id, owner, state in copy.rows():
                    yield (str(table), str(row_id), None if owner is None else str(owner),
                           str(state))

        yield Snapshot(cursor, int(str(others[0])) if others else 0,
                       None if not others or others[1] is None else str(others[1]), events, stones,
                       int(str(counted[0])) if counted else 0, rows)


def server_rows(conn: Conn, schema: TeamSchema = CASELOAD_SCHEMA) -> TeamState:
    """Return the server's whole current state (for checks and for a new laptop's audit)."""
    state = TeamState()
    for event in conn.execute("SELECT change_id::text, kind, person_id, other_id, hlc, author"
                              " FROM arrs_team.person_events").fetchall():
        add_person_event(state, (str(event[0]), str(event[1]), str(event[2]),
                                 None if event[3] is None else str(event[3]), str(event[4]),
                                 str(event[5])))
    for table, row_id, data in conn.execute(
            "SELECT table_name, row_id, state FROM arrs_team.rows").fetchall():
        row = row_from_json(str(table), str(row_id), data)
        state.rows[row.key] = row
    for table, row_id, reason, person in conn.execute(
            "SELECT table_name, row_id, reason, person_id FROM arrs_team.tombstones"
            ).fetchall():
        key = (str(table), str(row_id))
        state.tombstones[key] = Tombstone(key[0], key[1], str(reason),
                                          None if person is None else str(person))
    conn.commit()
    return state


__all__ = [
    "PERSON_KINDS", "PushResult", "PullResult", "SchemaTooOld", "ServerTooOld",
    "NotATeamServer", "TeamServerError", "ServerUnreachable", "LoginRefused", "connect",
    "split_password", "migrate", "push", "pull", "pull_all",
    "add_member", "remove_member", "members", "server_version", "check_version",
    "server_rows", "SERVER_SCHEMA_VERSION", "Snapshot", "snapshot", "driver_error", "seed",
    "AuditPushResult", "AuditPullResult", "push_audit", "pull_audit", "pull_audit_all",
]
