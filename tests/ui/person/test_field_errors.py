"""Errors sit in their own row under the field they are about, and go once it is fixed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt

from arrs_desktop.domain.models import Person
from arrs_desktop.settings import Settings
from tests import layout_audit
from tests.ui_helpers import count, make_context, type_into


def _rect_in(widget, window):
    top_left = widget.mapTo(window, QPoint(0, 0))
    return widget.rect().translated(top_left)


def _settle(qtbot, dialog) -> None:
    qtbot.wait(20)  # the dialog grows for its message once the click is handled


def _assert_under(field, error, window) -> None:
    field_rect, error_rect = _rect_in(field, window), _rect_in(error, window)
    assert not field_rect.intersects(error_rect), (field_rect, error_rect)
    assert error_rect.top() >= field_rect.bottom()
    assert error.height() >= error.heightForWidth(error.width())


def test_welcome_dialog_error_is_under_the_name_and_goes_once_a_name_is_typed(qtbot):
    from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), first_run=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.findChild(type(dialog.save_button), "saveSettingsButton"),
                     Qt.MouseButton.LeftButton)
    _settle(qtbot, dialog)
    error = dialog.findChild(type(dialog.general_error), "user_nameError")
    assert error.isVisible() and "required" in error.text()
    _assert_under(dialog.user_name, error, dialog)
    assert layout_audit.problems(dialog) == []
    assert dialog.user_name.property("invalid") == "true"

    qtbot.keyClicks(dialog.user_name, "Sam Kirby")
    assert not error.isVisible()
    assert dialog.user_name.property("invalid") == "false"


def test_practice_phone_error_follows_what_is_typed(qtbot):
    from arrs_desktop.ui.shell.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(user_name="Sam"))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.practice_phone, "0113 abc")
    dialog.save()
    _settle(qtbot, dialog)
    error = dialog.findChild(type(dialog.general_error), "practice_phoneError")
    assert "digits" in error.text()
    _assert_under(dialog.practice_phone, error, dialog)
    assert layout_audit.problems(dialog) == []
    for _ in range(3):
        qtbot.keyClick(dialog.practice_phone, Qt.Key.Key_Backspace)
    # Only digits now, but too few: the message says what is still wrong.
    assert error.isVisible() and "between 6 and 15 digits" in error.text()
    qtbot.keyClicks(dialog.practice_phone, "496 0000")
    assert not error.isVisible()


def test_new_person_nhs_number_error_is_under_the_field_and_tracks_the_digits(qtbot, store):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Mei Öztürk")
    type_into(qtbot, dialog.nhs, "123")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, dialog)
    error = dialog.findChild(type(dialog.general_error), "nhs_numberError")
    assert "10 digits (it has 3)" in error.text()
    _assert_under(dialog.nhs, error, dialog)
    assert layout_audit.problems(dialog) == []

    qtbot.keyClicks(dialog.nhs, "4")
    assert "(it has 4)" in error.text()  # still wrong, and says how
    type_into(qtbot, dialog.nhs, "943 476 5919")
    assert not error.isVisible()
    assert dialog.nhs.property("invalid") == "false"
    dialog.save()
    assert count(store.path, "people") == 1


def test_duplicate_warning_is_said_once_under_the_name_with_the_choice_beside_it(qtbot, store):
    from arrs_desktop.ui.person.person_dialog import PersonDialog

    store.people.add(Person(name="Abena Hussain", date_of_birth=date(1943, 5, 16)))
    dialog = PersonDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.name, "Abena Hussain")
    type_into(qtbot, dialog.dob, "16/05/1943")
    dialog.save()
    _settle(qtbot, dialog)
    error = dialog.findChild(type(dialog.general_error), "nameError")
    assert error.text().startswith("Abena Hussain, born 16 May 1943, is already on the log")
    _assert_under(dialog.name, error, dialog)
    assert dialog.confirm_different.isVisible()
    assert _rect_in(dialog.confirm_different, dialog).top() >= _rect_in(error, dialog).bottom()
    texts = [w.text() for w in dialog.findChildren(type(dialog.general_error))
             if w.isVisible() and w.text()]
    assert len(texts) == 1, texts  # said once, not again at the foot of the form
    assert layout_audit.problems(dialog) == []

    dialog.confirm_different.setChecked(True)
    dialog.save()
    assert count(store.path, "people") == 2
