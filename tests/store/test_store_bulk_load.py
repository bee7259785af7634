"""Bulk-built demo caseloads pass the same checks as ones built through the store methods."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from arrs_desktop.domain import catalogue
from arrs_desktop.domain.models import SessionEntry
from arrs_desktop.store import open_store
from arrs_desktop.store.episodes import episode_from_row
from arrs_desktop.store.goals import goal_from_row
from arrs_desktop.store.people import person_from_row
from arrs_desktop.store.sessions import session_from_row
from arrs_desktop.tools.demo import build_demo_bulk
from tests.db_helpers import sql_rows

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def _bulk_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("bulk") / "bulk.db"
    s = open_store(path, user="demo", device_id="demo-device")
    summary = build_demo_bulk(s, 240, seed=5, today=TODAY, batch=100)
    s.close()
    return path, summary


@pytest.fixture
def bulk_store(_bulk_template, tmp_path):
    import shutil

    path = tmp_path / "bulk.db"
    shutil.copy(_bulk_template[0], path)
    s = open_store(path, user="Test Worker", device_id="test-device")
    yield s
    s.close()


@pytest.fixture(params=["bulk", "store methods"])
def built_store(request, bulk_store, demo_store):
    return bulk_store if request.param == "bulk" else demo_store


def test_file_is_sound(built_store):
    conn = built_store.db.conn
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_person_summary_columns_agree_with_episodes_and_sessions(built_store):
    cols = "id, lead_role, episode_status, lead_worker, next_follow_up"
    before = sql_rows(built_store, f"SELECT {cols} FROM people ORDER BY id")
    with built_store.batch():
        for row in before:
            built_store.summary.refresh(row["id"])
    assert sql_rows(built_store, f"SELECT {cols} FROM people ORDER BY id") == before
    assert any(r["lead_role"] for r in before) and any(not r["lead_role"] for r in before)


def test_every_row_passes_the_store_validation(built_store):
    s = built_store
    for row in sql_rows(s, "SELECT * FROM people"):
        s.people.clean(person_from_row(row))
    for row in sql_rows(s, "SELECT * FROM goals"):
        s.goals.clean(goal_from_row(row))
    for row in sql_rows(s, "SELECT * FROM sessions"):
        s.sessions.clean(SessionEntry(session_from_row(row)))
    needs = {r["need_id"] for r in sql_rows(s, "SELECT DISTINCT need_id FROM needs")}
    assert needs and needs <= set(catalogue.NEED_IDS)


def test_episodes_follow_the_status_rules(built_store):
    s = built_store
    sessions_by_episode = {r["episode_id"]: r for r in sql_rows(s,
        "SELECT episode_id, min(CASE WHEN kind != 'did_not_attend' THEN date END) AS first,"
        " min(date) AS earliest, count(*) AS n FROM sessions GROUP BY episode_id")}
    for row in sql_rows(s, "SELECT * FROM episodes"):
        ep = episode_from_row(row)
        done = sessions_by_episode.get(ep.id)
        if ep.status == "referred":
            assert done is None
        if ep.status in ("active", "on_hold"):
            assert ep.first_contact_date is not None
        if ep.status == "closed":
            assert ep.closure_date >= ep.referral_date
            assert ep.closure_reason in catalogue.CLOSURE_REASONS
        if ep.status == "declined":
            assert ep.closure_date is not None and done is None
        if done:  # a missed contact (did not attend) is not the first contact
            assert ep.first_contact_date.isoformat() <= done["first"]
            assert ep.referral_date.isoformat() <= done["earliest"]
        assert ep.referral_date <= date.today()


def test_bulk_writes_one_audit_line_per_batch(bulk_store, _bulk_template):
    lines = bulk_store.audit.bulk_lines()
    assert len(lines) == 3  # 240 people in batches of 100
    assert sum(line["after"]["rows"]["people"] for line in lines) == 240
    assert all("synthetic demo" in line["after"]["note"] for line in lines)


def test_bulk_counts_look_like_years_of_history(_bulk_template):
    _path, summary = _bulk_template
    assert summary.people == 240
    assert 6 <= summary.sessions / summary.people <= 14
    assert 2 <= summary.goals / summary.people <= 4


def _content(path) -> list:
    conn = sqlite3.connect(path)
    return [conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("people", "needs", "episodes", "goals", "sessions", "goal_progress",
                      "outcome_measures", "asset_referrals")]


def test_bulk_demo_is_reproducible_for_a_seed(tmp_path):
    paths = []
    for name, seed in (("a.db", 3), ("b.db", 3), ("c.db", 4)):
        s = open_store(tmp_path / name, device_id="d")
        build_demo_bulk(s, 30, seed=seed, today=TODAY)
        s.close()
        paths.append(tmp_path / name)
    assert _content(paths[0]) == _content(paths[1])
    assert _content(paths[0]) != _content(paths[2])


def test_bulk_load_refuses_unknown_tables(store):
    with pytest.raises(ValueError):
        store.bulk.load({"audit_log": [("x",)]}, note="no")


def test_arrs_demo_bulk_from_the_command_line(tmp_path, capsys):
    from arrs_desktop.cli import main

    path = tmp_path / "cli.db"
    assert main(["demo", "--db", str(path), "--people", "40", "--bulk"]) == 0
    assert "40 people" in capsys.readouterr().out
    s = open_store(path, device_id="d")
    try:
        assert s.people.count() == 40
        assert len(s.audit.bulk_lines()) == 1
    finally:
        s.close()
