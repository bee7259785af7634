"""Report figures for a period, per role and worker, and the people-level extract.

Every figure is one aggregate query (or a few), so a report over a large caseload reads
only the rows of its period through covering indexes and hands Python a few rows per
worker, never a row per person. The exact definition of each figure is in docs/reports.md;
keep the two in step. tests/reports_reference.py works the same figures out the plain way
(a row per person, added up in Python); the tests hold the two to the same results.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter, median_of_counts
from arrs_desktop.reports.tables import ALL_ROLES, ALL_WORKERS, NO_WORKER, ReportSet, ReportTable
from arrs_desktop.store.rows import Db, to_date

_LIVE = "{col} NOT IN (SELECT id FROM people WHERE deleted_at IS NOT NULL)"
_ONS4 = tuple(catalogue.ONS4_ITEMS)
ONS4_REPORT_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things you do are worthwhile",
    "happy": "Happiness yesterday",
    "anxious": "Anxiety yesterday",
}
UNDATED = "(no reason recorded)"
DNA_LABEL = "Did not attend / no answer"
# A session recording a missed contact: counted apart, never as a contact.
_MISSED = f"kind = '{catalogue.DID_NOT_ATTEND}'"
DECLINED_REASON = "Declined the referral"


def pseudonym(person_id: str, salt: str) -> str:
    """Return a stable-within-one-export stand-in for a person id that cannot be reversed."""
    digest = hashlib.sha256(f"{salt}:{person_id}".encode()).hexdigest()
    return f"P-{digest[:12].upper()}"


def _role_name(code: str | None) -> str:
    if code is None:
        return ALL_ROLES
    return catalogue.ROLES_BY_CODE[code].name if code in catalogue.ROLES_BY_CODE else code


def _worker_name(worker: str | None) -> str:
    if worker is None:
        return ALL_WORKERS
    return worker or NO_WORKER


def _per_person(count: int, people: int) -> float | None:
    return round(count / people, 1) if people else None


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class ReportsQuery:
    """Report figures and extracts (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _where(filt: ReportFilter, role_col: str, worker_col: str, params: dict) -> str:
        clauses = []
        if filt.role:
            clauses.append(f"{role_col} = :role")
            params["role"] = filt.role
        if filt.worker is not None:
            clauses.append(f"{worker_col} = :worker")
            params["worker"] = filt.worker
        return "".join(f" AND {c}" for c in clauses)

    @staticmethod
    def _params(period: Period) -> dict[str, Any]:
        return {"start": period.start.isoformat(), "end": period.end.isoformat()}

    @staticmethod
    def _ordered_keys(keys, filt: ReportFilter) -> list[tuple]:
        """Order (role, worker) keys: each role's workers, the role's total, then everyone."""
        roles = [r for r in catalogue.ROLE_CODES if filt.role in (None, r)]
        out = []
        for role in roles:
            workers = sorted({w for (r, w) in keys if r == role and w is not None},
                             key=lambda w: (w == "", w.lower()))
            if not workers and (role, None) not in keys:
                continue
            out += [(role, w) for w in workers] + [(role, None)]
        if filt.role is None:
            out.append((None, None))
        return out

    @staticmethod
    def _by_level(rows: list[dict]) -> dict[tuple, dict]:
        """Key per-worker rows (g_role, g_worker and figures) by (role, worker).

        Rows whose figures are all zero (or blank) are left out, as if never found.
        """
        out = {}
        for row in rows:
            key = (row.pop("g_role"), row.pop("g_worker"))
            if any(row.values()):
                out[key] = row
        return out

    def _people_per_role(self, rows_sql: str, counts: str, params: dict) -> dict[str, Any]:
        """Count the different people in rows (with role and person_id) per role and in all.

        Only rows where `counts` holds count. One grouping by person, flagging their roles.
        Returns {role: people, ..., None: people}.
        """
        flags = ", ".join(f"max(role = '{r}' AND {counts}) AS in_{r}"
                          for r in catalogue.ROLE_CODES)
        sums = ", ".join(f"coalesce(sum(in_{r}), 0)" for r in catalogue.ROLE_CODES)
        row = self._db.conn.execute(
            f"SELECT {sums}, coalesce(sum(anyone), 0) FROM (SELECT max({counts}) AS anyone,"
            f" {flags} FROM ({rows_sql}) GROUP BY person_id)",
            params,
        ).fetchone()
        return dict(zip((*catalogue.ROLE_CODES, None), row, strict=True))

    @staticmethod
    def _add_totals(found: dict[tuple, dict], people: dict, names: tuple[str, ...]) -> None:
        """Add each role's and everyone's totals to per-worker figures, in place.

        The figures add up; people are counted afresh (`people`, from _people_per_role),
        as one person may be with two workers or roles. All-zero totals are left out.
        """
        workers = list(found.items())
        for key, count in people.items():
            totals = {name: sum(f[name] or 0 for (role, _), f in workers
                                if key in (None, role)) for name in names}
            totals["people"] = count
            if any(totals.values()):
                found[(key, None)] = totals

    # -- the report set ------------------------------------------------------------------
    def report_set(self, period: Period, filt: ReportFilter | None = None,
                   today: date | None = None) -> ReportSet:
        """Return every report table for a period and a role/worker filter."""
        filt = filt or ReportFilter()
        today = today or date.today()
        caseload = self.caseload(period, filt)
        contacts, by_month = self._contact_tables(period, filt, by_worker=True)
        goals = self.goals(period, filt)
        homes = self.care_homes(period, filt, today)
        sp_code = self.sp_referral_code(period, filt)
        by_source, by_reason = self._referral_tables(period, filt)
        tables = (
            self._summary(caseload, contacts, goals, homes, sp_code),
            caseload,
            contacts,
            goals,
            by_source,
            by_reason,
            self.closures(period, filt),
            self.ons4_change(period, filt),
            homes,
            sp_code,
            by_month,
        )
        return ReportSet(period=period, filter=filt, tables=tables)

    @staticmethod
    def _summary(caseload: ReportTable, contacts: ReportTable, goals: ReportTable,
                 homes: ReportTable, sp_code: ReportTable) -> ReportTable:
        def total(table: ReportTable, header: str, empty=0):
            row = table.rows[-1] if table.rows else None
            return row[table.columns.index(header)] if row else empty

        overdue = sum(1 for s in homes.column("Status") if s == "Overdue")
        figures = (
            ("Active caseload (people)", total(caseload, "Active caseload")),
            ("New referrals", total(caseload, "New referrals")),
            ("Median days from referral to first contact",
             total(caseload, "Median days to first contact", None)),
            ("People seen", total(contacts, "People seen")),
            ("Contacts", total(contacts, "Contacts")),
            ("Contact minutes", total(contacts, "Minutes")),
            ("Contacts per person seen", total(contacts, "Contacts per person")),
            (DNA_LABEL, total(contacts, DNA_LABEL)),
            ("Goals set", total(goals, "Goals set")),
            ("Goals achieved", total(goals, "Goals achieved")),
            ("Episodes closed", total(caseload, "Closed")),
            ("Care homes overdue a contact at the end of the period", overdue),
            ("People with a first 'Referral to social prescribing service' code",
             total(sp_code, "People", None)),
        )
        return ReportTable("summary", "Summary", ("Figure", "Value"), figures)

    def caseload(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return caseload, referrals, first contacts, waiting times and closures per worker."""
        params = self._params(period)
        where = self._where(filt, "role", "worker", params)
        live = _LIVE.format(col="person_id")
        # Open on a day of the period: referred by its end and not closed before its start.
        # The two halves (still open; closed since the start) are each one range of the
        # covering index episodes_report_open.
        cols = "role, worker, person_id, status, referral_date, first_contact_date, closure_date"
        open_eps = (
            f"SELECT {cols} FROM episodes WHERE closure_date IS NULL AND referral_date <= :end"
            f" AND {live}{where} UNION ALL"
            f" SELECT {cols} FROM episodes WHERE closure_date >= :start"
            f" AND referral_date <= :end AND {live}{where}"
        )
        active = "status != 'declined'"
        found = self._by_level(self._db.rows(
            f"SELECT role AS g_role, worker AS g_worker,"
            f" count(DISTINCT CASE WHEN {active} THEN person_id END) AS people,"
            " sum(referral_date >= :start) AS referrals,"
            " sum(first_contact_date BETWEEN :start AND :end) AS first_contacts,"
            " sum(status = 'closed' AND closure_date BETWEEN :start AND :end) AS closed,"
            " sum(status = 'declined' AND closure_date BETWEEN :start AND :end) AS declined"
            f" FROM ({open_eps}) GROUP BY role, worker",
            params,
        ))
        self._add_totals(found, self._people_per_role(open_eps, active, params),
                         ("referrals", "first_contacts", "closed", "declined"))
        # Days from referral to first contact, as counts per number of days (a histogram).
        waits: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for row in self._db.conn.execute(
            "SELECT role, worker, CAST(julianday(first_contact_date) - julianday(referral_date)"
            " AS INTEGER) AS days, count(*) AS n FROM episodes"
            f" WHERE first_contact_date BETWEEN :start AND :end AND {live}{where}"
            " GROUP BY role, worker, days",
            params,
        ):
            role, worker, days, n = row
            for key in ((role, worker), (role, None), (None, None)):
                waits[key][days] += n
        rows = []
        for key in self._ordered_keys(found.keys(), filt):
            f = found.get(key, {})
            rows.append((
                _role_name(key[0]), _worker_name(key[1]), f.get("people") or 0,
                f.get("referrals") or 0, f.get("first_contacts") or 0,
                median_of_counts(waits.get(key, {})), f.get("closed") or 0,
                f.get("declined") or 0,
            ))
        return ReportTable(
            "caseload", "Caseload, referrals and closures",
            ("Role", "Worker", "Active caseload", "New referrals", "First contacts",
             "Median days to first contact", "Closed", "Declined"),
            tuple(rows),
            "Active caseload counts people with an episode open on any day of the period.",
        )

    def contacts(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return contacts, minutes and people seen per role and worker."""
        return self._contact_tables(period, filt, by_worker=True)[0]

    def contacts_by_month(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return contacts and minutes per calendar month and role."""
        return self._contact_tables(period, filt, by_worker=False)[1]

    def _contact_tables(self, period: Period, filt: ReportFilter,
                        by_worker: bool) -> tuple[ReportTable | None, ReportTable]:
        """Return the contacts table (if asked for) and contacts per month, in one read.

        Missed contacts (did not attend / no answer) are not contacts: they are counted
        apart, and neither their minutes nor their people count as seen.
        """
        params = self._params(period)
        where = self._where(filt, "role", "worker", params)
        sessions = (f"SELECT date, role, worker, person_id, minutes, {_MISSED} AS missed"
                    " FROM sessions WHERE date BETWEEN :start AND :end"
                    f" AND {_LIVE.format(col='person_id')}{where}")
        # Per day and role (in the order of the sessions_report_kind index, so without sorting;
        # the months are added up below) and, if asked for, per worker.
        sql = (f"WITH s AS NOT MATERIALIZED ({sessions})"
               " SELECT date AS day, role AS g_role, NULL AS g_worker, NULL AS people,"
               " sum(NOT missed) AS contacts,"
               " sum(CASE WHEN NOT missed THEN minutes END) AS minutes,"
               " sum(missed) AS did_not_attend FROM s GROUP BY date, role")
        if by_worker:
            sql += (" UNION ALL SELECT NULL, role, worker,"
                    " count(DISTINCT CASE WHEN NOT missed THEN person_id END), sum(NOT missed),"
                    " sum(CASE WHEN NOT missed THEN minutes END), sum(missed)"
                    " FROM s GROUP BY role, worker")
        months: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        workers: list[dict] = []
        for row in self._db.rows(sql, params):
            day = row.pop("day")
            if day is None:
                workers.append(row)
            else:
                acc = months[(day[:7], row["g_role"])]
                acc[0] += row["contacts"]
                acc[1] += row["minutes"] or 0
        rows = []
        for month in period.months():
            for role in catalogue.ROLE_CODES:
                if filt.role not in (None, role):
                    continue
                contacts, minutes = months.get((month.isoformat()[:7], role), (0, 0))
                rows.append((month, _role_name(role), contacts, minutes))
        by_month = ReportTable("contacts_by_month", "Contacts per month",
                               ("Month", "Role", "Contacts", "Minutes"), tuple(rows))
        if not by_worker:
            return None, by_month
        found = self._by_level(workers)
        self._add_totals(found, self._people_per_role(sessions, "NOT missed", params),
                         ("contacts", "minutes", "did_not_attend"))
        rows = []
        for key in self._ordered_keys(found.keys(), filt):
            f = found.get(key, {})
            contacts, people = f.get("contacts") or 0, f.get("people") or 0
            rows.append((_role_name(key[0]), _worker_name(key[1]), people, contacts,
                         f.get("minutes") or 0, _per_person(contacts, people),
                         f.get("did_not_attend") or 0))
        contacts_table = ReportTable(
            "contacts", "Contacts and people seen",
            ("Role", "Worker", "People seen", "Contacts", "Minutes", "Contacts per person",
             DNA_LABEL),
            tuple(rows),
            f"Sessions logged as '{DNA_LABEL}' are not contacts: they are counted apart.",
        )
        return contacts_table, by_month

    def goals(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return goals set and achieved per owning role and episode worker."""
        params = self._params(period)
        worker_col = "coalesce(e.worker, '')"
        where = self._where(filt, "g.owner_role", worker_col, params)
        found: dict[tuple, dict] = {}
        # Goal counts add up, so each role's and everyone's totals are sums of the workers'.
        for row in self._db.conn.execute(
            f"SELECT g.owner_role, {worker_col},"
            " sum(g.set_date BETWEEN :start AND :end),"
            " sum(g.achieved_date BETWEEN :start AND :end)"
            " FROM goals g LEFT JOIN episodes e ON e.id = g.episode_id"
            " WHERE (g.set_date BETWEEN :start AND :end"
            " OR g.achieved_date BETWEEN :start AND :end)"
            f" AND {_LIVE.format(col='g.person_id')}{where}"
            f" GROUP BY g.owner_role, {worker_col}",
            params,
        ):
            role, worker, goals_set, achieved = row
            for key in ((role, worker), (role, None), (None, None)):
                acc = found.setdefault(key, {"goals_set": 0, "achieved": 0})
                acc["goals_set"] += goals_set or 0
                acc["achieved"] += achieved or 0
        found = {k: v for k, v in found.items() if any(v.values())}
        rows = []
        for key in self._ordered_keys(found.keys(), filt):
            f = found.get(key, {})
            rows.append((_role_name(key[0]), _worker_name(key[1]), f.get("goals_set") or 0,
                         f.get("achieved") or 0))
        return ReportTable(
            "goals", "Goals set and achieved",
            ("Role", "Worker", "Goals set", "Goals achieved"), tuple(rows),
            "A goal counts as set on the day it was agreed (its set date); its worker is its"
            " episode's worker.",
        )

    def referrals_by(self, period: Period, filt: ReportFilter,
                            by: str) -> ReportTable:
        """Return new referrals per role by source or by reason."""
        by_source, by_reason = self._referral_tables(period, filt)
        return by_source if by == "source" else by_reason

    def _referral_tables(self, period: Period,
                         filt: ReportFilter) -> tuple[ReportTable, ReportTable]:
        """Return new referrals per role by source and by reason, from one read."""
        params = self._params(period)
        where = self._where(filt, "role", "worker", params)
        reason = f"coalesce(nullif(trim(referral_reason), ''), '{UNDATED}')"
        counts: dict[str, dict[tuple, int]] = {"source": defaultdict(int),
                                               "reason": defaultdict(int)}
        for role, source, why, n in self._db.conn.execute(
            f"SELECT role, referral_source, {reason} AS k, count(*) FROM episodes"
            f" WHERE referral_date BETWEEN :start AND :end"
            f" AND {_LIVE.format(col='person_id')}{where} GROUP BY role, referral_source, k",
            params,
        ):
            for by, k in (("source", source), ("reason", why)):
                counts[by][(role, k)] += n
                if not filt.role:
                    counts[by][(None, k)] += n
        tables = []
        for by in ("source", "reason"):
            found = sorted(counts[by].items(), key=lambda item: (
                catalogue.ROLE_CODES.index(item[0][0]) if item[0][0] else 9, -item[1],
                item[0][1]))
            rows = []
            for (role, k), n in found:
                label = catalogue.REFERRAL_SOURCES.get(k, k) if by == "source" else k
                rows.append((_role_name(role), label, n))
            tables.append(rows)
        return (
            ReportTable("referrals_by_source", "New referrals by source",
                        ("Role", "Source", "Referrals"), tuple(tables[0])),
            ReportTable("referrals_by_reason", "New referrals by reason",
                        ("Role", "Reason", "Referrals"), tuple(tables[1])),
        )

    def closures(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return episodes closed (and referrals declined) in the period, by reason."""
        params = self._params(period)
        where = self._where(filt, "role", "worker", params)
        reason = ("CASE WHEN status = 'declined' THEN '~declined'"
                  " ELSE coalesce(closure_reason, 'other') END")
        counts: dict[tuple, int] = defaultdict(int)
        for role, k, n in self._db.conn.execute(
            f"SELECT role, {reason} AS k, count(*) FROM episodes"
            " WHERE status IN ('closed', 'declined') AND closure_date BETWEEN :start AND :end"
            f" AND {_LIVE.format(col='person_id')}{where} GROUP BY role, k",
            params,
        ):
            counts[(role, k)] += n
            if not filt.role:
                counts[(None, k)] += n
        order = [*catalogue.CLOSURE_REASONS, "~declined"]
        found = sorted(counts.items(), key=lambda item: (
            catalogue.ROLE_CODES.index(item[0][0]) if item[0][0] else 9,
            order.index(item[0][1]) if item[0][1] in order else 99))
        rows = []
        for (role, k), n in found:
            label = DECLINED_REASON if k == "~declined" else \
                catalogue.CLOSURE_REASONS.get(k, k)
            rows.append((_role_name(role), label, n))
        return ReportTable("closures_by_reason", "Closures by reason",
                           ("Role", "Reason", "Episodes"), tuple(rows))

    def ons4_change(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return the mean change in each ONS4 item from first to latest score, per role."""
        params = self._params(period)
        where = self._where(filt, "role", "worker", params)
        # Each person's first and latest score per group are the min() and max() of a sort
        # key: date, created_at and id (char(1) sorts before any of their characters), then
        # the four scores packed as one number (99 for a blank score), so one grouping
        # finds both rows' scores.
        packed = " + ".join(
            f"coalesce(o.ons4_{i}, 99) * {100 ** (3 - n)}" for n, i in enumerate(_ONS4))
        key = (f"o.date || char(1) || o.created_at || char(1) || o.id || char(1)"
               f" || (100000000 + {packed})")
        # The session's role and worker; a session is always its person's, but look it up
        # by id alone if not, as a plain join on the id would.
        session = ("CASE WHEN s.id IS NOT NULL OR o.session_id IS NULL THEN s.{col}"
                   " ELSE (SELECT x.{col} FROM sessions x WHERE x.id = o.session_id) END")
        scores = (
            f"SELECT o.person_id, o.date, {key} AS k, {session.format(col='role')} AS role,"
            f" {session.format(col='worker')} AS worker"
            " FROM outcome_measures o LEFT JOIN sessions s"
            " ON s.person_id = o.person_id AND s.id = o.session_id"
            " WHERE o.ons4_life_satisfaction IS NOT NULL AND o.date <= :end"
            " AND o.person_id IN (SELECT person_id FROM outcome_measures"
            " WHERE date BETWEEN :start AND :end)"
            f" AND {_LIVE.format(col='o.person_id')}"
        )
        # Per person and session role (blank when the score has no session); a person's
        # first and latest over all roles are the least and greatest of their roles'.
        unpack = ", ".join(
            f"nullif({{v}} / {100 ** (3 - n)} % 100, 99) AS {{p}}{i}"
            for n, i in enumerate(_ONS4))
        means = ", ".join(
            f"avg(f{i}) AS f_{i}, avg(l{i}) AS l_{i}, avg(l{i} - f{i}) AS d_{i}"
            for i in _ONS4)
        both = (f"SELECT {{grp}} AS grp, {unpack.format(v='fv', p='f')},"
                f" {unpack.format(v='lv', p='l')} FROM (SELECT {{grp}},"
                " CAST(substr(f, -8) AS INTEGER) AS fv, CAST(substr(l, -8) AS INTEGER) AS lv"
                " FROM {rows} WHERE n >= 2 AND last >= :start{only})")
        arms = [both.format(grp="role", rows="pr", only=" AND role IS NOT NULL")]
        if not filt.role:
            arms.append(both.format(
                grp="'all'", only="", rows="(SELECT min(f) AS f, max(l) AS l,"
                " max(last) AS last, sum(n) AS n FROM pr GROUP BY person_id)"))
        sql = (
            "WITH pr AS MATERIALIZED (SELECT person_id, role, min(k) AS f, max(k) AS l,"
            f" max(date) AS last, count(*) AS n FROM ({scores}) WHERE 1{where}"
            " GROUP BY person_id, role)"
            + " UNION ALL ".join(
                f" SELECT grp, count(*) AS people, {means} FROM ({arm}) GROUP BY grp"
                for arm in arms)
        )
        found = {r["grp"]: r for r in self._db.rows(sql, params)}
        keys = [r for r in catalogue.ROLE_CODES if filt.role in (None, r)]
        if not filt.role:
            keys.append("all")
        rows = []
        for key in keys:
            f = found.get(key)
            for item in _ONS4:
                rows.append((
                    ALL_ROLES if key == "all" else _role_name(key),
                    ONS4_REPORT_LABELS[item],
                    "Lower" if item == "anxious" else "Higher",
                    f["people"] if f else 0,
                    _mean(f[f"f_{item}"]) if f else None,
                    _mean(f[f"l_{item}"]) if f else None,
                    _mean(f[f"d_{item}"]) if f else None,
                ))
        return ReportTable(
            "ons4_change", "ONS4 well-being: first to latest score",
            ("Role", "Item", "Better when", "People with both scores", "Mean first score",
             "Mean latest score", "Mean change"),
            tuple(rows),
            "Each item is reported on its own and never totalled. For anxiety, lower is "
            "better, so a fall (negative change) is an improvement.",
        )

    def care_homes(self, period: Period, filt: ReportFilter,
                          today: date | None = None) -> ReportTable:
        """Return contacts per care home in the period and whether each is overdue."""
        as_of = period.as_of(today or date.today())
        params = {"start": period.start.isoformat(), "end": period.end.isoformat(),
                  "as_of": as_of.isoformat()}
        worker = ""
        if filt.worker is not None:
            worker = " AND c.worker = :worker"
            params["worker"] = filt.worker
        latest = ("FROM care_home_contacts c WHERE c.care_home_id = h.id AND c.date <= :as_of"
                  " ORDER BY c.date DESC, c.created_at DESC LIMIT 1")
        found = self._db.rows(
            "SELECT h.name, (SELECT count(*) FROM care_home_contacts c WHERE"
            f" c.care_home_id = h.id AND c.date BETWEEN :start AND :end{worker}) AS n,"
            f" (SELECT c.date {latest}) AS latest, (SELECT c.next_due {latest}) AS next_due"
            " FROM care_homes h WHERE h.deleted_at IS NULL ORDER BY h.name",
            params,
        )
        rows = []
        for r in found:
            if r["latest"] is None:
                status = "No contact recorded"
            elif r["next_due"] is None:
                status = "No next contact date"
            elif r["next_due"] < as_of.isoformat():
                status = "Overdue"
            else:
                status = "Up to date"
            rows.append((r["name"], r["n"], to_date(r["latest"]), to_date(r["next_due"]),
                         status))
        return ReportTable(
            "care_homes", "Care-home contacts",
            ("Care home", "Contacts in period", "Latest contact", "Next contact due", "Status"),
            tuple(rows),
            f"Overdue means the latest contact's next-due date was before {as_of:%d %b %Y}.",
        )

    def sp_referral_code(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return people whose first social prescribing referral code falls in the period."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        rows = []
        if filt.role in (None, "splw"):
            worker = ""
            if filt.worker is not None:
                worker = " AND x.worker = :worker"
                params["worker"] = filt.worker
            # A link-worker episode is a person's first when no other of theirs had its
            # first contact earlier (ties broken by referral date, then when it was logged).
            found = self._db.rows(
                "SELECT x.worker, count(*) AS n FROM episodes x WHERE x.role = 'splw'"
                " AND x.first_contact_date BETWEEN :start AND :end"
                f" AND {_LIVE.format(col='x.person_id')}{worker}"
                " AND NOT EXISTS (SELECT 1 FROM episodes y WHERE y.role = 'splw'"
                " AND y.person_id = x.person_id AND y.first_contact_date IS NOT NULL"
                " AND (y.first_contact_date, y.referral_date, y.created_at, y.id)"
                " < (x.first_contact_date, x.referral_date, x.created_at, x.id))"
                " GROUP BY x.worker",
                params,
            )
            found.sort(key=lambda r: (r["worker"] == "", r["worker"].lower()))
            rows = [(_worker_name(r["worker"]), r["n"]) for r in found]
            rows.append((ALL_WORKERS, sum(r["n"] for r in found)))
        return ReportTable(
            "sp_referral_code",
            "People with a first 'Referral to social prescribing service' code",
            ("Worker", "People"), tuple(rows),
            f"SNOMED CT {catalogue.SP_REFERRAL_CODE}: people whose first ever link-worker "
            "first contact fell in the period.",
        )

    def workers(self, role: str | None = None) -> list[str]:
        """Return the workers named on episodes (of one role, or all), by name."""
        params: list = []
        where = ""
        if role:
            where = " WHERE role = ?"
            params.append(role)
        found = self._db.rows(f"SELECT DISTINCT worker FROM episodes{where}", params)
        return sorted((r["worker"] for r in found), key=lambda w: (w == "", w.lower()))

    # -- people-level extract ------------------------------------------------------------
    def people_extract(self, period: Period, filt: ReportFilter | None = None,
                       salt: str | None = None) -> ReportTable:
        """Return one row per episode open in the period, in the minimum dataset's four sets.

        People with any episode whose "share with GP" consent is off get a pseudonymous
        reference instead of their name, NHS number, address, postcode, phone and birth date.
        """
        filt = filt or ReportFilter()
        salt = salt or secrets.token_hex(16)
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "e.role", "e.worker", params)
        ons4_cols = ", ".join(f"o.ons4_{i} AS {i}" for i in _ONS4)
        ons4_first_last = ", ".join(
            f"first_value({i}) OVER up AS f_{i}, first_value({i}) OVER down AS l_{i}"
            for i in (*_ONS4, "swemwbs"))
        outcome_cols = ", ".join(f"ms.f_{i}, ms.l_{i}" for i in (*_ONS4, "swemwbs"))
        sql = f"""
            WITH eps AS (
                SELECT e.* FROM episodes e
                WHERE e.referral_date <= :end
                  AND (e.closure_date IS NULL OR e.closure_date >= :start)
                  AND {_LIVE.format(col='e.person_id')}{where}
            ),
            ses AS (
                SELECT s.episode_id, count(*) AS contacts, sum(s.minutes) AS minutes
                FROM eps JOIN sessions s ON s.person_id = eps.person_id
                     AND s.episode_id = eps.id AND s.date <= :end AND NOT s.{_MISSED}
                GROUP BY s.episode_id
            ),
            gls AS (
                SELECT g.episode_id, count(*) AS goals_set,
                       sum(g.achieved_date <= :end) AS goals_achieved
                FROM eps JOIN goals g ON g.person_id = eps.person_id AND g.episode_id = eps.id
                WHERE g.set_date <= :end
                GROUP BY g.episode_id
            ),
            refs AS (
                SELECT eps.id AS episode_id, count(*) AS referred,
                       sum(a.outcome = 'attended') AS attended
                FROM eps JOIN asset_referrals a ON a.person_id = eps.person_id
                     AND a.referred_on BETWEEN eps.referral_date
                     AND coalesce(eps.closure_date, :end) AND a.referred_on <= :end
                GROUP BY eps.id
            ),
            m AS (
                SELECT s.episode_id, o.date, o.created_at, o.id, {ons4_cols},
                       o.swemwbs_raw AS swemwbs
                FROM eps JOIN outcome_measures o ON o.person_id = eps.person_id
                     AND o.date <= :end
                JOIN sessions s ON s.id = o.session_id AND s.episode_id = eps.id
            ),
            ms AS (
                SELECT DISTINCT episode_id, {ons4_first_last}
                FROM m
                WINDOW up AS (PARTITION BY episode_id ORDER BY date, created_at, id
                              ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
                       down AS (PARTITION BY episode_id ORDER BY date DESC, created_at DESC,
                                id DESC
                                ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            )
            SELECT eps.id AS episode_id, eps.role, eps.worker, eps.referral_date,
                   eps.referral_source, eps.referral_reason, eps.status,
                   eps.first_contact_date, eps.closure_date, eps.closure_reason,
                   p.id AS person_id, p.name, p.nhs_number, p.address, p.postcode, p.phone,
                   p.date_of_birth, p.gender, p.ethnicity, p.gp_practice, p.care_home_id,
                   EXISTS (SELECT 1 FROM episodes x WHERE x.person_id = p.id
                           AND x.share_with_gp = 0) AS withheld,
                   (SELECT group_concat(n.need_id, ' ') FROM needs n
                    WHERE n.person_id = p.id AND n.removed_at IS NULL) AS needs,
                   ses.contacts, ses.minutes, gls.goals_set, gls.goals_achieved,
                   refs.referred, refs.attended, {outcome_cols}
            FROM eps JOIN people p ON p.id = eps.person_id
            LEFT JOIN ses ON ses.episode_id = eps.id
            LEFT JOIN gls ON gls.episode_id = eps.id
            LEFT JOIN refs ON refs.episode_id = eps.id
            LEFT JOIN ms ON ms.episode_id = eps.id
            ORDER BY eps.referral_date, p.search_name, eps.id
        """
        rows = []
        for r in self._db.rows(sql, params):
            withheld = bool(r["withheld"])
            referral = to_date(r["referral_date"])
            dob = to_date(r["date_of_birth"])
            first = to_date(r["first_contact_date"])
            age = None
            if dob is not None:
                age = referral.year - dob.year - (
                    (referral.month, referral.day) < (dob.month, dob.day))
            needs = sorted(
                (r["needs"] or "").split(),
                key=lambda n: catalogue.NEED_IDS.index(n) if n in catalogue.NEED_IDS else 99)
            outcomes = []
            for item in (*_ONS4, "swemwbs"):
                outcomes += [r.get(f"f_{item}"), r.get(f"l_{item}")]
            rows.append((
                r["episode_id"],
                pseudonym(r["person_id"], salt) if withheld else r["person_id"],
                "No" if withheld else "Yes",
                None if withheld else r["nhs_number"],
                None if withheld else r["name"],
                None if withheld else r["address"],
                None if withheld else r["postcode"],
                None if withheld else r["phone"],
                None if withheld else dob,
                age,
                catalogue.GENDERS.get(r["gender"], r["gender"]),
                r["ethnicity"],
                r["gp_practice"],
                "Yes" if r["care_home_id"] else "No",
                "; ".join(catalogue.NEEDS_BY_ID[n].label if n in catalogue.NEEDS_BY_ID else n
                          for n in needs),
                r["referral_reason"],
                catalogue.REFERRAL_SOURCES.get(r["referral_source"], r["referral_source"]),
                referral,
                _role_name(r["role"]),
                r["worker"],
                catalogue.EPISODE_STATUSES.get(r["status"], r["status"]),
                first,
                (first - referral).days if first else None,
                r["contacts"] or 0,
                r["minutes"] or 0,
                r["referred"] or 0,
                r["attended"] or 0,
                to_date(r["closure_date"]),
                catalogue.CLOSURE_REASONS.get(r["closure_reason"] or "", r["closure_reason"]),
                r["goals_set"] or 0,
                r["goals_achieved"] or 0,
                *outcomes,
            ))
        return ReportTable("people_extract", "People-level extract (minimum dataset)",
                           EXTRACT_COLUMNS, tuple(rows),
                           "People who have not agreed to share with their GP are shown by "
                           "a reference only.")


EXTRACT_DEMOGRAPHICS = (
    "Record ID", "Person reference", "Identifiable", "NHS number", "Name", "Address",
    "Postcode", "Phone", "Date of birth", "Age at referral", "Gender", "Ethnicity",
    "GP practice", "Lives in a care home",
)
EXTRACT_NEEDS = ("Needs and concerns", "Referral reason", "Referral source", "Referral date")
EXTRACT_SUPPORT = (
    "Role", "Worker", "Episode status", "First contact date", "Days referral to first contact",
    "Contacts", "Contact minutes", "Community referrals", "Community referrals attended",
    "Closure date", "Closure reason",
)
EXTRACT_OUTCOMES = (
    "Goals set", "Goals achieved",
    "ONS4 life satisfaction first", "ONS4 life satisfaction latest",
    "ONS4 worthwhile first", "ONS4 worthwhile latest",
    "ONS4 happiness first", "ONS4 happiness latest",
    "ONS4 anxiety first (lower is better)", "ONS4 anxiety latest (lower is better)",
    "SWEMWBS first", "SWEMWBS latest",
)
EXTRACT_SETS = (
    ("Demographics", EXTRACT_DEMOGRAPHICS),
    ("Needs and concerns", EXTRACT_NEEDS),
    ("Support offered", EXTRACT_SUPPORT),
    ("Outcomes", EXTRACT_OUTCOMES),
)
EXTRACT_COLUMNS = tuple(
    f"{set_name}: {col}" for set_name, cols in EXTRACT_SETS for col in cols)
