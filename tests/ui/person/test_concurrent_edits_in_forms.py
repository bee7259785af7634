"""In the window: a save that meets someone else's newer change shows both and loses neither."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.store import open_store
from tests.ui_helpers import answer_dialog, make_context, make_window, rows, type_into


@pytest.fixture
def other(db_path, store):
    """A second window's store on the same file."""
    s = open_store(db_path, user="Sam Other", device_id="laptop-b")
    yield s
    s.close()


@pytest.fixture
def person(store):
    return store.people.add(Person(name="Nora Quinn", date_of_birth=date(1950, 4, 1),
                                   phone="0161 496 0100", address="1 Mill Lane"))


def test_edit_details_over_a_newer_phone_asks_and_keeps_both(qtbot, store, other, person,
                                                           db_path):
    from arrs_desktop.ui.common.conflict_dialog import ConflictDialog
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    # Edit details, window A
    dialog = PersonDialog(make_context(store), store.people.get(person.id))
    qtbot.addWidget(dialog)
    dialog.show()
    other.people.update(replace(other.people.get(person.id), phone="0161 496 0999"))  # B
    other.people.set_what_matters(person.id, "Seeing my grandchildren")
    dialog.address.setFocus()
    dialog.address.selectAll()
    qtbot.keyClicks(dialog.address, "2 Mill Lane")
    seen, failures = {}, []

    def answer(conflict):
        assert isinstance(conflict, ConflictDialog)
        seen["text"] = "\n".join(label.text() for label in conflict.findChildren(QLabel))
        qtbot.mouseClick(conflict.mine_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, answer, failures)
    dialog.save()
    assert not failures, failures
    assert "Sam Other" in seen["text"] and "0161 496 0999" in seen["text"]
    assert "2 Mill Lane" in seen["text"]
    assert rows(db_path, "SELECT phone, address, what_matters FROM people") == [
        ("0161 496 0999", "2 Mill Lane", "Seeing my grandchildren")]
    assert dialog.result() == dialog.DialogCode.Accepted


def test_edit_details_can_show_theirs_instead(qtbot, store, other, person, db_path):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    dialog = PersonDialog(make_context(store), store.people.get(person.id))
    qtbot.addWidget(dialog)
    dialog.show()
    other.people.update(replace(other.people.get(person.id), phone="0161 496 0999"))
    type_into(qtbot, dialog.phone, "0161 496 0123")
    failures = []
    answer_dialog(qtbot, lambda c: qtbot.mouseClick(c.theirs_button,
                                                    Qt.MouseButton.LeftButton), failures)
    dialog.save()
    assert not failures
    assert dialog.isVisible()
    assert dialog.phone.text() == "0161 496 0999"
    assert "Sam Other" in dialog.general_error.text()
    assert rows(db_path, "SELECT phone FROM people") == [("0161 496 0999",)]
    dialog.save()  # now saving again saves the form as shown
    assert dialog.result() == dialog.DialogCode.Accepted


def test_what_matters_typed_while_someone_else_changed_it_asks_which_to_keep(
        qtbot, store, other, person, db_path):
    window = make_window(qtbot, store)
    window.open_person(person.id)
    panel = window.needs_match.needs_panel
    other.people.set_what_matters(person.id, "Seeing my grandchildren")
    type_into(qtbot, panel.what_matters, "Walking the dog again")
    panel.flush()
    assert panel.clash.isVisible()
    assert "Sam Other" in panel.what_matters_error.text()
    assert "Seeing my grandchildren" in panel.what_matters_error.text()
    assert rows(db_path, "SELECT what_matters FROM people") == [("Seeing my grandchildren",)]
    qtbot.mouseClick(panel.keep_mine_button, Qt.MouseButton.LeftButton)
    assert not panel.clash.isVisible()
    assert rows(db_path, "SELECT what_matters FROM people") == [("Walking the dog again",)]


def test_what_matters_can_take_their_words(qtbot, store, other, person, db_path):
    window = make_window(qtbot, store)
    window.open_person(person.id)
    panel = window.needs_match.needs_panel
    other.people.set_what_matters(person.id, "Seeing my grandchildren")
    type_into(qtbot, panel.what_matters, "Walking the dog again")
    panel.flush()
    qtbot.mouseClick(panel.use_theirs_button, Qt.MouseButton.LeftButton)
    assert panel.what_matters.toPlainText() == "Seeing my grandchildren"
    panel.flush()
    assert rows(db_path, "SELECT what_matters FROM people") == [("Seeing my grandchildren",)]


def test_starting_an_episode_declined_elsewhere_says_who_and_changes_nothing(
        qtbot, store, other, person, db_path):
    episode = store.episodes.open(Episode(person_id=person.id, role="splw",
                                         referral_date=date.today(), referral_source="gp"))
    window = make_window(qtbot, store)
    window.open_person(person.id)
    episodes = window.needs_match.episodes_panel
    other.episodes.change_status(episode.id, "declined")
    failures = []
    answer_dialog(qtbot, lambda d: d.accept(), failures)  # which day? today
    row = episodes.rows[0]
    qtbot.mouseClick(row._all_buttons["active"], Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert "Sam Other" in episodes.error.text() and "Declined" in episodes.error.text()
    assert rows(db_path, "SELECT status FROM episodes") == [("declined",)]
