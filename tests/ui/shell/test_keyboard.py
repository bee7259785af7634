"""The keyboard: from the search box to the results, a visible focus, referrals by key."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import CommunityAsset, Episode, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common import theme
from tests.ui_helpers import make_window


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """Press a key where the keyboard is now, as a user would."""
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def write(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


@pytest.fixture
def people(store):
    out = {}
    for name in ("Ada Adams", "Ada Byrne", "Bea Cole"):
        person = store.people.add(Person(name=name, date_of_birth=date(1950, 1, 1)))
        store.episodes.open(Episode(person_id=person.id, role="splw", worker="Lee Link",
                                   referral_source="gp", referral_date=date.today()))
        out[name] = person
    return out


@pytest.fixture
def styled(qapp):
    qapp.setStyleSheet(theme.STYLE_SHEET)
    yield
    qapp.setStyleSheet("")


def test_down_from_the_search_goes_to_the_results_and_enter_opens(qtbot, store, people):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.find_action.trigger()  # Ctrl+F
    assert window.caseload.search.hasFocus()
    write(qtbot, "ada")
    press(qtbot, Qt.Key.Key_Down)
    table = window.caseload.table
    assert table.hasFocus()
    assert table.model().row_object(table.currentIndex().row()).name == "Ada Adams"
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert window.person_view.person_id == people["Ada Byrne"].id


def test_enter_in_the_search_goes_to_the_first_result(qtbot, store, people):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.focus_search()
    write(qtbot, "bea")
    press(qtbot, Qt.Key.Key_Return)
    table = window.caseload.table
    assert table.hasFocus()
    assert table.model().row_object(table.currentIndex().row()).name == "Bea Cole"
    press(qtbot, Qt.Key.Key_Return)
    assert window.person_view.person_id == people["Bea Cole"].id


def test_the_list_with_the_keyboard_shows_its_row_in_full_blue(qtbot, store, people, styled):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    table = window.caseload.table
    window.focus_search()
    press(qtbot, Qt.Key.Key_Down)
    qtbot.wait(10)
    rect = table.visualRect(table.model().index(table.currentIndex().row(), 2))
    colour = table.viewport().grab(rect).toImage().pixelColor(rect.width() - 3, 3)
    assert colour.name().upper() == theme.BLUE
    window.focus_search()  # the keyboard elsewhere: the row goes pale again
    qtbot.wait(10)
    colour = table.viewport().grab(rect).toImage().pixelColor(rect.width() - 3, 3)
    assert colour.name().upper() != theme.BLUE


def test_community_referrals_by_keyboard_and_whole_rows(qtbot, store, people, db_path):
    for name in ("Knit and Natter", "Knitting Circle", "Walking Group", "Choir", "Allotments"):
        store.community.add_asset(CommunityAsset(name=name, category="arts_culture"))
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(people["Ada Adams"].id)
    window.daily_work.log_session_action.trigger()
    panel = window.sessions_panel
    panel.asset_search.setFocus()
    write(qtbot, "knit")
    assert panel.asset_list.count() == 2
    press(qtbot, Qt.Key.Key_Down)
    assert panel.asset_list.hasFocus() and panel.asset_list.currentRow() == 0
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    assert panel.chosen_label.text() == "Referring to: Knitting Circle"
    write(qtbot, "t")  # typing in the list carries on with the search
    assert panel.asset_search.hasFocus() and panel.asset_search.text() == "knitt"
    press(qtbot, Qt.Key.Key_Backspace)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Up)  # Up from the first row goes back to the search box
    assert panel.asset_search.hasFocus()
    write(qtbot, " and")  # in the search box, Space is a space
    assert panel.asset_search.text() == "knit and" and panel.asset_list.count() == 1
    press(qtbot, Qt.Key.Key_Return)  # Enter ticks the first match
    assert panel.chosen_label.text() == "Referring to: Knitting Circle, Knit and Natter"
    # The list shows whole rows only.
    row = panel.asset_list.sizeHintForRow(0)
    inside = panel.asset_list.height() - 2 * panel.asset_list.frameWidth()
    assert inside % row == 0 and inside // row >= 4
