"""The caseload list: the people matching a filter, counted and paged by the query."""

from __future__ import annotations

from datetime import date
from typing import Any

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import CaseloadFilter, CaseloadRow
from arrs_desktop.domain.validation import search_key
from arrs_desktop.store.rows import Db, Row, to_date
from arrs_desktop.store.sql import OPEN

CASELOAD_SORT = {
    "name": "search_name",
    "nhs_number": "nhs_number",
    "date_of_birth": "date_of_birth",
    "lead_role": "lead_role",
    "status": "episode_status",
    "worker": "lead_worker",
    "next_follow_up": "next_follow_up",
}


def caseload_row(row: Row) -> CaseloadRow:
    """Build a CaseloadRow from a row of the caseload page query."""
    return CaseloadRow(
        id=row["id"],
        name=row["name"],
        nhs_number=row["nhs_number"],
        date_of_birth=to_date(row["date_of_birth"]),
        lead_role=row["lead_role"],
        status=row["episode_status"],
        worker=row["lead_worker"],
        next_follow_up=to_date(row["next_follow_up"]),
    )


class CaseloadQuery:
    """Count and page the caseload list (reads only)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    def _where(self, flt: CaseloadFilter, *, page: bool = False) -> tuple[str, list[Any]]:
        # For a page, status and follow-up terms carry a unary "+" so SQLite does not pick
        # their index and then sort thousands of rows: walking a name-ordered index and
        # stopping at the page's last row is far quicker. Counts use every index.
        plus = "+" if page else ""
        clauses: list[str] = []
        params: list[Any] = []
        if not flt.include_deleted:
            clauses.append("deleted_at IS NULL")
        text = (flt.text or "").strip()
        if text:
            digits = text.replace(" ", "").replace("-", "")
            if digits.isdigit() and len(digits) >= 10:
                clauses.append("nhs_number = ?")
                params.append(digits)
            elif digits.isdigit():
                # A prefix as a range, so the NHS number index answers it (':' follows '9').
                clauses.append("nhs_number >= ? AND nhs_number < ?")
                params += [digits, digits + ":"]
            else:
                # search_name is already folded, so a plain substring test is enough.
                clauses.append("instr(search_name, ?) > 0")
                params.append(search_key(text))
        if flt.role:
            clauses.append("lead_role = ?")
            params.append(flt.role)
        if flt.status == "open":
            clauses.append(f"{plus}episode_status IN {OPEN}")
        elif flt.status == "none":
            clauses.append(f"{plus}episode_status IS NULL")
        elif flt.status:
            clauses.append(f"{plus}episode_status = ?")
            params.append(flt.status)
        if flt.worker:
            clauses.append("lead_worker = ?")
            params.append(flt.worker)
        if flt.overdue_only:
            today = flt.today or date.today()
            clauses.append(
                f"{plus}next_follow_up < ?"
                f" AND {plus}episode_status IN {OPEN}"
            )
            params.append(today.isoformat())
        where = " AND ".join(clauses) if clauses else "1"
        mine, mine_params = self._mine_clause(flt)
        if mine:
            where = f"{where} AND {mine}"
            params += mine_params
        if flt.pinned:
            # Pinned people show whatever the rest of the filter says (not if deleted).
            marks = ", ".join("?" * len(flt.pinned))
            where = f"(({where}) OR (id IN ({marks}) AND deleted_at IS NULL))"
            params += list(flt.pinned)
        return where, params

    @staticmethod
    def _mine_clause(flt: CaseloadFilter) -> tuple[str, list[Any]]:
        """Return the "My caseload" test: an open episode of the worker's, whichever role
        leads, or one in the worker's role that names no worker yet."""
        worker = (flt.mine_worker or "").strip()
        role = flt.mine_role if flt.mine_role in catalogue.ROLE_CODES else None
        if not worker and not role:
            return "", []
        tests: list[str] = []
        params: list[Any] = []
        if worker:
            # Every role listed, so the (role, worker, person) index answers it.
            roles = ", ".join("?" * len(catalogue.ROLE_CODES))
            tests.append(f"(role IN ({roles}) AND worker = ?)")
            params += [*catalogue.ROLE_CODES, worker]
        if role:
            tests.append("(role = ? AND worker = '')")
            params.append(role)
        return (f"id IN (SELECT person_id FROM episodes WHERE ({' OR '.join(tests)})"
                f" AND status IN {OPEN})", params)

    def count_sql(self, flt: CaseloadFilter) -> tuple[str, list[Any]]:
        """Return the SQL and parameters that count the people matching a filter."""
        where, params = self._where(flt)
        return f"SELECT count(*) FROM people WHERE {where}", params

    def page_sql(self, flt: CaseloadFilter, offset: int = 0,
                 limit: int = 200) -> tuple[str, list[Any]]:
        """Return the SQL and parameters of one page of the caseload."""
        where, params = self._where(flt, page=True)
        column = CASELOAD_SORT.get(flt.sort_column, "search_name")
        direction = "DESC" if flt.descending else "ASC"
        # Blanks (no birth date, no follow-up…) go last whichever way the list is sorted.
        order = f"{column} {direction} NULLS LAST, search_name {direction}, id {direction}"
        if column in ("date_of_birth", "nhs_number"):  # the same order, as 0009's indexes hold it
            order = (f"{column} DESC, search_name DESC, id DESC" if flt.descending else
                     f"{column} IS NULL, {column}, search_name, id")
        if column == "search_name":  # never NULL: the name indexes give this order as is
            order = f"search_name {direction}, id {direction}"
        return (
            "SELECT id, name, nhs_number, date_of_birth, lead_role, episode_status, lead_worker,"
            f" next_follow_up FROM people WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )

    def count(self, flt: CaseloadFilter) -> int:
        """Return how many people match the caseload filter."""
        return int(self._db.scalar(*self.count_sql(flt)))

    def page(self, flt: CaseloadFilter, offset: int = 0, limit: int = 200) -> list[CaseloadRow]:
        """Return one page of the caseload, filtered and sorted by the query."""
        return [caseload_row(r) for r in self._db.rows(*self.page_sql(flt, offset, limit))]

    def workers(self) -> list[str]:
        """Return every worker name used on episodes, for filters."""
        # Step through the (role, worker) index one name at a time: a few seeks instead of
        # reading every episode (0.2 ms rather than 70 ms at 140,000 episodes).
        names: set[str] = set()
        for role in catalogue.ROLE_CODES:
            last = ""
            while True:
                name = self._db.scalar(
                    "SELECT min(worker) FROM episodes WHERE role = ? AND worker > ?",
                    [role, last])
                if name is None:
                    break
                names.add(name)
                last = name
        return sorted(names)
