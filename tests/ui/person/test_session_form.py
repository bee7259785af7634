"""The session form: its Save button can be read, and each person's form starts at the top."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from arrs_desktop.domain.models import Episode, Goal, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common import theme
from tests.ui_helpers import make_window, rows, type_into


def _people(store, n=2):
    people = []
    for i in range(n):
        person = store.people.add(Person(name=f"Person {i}", date_of_birth=date(1960, 1, i + 1)))
        store.episodes.open(Episode(person_id=person.id, role="splw", referral_source="gp",
                                   referral_date=date.today()))
        for title in ("Walk to the shops", "Join a choir", "Sleep better"):
            store.goals.add(Goal(person_id=person.id, title=title, owner_role="splw",
                                baseline=3))
        people.append(person)
    return people


def _share(image, colour: str) -> float:
    """How much of a picture is (close to) one colour."""
    want = QColor(colour)
    hits = total = 0
    for x in range(0, image.width(), 2):
        for y in range(0, image.height(), 2):
            c = image.pixelColor(x, y)
            total += 1
            if (abs(c.red() - want.red()) + abs(c.green() - want.green())
                    + abs(c.blue() - want.blue())) < 40:
                hits += 1
    return hits / max(total, 1)


@pytest.fixture
def styled(qapp):
    """The window as users see it: with the app's style sheet."""
    qapp.setStyleSheet(theme.STYLE_SHEET)
    yield
    qapp.setStyleSheet("")


def test_save_session_is_a_blue_button_with_white_words(qtbot, store, styled):
    person = _people(store, 1)[0]
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.open_person(person.id)
    window.daily_work.log_session_action.trigger()
    panel = window.sessions_panel
    panel.scroll.ensureWidgetVisible(panel.save_button)
    qtbot.wait(10)
    image = panel.save_button.grab().toImage()
    assert _share(image, theme.BLUE) > 0.5  # the primary colour behind…
    assert _share(image, theme.WHITE) > 0.03  # …and the words on it, in white


def test_next_persons_form_starts_at_the_top_and_saved_is_in_sight(qtbot, store, db_path):
    first, second = _people(store, 2)
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.resize(1366, 620)  # a short window: the form must scroll
    window.open_person(first.id)
    window.daily_work.log_session_action.trigger()
    panel = window.sessions_panel
    qtbot.wait(10)
    bar = panel.scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # down at the referrals, as after the last session

    window.open_person(second.id)
    window.daily_work.log_session_action.trigger()  # Ctrl+Shift+S on the next person
    qtbot.wait(10)
    assert bar.value() == 0
    for field in (panel.date, panel.kind, panel.minutes):
        assert not field.visibleRegion().isEmpty(), field.objectName()
    assert panel.date.hasFocus()

    type_into(qtbot, panel.minutes, "30")
    bar.setValue(bar.maximum())
    qtbot.keyClick(panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(10)
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(1,)]
    assert panel.saved_label.text().startswith("✔ Session of")
    assert not panel.saved_label.visibleRegion().isEmpty()  # in sight, not below the fold
    assert bar.value() == 0 and panel.date.hasFocus()
