"""Opening a person fills the tab in view at once and every other tab when it is chosen."""

from __future__ import annotations

from ui_helpers import make_window


def test_hidden_tabs_catch_up_when_chosen(qtbot, demo_store):
    window = make_window(qtbot, demo_store)
    view = window.person_view
    first, second = (r["id"] for r in demo_store._rows(
        "SELECT id FROM people WHERE id IN (SELECT person_id FROM goals)"
        " ORDER BY id LIMIT 2"))
    view.tabs.setCurrentWidget(window.goals_panel)
    window.open_person(first)
    assert window.goals_panel._person_id == first
    view.tabs.setCurrentIndex(0)  # another tab: the goals panel is now out of view
    window.open_person(second)
    assert view.person_id == second
    assert window.goals_panel._person_id == first  # not refilled while hidden
    view.tabs.setCurrentWidget(window.goals_panel)
    assert window.goals_panel._person_id == second  # filled the moment it is chosen


def test_open_person_shows_someone_whose_row_is_already_current(qtbot, demo_store):
    window = make_window(qtbot, demo_store)
    person_id = window.caseload.select_first()
    window.person_view.show_person(None)
    window.open_person(person_id)
    assert window.person_view.person_id == person_id
