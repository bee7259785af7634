"""Opening a person fills the tab in view at once and every other tab when it is chosen."""

from __future__ import annotations

from tests.db_helpers import sql_rows
from tests.ui_helpers import make_window


def test_hidden_tabs_catch_up_when_chosen(qtbot, demo_store):
    window = make_window(qtbot, demo_store)
    view = window.person_view
    first, second = (r["id"] for r in sql_rows(demo_store,
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


PERSON_PANELS = ("needs_match", "goals_panel", "sessions_panel", "referrals_panel",
                 "audit_panel")


def test_person_tabs_are_made_when_first_needed(qtbot, demo_store):
    window = make_window(qtbot, demo_store)
    view = window.person_view
    window.person_view.show_person(None)
    assert [window.built_view(name) for name in PERSON_PANELS] == [None] * 5
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles == ["&Needs && match", "&Goals", "&Sessions", "Co&mmunity", "&History"]
    first, second = (r["id"] for r in sql_rows(demo_store,
        "SELECT id FROM people WHERE id IN (SELECT person_id FROM goals)"
        " ORDER BY id LIMIT 2"))
    window.open_person(first)
    # only the tab in view is made, and it shows the person
    assert window.built_view("needs_match") is not None
    assert window.needs_match.needs_panel.person_id == first
    assert [window.built_view(name) for name in PERSON_PANELS[1:]] == [None] * 4
    # choosing a tab makes it, for the person shown
    view.tabs.setCurrentIndex(1)
    assert window.built_view("goals_panel") is window.goals_panel
    assert view.tabs.currentWidget() is window.goals_panel
    assert window.goals_panel._person_id == first
    # a panel asked for while out of view is made, and catches up when chosen
    history = window.audit_panel
    window.open_person(second)
    view.tabs.setCurrentWidget(history)
    assert view.tabs.currentIndex() == 4 and history.isVisible()
    assert history._person_id == second


def test_a_person_tab_made_later_uses_the_settings_in_force(qtbot, demo_store):
    from dataclasses import replace

    window = make_window(qtbot, demo_store)
    assert window.built_view("sessions_panel") is None
    new = replace(window.settings, user_name="Robin New")
    window.daily_work.apply_settings(new)
    assert window.sessions_panel.settings is new
    assert window.goals_panel.settings is new


def test_saving_without_the_history_tab_made_is_fine(qtbot, demo_store):
    from dataclasses import replace

    window = make_window(qtbot, demo_store)
    person_id = window.caseload.select_first()
    window.open_person(person_id)
    person = demo_store.people.get(person_id)
    demo_store.people.update(replace(person, phone="0113 496 0001"))
    assert window.built_view("audit_panel") is None
    window.person_view.tabs.setCurrentIndex(4)
    panel = window.audit_panel
    assert panel.model.rowCount() == len(demo_store.audit.for_person(person_id))
