"""A tick of a need costs its write and one re-rank: no statement runs after its commit.

Every SQL statement the window's connection runs from the click until Qt has handled every
event is counted with `sqlite3.Connection.set_trace_callback` (figures in
docs/performance.md: 45 statements before the change bus, 8 with it).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from tests.ui_helpers import make_window


def traced(store, act) -> list[str]:
    """Return every statement the store's connection ran while `act()` and the events it
    posted were handled."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        act()
        for _ in range(5):
            QApplication.processEvents()
    finally:
        store.conn.set_trace_callback(None)
    return [" ".join(s.split()) for s in statements]


def test_a_need_tick_runs_only_its_write(qtbot, store):
    person = store.people.add(Person(name="Ann Example", date_of_birth=date(1950, 1, 1)))
    store.needs.set(person.id, ["loneliness"])
    store.episodes.open(Episode(person_id=person.id, role="splw", referral_date=date.today(),
                                referral_source="gp"))
    window = make_window(qtbot, store, Settings(user_name="Sam Worker", role="splw"))
    window.open_person(person.id)
    panel = window.needs_match
    before = panel.match_panel.result

    statements = traced(store, lambda: panel.needs_panel.boxes["copd"].setChecked(True))

    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "COMMIT"
    assert statements.count("COMMIT") == 1  # nothing read or written after the save
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert {s.split(" (")[0] for s in writes} == {"INSERT INTO needs", "INSERT INTO audit_log"}
    assert len(statements) <= 8
    # ...and the roles were ranked again, from the needs the write returned
    assert panel.match_panel.result.needs == ("loneliness", "copd") != before.needs
    assert store.needs.current(person.id) == {"loneliness", "copd"}


def test_the_views_of_a_need_tick_stay_as_they_were(qtbot, store):
    """The header, the caseload row and the episodes are not read again after a tick."""
    person = store.people.add(Person(name="Bea Example"))
    window = make_window(qtbot, store)
    window.open_person(person.id)
    statements = traced(store, lambda: window.needs_match.needs_panel.boxes[
        "loneliness"].setChecked(True))
    reads = [s for s in statements if s.startswith("SELECT")]
    assert not any("FROM episodes" in s or "count(*) FROM people" in s for s in reads)
