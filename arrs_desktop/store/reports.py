"""Report figures for a period, per role and worker, and the rows of the people extract.

These are data, not tables: each figure has a plain name (`people`, `referrals`, ...) and is
given per level, a `Level` being (role, worker) for one worker of a role, (role, None) for a
role's total, (None, None) for everyone. The titles, column names and labels people read
are added by arrs_desktop/reports/ (`report_set`), which also orders the rows.

Every figure is one aggregate query (or a few), so a report over a large caseload reads
only the rows of its period through covering indexes and hands Python a few rows per
worker, never a row per person. The exact definition of each figure is in docs/reports.md;
keep the two in step. tests/reports_reference.py works the same figures out the plain way
(every raw row read, added up in Python); the tests hold the two to the same results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.periods import Period, ReportFilter, median_of_counts
from arrs_desktop.store.rows import Db, Row, to_date

Level = tuple[str | None, str | None]
Figures = dict[str, Any]

_LIVE = "{col} NOT IN (SELECT id FROM people WHERE deleted_at IS NOT NULL)"
_ONS4 = tuple(catalogue.ONS4_ITEMS)
# A session recording a missed contact: counted apart, never as a contact.
_MISSED = f"kind = '{catalogue.DID_NOT_ATTEND}'"
#: The closures key of a declined referral (the others are closure reason codes).
DECLINED = "~declined"

CASELOAD_COUNTS = ("referrals", "first_contacts", "closed", "declined")
CONTACT_COUNTS = ("contacts", "minutes", "did_not_attend")


@dataclass(frozen=True)
class HomeContacts:
    """One care home's contacts in a period, and where it stood at the period's end."""

    name: str
    contacts: int
    latest: date | None  # the latest contact up to the period's end (or today, if sooner)
    next_due: date | None  # the next contact that latest one set


@dataclass(frozen=True)
class ExtractRecord:
    """One episode open in a period, with its person and what was done (raw values)."""

    episode_id: str
    person_id: str
    withheld: bool  # some episode of the person's is not to be shared with the GP
    nhs_number: str | None
    name: str
    address: str
    postcode: str
    phone: str
    date_of_birth: date | None
    gender: str
    ethnicity: str
    gp_practice: str
    care_home_id: str | None
    needs: tuple[str, ...]  # need ids held now
    referral_reason: str
    referral_source: str
    referral_date: date
    role: str
    worker: str
    status: str
    first_contact_date: date | None
    contacts: int
    minutes: int
    referred: int
    attended: int
    closure_date: date | None
    closure_reason: str | None
    goals_set: int
    goals_achieved: int
    outcomes: tuple[int | None, ...]  # first and latest of each ONS4 item, then SWEMWBS


def _params(period: Period) -> dict[str, Any]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _where(filt: ReportFilter, role_col: str, worker_col: str, params: dict[str, Any]) -> str:
    clauses = []
    if filt.role:
        clauses.append(f"{role_col} = :role")
        params["role"] = filt.role
    if filt.worker is not None:
        clauses.append(f"{worker_col} = :worker")
        params["worker"] = filt.worker
    return "".join(f" AND {c}" for c in clauses)


def _by_level(rows: Iterable[Row]) -> dict[Level, Figures]:
    """Key per-worker rows (g_role, g_worker and figures) by (role, worker).

    Rows whose figures are all zero (or blank) are left out, as if never found.
    """
    out: dict[Level, Figures] = {}
    for row in rows:
        key = (row.pop("g_role"), row.pop("g_worker"))
        if any(row.values()):
            out[key] = row
    return out


def _add_totals(found: dict[Level, Figures], people: dict[str | None, int],
                names: tuple[str, ...]) -> None:
    """Add each role's and everyone's totals to per-worker figures, in place.

    The figures add up; people are counted afresh (`people`, from _people_per_role),
    as one person may be with two workers or roles. All-zero totals are left out.
    """
    workers = list(found.items())
    for key, count in people.items():
        totals: Figures = {name: sum(f[name] or 0 for (role, _), f in workers
                                     if key in (None, role)) for name in names}
        totals["people"] = count
        if any(totals.values()):
            found[(key, None)] = totals


class ReportsQuery:
    """Report figures and the extract's rows (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def _people_per_role(self, rows_sql: str, counts: str,
                         params: dict[str, Any]) -> dict[str | None, int]:
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
        keys: tuple[str | None, ...] = (*catalogue.ROLE_CODES, None)
        return dict(zip(keys, row, strict=True))

    # -- the figures ---------------------------------------------------------------------
    def caseload(self, period: Period, filt: ReportFilter) -> dict[Level, Figures]:
        """Return per level: people (active caseload), referrals, first_contacts, closed,
        declined, and median_days (referral to first contact; None with no first contact)."""
        params = _params(period)
        where = _where(filt, "role", "worker", params)
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
        found = _by_level(self._db.rows(
            f"SELECT role AS g_role, worker AS g_worker,"
            f" count(DISTINCT CASE WHEN {active} THEN person_id END) AS people,"
            " sum(referral_date >= :start) AS referrals,"
            " sum(first_contact_date BETWEEN :start AND :end) AS first_contacts,"
            " sum(status = 'closed' AND closure_date BETWEEN :start AND :end) AS closed,"
            " sum(status = 'declined' AND closure_date BETWEEN :start AND :end) AS declined"
            f" FROM ({open_eps}) GROUP BY role, worker",
            params,
        ))
        _add_totals(found, self._people_per_role(open_eps, active, params), CASELOAD_COUNTS)
        # Days from referral to first contact, as counts per number of days (a histogram).
        waits: dict[Level, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for role, worker, days, n in self._db.conn.execute(
            "SELECT role, worker, CAST(julianday(first_contact_date) - julianday(referral_date)"
            " AS INTEGER) AS days, count(*) AS n FROM episodes"
            f" WHERE first_contact_date BETWEEN :start AND :end AND {live}{where}"
            " GROUP BY role, worker, days",
            params,
        ):
            for key in ((role, worker), (role, None), (None, None)):
                waits[key][days] += n
        # Every episode with a first contact in the period is open in it, so the levels
        # with waits are among those found.
        return {key: {**{k: v or 0 for k, v in f.items()},
                      "median_days": median_of_counts(waits.get(key, {}))}
                for key, f in found.items()}

    def contacts(self, period: Period, filt: ReportFilter) -> dict[Level, Figures]:
        """Return per level: people (seen), contacts, minutes, did_not_attend.

        Missed contacts (did not attend / no answer) are not contacts: they are counted
        apart, and neither their minutes nor their people count as seen.
        """
        return self._contacts(period, filt, by_worker=True)[0]

    def contacts_with_months(self, period: Period, filt: ReportFilter
                             ) -> tuple[dict[Level, Figures],
                                        dict[tuple[str, str], tuple[int, int]]]:
        """Return `contacts` and `contacts_by_month` together, from one read."""
        return self._contacts(period, filt, by_worker=True)

    def contacts_by_month(self, period: Period,
                          filt: ReportFilter) -> dict[tuple[str, str], tuple[int, int]]:
        """Return {(month as YYYY-MM, role): (contacts, minutes)}, those with contacts only."""
        return self._contacts(period, filt, by_worker=False)[1]

    def _contacts(self, period: Period, filt: ReportFilter, by_worker: bool
                  ) -> tuple[dict[Level, Figures], dict[tuple[str, str], tuple[int, int]]]:
        """Return the per-level contacts (if asked for) and contacts per month, in one read."""
        params = _params(period)
        where = _where(filt, "role", "worker", params)
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
        months: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        workers: list[Row] = []
        for row in self._db.rows(sql, params):
            day = row.pop("day")
            if day is None:
                workers.append(row)
            else:
                acc = months[(day[:7], row["g_role"])]
                acc[0] += row["contacts"]
                acc[1] += row["minutes"] or 0
        by_month = {k: (v[0], v[1]) for k, v in months.items() if v[0] or v[1]}
        if not by_worker:
            return {}, by_month
        found = _by_level(workers)
        _add_totals(found, self._people_per_role(sessions, "NOT missed", params),
                    CONTACT_COUNTS)
        out = {key: {"people": f.get("people") or 0,
                     **{name: f.get(name) or 0 for name in CONTACT_COUNTS}}
               for key, f in found.items()}
        return out, by_month

    def goals(self, period: Period, filt: ReportFilter) -> dict[Level, Figures]:
        """Return per level: goals_set and achieved, by owning role and episode worker."""
        params = _params(period)
        worker_col = "coalesce(e.worker, '')"
        where = _where(filt, "g.owner_role", worker_col, params)
        found: dict[Level, Figures] = {}
        # Goal counts add up, so each role's and everyone's totals are sums of the workers'.
        for role, worker, goals_set, achieved in self._db.conn.execute(
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
            for key in ((role, worker), (role, None), (None, None)):
                acc = found.setdefault(key, {"goals_set": 0, "achieved": 0})
                acc["goals_set"] += goals_set or 0
                acc["achieved"] += achieved or 0
        return {k: v for k, v in found.items() if any(v.values())}

    def referrals(self, period: Period, filt: ReportFilter
                  ) -> dict[str, dict[tuple[str | None, str | None], int]]:
        """Return new referrals counted by source and by reason, per role and in all.

        {"source": {(role, source code): n}, "reason": {(role, reason or None): n}}; the
        all-roles counts (role None) are there without a role filter. A blank reason is None.
        """
        params = _params(period)
        where = _where(filt, "role", "worker", params)
        reason = "nullif(trim(referral_reason), '')"
        counts: dict[str, dict[tuple[str | None, str | None], int]] = {
            "source": defaultdict(int), "reason": defaultdict(int)}
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
        return {by: dict(found) for by, found in counts.items()}

    def closures(self, period: Period, filt: ReportFilter) -> dict[tuple[str | None, str], int]:
        """Return {(role or None for all, reason code or DECLINED): episodes} in the period."""
        params = _params(period)
        where = _where(filt, "role", "worker", params)
        reason = (f"CASE WHEN status = 'declined' THEN '{DECLINED}'"
                  " ELSE coalesce(closure_reason, 'other') END")
        counts: dict[tuple[str | None, str], int] = defaultdict(int)
        for role, k, n in self._db.conn.execute(
            f"SELECT role, {reason} AS k, count(*) FROM episodes"
            " WHERE status IN ('closed', 'declined') AND closure_date BETWEEN :start AND :end"
            f" AND {_LIVE.format(col='person_id')}{where} GROUP BY role, k",
            params,
        ):
            counts[(role, k)] += n
            if not filt.role:
                counts[(None, k)] += n
        return dict(counts)

    def ons4_change(self, period: Period, filt: ReportFilter) -> dict[str, Figures]:
        """Return per role (and "all" without a role filter): people with both scores and,
        for each ONS4 item, the mean first (f_item), latest (l_item) and change (d_item)."""
        params = _params(period)
        where = _where(filt, "role", "worker", params)
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
        return {r.pop("grp"): r for r in self._db.rows(sql, params)}

    def care_homes(self, period: Period, filt: ReportFilter,
                   today: date | None = None) -> list[HomeContacts]:
        """Return every care home (by name) with its contacts in the period and, as of the
        period's end (or today, if sooner), its latest contact and the next one due."""
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
        return [HomeContacts(r["name"], r["n"], to_date(r["latest"]), to_date(r["next_due"]))
                for r in found]

    def sp_referral_code(self, period: Period, filt: ReportFilter) -> dict[str, int] | None:
        """Return {worker: people} whose first ever link-worker first contact fell in the
        period (None when the filter's role is not the link worker's)."""
        if filt.role not in (None, "splw"):
            return None
        params = _params(period)
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
        return {r["worker"]: r["n"] for r in found}

    def workers(self, role: str | None = None) -> list[str]:
        """Return the workers named on episodes (of one role, or all), by name."""
        params: list[str] = []
        where = ""
        if role:
            where = " WHERE role = ?"
            params.append(role)
        found = self._db.rows(f"SELECT DISTINCT worker FROM episodes{where}", params)
        return sorted((r["worker"] for r in found), key=lambda w: (w == "", w.lower()))

    def people_with_episodes(self, start: date, end: date) -> list[str]:
        """Return the people (not deleted) with an episode open at some time in a period."""
        return [r["person_id"] for r in self._db.rows(
            "SELECT DISTINCT e.person_id FROM episodes e JOIN people p ON p.id = e.person_id"
            " AND p.deleted_at IS NULL WHERE e.referral_date <= ?"
            " AND (e.closure_date IS NULL OR e.closure_date >= ?) ORDER BY e.person_id",
            [end.isoformat(), start.isoformat()])]

    # -- people-level extract ------------------------------------------------------------
    def extract(self, period: Period, filt: ReportFilter) -> list[ExtractRecord]:
        """Return one record per episode open in the period, with its person, in the order
        of the minimum dataset extract (referral date, then name)."""
        params = _params(period)
        where = _where(filt, "e.role", "e.worker", params)
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
        out = []
        for r in self._db.rows(sql, params):
            outcomes: list[int | None] = []
            for item in (*_ONS4, "swemwbs"):
                outcomes += [r.get(f"f_{item}"), r.get(f"l_{item}")]
            referral = to_date(r["referral_date"])
            assert referral is not None
            out.append(ExtractRecord(
                episode_id=r["episode_id"], person_id=r["person_id"],
                withheld=bool(r["withheld"]), nhs_number=r["nhs_number"], name=r["name"],
                address=r["address"], postcode=r["postcode"], phone=r["phone"],
                date_of_birth=to_date(r["date_of_birth"]), gender=r["gender"],
                ethnicity=r["ethnicity"], gp_practice=r["gp_practice"],
                care_home_id=r["care_home_id"], needs=tuple((r["needs"] or "").split()),
                referral_reason=r["referral_reason"], referral_source=r["referral_source"],
                referral_date=referral, role=r["role"], worker=r["worker"],
                status=r["status"], first_contact_date=to_date(r["first_contact_date"]),
                contacts=r["contacts"] or 0, minutes=r["minutes"] or 0,
                referred=r["referred"] or 0, attended=r["attended"] or 0,
                closure_date=to_date(r["closure_date"]), closure_reason=r["closure_reason"],
                goals_set=r["goals_set"] or 0, goals_achieved=r["goals_achieved"] or 0,
                outcomes=tuple(outcomes)))
        return out
