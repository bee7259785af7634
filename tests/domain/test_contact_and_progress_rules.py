"""The best way of contact needs something to contact; progress is never dated before its goal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from arrs_desktop.domain.models import Goal, GoalProgress, Person, Session, SessionEntry
from arrs_desktop.store import ValidationError
from arrs_desktop.ui.person.goals.goals_panel import GoalsPanel
from arrs_desktop.ui.person.sessions.sessions_panel import SessionsPanel
from tests.ui_helpers import count, make_context, rows, type_into


@pytest.mark.parametrize(("preferred", "phone", "email", "gap"), [
    ("email", "07700 900123", "", {"email": "is needed when the best way to contact them "
                                            "is email"}),
    ("email", "", "ann@example.org", {}),
    ("text", "", "ann@example.org", {"phone": "is needed when the best way to contact "
                                              "them is a text message"}),
    ("phone", " ", "", {"phone": "is needed when the best way to contact them is phone"}),
    ("letter", "", "", {}),
    ("", "", "", {}),
])
def test_contact_gaps(preferred, phone, email, gap):
    from arrs_desktop.domain.people import contact_gaps

    assert contact_gaps(preferred, phone, email) == gap


def test_store_refuses_email_as_best_contact_with_no_address(store, db_path):
    with pytest.raises(ValidationError) as caught:
        store.people.add(Person(name="Ann Lee", preferred_contact="email"))
    assert "email" in caught.value.errors
    assert count(db_path, "people") == 0
    person = store.people.add(Person(name="Ann Lee", email="ann@example.org",
                                     preferred_contact="email"))
    with pytest.raises(ValidationError) as caught:  # an edit cannot take the address away
        store.people.update(Person(**{**person.__dict__, "email": ""}))
    assert set(caught.value.errors) == {"email"}
    assert rows(db_path, "SELECT email FROM people") == [("ann@example.org",)]


def test_person_form_says_under_email_that_an_address_is_needed(qtbot, store, db_path):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "Ann Lee")
    dialog.preferred.setCurrentIndex(dialog.preferred.findData("email"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.form.fields["email"][1]
    assert error.isVisible()
    assert error.text() == "Email is needed when the best way to contact them is email"
    assert count(db_path, "people") == 0
    # Choosing another way settles it; choosing email again and typing an address too.
    dialog.preferred.setCurrentIndex(dialog.preferred.findData("letter"))
    assert not error.isVisible()
    dialog.preferred.setCurrentIndex(dialog.preferred.findData("email"))
    dialog.save()
    assert error.isVisible()
    type_into(qtbot, dialog.email, "ann@example.org")
    assert not error.isVisible()
    dialog.save()
    assert rows(db_path, "SELECT preferred_contact, email FROM people") == [
        ("email", "ann@example.org")]


@pytest.fixture
def goal(store):
    person = store.people.add(Person(name="Grace Okafor", date_of_birth=date(1950, 3, 2)))
    return store.goals.add(Goal(person_id=person.id, title="Walk to the park",
                               owner_role="hwbc", baseline=3,
                               set_date=date.today() - timedelta(days=10)))


def test_store_refuses_progress_dated_before_the_goal_was_agreed(store, goal, db_path):
    agreed = goal.set_date
    with pytest.raises(ValidationError) as caught:
        store.goals.add_progress(GoalProgress(goal_id=goal.id, date=agreed - timedelta(days=1),
                                        score=4))
    assert caught.value.errors == {
        "date": f"cannot be before the goal was agreed ({agreed:%d %b %Y})"}
    store.goals.add_progress(GoalProgress(goal_id=goal.id, date=agreed, score=4))
    assert count(db_path, "goal_progress") == 1


def test_session_cannot_score_a_goal_agreed_after_it(store, goal, db_path):
    entry = SessionEntry(
        session=Session(person_id=goal.person_id, date=goal.set_date - timedelta(days=3),
                        role="hwbc", kind="follow_up", mode="telephone", minutes=20),
        goal_scores=((goal.id, 5, ""),))
    with pytest.raises(ValidationError) as caught:
        store.sessions.log(entry)
    assert f"goal_score_{goal.id}" in caught.value.errors
    assert count(db_path, "sessions") == 0 and count(db_path, "goal_progress") == 0


def test_progress_date_before_agreed_is_refused_under_the_date_and_clears(qtbot, store, goal,
                                                                          db_path):
    panel = GoalsPanel(make_context(store))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_person(goal.person_id)
    date_error = panel.findChild(type(panel.progress_error), "progress_dateError")

    type_into(qtbot, panel.progress_date, f"{date.today() + timedelta(days=1):%d/%m/%Y}")
    type_into(qtbot, panel.progress_score, "6")
    qtbot.mouseClick(panel.progress_button, Qt.MouseButton.LeftButton)
    assert date_error.isVisible() and "future" in date_error.text()

    # Fixing the future date drops that message; a date before the goal was agreed is
    # still wrong, and the message says so at once.
    type_into(qtbot, panel.progress_date, f"{goal.set_date - timedelta(days=2):%d/%m/%Y}")
    assert date_error.isVisible()
    assert "future" not in date_error.text()
    assert "before the goal was agreed" in date_error.text()
    qtbot.mouseClick(panel.progress_button, Qt.MouseButton.LeftButton)
    assert "before the goal was agreed" in date_error.text()
    assert count(db_path, "goal_progress") == 0

    type_into(qtbot, panel.progress_date, f"{goal.set_date:%d/%m/%Y}")
    assert not date_error.isVisible()
    type_into(qtbot, panel.progress_score, "6")
    qtbot.mouseClick(panel.progress_button, Qt.MouseButton.LeftButton)
    assert rows(db_path, "SELECT date, score FROM goal_progress") == [
        (goal.set_date.isoformat(), 6)]


def test_session_form_says_under_the_goal_score_when_the_goal_came_later(qtbot, store, goal,
                                                                        db_path):
    panel = SessionsPanel(make_context(store))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_person(goal.person_id)
    type_into(qtbot, panel.date, f"{goal.set_date - timedelta(days=3):%d/%m/%Y}")
    type_into(qtbot, panel.minutes, "20")
    row = panel._goal_rows[0]
    type_into(qtbot, row.score, "5")
    assert not panel.save()
    assert row.score_error.isVisible()
    assert "before the goal was agreed" in row.score_error.text()
    assert count(db_path, "sessions") == 0
