"""One open caseload file: a facade holding the parts that read and write it.

`Store` opens the file safely (checked, upgraded, private, WAL, foreign keys on) and holds
explicit parts, each given only what it depends on:

- repositories, which read and write one kind of record: `people`, `needs`, `episodes`,
  `sessions`, `goals`, `care_homes`, `community`, `gp_codes`, `audit`, `erasure`, `bulk`,
  and the national standards' `referrals` (in), `alerts`, `code_list`, `measure_scores`,
  `gp_messages`;
- queries, which read across the caseload: `caseload`, `triage`, `follow_ups`, `reports`.

Every write of every part goes through the one `writer` (store/writer.py): a transaction,
audited rows, and the hooks that must see each local write. Worker threads read through
`readers()`, read-only stores of the same parts on their own connections.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from arrs_desktop.store.audit import AuditRepository
from arrs_desktop.store.bulk import BulkLoader
from arrs_desktop.store.care_homes import CareHomesRepository
from arrs_desktop.store.caseload import CaseloadQuery
from arrs_desktop.store.community import CommunityRepository
from arrs_desktop.store.connector import Connector, connector_for
from arrs_desktop.store.daily_backup import DailyBackup
from arrs_desktop.store.episodes import EpisodesRepository
from arrs_desktop.store.erasure import ErasureRepository
from arrs_desktop.store.errors import (
    CorruptDatabaseError,
    FileBusyError,
    MigrationError,
    StoreOpenError,
    busy_open_message,
    is_busy_error,
)
from arrs_desktop.store.files import (
    inspect_file,
    make_private_before_connecting,
    private_creation,
)
from arrs_desktop.store.follow_ups import FollowUpsQuery
from arrs_desktop.store.goals import GoalsRepository
from arrs_desktop.store.gp_codes import GpCodesRepository
from arrs_desktop.store.health import FileHealth, is_trusted
from arrs_desktop.store.needs import NeedsRepository
from arrs_desktop.store.people import PeopleRepository
from arrs_desktop.store.referrals_in import AlertsRepository, ReferralsRepository
from arrs_desktop.store.reports import ReportsQuery
from arrs_desktop.store.rows import Db
from arrs_desktop.store.schema import MIGRATION_SET, migrations
from arrs_desktop.store.sessions import SessionsRepository
from arrs_desktop.store.standards_records import (
    CodeListRepository,
    GpMessagesRepository,
    MeasureScoresRepository,
)
from arrs_desktop.store.summary import PersonSummary
from arrs_desktop.store.team_link import TeamLink
from arrs_desktop.store.triage import TriageQuery
from arrs_desktop.store.writer import WriteHook, Writer

BUSY_TIMEOUT_MS = 10_000

BeforeMigrate = Callable[[Path], object]


def schema_version(db: Database) -> str:
    """Return the name of the newest migration applied to a database."""
    rows = list(
        db.query(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            [MIGRATION_SET],
        )
    )
    return str(rows[-1]["name"]) if rows else ""


class Store:
    """One open caseload file: typed reads and audited, atomic writes, by its parts."""

    people: PeopleRepository
    needs: NeedsRepository
    episodes: EpisodesRepository
    sessions: SessionsRepository
    goals: GoalsRepository
    care_homes: CareHomesRepository
    community: CommunityRepository
    gp_codes: GpCodesRepository
    audit: AuditRepository
    erasure: ErasureRepository
    bulk: BulkLoader
    summary: PersonSummary
    caseload: CaseloadQuery
    triage: TriageQuery
    follow_ups: FollowUpsQuery
    reports: ReportsQuery
    team: TeamLink
    writer: Writer
    health: FileHealth
    db: Database
    _db: Db

    def __init__(
        self,
        path: str | Path,
        *,
        user: str = "",
        device_id: str = "",
        before_migrate: BeforeMigrate | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        connector: Connector | None = None,
    ) -> None:
        self.path = Path(path)
        self.connector = connector if connector is not None else connector_for(self.path)
        self.device_id = device_id or "unknown-device"
        self.busy_timeout_ms = int(busy_timeout_ms)
        self._user = user or "unknown user"
        self._before_migrate = before_migrate
        self.daily_backup = DailyBackup()  # made by open_store when asked
        self.is_new = False
        self._readers: ReaderPool | None = None
        self._open()
        self._build_parts()

    # -- opening ------------------------------------------------------------------------
    def _open(self) -> None:
        """Check, connect, configure and upgrade the file (on first open and on reopen)."""
        kind = inspect_file(self.path, self.connector)
        trusted = kind != "arrs" or is_trusted(self.path)
        make_private_before_connecting(self.path, kind)
        self._readers = ReaderPool(self)
        # No sqlite-utils plugins: whatever happens to be installed next to the app must
        # not change the caseload's connection (and looking for them costs 50 ms at start).
        with private_creation(kind == "new"):
            conn = self.connector.connect(self.path)
            self.db = Database(conn, execute_plugins=False)
            conn.execute("PRAGMA schema_version").fetchone()  # the file exists now
        if hasattr(self, "_db"):  # reopened: every part reads and writes the new connection
            self._db.conn = conn
        else:
            self._db = Db(conn)
        try:
            self._configure()
            self.health = FileHealth(self, trusted=trusted)
            self._migrate(kind)
        except self.connector.database_errors as exc:
            self.db.close()
            if is_busy_error(exc):
                raise FileBusyError(busy_open_message(self.path)) from exc
            raise CorruptDatabaseError(
                f"{self.path.name} could not be opened ({exc}). It has not been changed."
            ) from exc
        except BaseException:
            self.db.close()
            raise
        self.is_new = kind in ("new", "empty")
        if hasattr(self, "writer"):  # reopened: the parts carry on with the new connection
            self.writer.health = self.health

    def _build_parts(self) -> None:
        """Make the parts, each given what it depends on (and nothing else)."""
        db = self._db
        writer = Writer(db, self.health, user=self._user, device_id=self.device_id,
                        errors=self.connector.errors)
        self.writer = writer
        summary = PersonSummary(db, writer)
        self.summary = summary
        self.people = PeopleRepository(db, writer)
        self.needs = NeedsRepository(db, writer)
        self.episodes = EpisodesRepository(db, writer, summary)
        self.community = CommunityRepository(db, writer)
        self.sessions = SessionsRepository(db, writer, episodes=self.episodes,
                                           community=self.community, summary=summary)
        self.goals = GoalsRepository(db, writer)
        self.care_homes = CareHomesRepository(db, writer)
        self.gp_codes = GpCodesRepository(db, writer, self.episodes)
        self.audit = AuditRepository(db, writer)
        self.referrals = ReferralsRepository(db, writer)
        self.alerts = AlertsRepository(db, writer)
        self.code_list = CodeListRepository(db, writer)
        self.measure_scores = MeasureScoresRepository(db, writer)
        self.gp_messages = GpMessagesRepository(db, writer)
        self.erasure = ErasureRepository(db, writer)
        self.bulk = BulkLoader(writer, summary)
        self.caseload = CaseloadQuery(db)
        self.triage = TriageQuery(db)
        self.follow_ups = FollowUpsQuery(db)
        self.reports = ReportsQuery(db)
        self.team = TeamLink(db, writer, summary, self.device_id,
                             redact=self.erasure.redact_audit)
        writer.hooks.append(self.team.on_write)  # once in a team, every write is sent

    def _migrate(self, kind: str) -> None:
        """Bring the schema up to date: back up first, then every step in one transaction."""
        if kind != "arrs":
            migrations.apply(self.db)
            return
        if not migrations.pending(self.db):
            return
        if self.health.check_now() != "ok":
            raise CorruptDatabaseError(
                f"{self.path.name} needs upgrading to this version, but it is damaged "
                f"({self.health.problem}), so it was not upgraded and has not been changed. "
                "Restore it from a backup."
            )
        if self._before_migrate is not None:
            try:
                self._before_migrate(self.path)
            except (OSError, *self.connector.errors) as exc:  # type: ignore[misc]
                raise MigrationError(
                    f"{self.path.name} needs upgrading, but it could not be backed up first "
                    f"({exc}), so it was not upgraded and has not been changed."
                ) from exc
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except self.connector.database_errors as exc:
            if is_busy_error(exc):
                raise FileBusyError(busy_open_message(self.path)) from exc
            raise
        try:
            migrations.apply(self.db)
            conn.execute("COMMIT")
            # An upgrade that builds indexes leaves a large write-ahead log, and every read
            # checks it until it is folded back in: do that now, once.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, Exception):
                raise MigrationError(
                    f"Upgrading {self.path.name} to this version failed ({exc}). The file was "
                    "left as it was; it still opens with the version that made it."
                ) from exc
            raise

    def _configure(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")

    # -- who writes ---------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """Return the store's own connection to the file."""
        return self._db.conn

    @property
    def user(self) -> str:
        """Return the name audit lines give as who made a change."""
        return self._user

    @user.setter
    def user(self, name: str) -> None:
        self._user = name
        self.writer.user = name

    @property
    def new_id(self) -> Callable[[], str]:
        """Return what gives new rows their ids (replaceable for reproducible demo data)."""
        return self.writer.new_id

    @new_id.setter
    def new_id(self, make: Callable[[], str]) -> None:
        self.writer.new_id = make

    @property
    def write_hooks(self) -> list[WriteHook]:
        """Return the hooks told of every row written, inside its transaction."""
        return self.writer.hooks

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the writes of several parts as one transaction: all are saved, or none."""
        with self.writer.transaction():
            yield

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (bulk loads): all are saved, or none."""
        with self.writer.batch():
            yield

    # -- the file -------------------------------------------------------------------------
    def schema_version(self) -> str:
        """Return the newest migration applied to this file."""
        return schema_version(self.db)

    def table_counts(self) -> dict[str, int]:
        """Return the number of rows in each table of the log."""
        names = [
            r["name"]
            for r in self._db.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY name"
            )
        ]
        return {name: int(self._db.scalar(f'SELECT count(*) FROM "{name}"')) for name in names}

    def close(self) -> None:
        """Close the database file (and every reader borrowed from this store).

        A file found undamaged that no other connection changed meanwhile is remembered as
        cleanly closed, so that the next open need not check it again.
        """
        from arrs_desktop.store.audit_chain import record_anchor_from
        from arrs_desktop.store.health import remember_clean

        health = getattr(self, "health", None)
        trusted = health is not None and health.clean_close_trusted()
        # Remember the newest audit line outside the file, so a cut log is noticed.
        record_anchor_from(self.conn, self.path)
        if self._readers is not None:
            self._readers.close()
        self.db.close()
        if trusted:
            remember_clean(self.path)

    def reopen(self) -> None:
        """Open the file again after `close()` (after a restore), as the same store object.

        Whoever holds this store (or any of its parts) keeps it; the file is checked and
        upgraded as on any open.
        """
        self._open()
        self.team.refresh()

    def readers(self) -> ReaderPool:
        """Return the pool of read-only connections that worker threads borrow."""
        if self._readers is None:
            raise StoreOpenError("A reader lends no readers of its own.")
        return self._readers

    def sync_worker(self) -> Store:
        """Return a store on a connection of its own for a worker thread that writes
        (the team sync), sharing this store's file checks and clock.

        Its writes are the team's pulled pages (applied straight into the tables, so they
        are not sent back); the caller closes it with `close_worker()`.
        """
        worker = type(self)._as_reader(self, writable=True)
        worker.team = TeamLink(worker._db, worker.writer, worker.summary, self.device_id,
                               clock=self.team.clock, redact=worker.erasure.redact_audit)
        worker.writer.hooks = [worker.team.on_write]
        return worker

    def close_worker(self) -> None:
        """Close a store made by `sync_worker()`."""
        self.db.close()

    @classmethod
    def _as_reader(cls, owner: Store, *, writable: bool = False) -> Store:
        """Return a read-only store with the same parts on a new connection to owner's file.

        The schema is the owner's (it opened and upgraded the file), so nothing is checked
        or migrated here; the connection refuses writes.
        """
        reader = cls.__new__(cls)
        reader.path = owner.path
        reader.connector = owner.connector
        reader.device_id = owner.device_id
        reader.busy_timeout_ms = owner.busy_timeout_ms
        reader._user = owner.user
        reader._before_migrate = None
        reader.daily_backup = DailyBackup()
        reader.is_new = False
        reader._readers = None
        reader.health = owner.health
        conn = owner.connector.connect_reader(owner.path)
        reader._db = Db(conn)
        reader.db = Database(conn, execute_plugins=False)
        conn.execute(f"PRAGMA busy_timeout = {owner.busy_timeout_ms}")
        conn.execute("PRAGMA foreign_keys = ON")
        if writable:
            conn.execute("PRAGMA synchronous = FULL")
        else:
            conn.execute("PRAGMA query_only = ON")
        reader._build_parts()
        return reader


class ReaderPool:
    """Read-only connections to an open store's file, lent to worker threads one at a time.

    Every connection here is an SQLite connection to the same file, so the process never
    opens the file any other way. A reader is made on first need, handed back after each
    job and reused. Closing the pool closes the idle readers, interrupts the ones lent out
    and waits (a little) for them to come back, so that the file is really let go.
    """

    CLOSE_WAIT_S = 10.0

    def __init__(self, owner: Store) -> None:
        self._owner = owner
        self._idle: list[Store] = []
        self._lent: list[Store] = []
        self._cond = threading.Condition()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """Lend a read-only store for the length of a `with` block."""
        with self._cond:
            if self._closed:
                raise StoreOpenError("The caseload file has been closed.")
            reader = self._idle.pop() if self._idle else None
            if reader is not None:
                self._lent.append(reader)
        if reader is None:
            reader = type(self._owner)._as_reader(self._owner)
            with self._cond:
                self._lent.append(reader)
        try:
            yield reader
        finally:
            with self._cond:
                self._lent.remove(reader)
                keep = not self._closed
                if keep:
                    self._idle.append(reader)
                self._cond.notify_all()
            if not keep:
                reader.db.close()

    def close(self) -> None:
        """Close every reader: the idle ones now, the lent ones once interrupted and back."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            for reader in self._lent:
                reader.conn.interrupt()
            self._cond.wait_for(lambda: not self._lent, timeout=self.CLOSE_WAIT_S)
        for reader in idle:
            reader.db.close()


__all__ = ["BUSY_TIMEOUT_MS", "ReaderPool", "Store", "schema_version"]
