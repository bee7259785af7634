"""What restoring a backup does to a caseload's place in its team.

A restore replaces the whole file, the team tables with it. `backup.restore_backup` reads
the team facts of the file as it is (`read_facts`) and of the backup, works out the plan
(`plan_restore`) and, once the backup's pages are in place, carries over what must outlive
the restore (`carry_over`), in one transaction on the same held connection:

- the clock: the larger of the file's and the backup's, so no change made afterwards is
  given a time at or before one this laptop gave already; likewise the numbers of its own
  audit lines carry on after the file's last one, which the team may hold already;
- a backup of this laptop in the same team keeps its cursor, outbox and merge state: the
  next sync sends what the backup still held and pulls again every team change after its
  cursor (this laptop's own later ones too). Changes waiting in the file as it was, and not
  in the backup, are lost: that is what going back means, and the plan counts them;
- a backup from outside the team (made before the laptop joined, of another caseload, or
  of another team or server) would drop the file out of the team. It is restored only when
  asked (`rejoin`): the team link, the server password and the device id stay, the
  backup's own team state is dropped, and the next sync re-joins: it takes the team's copy
  first, then sends the backup's records the team does not have (`team_link.REJOIN_KEY`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from arrs_desktop.store.connector import connector_for
from arrs_desktop.store.team_link import DEVICE_KEY, PASSWORD_KEY, REJOIN_KEY, SERVER_KEY
from arrs_desktop.team.hlc import HLC, ClockTextError
from arrs_desktop.team.outbox import CLOCK_KEY

_TEAM_TABLES = ("team_outbox", "team_rows", "team_tombstones", "team_person_events",
                "team_conflicts")


@dataclass(frozen=True)
class TeamFacts:
    """A caseload file's place in a team, as read from the file."""

    has_tables: bool  # False: made by a version from before team sync
    server: str = ""
    password: str | None = None
    device: str = ""
    clock: str | None = None
    waiting: frozenset[str] = field(default_factory=frozenset)  # change ids not yet sent
    audit_seq: int = 0  # the last number given to a line of the file's own audit log

    @property
    def linked(self) -> bool:
        return bool(self.server)


@dataclass(frozen=True)
class TeamRestorePlan:
    """What a restore would do to the caseload's place in its team (nothing: `in_team`
    False)."""

    in_team: bool = False  # the file as it is now is in a team
    rejoin: bool = False  # the backup is from outside that team: restoring re-joins
    too_old: bool = False  # the backup is from before team sync: it cannot be restored
    waiting_now: int = 0  # changes of the file as it is now not yet on the server
    waiting_in_backup: int = 0  # of those the backup holds, still to be sent
    lost: int = 0  # changes made on this laptop that will never reach the team
    server: str = ""

    def before(self) -> str:
        """Say, before the restore, what it means for the team ("" when not in a team)."""
        if not self.in_team:
            return ""
        if self.too_old:
            return self.refusal()
        lost = (f"{_changes(self.lost)} made on this laptop {_have(self.lost)} not reached "
                "the team yet and will be lost." if self.lost else
                "Every change made on this laptop has reached the team.")
        if self.rejoin:
            return (f"{lost} This backup is not of this laptop in its team (it was made "
                    "before the caseload joined, or of another caseload or team). The "
                    "caseload stays in the team: at the next sync the team's copy replaces "
                    "the backup's records the team has, and the backup's other records are "
                    "added to the team.")
        return (f"{lost} The team's changes since the backup are pulled again at the next "
                "sync.")

    def after(self) -> str:
        """Say, after the restore, what comes next for the team ("" when not in a team)."""
        if not self.in_team:
            return ""
        lost = (f"{_changes(self.lost)} not yet sent to the team {_were(self.lost)} lost. "
                if self.lost else "")
        if self.rejoin:
            return (f"{lost}The caseload stays in the team and will re-join it at the next "
                    "sync: the team copy is pulled again first, then the backup's records "
                    "the team does not have are sent.")
        return f"{lost}The team copy will be pulled again at the next sync."

    def refusal(self) -> str:
        """Say why the restore was not done (a backup from outside the team, not confirmed,
        or one too old to carry the team link)."""
        if self.too_old:
            return ("This backup was made by a version of ARRS Desktop from before team "
                    "sync, so it cannot be restored into a caseload that is in a team "
                    "(the caseload would silently leave the team). Nothing was changed.")
        return ("This backup is not of this laptop in its team (it was made before the "
                "caseload joined, or of another caseload or team), so restoring it would "
                "take the caseload out of the team. Confirm the restore to keep the "
                "caseload in the team and re-join at the next sync. Nothing was changed.")


def _changes(n: int) -> str:
    return f"{n} change" if n == 1 else f"{n} changes"


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def read_facts(conn: sqlite3.Connection) -> TeamFacts:
    """Return a file's team link, device, clock and waiting changes (read only)."""
    found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                         " AND name IN ('team_sync', 'team_outbox')").fetchone()[0]
    if found < 2:
        return TeamFacts(has_tables=False)
    values = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM team_sync")}
    waiting = frozenset(str(r[0]) for r in conn.execute("SELECT change_id FROM team_outbox"))
    last = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").fetchone()
    return TeamFacts(True, values.get(SERVER_KEY, ""), values.get(PASSWORD_KEY),
                     values.get(DEVICE_KEY, ""), values.get(CLOCK_KEY), waiting,
                     int(last[0]) if last else 0)


def read_backup_facts(backup_path: Path) -> TeamFacts:
    """Return the team facts of a backup file (opened read-only through SQLite)."""
    connector = connector_for(backup_path)
    conn = connector.connect_readonly(backup_path)
    try:
        return read_facts(conn)
    finally:
        conn.close()


def plan_restore(current: TeamFacts, restored: TeamFacts) -> TeamRestorePlan:
    """Return what restoring `restored` over `current` does to the team link."""
    if not current.linked:
        return TeamRestorePlan()
    same = (restored.has_tables and restored.server == current.server
            and restored.device == current.device)
    if same:
        kept = restored.waiting
        return TeamRestorePlan(True, False, False, len(current.waiting), len(kept),
                               len(current.waiting - kept), current.server)
    return TeamRestorePlan(True, True, not restored.has_tables, len(current.waiting), 0,
                           len(current.waiting), current.server)


def later_clock(first: str | None, second: str | None, device: str) -> str | None:
    """Return the later of two clock times, as a time of `device` (None: neither)."""
    times = []
    for text in (first, second):
        if text:
            try:
                times.append(HLC.from_text(text))
            except ClockTextError:
                continue
    if not times:
        return None
    latest = max(times, key=lambda t: (t.ms, t.counter))
    return HLC(latest.ms, latest.counter, device or latest.device).to_text()


def carry_over(conn: sqlite3.Connection, current: TeamFacts, plan: TeamRestorePlan) -> None:
    """Carry the team link and the clock over into the restored file, in one transaction.

    `conn` holds the restored file; `current` are the facts of the file as it was.
    """
    if not current.has_tables:
        return
    restored = read_facts(conn)
    if not restored.has_tables:
        return  # refused earlier when the file was in a team
    device = current.device or restored.device
    conn.execute("BEGIN IMMEDIATE")
    try:
        if plan.rejoin:
            for table in _TEAM_TABLES:  # another team's (or no team's) state: not ours
                conn.execute(f'DELETE FROM "{table}"')
            conn.execute("DELETE FROM team_sync")
            _put(conn, SERVER_KEY, current.server)
            _put(conn, DEVICE_KEY, device)
            _put(conn, REJOIN_KEY, current.server)
            _put(conn, PASSWORD_KEY, current.password)
        elif plan.in_team:
            _put(conn, PASSWORD_KEY, current.password)  # it may have changed since
        same_device = bool(current.device) and restored.device in ("", current.device)
        if plan.rejoin or same_device:
            clock = later_clock(current.clock, restored.clock if same_device else None,
                                device)
            if clock is not None:
                _put(conn, CLOCK_KEY, clock)
        if plan.in_team or plan.rejoin:
            # The team names this laptop's audit lines by device and number, and already
            # holds those written since the backup: new lines carry on after them.
            conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log'"
                         " AND seq < ?", [current.audit_seq, current.audit_seq])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _put(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM team_sync WHERE key = ?", [key])
    else:
        conn.execute("INSERT INTO team_sync (key, value) VALUES (?, ?)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])
