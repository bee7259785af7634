"""Goals tab: a health coach's day through the real widgets, checked in the database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from arrs_desktop.domain.models import Episode, Goal, GoalProgress, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.person.goals.goal_dialog import GoalDialog
from arrs_desktop.ui.person.goals.goals_model import GoalsModel
from arrs_desktop.ui.person.goals.goals_panel import GoalsPanel
from tests.ui_helpers import answer_dialog, count, make_context, make_window, rows, type_into


@pytest.fixture
def person(store):
    p = store.people.add(Person(name="Grace Okafor", date_of_birth=date(1950, 3, 2)))
    store.episodes.open(Episode(person_id=p.id, role="hwbc", referral_date=date.today(),
                               referral_source="gp", worker="Sam Coach"))
    return p


def _fill_goal(qtbot, title: str, baseline: str, target: str):
    def fill(dialog) -> None:
        type_into(qtbot, dialog.title, title)
        type_into(qtbot, dialog.what_matters, "Play with my grandchildren")
        type_into(qtbot, dialog.baseline, baseline)
        type_into(qtbot, dialog.target_date, target)
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    return fill


def test_health_coach_adds_goal_and_progress_and_chart_gains_point(qtbot, store, person,
                                                                   db_path):
    window = make_window(qtbot, store, Settings(user_name="Sam Coach", role="hwbc"))
    window.open_person(person.id)
    panel = window.goals_panel
    window.person_view.tabs.setCurrentWidget(panel)
    assert panel.stack.currentWidget() is panel.empty

    failures: list = []
    target = date.today() + timedelta(days=60)
    answer_dialog(qtbot, _fill_goal(qtbot, "Walk to the park", "3", f"{target:%d/%m/%Y}"),
                  failures)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert not failures
    assert rows(db_path, "SELECT title, owner_role, baseline, target_date, status FROM goals") \
        == [("Walk to the park", "hwbc", 3, target.isoformat(), "active")]
    assert panel.model.rowCount() == 1
    assert panel.chart.progress_series.count() == 0
    assert panel.chart.baseline_series.count() == 2
    assert panel.chart.baseline_series.at(0).y() == 3
    assert panel.chart.target_series.count() == 2

    type_into(qtbot, panel.progress_score, "5")
    type_into(qtbot, panel.progress_note, "Walked halfway")
    qtbot.keyClick(panel.progress_note, Qt.Key.Key_Return)

    assert panel.chart.progress_series.count() == 1
    assert panel.chart.progress_series.at(0).y() == 5
    assert rows(db_path, "SELECT date, score, note FROM goal_progress") == [
        (date.today().isoformat(), 5, "Walked halfway")]
    assert panel.model.data(panel.model.index(0, 3)) == "5"
    audited = rows(db_path, "SELECT table_name, who FROM audit_log WHERE table_name IN"
                            " ('goals', 'goal_progress') ORDER BY seq")
    assert audited == [("goals", "Test Worker"), ("goal_progress", "Test Worker")]


def test_progress_score_out_of_range_shows_error_and_saves_nothing(qtbot, store, person,
                                                                   db_path):
    store.goals.add(Goal(person_id=person.id, title="Sleep better", owner_role="hwbc",
                        baseline=4))
    panel = GoalsPanel(make_context(store))
    qtbot.addWidget(panel)
    panel.set_person(person.id)
    type_into(qtbot, panel.progress_score, "11")
    qtbot.mouseClick(panel.progress_button, Qt.MouseButton.LeftButton)
    error = panel.findChild(type(panel.progress_error), "progress_scoreError")
    assert not error.isHidden()
    assert "0 to 10" in error.text()
    type_into(qtbot, panel.progress_date, (date.today() + timedelta(days=2)).strftime("%d/%m/%Y"))
    type_into(qtbot, panel.progress_score, "7")
    qtbot.mouseClick(panel.progress_button, Qt.MouseButton.LeftButton)
    assert "future" in panel.findChild(type(panel.progress_error), "progress_dateError").text()
    assert count(db_path, "goal_progress") == 0
    assert panel.chart.progress_series.count() == 0


def test_goal_dialog_shows_inline_errors_for_missing_title_and_bad_baseline(qtbot, store,
                                                                          person, db_path):
    dialog = GoalDialog(make_context(store), person.id, role="hwbc")
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.baseline, "12")
    dialog.save()
    assert not dialog.form.fields["title"][1].isHidden()
    assert "required" in dialog.form.fields["title"][1].text()
    assert "0 to 10" in dialog.form.fields["baseline"][1].text()
    assert count(db_path, "goals") == 0


def test_editing_a_goal_is_audited_before_and_after(qtbot, store, person, db_path):
    goal = store.goals.add(Goal(person_id=person.id, title="Cook twice a week",
                               owner_role="hwbc", baseline=2))
    dialog = GoalDialog(make_context(store), person.id, goal)
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("achieved"))
    dialog.save()
    assert dialog.saved.status == "achieved"
    before, after = rows(db_path, "SELECT before_json, after_json FROM audit_log"
                                  " WHERE table_name = 'goals' AND action = 'update'")[0]
    assert '"active"' in before and '"achieved"' in after


def test_goals_model_passes_qt_model_tester(qtmodeltester, store, person):
    for i in range(3):
        goal = store.goals.add(Goal(person_id=person.id, title=f"Goal {i}", owner_role="hwbc",
                                   baseline=i, target_date=date.today() - timedelta(days=i),
                                   set_date=date.today() - timedelta(days=30)))
        store.goals.add_progress(GoalProgress(goal_id=goal.id, date=date.today(), score=i + 1))
    model = GoalsModel(store)
    model.load(person.id)
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_progress_goes_on_the_goal_chosen_even_after_the_window_refreshes(qtbot, store, person,
                                                                          db_path):
    store.goals.add(Goal(person_id=person.id, title="Sleep better", owner_role="hwbc",
                        baseline=4))
    window = make_window(qtbot, store, Settings(user_name="Sam Coach", role="hwbc"))
    window.open_person(person.id)
    panel = window.goals_panel
    window.person_view.tabs.setCurrentWidget(panel)
    failures: list = []
    answer_dialog(qtbot, _fill_goal(qtbot, "Walk to the park", "3", ""), failures)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert not failures
    walk = next(g for g in store.goals.for_person(person.id) if g.title == "Walk to the park")
    row = panel.model.row_of(walk.id)
    assert row == 1  # the new goal is below the first one
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.table.visualRect(panel.model.index(row, 0)).center())
    assert panel.selected_goal().id == walk.id
    for score in ("5", "6"):
        type_into(qtbot, panel.progress_score, score)
        qtbot.keyClick(panel.progress_score, Qt.Key.Key_Return)
        assert panel.selected_goal().id == walk.id, "the list jumped to another goal"
    assert rows(db_path, "SELECT g.title, p.score FROM goal_progress p JOIN goals g"
                         " ON g.id = p.goal_id ORDER BY p.created_at") == [
        ("Walk to the park", 5), ("Walk to the park", 6)]
    window.person_view.refresh_header()  # any other refresh of the person keeps it too
    window.caseload.refresh(keep_person=person.id)
    assert panel.selected_goal().id == walk.id


def test_a_refresh_of_the_person_keeps_a_score_being_typed(qtbot, store, person):
    store.goals.add(Goal(person_id=person.id, title="Sleep better", owner_role="hwbc",
                        baseline=4))
    window = make_window(qtbot, store)
    window.open_person(person.id)
    panel = window.goals_panel
    window.person_view.tabs.setCurrentWidget(panel)
    type_into(qtbot, panel.progress_score, "7")
    type_into(qtbot, panel.progress_note, "Slept through twice")
    window.needs_match.needs_panel.boxes["loneliness"].click()  # another panel writes
    assert (panel.progress_score.text(), panel.progress_note.text()) == (
        "7", "Slept through twice")
