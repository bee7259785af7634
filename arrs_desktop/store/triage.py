"""Triage: people with needs recorded but no open episode, ranked by role-match strength."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from arrs_desktop.catalogue import NEEDS_BY_ID, OPEN_STATUSES, ROLE_CODES
from arrs_desktop.matching import Rules, match_roles
from arrs_desktop.store.base import StoreBase, to_date


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


class TriageRank(NamedTuple):
    """One person's place in the triage ranking: who, the suggested lead and its score.

    A plain tuple: a ranking holds tens of thousands, and tuples of text and numbers are
    left alone by Python's garbage collector, which otherwise pauses every thread.
    """

    id: str
    lead_role: str
    lead_score: float
    n_needs: int


def _scores_sql(rules: Rules) -> tuple[str, list]:
    """Return a query ranking every candidate by lead score, with its parameters.

    The rules' weights go in as a VALUES table, so the scores (and the lead, ties broken
    in the fixed role order) are worked out by SQLite over the whole log before paging.
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
                              WHERE e.person_id = p.id AND e.status IN ({opened}))
            GROUP BY p.id
        ),
        ranked AS (
            SELECT *,
                   CASE WHEN s1 >= s2 AND s1 >= s3 THEN '{a}'
                        WHEN s2 >= s3 THEN '{b}' ELSE '{c}' END AS lead_role,
                   max(s1, s2, s3) AS lead_score
            FROM cand
        )
    """
    return sql, weights


class TriageStore(StoreBase):
    """The triage list of people to allocate."""

    def people_needing_allocation_count(self, rules: Rules, role: str | None = None) -> int:
        """Return how many people have needs but no open episode (optionally by lead role)."""
        sql, params = _scores_sql(rules)
        where = "WHERE lead_role = ?" if role else ""
        return self._scalar(f"{sql} SELECT count(*) FROM ranked {where}",
                            [*params, *([role] if role else [])])

    def people_needing_allocation(self, offset: int = 0, limit: int = 200, *, rules: Rules,
                                  role: str | None = None) -> list[TriageRow]:
        """Return a page of people with needs but no open episode, strongest match first.

        Order: the lead role's score, then the number of needs (both highest first), then
        name. `role` keeps only people whose suggested lead is that role.
        """
        sql, params = _scores_sql(rules)
        where = "WHERE lead_role = ?" if role else ""
        rows = self._rows(
            f"{sql} SELECT id, lead_role, lead_score, n_needs FROM ranked {where}"
            " ORDER BY lead_score DESC, n_needs DESC, search_name, id LIMIT ? OFFSET ?",
            [*params, *([role] if role else []), int(limit), int(offset)],
        )
        return self.triage_rows(
            [TriageRank(r["id"], r["lead_role"], float(r["lead_score"]), r["n_needs"])
             for r in rows], rules=rules)

    def triage_ranking(self, rules: Rules) -> list[TriageRank]:
        """Return everyone waiting for allocation in triage order, without their details.

        This reads every candidate's needs, so it is slow on a large caseload: the Triage
        view runs it on a worker thread and pages through the result with `triage_rows`.
        """
        sql, params = _scores_sql(rules)
        cursor = self.db.conn.execute(
            f"{sql} SELECT id, lead_role, lead_score, n_needs FROM ranked"
            " ORDER BY lead_score DESC, n_needs DESC, search_name, id", params)
        return [TriageRank(i, role, float(score), n) for i, role, score, n in cursor]

    def triage_rows(self, ranks: Sequence[TriageRank], *, rules: Rules) -> list[TriageRow]:
        """Return the rows for some of a ranking's people, in the same order.

        People erased or deleted since the ranking was made are left out.
        """
        if not ranks:
            return []
        ids = [r.id for r in ranks]
        marks = ", ".join("?" for _ in ids)
        people = {r["id"]: r for r in self._rows(
            "SELECT id, name, nhs_number, date_of_birth, care_home_id FROM people"
            f" WHERE deleted_at IS NULL AND id IN ({marks})", ids)}
        held: dict[str, list[str]] = {i: [] for i in ids}
        for r in self._rows(
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
            ))
        return out
