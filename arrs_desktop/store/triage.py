"""Triage: people with needs recorded but no open episode, ranked by role-match strength.

Triage is proactive case-finding: people with needs whom no role is supporting. Left out
always: anyone with an episode closed because they died, and anyone whose latest episode
closed because they moved away. People whose latest episode was closed or declined less
than `RECENTLY_SEEN_DAYS` days ago are in the ranking but marked `recent`: the Triage view
hides them unless "Include people seen before" is ticked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from arrs_desktop.domain.catalogue import NEEDS_BY_ID, OPEN_STATUSES, ROLE_CODES
from arrs_desktop.domain.matching import Rules, match_roles
from arrs_desktop.store.rows import Db, to_date

# Someone whose latest episode was closed or declined this many days ago or fewer was seen
# recently: Triage leaves them out unless asked to include people seen before.
RECENTLY_SEEN_DAYS = 90
# Closure reasons that take a person out of triage for good (died: any episode; moved
# away: the latest one).
GONE_REASONS = ("died", "moved_away")


@dataclass(frozen=True)
class TriageRow:
    """One person waiting for allocation, with what the role match suggests."""

    id: str
    name: str
    nhs_number: str | None
    date_of_birth: object
    needs: tuple[str, ...]
    lead_role: str
    lead_score: float
    supporting: tuple[str, ...]
    care_home_id: str | None = None
    last_status: str | None = None  # the latest episode's status: closed or declined
    last_date: date | None = None  # when it was closed or declined
    last_reason: str | None = None  # why it was closed (a CLOSURE_REASONS code)


class TriageRank(NamedTuple):
    """One person's place in the triage ranking: who, the suggested lead and its score.

    A plain tuple: a ranking holds tens of thousands, and tuples of text and numbers are
    left alone by Python's garbage collector, which otherwise pauses every thread.
    """

    id: str
    lead_role: str
    lead_score: float
    n_needs: int
    last_status: str | None = None  # the latest episode's status (closed or declined)
    last_date: str | None = None  # its closure date, ISO text
    last_reason: str | None = None  # its closure reason code
    recent: bool = False  # closed or declined within RECENTLY_SEEN_DAYS


def _cutoff(today: date | None) -> str:
    """Return the first day whose closures and declines count as seen recently (ISO)."""
    return ((today or date.today()) - timedelta(days=RECENTLY_SEEN_DAYS)).isoformat()


def _scores_sql(rules: Rules, today: date | None = None) -> tuple[str, list]:
    """Return a query ranking every candidate by lead score, with its parameters.

    The rules' weights go in as a VALUES table, so the scores (and the lead, ties broken
    in the fixed role order) are worked out by SQLite over the whole log before paging.
    Each candidate's latest episode (all of theirs are closed or declined) gives
    `last_status`, `last_date`, `last_reason` and `recent`.
    """
    weights: list = []
    for need_id, evidence in rules.evidence.items():
        for ev in evidence:
            if ev.weight > 0:
                weights += [need_id, ev.role, float(ev.weight)]
    values = ", ".join("(?, ?, ?)" for _ in range(len(weights) // 3)) or "(NULL, NULL, 0.0)"
    a, b, c = ROLE_CODES
    opened = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
    sql = f"""
        WITH w(need_id, role, weight) AS (VALUES {values}),
        cand AS (
            SELECT p.id, p.name, p.search_name, p.nhs_number, p.date_of_birth, p.care_home_id,
                   count(DISTINCT n.need_id) AS n_needs,
                   round(coalesce(sum(CASE WHEN w.role = '{a}' THEN w.weight END), 0), 2) AS s1,
                   round(coalesce(sum(CASE WHEN w.role = '{b}' THEN w.weight END), 0), 2) AS s2,
                   round(coalesce(sum(CASE WHEN w.role = '{c}' THEN w.weight END), 0), 2) AS s3
            FROM people p
            JOIN needs n ON n.person_id = p.id AND n.removed_at IS NULL
            LEFT JOIN w ON w.need_id = n.need_id
            WHERE p.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM episodes e
                              WHERE e.person_id = p.id
                                AND (e.status IN ({opened}) OR e.closure_reason = 'died'))
            GROUP BY p.id
        ),
        seen AS (
            SELECT cand.*, le.status AS last_status,
                   coalesce(le.closure_date, le.referral_date) AS last_date,
                   le.closure_reason AS last_reason
            FROM cand
            LEFT JOIN episodes le ON le.id = (
                SELECT e.id FROM episodes e WHERE e.person_id = cand.id
                ORDER BY coalesce(e.closure_date, e.referral_date) DESC, e.referral_date DESC,
                         e.created_at DESC
                LIMIT 1)
        ),
        ranked AS (
            SELECT *,
                   CASE WHEN s1 >= s2 AND s1 >= s3 THEN '{a}'
                        WHEN s2 >= s3 THEN '{b}' ELSE '{c}' END AS lead_role,
                   max(s1, s2, s3) AS lead_score,
                   coalesce(last_date >= ?, 0) AS recent
            FROM seen
            WHERE last_reason IS NOT 'moved_away'
        )
    """
    return sql, [*weights, _cutoff(today)]


def _where(role: str | None, include_recent: bool) -> tuple[str, list]:
    clauses, params = [], []
    if role:
        clauses.append("lead_role = ?")
        params.append(role)
    if not include_recent:
        clauses.append("NOT recent")
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


_RANK_COLUMNS = "id, lead_role, lead_score, n_needs, last_status, last_date, last_reason, recent"


def _rank(row) -> TriageRank:
    i, role, score, n, status, day, reason, recent = row
    return TriageRank(i, role, float(score), n, status, day, reason, bool(recent))


class TriageQuery:
    """The triage list of people to allocate (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def count(self, rules: Rules, role: str | None = None, *,
                                        include_recent: bool = False,
                                        today: date | None = None) -> int:
        """Return how many people triage lists (optionally only one suggested lead role).

        People seen recently (see `RECENTLY_SEEN_DAYS`) count only with `include_recent`.
        """
        sql, params = _scores_sql(rules, today)
        where, more = _where(role, include_recent)
        return self._db.scalar(f"{sql} SELECT count(*) FROM ranked {where}", [*params, *more])

    def page(self, offset: int = 0, limit: int = 200, *, rules: Rules,
                                  role: str | None = None, include_recent: bool = False,
                                  today: date | None = None) -> list[TriageRow]:
        """Return a page of the people triage lists, strongest match first.

        Order: the lead role's score, then the number of needs (both highest first), then
        name. `role` keeps only people whose suggested lead is that role; people seen
        recently are left out unless `include_recent`.
        """
        sql, params = _scores_sql(rules, today)
        where, more = _where(role, include_recent)
        cursor = self._db.conn.execute(
            f"{sql} SELECT {_RANK_COLUMNS} FROM ranked {where}"
            " ORDER BY lead_score DESC, n_needs DESC, search_name, id LIMIT ? OFFSET ?",
            [*params, *more, int(limit), int(offset)],
        )
        return self.rows([_rank(r) for r in cursor], rules=rules)

    def ranking(self, rules: Rules, today: date | None = None) -> list[TriageRank]:
        """Return everyone triage may list, in triage order, without their details.

        People seen recently are included, marked `recent`, so the view can show or hide
        them without asking again. This reads every candidate's needs, so it is slow on a
        large caseload: the Triage view runs it on a worker thread and pages through the
        result with `triage_rows`.
        """
        sql, params = _scores_sql(rules, today)
        cursor = self._db.conn.execute(
            f"{sql} SELECT {_RANK_COLUMNS} FROM ranked"
            " ORDER BY lead_score DESC, n_needs DESC, search_name, id", params)
        return [_rank(r) for r in cursor]

    def anyone_has_needs(self) -> bool:
        """Return whether anyone on the log has a need recorded now."""
        return bool(self._db.scalar(
            "SELECT EXISTS (SELECT 1 FROM needs n JOIN people p ON p.id = n.person_id"
            " WHERE n.removed_at IS NULL AND p.deleted_at IS NULL)"))

    def rows(self, ranks: Sequence[TriageRank], *, rules: Rules) -> list[TriageRow]:
        """Return the rows for some of a ranking's people, in the same order.

        People erased or deleted since the ranking was made are left out.
        """
        if not ranks:
            return []
        ids = [r.id for r in ranks]
        marks = ", ".join("?" for _ in ids)
        people = {r["id"]: r for r in self._db.rows(
            "SELECT id, name, nhs_number, date_of_birth, care_home_id FROM people"
            f" WHERE deleted_at IS NULL AND id IN ({marks})", ids)}
        held: dict[str, list[str]] = {i: [] for i in ids}
        for r in self._db.rows(
            f"SELECT person_id, need_id FROM needs WHERE removed_at IS NULL"
            f" AND person_id IN ({marks})", ids,
        ):
            held[r["person_id"]].append(r["need_id"])
        out = []
        for rank in ranks:
            p = people.get(rank.id)
            if p is None:
                continue
            result = match_roles([n for n in held[rank.id] if n in NEEDS_BY_ID], rules)
            out.append(TriageRow(
                id=p["id"], name=p["name"], nhs_number=p["nhs_number"],
                date_of_birth=to_date(p["date_of_birth"]), needs=result.needs,
                lead_role=rank.lead_role, lead_score=rank.lead_score,
                supporting=result.supporting, care_home_id=p["care_home_id"],
                last_status=rank.last_status, last_date=to_date(rank.last_date),
                last_reason=rank.last_reason,
            ))
        return out
