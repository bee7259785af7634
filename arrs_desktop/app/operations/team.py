"""Team sync: join a team, sync with its server, settle conflicts, merge people.

The PostgreSQL driver is imported inside the functions that talk to the server, so opening
the window or a caseload never loads it. Every function here may be run on a worker thread
with a store of its own (`store.sync_worker()`); the window publishes the `Changes` it
returns on its change bus, so every view redraws what the pull changed.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from typing import Any

from arrs_desktop.app.changes import Changes, OpResult
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store import Store
from arrs_desktop.team.merge import Conflict
from arrs_desktop.team.sync import PUSH_PAGE, SyncResult


class TeamSyncError(Exception):
    """A sync or join that could not be done; the message says why in one plain line."""


class NotInTeam(TeamSyncError):
    """The caseload is not linked to a team server."""


class ServerUnreachable(TeamSyncError):
    """The team server could not be reached (the laptop carries on offline)."""


class LoginRefused(TeamSyncError):
    """The server would not let this worker in (removed from the team, password changed)."""


class VersionMismatch(TeamSyncError):
    """This laptop and the server are at different team schema versions."""


def _as_sync_error(exc: BaseException) -> TeamSyncError | None:
    """Map what the server module or the driver raised to one of ours (None: not ours)."""
    from arrs_desktop.team import server

    if isinstance(exc, server.ServerUnreachable):
        return ServerUnreachable(str(exc))
    if isinstance(exc, server.LoginRefused):
        return LoginRefused(str(exc))
    if isinstance(exc, (server.SchemaTooOld, server.ServerTooOld)):
        return VersionMismatch(str(exc))
    if isinstance(exc, server.TeamServerError):
        return TeamSyncError(str(exc))
    mapped = server.driver_error(exc)
    if mapped is not None:
        return _as_sync_error(mapped)
    return None


def _changes_of(result: SyncResult) -> Changes:
    if not result.rows and not result.people:
        # Other laptops' audit lines alone: the histories shown redraw.
        return Changes(audit=True) if result.audit_pulled else Changes()
    return Changes.of_rows({table for table, _ in result.rows}, result.people)


def _run_sync(store: Store, server_conn: Any, page: int) -> SyncResult:
    from arrs_desktop.team import sync

    return sync.sync(store.conn, server_conn, store.team.clock, schema=store.team.schema,
                     apply=store.team.apply_page, page=page,
                     first_pull=store.team.apply_snapshot,
                     apply_audit=store.team.apply_audit_page)


def _rejoin(store: Store, server_conn: Any, page: int, first: SyncResult) -> SyncResult:
    """After the first sync of a file that re-joins its team (a backup from outside the team
    was restored): the team's copy came with it; now send the records only this file has."""
    if store.team.rejoining():  # the team had nothing to copy, so the copy did not do it
        store.team.finish_rejoin()
    if not store.team.waiting_count():
        return first
    more = _run_sync(store, server_conn, page)
    return SyncResult(first.pushed + more.pushed, first.pulled + more.pulled, more.conflicts,
                      first.rows | more.rows, first.people | more.people)


SEED_PAGE = 20_000  # rows per COPY page when a whole caseload goes to an empty team


def _send_what_it_holds(store: Store, server_conn: Any) -> int:
    """Send what the file held before it joined the team.

    Into a team that holds nothing yet, the whole caseload goes at once (`server.seed`:
    one server transaction of bulk copies) while this laptop keeps, page by page, the
    state the server gives each row; once the server has committed, the cursor moves past
    the load and the join carries on as a sync. Otherwise each row goes into the outbox as
    an entry, pushed like any change. A join cut off part way finishes at the next sync:
    the load is either on the server (only the cursor is left to set) or not at all (it is
    made again). Returns how many rows went at once (0: they wait in the outbox, or none).
    """
    from arrs_desktop.team import server

    team = store.team
    if team.seeding():
        loaded_up_to = server.last_change_of(server_conn, team.device_id)
        if loaded_up_to:  # the team has the caseload; only the cursor was left to set
            team.finish_seeding(loaded_up_to)
            return 0
        team.forget_seeded_states()  # the load never reached the team
    if team.fresh() and server.is_empty(server_conn):
        pages = team.existing_entries(SEED_PAGE)
        first = next(pages, None)
        if first is None:
            if team.seeding():
                team.set_seeding(False)
            return 0  # nothing to send
        team.set_seeding(True)

        def kept() -> Iterator[list[tuple[Any, str | None, str]]]:
            for page in itertools.chain([first], pages):
                yield team.keep_seeded_states(page)

        try:
            loaded = server.seed(server_conn, kept())
        except server.TeamNotEmpty:
            team.forget_seeded_states()  # another laptop got there first: entry by entry
        else:
            team.finish_seeding(loaded.cursor)
            return loaded.count
    with store.transaction():
        team.record_existing()
        if team.seeding():
            team.set_seeding(False)
    return 0


def sync_team(store: Store, *, page: int = PUSH_PAGE) -> OpResult[SyncResult]:
    """Push every waiting change, then pull and apply the team's; say what changed.

    A file that waits to re-join its team (`TeamStatus.rejoining`: a backup from outside the
    team was restored) takes the team's copy first, then sends what only it has.
    Raises NotInTeam, ServerUnreachable (nothing is lost: the changes wait in the outbox),
    LoginRefused or VersionMismatch, each with a plain message; the reason is also kept for
    the status bar.
    """
    from arrs_desktop.team import server

    status = store.team.status()
    if not status.linked:
        raise NotInTeam("This caseload is not in a team: link it with"
                        " `arrs team join --db PATH --server URL` first.")
    try:
        conn = server.connect(status.server, store.team.password())
        try:
            seeded = _send_what_it_holds(store, conn) if store.team.seeding() else 0
            result = _run_sync(store, conn, page)  # (a join cut off carries on above)
            result.pushed += seeded
            if status.rejoining:
                result = _rejoin(store, conn, page, result)
        finally:
            conn.close()
    except Exception as exc:
        mapped = _as_sync_error(exc)
        if mapped is None:
            raise
        store.team.record_failure(str(mapped))
        raise mapped from None
    store.team.record_result(result.summary())
    return OpResult(result, _changes_of(result))


def join_team(store: Store, server_url: str, *, password: str | None = None,
              page: int = PUSH_PAGE) -> OpResult[SyncResult]:
    """Link a caseload to its team: push what it holds, pull what the team holds.

    `server_url` is a libpq connection string or URL. The password is `password`, or the
    one in the URL, or PGPASSWORD; it is kept in the caseload file (never in a plain file),
    so later syncs need no prompt. With none, libpq's own sources (~/.pgpass) are used.
    The server is reached before anything is written, so a wrong address changes nothing.
    """
    from arrs_desktop.team import server

    store.team.require_can_join()
    try:
        conninfo, in_url = server.split_password(server_url)
        secret = password or in_url or os.environ.get("PGPASSWORD") or None
        conn = server.connect(conninfo, secret)
        try:
            server.check_version(conn)
            conn.commit()
            store.team.link(conninfo, secret)
            seeded = _send_what_it_holds(store, conn)
            result = _run_sync(store, conn, page)
            result.pushed += seeded
        finally:
            conn.close()
    except Exception as exc:
        mapped = _as_sync_error(exc)
        if mapped is None:
            raise
        if store.team.linked():
            store.team.record_failure(str(mapped))
        raise mapped from None
    store.team.record_result(result.summary())
    return OpResult(result, _changes_of(result) | Changes(settings=True))


def keep_conflict_value(store: Store, conflict: Conflict, value: Any) -> OpResult[None]:
    """Keep one of two values changed at once (the shown one, or the listed one: a swap)."""
    store.team.keep(conflict, value)
    return OpResult(None, Changes.of_rows({conflict.table}, _people_of(store, [conflict])))


def leave_team(store: Store) -> OpResult[int]:
    """Take the caseload out of its team; return how many unsent changes were dropped.

    The rows stay on this laptop; it no longer syncs, and the file cannot join a team
    again (a new caseload file joins instead). Nothing is sent to the server: the PCN
    removes the worker's login there (`arrs team remove-member`).
    """
    dropped = store.team.leave()
    return OpResult(dropped, Changes(audit=True))


def dismiss_conflict(store: Store, conflict: Conflict) -> OpResult[None]:
    """Take a refused status move or merge off the list (nothing else changes)."""
    store.team.dismiss(conflict)
    return OpResult(None, Changes(audit=True))


def merge_people(store: Store, survivor_id: str, absorbed_id: str) -> OpResult[set[str]]:
    """Merge two records of one person, keeping every episode, session and goal of both."""
    people = store.team.merge_people(survivor_id, absorbed_id)
    return OpResult(people, Changes(
        people=True, person=True, needs=True, episodes=True, goals=True, sessions=True,
        referrals=True, caseload=True, care_homes=True, audit=True))


def mark_distinct(store: Store, first_id: str, second_id: str) -> OpResult[None]:
    """Record that two records listed as possible duplicates are two different people."""
    store.team.mark_distinct(first_id, second_id)
    return OpResult(None, Changes(audit=True))


def _people_of(store: Store, conflicts: Iterable[Conflict]) -> set[str]:
    out: set[str] = set()
    for c in conflicts:
        if c.table == "people":
            out.add(c.row_id)
    return out


def require_conflict(store: Store, table: str, row_id: str, column: str,
                     change_id: str) -> Conflict:
    """Return the open conflict named, or raise ValidationError if it is settled already."""
    for c in store.team.conflicts():
        if (c.table, c.row_id, c.column, c.change_id) == (table, row_id, column, change_id):
            return c
    raise ValidationError("conflict", "that conflict has been settled already")


__all__ = [
    "LoginRefused", "NotInTeam", "ServerUnreachable", "TeamSyncError", "VersionMismatch",
    "dismiss_conflict", "join_team", "keep_conflict_value", "leave_team", "mark_distinct",
    "merge_people", "require_conflict", "sync_team",
]
