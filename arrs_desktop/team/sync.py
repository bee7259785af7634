"""One sync of a laptop with its team server: push what waits, then pull what is new.

The PostgreSQL driver is imported here only when a sync runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from arrs_desktop.team import audit_sync, outbox
from arrs_desktop.team.audit_sync import AuditLine
from arrs_desktop.team.entries import ChangeEntry
from arrs_desktop.team.hlc import HybridClock
from arrs_desktop.team.merge import RowKey
from arrs_desktop.team.tables import CASELOAD_SCHEMA, TeamSchema

if TYPE_CHECKING:
    from arrs_desktop.team.server import Conn, Snapshot

PUSH_PAGE = 5_000

# Applies one pulled page with its new cursor, in one transaction (the store's own, which
# also works out the people's derived columns and audits the pull).
ApplyPage = Callable[[Sequence[ChangeEntry], int], outbox.AppliedPull]
# Keeps a pulled page of other devices' audit lines with its cursor, in one transaction;
# returns how many lines were new.
ApplyAuditPage = Callable[[Sequence[AuditLine], int], int]
# Copies the server's current rows on a first sync (cursor 0) instead of its whole log.
FirstPull = Callable[["Snapshot"], outbox.AppliedPull]


@dataclass
class SyncResult:
    """Counts for `pushed N, pulled M, conflicts K`, and what to redraw.

    `pulled` counts other devices' entries (this laptop's own come back too, and change
    nothing here).
    """

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rows: set[RowKey] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    audit_pushed: int = 0  # this laptop's audit lines sent
    audit_pulled: int = 0  # other devices' audit lines new here

    def summary(self) -> str:
        return f"pushed {self.pushed}, pulled {self.pulled}, conflicts {self.conflicts}"


def sync(conn: sqlite3.Connection, server_conn: Conn, clock: HybridClock, *,
         schema: TeamSchema = CASELOAD_SCHEMA, tables: outbox.LocalTables | None = None,
         page: int = PUSH_PAGE, apply: ApplyPage | None = None,
         pull_page: int | None = None, first_pull: FirstPull | None = None,
         apply_audit: ApplyAuditPage | None = None) -> SyncResult:
    """Push every waiting entry, then pull and apply every new one, page by page.

    Each page is its own transaction on each side, so a sync cut off at any point (network,
    kill, power) leaves both sides whole, and the next sync carries on where it stopped.
    `apply` applies a pulled page instead of `outbox.apply_pulled` (the store passes its own);
    with `first_pull`, a laptop that has pulled nothing yet copies the server's current rows
    (`server.snapshot`) instead of replaying the whole change log, then pulls what came
    after as usual.

    With `apply_audit` (the store's), the audit log syncs too, after the changes: this
    laptop's own audit lines not yet on the server are pushed in pages (each page stored
    once however often it is sent), then the other devices' lines are pulled after their
    own cursor, each page kept with its cursor by `apply_audit`.
    """
    from arrs_desktop.team import server

    result = SyncResult()
    while True:
        entries = outbox.waiting(conn, page)
        if not entries:
            break
        pushed = server.push(server_conn, entries, schema=schema)
        outbox.mark_pushed(conn, [e.change_id for e in entries])
        result.pushed += pushed.stored + pushed.already
        if len(entries) < page:
            break
    after = outbox.cursor(conn)
    if after == 0 and first_pull is not None:
        for snap in server.snapshot(server_conn, clock.device, schema=schema):
            applied = first_pull(snap)
            result.pulled += snap.others
            result.rows |= applied.rows
            result.people |= applied.people
            after = snap.cursor
    for batch in server.pull_all(server_conn, after, limit=pull_page or page):
        if batch.entries or batch.cursor != after:
            if apply is not None:
                applied = apply(batch.entries, batch.cursor)
            else:
                applied = outbox.apply_pulled(conn, schema, batch.entries, batch.cursor,
                                              clock, tables)
            result.pulled += sum(1 for e in batch.entries if e.device_id != clock.device)
            result.rows |= applied.rows
            result.people |= applied.people
            after = batch.cursor
    if apply_audit is not None:
        _sync_audit(conn, server_conn, clock.device, result, page, pull_page or page,
                    apply_audit)
    result.conflicts = len(outbox.conflicts(conn))
    return result


def _sync_audit(conn: sqlite3.Connection, server_conn: Conn, device: str, result: SyncResult,
                page: int, pull_page: int, apply_audit: ApplyAuditPage) -> None:
    """Push this laptop's waiting audit lines, then pull the other devices' new ones."""
    from arrs_desktop.team import server

    while True:
        lines = audit_sync.waiting_lines(conn, device, page)
        if not lines:
            break
        server.push_audit(server_conn, lines)
        audit_sync.mark_lines_pushed(conn, lines[-1].seq)
        result.audit_pushed += len(lines)
        if len(lines) < page:
            break
    after = audit_sync.audit_cursor(conn)
    for batch in server.pull_audit_all(server_conn, after, device, limit=pull_page):
        if batch.lines or batch.cursor != after:
            result.audit_pulled += apply_audit(batch.lines, batch.cursor)
            after = batch.cursor
