"""Every local write of a caseload in a team records its change, in the same transaction."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from arrs_desktop.app.operations import episodes as episode_ops
from arrs_desktop.app.operations import gp_codes as gp_code_ops
from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.domain.models import Episode, GpCode, Person
from arrs_desktop.store import open_store
from arrs_desktop.store.team_link import LOCAL_ONLY_TABLES
from arrs_desktop.store.writer import RowWritten
from arrs_desktop.team.tables import CASELOAD_SCHEMA
from arrs_desktop.tools.demo import build_demo
from tests.db_helpers import sql_rows

SERVER = "host=127.0.0.1 port=1 dbname=team"


def _entries(store) -> list[dict]:
    return [json.loads(r["entry_json"]) for r in
            sql_rows(store, "SELECT entry_json FROM team_outbox ORDER BY seq")]


@pytest.fixture
def linked(tmp_path):
    store = open_store(tmp_path / "c.db", user="Ann Worker", device_id="laptop-a")
    store.team.link(SERVER, "secret")
    yield store
    store.close()


def test_every_table_of_the_caseload_is_classified_for_team_sync(tmp_path):
    """A new table must say how it syncs (CASELOAD_SCHEMA) or why it stays on the laptop."""
    store = open_store(tmp_path / "c.db")
    tables = {r["name"] for r in sql_rows(
        store, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    store.close()
    unclassified = sorted(t for t in tables if t not in CASELOAD_SCHEMA.tables
                          and t not in LOCAL_ONLY_TABLES and not t.startswith("team_"))
    assert unclassified == []
    assert set(CASELOAD_SCHEMA.tables) <= tables


def test_a_caseload_not_in_a_team_records_nothing(store):
    people_ops.add_person(store, Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))
    assert _entries(store) == []


def test_every_kind_of_write_records_its_change_with_the_author(linked):
    build_demo(linked, 6, seed=4, today=date(2026, 6, 1))
    code = gp_code_ops.add_gp_code(linked, GpCode(code="1234567890", term="Own code")).value
    gp_code_ops.remove_gp_code(linked, code.id)
    someone = sql_rows(linked, "SELECT id FROM people ORDER BY id LIMIT 1")[0]["id"]
    people_ops.erase_person(linked, someone, "Asked to be forgotten")
    entries = _entries(linked)
    kinds = {e["kind"] for e in entries}
    assert {"insert", "update", "status", "delete", "erase"} <= kinds
    assert {e["author"] for e in entries} == {"Ann Worker"}
    assert all("-laptop-a-" in e["hlc"] for e in entries)  # this file, on this computer
    tables = {e["table"] for e in entries}
    assert {"people", "needs", "episodes", "sessions", "outcome_measures", "goals",
            "goal_progress", "care_homes", "community_assets", "gp_codes"} <= tables
    # Nothing about the erased person waits to be sent but the erasure itself.
    about = [e for e in entries if e["row"] == someone or e["values"].get("person_id") == someone]
    assert [e["kind"] for e in about] == ["erase"]
    # Columns each laptop works out for itself never travel.
    for e in entries:
        assert not set(e["values"]) & {"updated_at", "device_id"}
        if e["table"] == "people":
            assert not set(e["values"]) & {"lead_role", "episode_status", "lead_worker",
                                           "next_follow_up"}


def test_a_status_move_is_a_status_entry_and_an_edit_an_update(linked):
    ann = people_ops.add_person(linked, Person(name="Ann Example",
                                               date_of_birth=date(1950, 1, 2))).value
    episode = linked.episodes.open(Episode(person_id=ann.id, role="splw",
                                           referral_date=date(2026, 1, 5),
                                           referral_source="gp"))
    episode_ops.move_episode(linked, episode.id, "active", on=date(2026, 1, 6))
    episode_ops.move_episode(linked, episode.id, "closed", on=date(2026, 1, 9),
                             closure_reason="goals_met")
    moves = [e for e in _entries(linked) if e["table"] == "episodes"]
    assert [e["kind"] for e in moves] == ["insert", "status", "status"]
    assert moves[2]["values"] == {"status": "closed", "closure_date": "2026-01-09",
                                  "closure_reason": "goals_met"}
    people_ops.update_person(linked, replace(ann, phone="0113 496 0000"))
    edit = _entries(linked)[-1]
    assert (edit["kind"], edit["values"]) == ("update", {"phone": "0113 496 0000"})
    assert edit["seen"]["phone"]  # based on the version this laptop held


def test_a_write_that_fails_leaves_no_change_waiting(linked):
    def refuse(written: RowWritten) -> None:
        raise RuntimeError("disk full")

    linked.write_hooks.append(refuse)
    with pytest.raises(RuntimeError):
        people_ops.add_person(linked, Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))
    linked.write_hooks.remove(refuse)
    assert _entries(linked) == [] and sql_rows(linked, "SELECT id FROM people") == []


def test_the_change_and_the_row_are_in_one_transaction_seen_from_another_connection(linked):
    people_ops.add_person(linked, Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))
    other = sqlite3.connect(linked.path)
    try:
        people = other.execute("SELECT count(*) FROM people").fetchone()[0]
        waiting = other.execute("SELECT count(*) FROM team_outbox").fetchone()[0]
    finally:
        other.close()
    assert (people, waiting) == (1, 1)


def test_joining_puts_what_the_file_held_in_the_outbox_once(tmp_path):
    store = open_store(tmp_path / "c.db", user="Ann Worker", device_id="laptop-a")
    build_demo(store, 4, seed=2, today=date(2026, 6, 1))
    rows = sum(len(sql_rows(store, f'SELECT 1 FROM "{t}"')) for t in CASELOAD_SCHEMA.tables)
    for table in ("gp_codes", "code_list"):  # every laptop has the shipped ones of its own
        rows -= len(sql_rows(store, f"SELECT 1 FROM {table} WHERE shipped = 1"))
    store.team.link(SERVER, None)
    with store.transaction():
        assert store.team.record_existing() == rows
    with store.transaction():
        assert store.team.record_existing() == 0
    assert store.team.status().waiting == rows
    store.close()


def test_the_server_password_is_kept_in_the_caseload_and_never_audited(linked):
    assert linked.team.password() == "secret"
    status = linked.team.status()
    assert status.server == SERVER and status.has_password
    audit = json.dumps([dict(r) for r in sql_rows(linked, "SELECT * FROM audit_log")])
    assert "secret" not in audit and "team_linked" in audit
