"""Small visual faults: idle lock choices, the contact log, cut headers, the goal chart, the
erase dialog, the care plan's first page."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox

from arrs_desktop.domain.models import CareHome, CareHomeContact, Goal, GoalProgress, Person
from arrs_desktop.reports.care_plan import build_care_plan, care_plan_blocks
from arrs_desktop.settings import Settings
from tests import layout_audit
from tests.ui_helpers import make_context, make_window, type_into

TODAY = date.today()


def test_lock_after_idle_is_a_list_of_times_to_choose(qtbot, isolated_home):
    from arrs_desktop.settings import load_settings
    from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(user_name="Sam", lock_after_minutes=7))
    qtbot.addWidget(dialog)
    assert isinstance(dialog.lock_after, QComboBox)  # its choices are there to see
    choices = [dialog.lock_after.itemText(i) for i in range(dialog.lock_after.count())]
    assert choices[0] == "Never" and "10 minutes" in choices and "1 hour" in choices
    assert dialog.lock_after.currentText() == "7 minutes"  # a time set before is kept
    dialog.lock_after.setCurrentIndex(dialog.lock_after.findData(30))
    dialog.save()
    assert load_settings().lock_after_minutes == 30


def test_the_contact_log_has_even_plain_rows(qtbot, store):
    home = store.care_homes.add(CareHome(name="Willow Court", lead_worker="Lee Link"))
    people = [store.people.add(Person(name=n, care_home_id=home.id))
              for n in ("Barbara Morgan", "Ciaran Patel", "George Edwards")]
    for days, residents, actions in ((3, people, "Family meeting arranged. " * 4),
                                     (10, people[:1], ""), (17, people[1:], "Falls review")):
        store.care_homes.log_contact(CareHomeContact(
            care_home_id=home.id, date=TODAY - timedelta(days=days), kind="visit",
            residents=tuple(p.id for p in residents), actions=actions))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="cc"))
    window.daily_work.go_to_view(3)
    view = window.care_homes
    view.tabs.setCurrentIndex(1)
    table = view.contacts
    heights = {table.rowHeight(r) for r in range(table.model().rowCount())}
    assert len(heights) == 1  # every contact the same height
    assert heights.pop() >= 2 * table.fontMetrics().lineSpacing()
    assert table.styleSheet() == ""  # no per-cell style drawing a raised first cell
    assert table.model().index(0, 1).data().count("\n") == 1  # two lines each
    assert layout_audit.table_problems(table) == []
    assert layout_audit.header_problems(table.horizontalHeader()) == []


def test_triage_and_the_ons4_report_cut_no_heading_at_1366(qtbot, demo_store):
    window = make_window(qtbot, demo_store, Settings(user_name="Lee Link", role="splw"))
    window.daily_work.go_to_view(1)
    triage = window.triage
    qtbot.waitUntil(lambda: not triage.loading, timeout=30000)
    assert layout_audit.header_problems(triage.table.horizontalHeader()) == []
    assert layout_audit.table_problems(triage.table) == []
    reports = window.reports
    window.views.setCurrentWidget(reports)
    reports.wait_for_idle()
    qtbot.waitUntil(lambda: reports.report is not None, timeout=30000)
    row = next(i for i in range(reports.tables.count())
               if "ONS4" in reports.tables.item(i).text())
    reports.tables.setCurrentRow(row)
    qtbot.wait(10)
    assert layout_audit.header_problems(reports.table_view.horizontalHeader()) == []
    assert layout_audit.table_problems(reports.table_view) == []


def test_the_goal_chart_keeps_its_height_when_a_date_is_wrong(qtbot, store):
    person = store.people.add(Person(name="Grace Okafor"))
    goal = store.goals.add(Goal(person_id=person.id, title="Walk to the park",
                               owner_role="hwbc", baseline=3,
                               set_date=TODAY - timedelta(days=30)))
    store.goals.add_progress(GoalProgress(goal_id=goal.id, date=TODAY - timedelta(days=5),
                                    score=5))
    window = make_window(qtbot, store, Settings(user_name="Sam Coach", role="hwbc"))
    window.open_person(person.id)
    window.person_view.tabs.setCurrentWidget(window.goals_panel)
    panel = window.goals_panel
    qtbot.wait(10)
    before = panel.chart.height()
    type_into(qtbot, panel.progress_date, f"{TODAY + timedelta(days=3):%d/%m/%Y}")
    type_into(qtbot, panel.progress_score, "6")
    panel.progress_button.click()
    qtbot.wait(10)
    error = panel.findChild(type(panel.progress_error), "progress_dateError")
    assert error.isVisible()
    assert error.height() <= error.fontMetrics().lineSpacing() + 4  # one line, full width
    assert panel.chart.height() >= min(before, 230)
    assert layout_audit.chart_problems(panel.chart) == []


def test_the_erase_dialog_puts_the_reason_beside_its_label(qtbot, store):
    from arrs_desktop.ui.person.erase_person_dialog import ErasePersonDialog

    person = store.people.add(Person(name="Ann Gone"))
    dialog = ErasePersonDialog(make_context(store), person.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.wait(10)
    caption = dialog.form.form.labelForField(dialog.reason.parentWidget())
    label_at = caption.mapTo(dialog, QPoint(caption.width(), 0))
    field_at = dialog.reason.mapTo(dialog, QPoint(0, 0))
    assert 0 <= field_at.x() - label_at.x() <= 40
    assert abs(field_at.y() - label_at.y()) <= 8
    assert layout_audit.problems(dialog) == []


def test_the_goals_heading_takes_only_its_title_to_a_new_page(store):
    person = store.people.add(Person(name="Freya Plan"))
    for title in ("Walk daily", "Sleep better"):
        store.goals.add(Goal(person_id=person.id, title=title, owner_role="hwbc", baseline=2))
    blocks = care_plan_blocks(build_care_plan(store, person.id))
    at = next(i for i, b in enumerate(blocks) if "My goals" in b.html)
    heading = blocks[at]
    assert heading.keep_with_next and "Scores are out of 10" not in heading.html
    # How to read the scores comes after the last goal, as a key.
    assert "Sleep better" in blocks[at + 2].html
    assert "Scores are out of 10" in blocks[at + 3].html
    assert not blocks[at + 3].keep_with_next
