"""Settings: the optional practice phone, checked in the dialog and kept in the file."""

import pytest

from arrs_desktop.settings import Settings, load_settings, practice_phone_error, save_settings
from arrs_desktop.ui.shell.settings_dialog import SettingsDialog


@pytest.mark.parametrize("phone", ["", "0113 496 0000", "+44 (0)113 496-0000", " 01632 960000 "])
def test_good_practice_phones(phone):
    assert practice_phone_error(phone) is None


@pytest.mark.parametrize(("phone", "why"), [
    ("0113 496 000O", "may only contain"),
    ("call reception", "may only contain"),
    ("12345", "between 6 and 15 digits"),
    ("0" * 16, "between 6 and 15 digits"),
    ("0" * 41, "too long"),
])
def test_bad_practice_phones(phone, why):
    assert why in practice_phone_error(phone)


def test_practice_phone_is_kept_and_older_files_still_load(isolated_home):
    from arrs_desktop import paths

    paths.settings_path().write_text('{"user_name": "Ann", "practice": "Elm"}', "utf-8")
    assert (load_settings().user_name, load_settings().practice_phone) == ("Ann", "")
    save_settings(Settings(user_name="Ann", practice="Elm Practice",
                           practice_phone="0113 496 0000"))
    assert load_settings().practice_phone == "0113 496 0000"


def test_settings_dialog_checks_and_saves_the_practice_phone(qtbot):
    dialog = SettingsDialog(Settings(user_name="Ann", practice="Elm Practice"))
    assert load_settings().user_name == ""
    qtbot.addWidget(dialog)
    assert dialog.practice_phone.text() == ""
    dialog.practice_phone.setText("ring 0113")
    dialog.save()
    _widget, error = dialog.form.fields["practice_phone"]
    assert not error.isHidden() and "may only contain" in error.text()
    assert dialog.saved is None and load_settings().user_name == ""
    dialog.practice_phone.setText(" 0113 496 0000 ")
    dialog.save()
    assert dialog.saved is not None
    assert load_settings().practice_phone == "0113 496 0000"
    # Blank is allowed: the plan then asks the practice to pass on a message.
    again = SettingsDialog(load_settings())
    qtbot.addWidget(again)
    assert again.practice_phone.text() == "0113 496 0000"
    again.practice_phone.clear()
    again.save()
    assert load_settings().practice_phone == ""
