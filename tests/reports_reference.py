"""The period reports as first written, kept as the reference the faster queries must match.

Each figure is read with plain per-person queries and added up in Python, the way the
definitions in docs/reports.md read. Only tests use this.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter, median_days
from arrs_desktop.reports.tables import ALL_ROLES, ALL_WORKERS, ReportSet, ReportTable
from arrs_desktop.store.reports import (
    _LIVE,
    _ONS4,
    DECLINED_REASON,
    DNA_LABEL,
    ONS4_REPORT_LABELS,
    UNDATED,
    _mean,
    _per_person,
    _role_name,
    _worker_name,
)
from arrs_desktop.store.rows import to_date


class ReferenceReports:
    """The report figures as first written: plain queries, rolled up in Python."""

    def __init__(self, store) -> None:
        self.db = store.db

    def _rows(self, sql: str, params=None) -> list[dict]:
        return list(self.db.query(sql, params or []))


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

    def _levels(self, select: str, body: str, params: dict, role_col: str,
                worker_col: str) -> dict[tuple, dict]:
        """Run one aggregate at three levels: role and worker, role, everyone."""
        out: dict[tuple, dict] = {}
        levels = (
            (role_col, worker_col, f"GROUP BY {role_col}, {worker_col}"),
            (role_col, "NULL", f"GROUP BY {role_col}"),
            ("NULL", "NULL", ""),
        )
        for role_key, worker_key, group in levels:
            sql = (f"SELECT {role_key} AS g_role, {worker_key} AS g_worker, {select}"
                   f" {body} {group}")
            for row in self._rows(sql, params):
                key = (row.pop("g_role"), row.pop("g_worker"))
                if any(row.values()):
                    out[key] = row
        return out

    def _rollup(self, sql: str, params: dict, sums: tuple[str, ...],
                flag: str) -> dict[tuple, dict]:
        """Add up per-person rows (role, worker, person_id, ...) to three levels.

        Each level also counts the distinct people whose `flag` column is non-zero.
        """
        totals: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(sums, 0))
        people: dict[tuple, set] = defaultdict(set)
        for row in self.db.query(sql, params):
            for key in ((row["role"], row["worker"]), (row["role"], None), (None, None)):
                acc = totals[key]
                for name in sums:
                    acc[name] += row[name] or 0
                if row[flag]:
                    people[key].add(row["person_id"])
        for key, acc in totals.items():
            acc["people"] = len(people.get(key, ()))
        return {k: v for k, v in totals.items() if any(v.values())}

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

    # -- the report set ------------------------------------------------------------------
    def report_set(self, period: Period, filt: ReportFilter | None = None,
                   today: date | None = None) -> ReportSet:
        """Return every report table for a period and a role/worker filter."""
        filt = filt or ReportFilter()
        today = today or date.today()
        caseload = self.report_caseload(period, filt)
        contacts = self.report_contacts(period, filt)
        goals = self.report_goals(period, filt)
        homes = self.report_care_homes(period, filt, today)
        sp_code = self.report_sp_referral_code(period, filt)
        tables = (
            self._summary(caseload, contacts, goals, homes, sp_code),
            caseload,
            contacts,
            goals,
            self.report_referrals_by(period, filt, "source"),
            self.report_referrals_by(period, filt, "reason"),
            self.report_closures(period, filt),
            self.report_ons4_change(period, filt),
            homes,
            sp_code,
            self.report_contacts_by_month(period, filt),
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

    def report_caseload(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return caseload, referrals, first contacts, waiting times and closures per worker."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "role", "worker", params)
        live = _LIVE.format(col="person_id")
        figures = self._rollup(
            "SELECT role, worker, person_id,"
            " max(status != 'declined') AS active,"
            " sum(referral_date >= :start) AS referrals,"
            " sum(first_contact_date BETWEEN :start AND :end) AS first_contacts,"
            " sum(status = 'closed' AND closure_date BETWEEN :start AND :end) AS closed,"
            " sum(status = 'declined' AND closure_date BETWEEN :start AND :end) AS declined"
            " FROM episodes WHERE +referral_date <= :end"
            " AND (closure_date IS NULL OR closure_date >= :start)"
            f" AND {live}{where} GROUP BY role, worker, person_id",
            params, ("referrals", "first_contacts", "closed", "declined"), "active")
        waits: dict[tuple, list[int]] = defaultdict(list)
        for row in self._rows(
            "SELECT role, worker, CAST(julianday(first_contact_date) - julianday(referral_date)"
            " AS INTEGER) AS days FROM episodes WHERE first_contact_date BETWEEN :start AND :end"
            f" AND {live}{where}",
            params,
        ):
            for key in ((row["role"], row["worker"]), (row["role"], None), (None, None)):
                waits[key].append(row["days"])
        rows = []
        for key in self._ordered_keys(figures.keys(), filt):
            f = figures.get(key, {})
            rows.append((
                _role_name(key[0]), _worker_name(key[1]), f.get("people") or 0,
                f.get("referrals") or 0, f.get("first_contacts") or 0,
                median_days(waits.get(key, [])), f.get("closed") or 0, f.get("declined") or 0,
            ))
        return ReportTable(
            "caseload", "Caseload, referrals and closures",
            ("Role", "Worker", "Active caseload", "New referrals", "First contacts",
             "Median days to first contact", "Closed", "Declined"),
            tuple(rows),
            "Active caseload counts people with an episode open on any day of the period.",
        )

    def report_contacts(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return contacts, minutes and people seen per role and worker."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "role", "worker", params)
        # A missed contact (did not attend / no answer) is counted apart, never as a contact.
        dna = f"kind = '{catalogue.DID_NOT_ATTEND}'"
        figures = self._rollup(
            f"SELECT role, worker, person_id, sum(NOT ({dna})) AS contacts,"
            f" sum(CASE WHEN NOT ({dna}) THEN minutes END) AS minutes,"
            f" sum({dna}) AS did_not_attend"
            " FROM sessions WHERE date BETWEEN :start AND :end"
            f" AND {_LIVE.format(col='person_id')}{where} GROUP BY role, worker, person_id",
            params, ("contacts", "minutes", "did_not_attend"), "contacts")
        rows = []
        for key in self._ordered_keys(figures.keys(), filt):
            f = figures.get(key, {"contacts": 0, "minutes": 0, "people": 0,
                                  "did_not_attend": 0})
            rows.append((_role_name(key[0]), _worker_name(key[1]), f["people"], f["contacts"],
                         f["minutes"], _per_person(f["contacts"], f["people"]),
                         f["did_not_attend"]))
        return ReportTable(
            "contacts", "Contacts and people seen",
            ("Role", "Worker", "People seen", "Contacts", "Minutes", "Contacts per person",
             DNA_LABEL),
            tuple(rows),
            f"Sessions logged as '{DNA_LABEL}' are not contacts: they are counted apart.",
        )

    def report_goals(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return goals set and achieved per owning role and episode worker."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        worker_col = "coalesce(e.worker, '')"
        where = self._where(filt, "g.owner_role", worker_col, params)
        select = ("sum(g.set_date BETWEEN :start AND :end) AS goals_set,"
                  " sum(g.achieved_date BETWEEN :start AND :end) AS achieved")
        body = (
            "FROM goals g LEFT JOIN episodes e ON e.id = g.episode_id"
            " WHERE (g.set_date BETWEEN :start AND :end"
            " OR g.achieved_date BETWEEN :start AND :end)"
            f" AND {_LIVE.format(col='g.person_id')}{where}"
        )
        figures = self._levels(select, body, params, "g.owner_role", worker_col)
        rows = []
        for key in self._ordered_keys(figures.keys(), filt):
            f = figures.get(key, {})
            rows.append((_role_name(key[0]), _worker_name(key[1]), f.get("goals_set") or 0,
                         f.get("achieved") or 0))
        return ReportTable(
            "goals", "Goals set and achieved",
            ("Role", "Worker", "Goals set", "Goals achieved"), tuple(rows),
            "A goal counts as set on the day it was agreed (its set date); its worker is its"
            " episode's worker.",
        )

    def report_referrals_by(self, period: Period, filt: ReportFilter,
                            by: str) -> ReportTable:
        """Return new referrals per role by source or by reason."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "role", "worker", params)
        col = ("referral_source" if by == "source"
               else f"coalesce(nullif(trim(referral_reason), ''), '{UNDATED}')")
        body = (f"FROM episodes WHERE referral_date BETWEEN :start AND :end"
                f" AND {_LIVE.format(col='person_id')}{where}")
        rows = []
        for role_sql, group in (("role", "GROUP BY role, k"), ("NULL", "GROUP BY k")):
            if role_sql == "NULL" and filt.role:
                continue
            found = self._rows(
                f"SELECT {role_sql} AS role, {col} AS k, count(*) AS n {body} {group}", params)
            found.sort(key=lambda r: (
                catalogue.ROLE_CODES.index(r["role"]) if r["role"] else 9, -r["n"], r["k"]))
            for r in found:
                label = catalogue.REFERRAL_SOURCES.get(r["k"], r["k"]) if by == "source" \
                    else r["k"]
                rows.append((_role_name(r["role"]), label, r["n"]))
        if by == "source":
            return ReportTable("referrals_by_source", "New referrals by source",
                               ("Role", "Source", "Referrals"), tuple(rows))
        return ReportTable("referrals_by_reason", "New referrals by reason",
                           ("Role", "Reason", "Referrals"), tuple(rows))

    def report_closures(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return episodes closed (and referrals declined) in the period, by reason."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "role", "worker", params)
        reason = ("CASE WHEN status = 'declined' THEN '~declined'"
                  " ELSE coalesce(closure_reason, 'other') END")
        body = ("FROM episodes WHERE status IN ('closed', 'declined')"
                " AND closure_date BETWEEN :start AND :end"
                f" AND {_LIVE.format(col='person_id')}{where}")
        order = [*catalogue.CLOSURE_REASONS, "~declined"]
        rows = []
        for role_sql, group in (("role", "GROUP BY role, k"), ("NULL", "GROUP BY k")):
            if role_sql == "NULL" and filt.role:
                continue
            found = self._rows(
                f"SELECT {role_sql} AS role, {reason} AS k, count(*) AS n {body} {group}",
                params)
            found.sort(key=lambda r: (
                catalogue.ROLE_CODES.index(r["role"]) if r["role"] else 9,
                order.index(r["k"]) if r["k"] in order else 99))
            for r in found:
                label = DECLINED_REASON if r["k"] == "~declined" else \
                    catalogue.CLOSURE_REASONS.get(r["k"], r["k"])
                rows.append((_role_name(r["role"]), label, r["n"]))
        return ReportTable("closures_by_reason", "Closures by reason",
                           ("Role", "Reason", "Episodes"), tuple(rows))

    def report_ons4_change(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return the mean change in each ONS4 item from first to latest score, per role."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "s.role", "s.worker", params)
        cols = ", ".join(f"o.ons4_{i} AS {i}" for i in _ONS4)
        # Each person's first and latest score per group come from min()/max() of a sort key
        # (date, created_at, id; char(1) sorts before any of their characters): SQLite
        # takes the other columns from that row. Two groupings, no window functions.
        firsts = ", ".join(f"{i} AS f_{i}" for i in _ONS4)
        latest = ", ".join(_ONS4)
        means = ", ".join(
            f"avg(f.f_{i}) AS f_{i}, avg(l.{i}) AS l_{i}, avg(l.{i} - f.f_{i}) AS d_{i}"
            for i in _ONS4)
        rows = []
        for grp in ("s.role", "'all'"):
            if grp == "'all'" and filt.role:
                continue
            sql = f"""
                WITH m AS MATERIALIZED (
                    SELECT o.person_id, o.date, {grp} AS grp, {cols},
                        o.date || char(1) || o.created_at || char(1) || o.id AS k
                    FROM outcome_measures o LEFT JOIN sessions s ON s.id = o.session_id
                    WHERE o.ons4_life_satisfaction IS NOT NULL AND o.date <= :end
                      AND o.person_id IN (SELECT person_id FROM outcome_measures
                                          WHERE date BETWEEN :start AND :end)
                      AND {_LIVE.format(col='o.person_id')}{where}
                ), firsts AS (
                    SELECT person_id, grp, min(k) AS k, count(*) AS n_scores, {firsts}
                    FROM m GROUP BY person_id, grp
                ), lasts AS (
                    SELECT person_id, grp, max(k) AS k, date, {latest}
                    FROM m GROUP BY person_id, grp
                )
                SELECT f.grp AS grp, count(*) AS people, {means}
                FROM firsts f JOIN lasts l ON l.person_id = f.person_id AND l.grp IS f.grp
                WHERE f.n_scores >= 2 AND l.date >= :start AND f.grp IS NOT NULL
                GROUP BY f.grp
            """
            found = {r["grp"]: r for r in self._rows(sql, params)}
            keys = [r for r in catalogue.ROLE_CODES if filt.role in (None, r)] \
                if grp == "s.role" else ["all"]
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

    def report_care_homes(self, period: Period, filt: ReportFilter,
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
        found = self._rows(
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

    def report_sp_referral_code(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return people whose first social prescribing referral code falls in the period."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        rows = []
        if filt.role in (None, "splw"):
            worker = ""
            if filt.worker is not None:
                worker = " AND worker = :worker"
                params["worker"] = filt.worker
            found = self._rows(
                "WITH firsts AS (SELECT person_id, worker, first_contact_date, row_number()"
                " OVER (PARTITION BY person_id ORDER BY first_contact_date, referral_date,"
                " created_at, id) AS rn FROM episodes WHERE role = 'splw'"
                " AND first_contact_date <= :end"
                f" AND {_LIVE.format(col='person_id')})"
                " SELECT worker, count(*) AS n FROM firsts WHERE rn = 1"
                f" AND first_contact_date >= :start{worker} GROUP BY worker",
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

    def report_contacts_by_month(self, period: Period, filt: ReportFilter) -> ReportTable:
        """Return contacts and minutes per calendar month and role."""
        params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        where = self._where(filt, "role", "worker", params)
        found = self._rows(
            "SELECT substr(date, 1, 7) AS month, role, count(*) AS n,"
            " coalesce(sum(minutes), 0) AS minutes FROM sessions"
            " WHERE date BETWEEN :start AND :end"
            f" AND kind != '{catalogue.DID_NOT_ATTEND}'"
            f" AND {_LIVE.format(col='person_id')}{where} GROUP BY month, role",
            params,
        )
        by_key = {(r["month"], r["role"]): r for r in found}
        rows = []
        for month in period.months():
            for role in catalogue.ROLE_CODES:
                if filt.role not in (None, role):
                    continue
                r = by_key.get((month.isoformat()[:7], role))
                rows.append((month, _role_name(role), r["n"] if r else 0,
                             r["minutes"] if r else 0))
        return ReportTable("contacts_by_month", "Contacts per month",
                           ("Month", "Role", "Contacts", "Minutes"), tuple(rows))
