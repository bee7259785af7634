"""The one choke point: every audited write is offered to the write hooks, in its transaction."""

from __future__ import annotations

from datetime import date

import pytest

from arrs_desktop.app.operations import audit as audit_ops
from arrs_desktop.app.operations import gp_codes as gp_code_ops
from arrs_desktop.app.operations import people as people_ops
from arrs_desktop.domain.models import GpCode, Person
from arrs_desktop.store import open_store
from arrs_desktop.store.writer import RowWritten
from arrs_desktop.tools.demo import build_demo, build_demo_bulk
from tests.db_helpers import sql_rows


def _audit_lines(store, after_seq: int = 0) -> list[tuple]:
    return [(r["action"], r["table_name"], r["row_id"], r["person_id"])
            for r in sql_rows(store, "SELECT action, table_name, row_id, person_id"
                                     " FROM audit_log WHERE seq > ? ORDER BY seq", [after_seq])]


def _told(written: list[RowWritten]) -> list[tuple]:
    return [(w.action, w.table, w.row_id, w.person_id) for w in written]


def test_each_audit_line_of_every_kind_of_write_is_told_to_the_hooks(tmp_path):
    store = open_store(tmp_path / "c.db", user="Test Worker", device_id="test-device")
    written: list[RowWritten] = []
    store.write_hooks.append(written.append)
    # Every kind of record the caseload holds, written through the ordinary parts.
    build_demo(store, 12, seed=3, today=date(2026, 6, 1))
    code = gp_code_ops.add_gp_code(store, GpCode(code="1234567890", term="Own code")).value
    gp_code_ops.remove_gp_code(store, code.id)
    audit_ops.record_event(store, "window_locked")
    someone = sql_rows(store, "SELECT id FROM people ORDER BY id LIMIT 1")[0]["id"]
    people_ops.erase_person(store, someone, "Asked to be forgotten")
    lines = _audit_lines(store)
    assert len(lines) > 200
    assert _told(written) == lines
    kinds = {w.kind for w in written}
    assert kinds == {"insert", "update", "delete", "event", "erase"}
    tables = {w.table for w in written}
    assert {"people", "needs", "episodes", "sessions", "outcome_measures", "goals",
            "goal_progress", "care_homes", "community_assets", "gp_codes"} <= tables
    store.close()


def test_a_bulk_load_is_told_once_with_its_counts(tmp_path):
    store = open_store(tmp_path / "c.db", user="Test Worker", device_id="test-device")
    start = len(_audit_lines(store))
    written: list[RowWritten] = []
    store.write_hooks.append(written.append)
    build_demo_bulk(store, 30, seed=3, today=date(2026, 6, 1))
    assert _told(written) == _audit_lines(store)[start:]
    bulk = [w for w in written if w.kind == "bulk"]
    assert bulk and bulk[0].values["rows"]["people"] == 30
    store.close()


def test_a_hook_that_fails_rolls_the_write_back(store):
    def refuse(written: RowWritten) -> None:
        raise RuntimeError("outbox full")

    store.write_hooks.append(refuse)
    with pytest.raises(RuntimeError):
        store.people.add(Person(name="Ann Example", date_of_birth=date(1950, 1, 2)))
    store.write_hooks.remove(refuse)
    assert sql_rows(store, "SELECT id FROM people") == [] and _audit_lines(store) == []
