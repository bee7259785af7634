"""The caseload list's queries read through indexes, and the index migration keeps data."""

from __future__ import annotations

import re
import sqlite3

import pytest
from sqlite_utils import Database

from arrs_desktop.domain.models import CaseloadFilter, Person
from arrs_desktop.store import open_store
from arrs_desktop.store.schema import migrations
from tests.db_helpers import sql_row, sql_rows, sql_scalar

PERF_MIGRATION = "0003_perf_caseload_indexes"


def _plan(store, sql_params) -> str:
    sql, params = sql_params
    rows = store.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(r[3] for r in rows)


FILTERS = {
    "whole caseload": CaseloadFilter(),
    "role": CaseloadFilter(role="cc"),
    "status": CaseloadFilter(status="active"),
    "role and open": CaseloadFilter(role="splw", status="open"),
    "open": CaseloadFilter(status="open"),
    "overdue": CaseloadFilter(overdue_only=True),
    "name": CaseloadFilter(text="smith"),
    "whole NHS number": CaseloadFilter(text="999 000 0019"),
    "NHS number start": CaseloadFilter(text="999 12"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_caseload_queries_use_an_index(demo_store, name):
    flt = FILTERS[name]
    for sql_params in (demo_store.caseload.count_sql(flt),
                       demo_store.caseload.page_sql(flt, 0, 200)):
        plan = _plan(demo_store, sql_params)
        assert "USING" in plan and "INDEX" in plan, plan
        assert not re.search(r"SCAN people(?! USING)", plan), plan


@pytest.mark.parametrize("name", ["role", "status", "role and open", "open"])
def test_role_and_status_counts_search_an_index(demo_store, name):
    plan = _plan(demo_store, demo_store.caseload.count_sql(FILTERS[name]))
    assert plan.startswith("SEARCH people USING COVERING INDEX people_caseload") or \
        plan.startswith("SEARCH people USING INDEX people_caseload"), plan


@pytest.mark.parametrize("name", ["whole caseload", "role", "status", "role and open",
                                  "overdue", "name"])
def test_pages_in_name_order_need_no_sort(demo_store, name):
    plan = _plan(demo_store, demo_store.caseload.page_sql(FILTERS[name], 0, 200))
    assert "TEMP B-TREE" not in plan, plan


def test_nhs_number_search_finds_whole_and_partial_numbers(demo_store):
    row = sql_row(demo_store, "SELECT id, nhs_number FROM people WHERE nhs_number IS NOT NULL"
                          " ORDER BY nhs_number LIMIT 1")
    spaced = f"{row['nhs_number'][:3]} {row['nhs_number'][3:6]} {row['nhs_number'][6:]}"
    found = demo_store.caseload.page(CaseloadFilter(text=spaced))
    assert [r.id for r in found] == [row["id"]]
    start = row["nhs_number"][:5]
    expected = sql_scalar(demo_store,
        "SELECT count(*) FROM people WHERE deleted_at IS NULL AND nhs_number LIKE ?",
        [start + "%"])
    assert demo_store.caseload.count(CaseloadFilter(text=start)) == expected > 0


def test_name_search_is_a_substring_match_ignoring_case_and_accents(store):
    for name in ("Zoë Wiśniewski", "Ann Percival", "Jo 100% Real_Name"):
        store.people.add(Person(name=name))
    assert [r.name for r in store.caseload.page(CaseloadFilter(text="SNIEW"))] == [
        "Zoë Wiśniewski"]
    assert [r.name for r in store.caseload.page(CaseloadFilter(text="zoe"))] == [
        "Zoë Wiśniewski"]
    assert [r.name for r in store.caseload.page(CaseloadFilter(text="100%"))] == [
        "Jo 100% Real_Name"]
    assert store.caseload.count(CaseloadFilter(text="l_n")) == 1
    assert store.caseload.count(CaseloadFilter(text="%")) == 1


def test_upgrading_a_file_from_before_the_indexes_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before=PERF_MIGRATION)
    stamp = "2026-01-02T10:00:00+00:00"
    db.execute(
        "INSERT INTO people (id, name, search_name, nhs_number, lead_role, episode_status,"
        " created_at, updated_at, device_id) VALUES ('p1', 'Ann Old', 'ann old', '9990000019',"
        " 'cc', 'active', ?, ?, 'old')", [stamp, stamp])
    db.conn.commit()
    names_before = {r[0] for r in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index'")}
    db.close()
    assert "people_caseload_name" not in names_before

    s = open_store(path, device_id="new")
    try:
        assert s.schema_version() == migrations._migrations[-1].name
        assert s.people.get("p1").name == "Ann Old"
        assert s.caseload.count(CaseloadFilter(role="cc", status="open")) == 1
        assert [r.id for r in s.caseload.page(CaseloadFilter(text="9990000019"))] == ["p1"]
    finally:
        s.close()
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"people_live_name", "people_caseload_name", "people_caseload_role",
            "people_caseload_status"} <= names
    assert "people_lead_role" not in names
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_logging_a_session_finds_open_episodes_by_person_and_role(demo_store):
    sql = ("SELECT id, status, first_contact_date FROM episodes WHERE person_id = ?"
           " AND role = ? AND status IN ('referred', 'active', 'on_hold')")
    plan = _plan(demo_store, (sql, ["p", "cc"]))
    assert "episodes_person_role (person_id=? AND role=?" in plan, plan


def test_period_reports_read_episodes_through_indexes(demo_store):
    plan = _plan(demo_store, (
        "SELECT role, CASE WHEN status = 'declined' THEN '~declined' ELSE"
        " coalesce(closure_reason, 'other') END AS k, count(*) AS n FROM episodes"
        " WHERE status IN ('closed', 'declined') AND closure_date BETWEEN ? AND ?"
        " GROUP BY role, k", ["2026-11-01", "2026-11-30"]))
    assert "SEARCH episodes USING INDEX episodes_closure" in plan, plan


def test_first_contacts_report_reads_a_covering_index(demo_store):
    plan = _plan(demo_store, (
        "SELECT x.worker, count(*) FROM episodes x WHERE x.role = 'splw'"
        " AND x.first_contact_date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM episodes y"
        " WHERE y.role = 'splw' AND y.person_id = x.person_id"
        " AND y.first_contact_date IS NOT NULL"
        " AND (y.first_contact_date, y.referral_date, y.created_at, y.id)"
        " < (x.first_contact_date, x.referral_date, x.created_at, x.id)) GROUP BY x.worker",
        ["2026-11-01", "2026-11-30"]))
    assert "COVERING INDEX episodes_first_contacts (role=? AND person_id=?" in plan, plan


def test_workers_are_found_by_seeking_the_role_and_worker_index(demo_store):
    expected = [r["worker"] for r in sql_rows(demo_store,
        "SELECT DISTINCT worker FROM episodes WHERE worker != '' ORDER BY worker")]
    assert expected and demo_store.caseload.workers() == expected
    plan = _plan(demo_store, ("SELECT min(worker) FROM episodes WHERE role = ? AND worker > ?",
                              ["cc", ""]))
    assert "COVERING INDEX episodes_report_caseload (role=? AND worker>?)" in plan, plan


@pytest.mark.parametrize("column", ["date_of_birth", "nhs_number"])
@pytest.mark.parametrize("descending", [False, True])
def test_age_and_nhs_number_orders_walk_an_index_with_blanks_last(demo_store, column,
                                                                  descending):
    flt = CaseloadFilter(sort_column=column, descending=descending)
    plan = _plan(demo_store, demo_store.caseload.page_sql(flt, 0, 200))
    assert "TEMP B-TREE" not in plan, plan
    rows = demo_store.caseload.page(flt, 0, 10_000)
    values = [getattr(r, column) for r in rows]
    known = [v for v in values if v is not None]
    assert values == known + [None] * (len(values) - len(known))  # blanks last
    assert known == sorted(known, reverse=descending)
