"""Triage: people with needs recorded but no open episode, ranked by role-match strength.

Who is waiting is a query (store); how each is scored is the role match's own rule
(`domain.matching.lead_of`), applied in Python to each candidate's needs: one scoring for
the Needs & match tab, triage and the reports. See domain/triage.py for the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from arrs_desktop.domain.catalogue import NEEDS_BY_ID
from arrs_desktop.domain.episodes import MOVED_AWAY
from arrs_desktop.domain.matching import Rules, lead_of, match_roles
from arrs_desktop.domain.triage import TriageRank, TriageRow, recently_seen_since
from arrs_desktop.store.rows import Db, to_date
from arrs_desktop.store.sql import DIED_SQL, OPEN

# Every candidate: not deleted, needs recorded now, no open episode, never died; with
# their latest episode (all of theirs are closed or declined), unless it ended because
# they moved away.
_CANDIDATES = f"""
    WITH cand AS (
        SELECT p.id, p.search_name, group_concat(n.need_id) AS needs,
               count(DISTINCT n.need_id) AS n_needs
        FROM people p
        JOIN needs n ON n.person_id = p.id AND n.removed_at IS NULL
        WHERE p.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM episodes e
                          WHERE e.person_id = p.id
                            AND (e.status IN {OPEN} OR e.closure_reason = {DIED_SQL}))
        GROUP BY p.id
    )
    SELECT cand.id, cand.search_name, cand.needs, cand.n_needs, le.status,
           coalesce(le.closure_date, le.referral_date), le.closure_reason
    FROM cand
    LEFT JOIN episodes le ON le.id = (
        SELECT e.id FROM episodes e WHERE e.person_id = cand.id
        ORDER BY coalesce(e.closure_date, e.referral_date) DESC, e.referral_date DESC,
                 e.created_at DESC
        LIMIT 1)
    WHERE le.closure_reason IS NOT '{MOVED_AWAY}'
"""


class TriageQuery:
    """The triage list of people to allocate (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def ranking(self, rules: Rules, today: date | None = None) -> list[TriageRank]:
        """Return everyone triage may list, in triage order, without their details.

        Order: the suggested lead's score, then the number of needs (both highest first),
        then name. People seen recently are included, marked `recent`, so the view can
        show or hide them without asking again. This reads every candidate's needs, so it
        is slow on a large caseload: the Triage view runs it on a worker thread and pages
        through the result with `rows`.
        """
        cutoff = recently_seen_since(today or date.today()).isoformat()
        leads: dict[str, tuple[str, float]] = {}  # people share combinations of needs
        ranked: list[tuple[float, int, str, str, TriageRank]] = []
        for pid, name_key, needs, n_needs, status, day, reason in self._db.conn.execute(
                _CANDIDATES):
            lead = leads.get(needs)
            if lead is None:
                lead = leads[needs] = lead_of(needs.split(","), rules)
            rank = TriageRank(pid, lead[0], lead[1], n_needs, status, day, reason,
                              day is not None and day >= cutoff)
            ranked.append((-lead[1], -n_needs, name_key, pid, rank))
        ranked.sort(key=lambda r: r[:4])
        return [r[4] for r in ranked]

    @staticmethod
    def _listed(ranking: list[TriageRank], role: str | None,
                include_recent: bool) -> list[TriageRank]:
        return [r for r in ranking if (role is None or r.lead_role == role)
                and (include_recent or not r.recent)]

    def count(self, rules: Rules, role: str | None = None, *, include_recent: bool = False,
              today: date | None = None) -> int:
        """Return how many people triage lists (optionally only one suggested lead role).

        People seen recently (see `RECENTLY_SEEN_DAYS`) count only with `include_recent`.
        """
        return len(self._listed(self.ranking(rules, today), role, include_recent))

    def page(self, offset: int = 0, limit: int = 200, *, rules: Rules,
             role: str | None = None, include_recent: bool = False,
             today: date | None = None) -> list[TriageRow]:
        """Return a page of the people triage lists, strongest match first.

        `role` keeps only people whose suggested lead is that role; people seen recently
        are left out unless `include_recent`.
        """
        listed = self._listed(self.ranking(rules, today), role, include_recent)
        return self.rows(listed[int(offset):int(offset) + int(limit)], rules=rules)

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
