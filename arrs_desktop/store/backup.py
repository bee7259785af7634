"""Backups of a caseload file: online copies, daily rotation, a health check and restore."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from arrs_desktop import paths
from arrs_desktop.store import team_restore
from arrs_desktop.store.audit_chain import record_anchor_from
from arrs_desktop.store.connector import Connector, connect_readonly, connector_for
from arrs_desktop.store.team_restore import TeamRestorePlan

KEEP_LAST = 14  # the newest backups always kept
KEEP_MONTHS = 12  # plus the newest backup of each of this many recent months
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(Exception):
    """A backup could not be made, read or restored; nothing was changed."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a caseload database."""

    path: Path
    taken_at: datetime
    reason: str  # daily, manual, before-upgrade, before-restore
    size: int


@dataclass
class CheckReport:
    """What `check_database` found: integrity, schema version, row counts, problems."""

    path: Path
    integrity: str = ""
    schema_version: str = ""
    pending_upgrades: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing is wrong with the file."""
        return not self.problems


def _pattern(db_path: Path) -> re.Pattern[str]:
    stem = re.escape(Path(db_path).stem)
    return re.compile(rf"^{stem}\.(\d{{8}}-\d{{6}})(?:-(\d+))?\.([a-z-]+)\.db$")


def list_backups(db_path: str | os.PathLike[str]) -> list[BackupInfo]:
    """Return the backups of a database in its backups folder, newest first."""
    folder = paths.backups_dir(Path(db_path))
    if not folder.is_dir():
        return []
    pattern = _pattern(Path(db_path))
    found = []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if not match or not entry.is_file():
            continue
        taken = datetime.strptime(match.group(1), _STAMP)
        order = int(match.group(2) or 0)
        found.append((taken, order, BackupInfo(entry, taken, match.group(3),
                                               entry.stat().st_size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def _new_backup_path(db_path: Path, reason: str, now: datetime) -> Path:
    folder = paths.private_dir(paths.backups_dir(db_path))
    base = f"{db_path.stem}.{now.strftime(_STAMP)}"
    candidate = folder / f"{base}.{reason}.db"
    n = 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{base}-{n}.{reason}.db"
    return candidate


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not every platform opens folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def copy_key_file(db_path: Path, dest: Path) -> None:
    """Copy the key file beside an encrypted database to sit beside its copy (mode 0600).

    The key file is a small JSON file, never the database: reading it opens no handle on
    the database. A plain database has none, and nothing is copied.
    """
    source = paths.key_file_path(db_path)
    if not source.exists():
        return
    from arrs_desktop.private_files import write_private_bytes

    write_private_bytes(paths.key_file_path(dest), source.read_bytes())


def remove_key_file(db_path: Path) -> None:
    """Remove the key file copy beside a backup that is being deleted."""
    paths.key_file_path(db_path).unlink(missing_ok=True)


def copy_database(source: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path:
    """Copy a live database with the SQLite backup API into one self-contained file.

    An encrypted database is copied page for page under the same data key (its connector
    makes the new file), and its key file is copied beside the copy.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise BackupError(f"{source} does not exist, so there is nothing to back up.")
    connector = connector_for(source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".backup-", suffix=".db")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = connector.connect_readonly(source)
        try:
            src.execute("PRAGMA busy_timeout = 10000")
            out = connector.connect_new(tmp)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode = DELETE")
                result = out.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise BackupError(f"the copy of {source.name} failed its check: {result}")
            finally:
                out.close()
        finally:
            src.close()
        _fsync_file(tmp)
        copy_key_file(source, dest)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except connector.errors as exc:
        raise BackupError(f"{source.name} could not be backed up: {exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest


def make_backup(db_path: str | os.PathLike[str], reason: str = "manual",
                *, now: datetime | None = None) -> Path:
    """Back a database up into its backups folder, then apply the retention rule."""
    db_path = Path(db_path)
    dest = _new_backup_path(db_path, reason, now or datetime.now())
    copy_database(db_path, dest)
    prune_backups(db_path, now=now)
    return dest


def backup_before_upgrade(db_path: str | os.PathLike[str]) -> Path:
    """Back the file up before its schema is upgraded (the store's `before_migrate` hook)."""
    return make_backup(db_path, "before-upgrade")


def daily_backup(db_path: str | os.PathLike[str], *, now: datetime | None = None) -> Path | None:
    """Back up on open, at most once a day; return the new backup, or None if not due."""
    db_path = Path(db_path)
    now = now or datetime.now()
    if not db_path.is_file():
        return None
    if any(b.taken_at.date() == now.date() for b in list_backups(db_path)):
        return None
    return make_backup(db_path, "daily", now=now)


def backups_to_keep(backups: list[BackupInfo], *, now: datetime | None = None) -> set[Path]:
    """Return which backups the rule keeps: the newest 14, plus the newest of each month."""
    now = now or datetime.now()
    newest_first = sorted(backups, key=lambda b: b.taken_at, reverse=True)
    keep = {b.path for b in newest_first[:KEEP_LAST]}
    recent_months = set()
    year, month = now.year, now.month
    for _ in range(KEEP_MONTHS):
        recent_months.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    seen_months: set[tuple[int, int]] = set()
    for b in newest_first:
        ym = (b.taken_at.year, b.taken_at.month)
        if ym in recent_months and ym not in seen_months:
            seen_months.add(ym)
            keep.add(b.path)
    return keep


def prune_backups(db_path: str | os.PathLike[str], *, now: datetime | None = None) -> list[Path]:
    """Delete backups the retention rule no longer keeps; return the removed files."""
    backups = list_backups(db_path)
    keep = backups_to_keep(backups, now=now)
    removed = []
    folder = paths.backups_dir(Path(db_path))
    stale_before = datetime.now().timestamp() - 3600
    for leftover in folder.glob(".backup-*.db") if folder.is_dir() else ():
        # a copy cut off when the app was closed mid-backup
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < stale_before:
                leftover.unlink()
                removed.append(leftover)
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            remove_key_file(b.path)
            removed.append(b.path)
    return removed


def check_database(db_path: str | os.PathLike[str]) -> CheckReport:
    """Check a file without changing it: integrity, schema version, row counts."""
    from arrs_desktop.store.errors import StoreOpenError
    from arrs_desktop.store.files import inspect_file
    from arrs_desktop.store.schema import MIGRATION_SET, known_migration_names

    db_path = Path(db_path)
    report = CheckReport(path=db_path)
    try:
        connector = connector_for(db_path)
        kind = inspect_file(db_path, connector)
    except StoreOpenError as exc:
        report.problems.append(str(exc))
        return report
    if kind == "new":
        report.problems.append(f"{db_path} does not exist.")
        return report
    if kind == "empty":
        report.problems.append(f"{db_path.name} holds no caseload yet.")
        return report
    try:
        conn = connector.connect_readonly(db_path)
    except connector.errors as exc:  # pragma: no cover - depends on the file system
        report.problems.append(f"{db_path.name} cannot be read: {exc}")
        return report
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        report.integrity = "ok" if rows == ["ok"] else "; ".join(rows[:20])
        if report.integrity != "ok":
            report.problems.append(f"integrity check failed: {report.integrity}")
        bad_links = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_links:
            tables = sorted({r[0] for r in bad_links})
            report.problems.append(
                f"{len(bad_links)} rows point at missing rows (tables: {', '.join(tables)})")
            for table, rowid, parent, _fk in bad_links[:20]:
                row_id = conn.execute(f'SELECT id FROM "{table}" WHERE rowid = ?',
                                      [rowid]).fetchone()
                report.problems.append(f"{table} row {row_id[0] if row_id else rowid}: points "
                                       f"at a {parent} row that is not there")
        if report.integrity == "ok":
            from arrs_desktop.store.tamper import find_problems

            report.problems += [str(p) for p in find_problems(conn, db_path)]
        applied = [r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET])]
        report.schema_version = applied[-1] if applied else ""
        report.pending_upgrades = [n for n in known_migration_names() if n not in applied]
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name")]
        report.counts = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                         for n in names}
    except connector.database_errors as exc:
        report.problems.append(f"{db_path.name} is damaged: {exc}")
    finally:
        conn.close()
    return report


class RestoreRefusedError(BackupError):
    """Another program has the caseload open, so nothing was restored or changed."""


class RestoreOutsideTeamError(BackupError):
    """The caseload is in a team and the backup is not of it there (made before the laptop
    joined, or of another caseload, team or server); nothing was restored or changed.

    `plan` says what restoring would do; restore with `rejoin=True` to keep the caseload in
    its team (unless `plan.too_old`: then it cannot be restored while in a team).
    """

    def __init__(self, plan: TeamRestorePlan) -> None:
        super().__init__(plan.refusal())
        self.plan = plan


def _refused(db_path: Path) -> RestoreRefusedError:
    return RestoreRefusedError(
        f"{db_path.name} is open in another program (another ARRS Desktop window, an `arrs` "
        "command, a database or backup tool), and restoring now would lose what it saves "
        "next. Close it, then restore again. Nothing was changed.")


def restore_backup(db_path: str | os.PathLike[str], backup_path: str | os.PathLike[str],
                   *, now: datetime | None = None, rejoin: bool = False,
                   on_team: Callable[[TeamRestorePlan], object] | None = None) -> Path | None:
    """Replace a database by a checked backup, backing the current file up first.

    The file is first held exclusively through SQLite, so no other program can have it
    open while it is replaced or write to it in the middle: if one has it open, this raises
    RestoreRefusedError and changes nothing. The backup's pages are then written into the
    file itself (the SQLite backup API), so a program that opens it afterwards writes into
    the restored caseload, never into a replaced copy. A file too damaged for SQLite to
    open is set aside whole, byte for byte, once no program holds a lock on it.
    Close every store of this process on the file first. Returns the copy of the file as
    it was (None when there was no file).

    When the file is in a team, its team link, server password and clock outlive the
    restore (`store.team_restore`): a backup of this laptop in the same team carries on in
    it; one from outside the team raises RestoreOutsideTeamError unless `rejoin`, and then
    re-joins at the next sync. `on_team` is told the plan before anything is changed.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    report = check_database(backup_path)
    if not report.ok:
        raise BackupError(f"{backup_path.name} cannot be restored: {report.problems[0]}")
    now = now or datetime.now()
    if not db_path.exists():
        _put_in_place(backup_path, db_path)
        return None
    safety = _new_backup_path(db_path, "before-restore", now)
    connector = connector_for(db_path)
    held = _hold_exclusively(db_path, connector)
    if held is None:
        _set_aside_damaged(db_path, safety)
        copy_key_file(db_path, safety)
        _put_in_place(backup_path, db_path)
        return safety
    try:
        try:
            current = team_restore.read_facts(held)
        except connector.database_errors:  # damaged there: restored as it is
            current = team_restore.TeamFacts(has_tables=False)
        plan = team_restore.plan_restore(current, team_restore.read_backup_facts(backup_path))
        if plan.too_old or (plan.rejoin and not rejoin):
            raise RestoreOutsideTeamError(plan)
        if on_team is not None:
            on_team(plan)
        _snapshot(held, safety, connector)
        copy_key_file(db_path, safety)
        src = connector_for(backup_path).connect_readonly(backup_path)
        try:
            src.backup(held)
        finally:
            src.close()
        problems = [r[0] for r in held.execute("PRAGMA integrity_check")]
        counts = {n: held.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
                  for n in report.counts}
        if problems != ["ok"] or counts != report.counts:
            raise BackupError(f"{db_path.name} did not match {backup_path.name} after the "
                              f"restore; the caseload as it was is kept in {safety.name}.")
        team_restore.carry_over(held, current, plan)
        held.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        record_anchor_from(held, db_path)  # the restored log is the one to follow now
    except connector.errors as exc:
        raise BackupError(f"{backup_path.name} could not be restored ({exc}); the caseload as "
                          f"it was is kept in {safety.name}.") from exc
    finally:
        held.close()
    _fsync_dir(db_path.parent)
    from arrs_desktop.store.health import remember_clean

    remember_clean(db_path)  # checked just now, with no other program able to touch it
    return safety


def _hold_exclusively(db_path: Path, connector: Connector) -> sqlite3.Connection | None:
    """Return a connection holding the file to itself; None if SQLite cannot read it.

    Raise RestoreRefusedError when another connection (any program's) has it open: in WAL
    mode every open connection keeps a shared lock, which the exclusive hold waits for.
    """
    from arrs_desktop.store.errors import is_busy_error

    try:
        conn = connector.connect_exclusive(db_path, timeout=0.5)
    except connector.database_errors as exc:
        if is_busy_error(exc):
            raise _refused(db_path) from exc
        return None
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")  # the exclusive lock stays until the connection closes
    except connector.database_errors as exc:
        conn.close()
        if is_busy_error(exc):
            raise _refused(db_path) from exc
        return None
    return conn


def _snapshot(conn: sqlite3.Connection, dest: Path, connector: Connector) -> None:
    """Copy what a connection sees into a new file, page for page (nothing checked)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".backup-", suffix=".db")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        out = connector.connect_new(tmp)
        try:
            conn.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")
        finally:
            out.close()
        _fsync_file(tmp)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_aside_damaged(db_path: Path, safety: Path) -> None:
    """Move a file SQLite cannot open (and its log) aside whole, if nobody holds it."""
    if _locked_by_someone(db_path):
        raise _refused(db_path)
    paths.private_dir(safety.parent)
    os.replace(db_path, safety)
    paths.make_private(safety)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        os.replace(wal, safety.with_name(safety.name + "-wal"))
    db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
    _fsync_dir(safety.parent)


def _locked_by_someone(db_path: Path) -> bool:
    """Return whether any process holds one of SQLite's locks on a file.

    Only called when this process has no SQLite connection to the file (it could not
    open one), so opening and closing a handle here drops no lock of ours.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows refuses to replace an open file
        return False
    pending_byte, span = 0x40000000, 512  # SQLite's pending, reserved and shared bytes
    fd = os.open(db_path, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, span, pending_byte, os.SEEK_SET)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _put_in_place(backup_path: Path, db_path: Path) -> None:
    """Copy a backup to where the database belongs, atomically."""
    fd, tmp_name = tempfile.mkstemp(dir=db_path.parent, prefix=".restore-", suffix=".db")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        copy_database(backup_path, tmp)
        tmp_keys = paths.key_file_path(tmp)
        if tmp_keys.exists() and not paths.key_file_path(db_path).exists():
            os.replace(tmp_keys, paths.key_file_path(db_path))  # the backup's own key file
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()
        remove_key_file(tmp)
    conn = connect_readonly(db_path)
    try:
        record_anchor_from(conn, db_path)
    finally:
        conn.close()
