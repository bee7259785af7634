"""Each role's day by keyboard alone: every step is a key pressed where the keyboard is."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    CommunityAsset,
    Episode,
    Goal,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.settings import Settings
from tests.ui_helpers import make_window, rows

TODAY = date.today()
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """Press a key where the keyboard is now, as a user would."""
    for _ in range(times):
        widget = QApplication.focusWidget()
        assert widget is not None, "the keyboard is nowhere"
        qtbot.keyClick(widget, key, modifier)
        qtbot.wait(5)  # a move of the keyboard into a tab happens once the key is handled


def write(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def tab_to(qtbot, widget, limit: int = 40) -> None:
    """Press Tab until the keyboard is on a widget (as a user tabbing through a form)."""
    for _ in range(limit):
        if QApplication.focusWidget() is widget:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName()}")


def focus_shows(widget) -> bool:
    """The keyboard's place can be seen: on this widget, which is in sight."""
    return (QApplication.focusWidget() is widget and widget.isVisible()
            and not widget.visibleRegion().isEmpty())


@pytest.fixture
def day(store):
    lee = store.people.add(Person(name="Ada Allot", date_of_birth=date(1948, 2, 3)))
    store.episodes.open(Episode(person_id=lee.id, role="splw", worker="Lee Link",
                               referral_source="gp", referral_date=TODAY - timedelta(20)))
    store.sessions.log(SessionEntry(Session(
        person_id=lee.id, date=TODAY - timedelta(14), role="splw", kind="assessment",
        mode="telephone", minutes=30, worker="Lee Link", next_follow_up=TODAY)))
    store.community.add_asset(CommunityAsset(name="Knit and Natter", category="arts_culture"))
    next_one = store.people.add(Person(name="Bo Next"))
    store.episodes.open(Episode(person_id=next_one.id, role="splw", worker="Lee Link",
                               referral_source="gp", referral_date=TODAY - timedelta(30)))
    store.sessions.log(SessionEntry(Session(
        person_id=next_one.id, date=TODAY - timedelta(20), role="splw", kind="assessment",
        mode="telephone", minutes=30, worker="Lee Link",
        next_follow_up=TODAY - timedelta(3))))
    home = store.care_homes.add(CareHome(name="Willow Court", lead_worker="Cat Coord"))
    resident = store.people.add(Person(name="Cora Resident", care_home_id=home.id))
    store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=TODAY - timedelta(12), kind="weekly_check_in",
        next_due=TODAY - timedelta(5)))
    coachee = store.people.add(Person(name="Dee Coached"))
    store.episodes.open(Episode(person_id=coachee.id, role="hwbc", worker="Hana Coach",
                               referral_source="gp", referral_date=TODAY - timedelta(40)))
    goal = store.goals.add(Goal(person_id=coachee.id, title="Walk to the park",
                               owner_role="hwbc", baseline=3,
                               set_date=TODAY - timedelta(30)))
    return {"lee": lee, "next": next_one, "home": home, "resident": resident,
            "coachee": coachee, "goal": goal}


def test_link_worker_logs_a_session_with_ons4_and_a_referral_then_the_next_follow_up(
        qtbot, store, day, db_path):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.activateWindow()
    window.caseload.table.setFocus()  # wherever the keyboard happens to be
    press(qtbot, Qt.Key.Key_F, CTRL)  # find the person
    assert focus_shows(window.caseload.search)
    write(qtbot, "ada")
    press(qtbot, Qt.Key.Key_Return)  # to the results
    assert focus_shows(window.caseload.table)
    press(qtbot, Qt.Key.Key_Return)  # open
    assert window.person_view.person_id == day["lee"].id
    press(qtbot, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)  # log a session
    panel = window.sessions_panel
    assert focus_shows(panel.date)
    tab_to(qtbot, panel.minutes)
    write(qtbot, "40")
    tab_to(qtbot, panel.follow_up)
    write(qtbot, f"{TODAY + timedelta(days=14):%d/%m/%Y}")
    tab_to(qtbot, panel.notes)
    write(qtbot, "Talked about the knitting group")
    tab_to(qtbot, panel.ons4_box)
    press(qtbot, Qt.Key.Key_Space)  # ONS4 on
    for item, score in zip(("life_satisfaction", "worthwhile", "happy", "anxious"),
                           ("6", "7", "5", "4"), strict=True):
        tab_to(qtbot, panel.ons4[item])
        write(qtbot, score)
    tab_to(qtbot, panel.asset_search)
    write(qtbot, "knit")
    press(qtbot, Qt.Key.Key_Return)  # tick the first match
    press(qtbot, Qt.Key.Key_Return, CTRL)  # save
    assert rows(db_path, "SELECT minutes, notes FROM sessions WHERE person_id = ?"
                         " AND date = ?", (day["lee"].id, TODAY.isoformat())) == [
        (40, "Talked about the knitting group")]
    assert rows(db_path, "SELECT ons4_life_satisfaction, ons4_anxious FROM outcome_measures"
                ) == [(6, 4)]
    assert rows(db_path, "SELECT count(*) FROM asset_referrals") == [(1,)]
    assert "saved" in panel.saved_label.text()
    # Then the next follow-up: Follow-ups, the first item, Enter: its session form.
    press(qtbot, Qt.Key.Key_3, ALT)
    view = window.follow_ups
    qtbot.waitUntil(lambda: not view.loading and view.model.rowCount() > 0, timeout=30000)
    if not focus_shows(view.table):
        press(qtbot, Qt.Key.Key_3, ALT)  # the list arrived after the view was chosen
    assert focus_shows(view.table)
    assert view.model.item(view.table.currentIndex().row()).title == "Bo Next"
    press(qtbot, Qt.Key.Key_Return)
    assert window.person_view.person_id == day["next"].id
    assert window.person_view.tabs.currentWidget() is panel
    assert focus_shows(panel.date)


def test_care_coordinator_checks_in_with_the_overdue_home(qtbot, store, day, db_path):
    window = make_window(qtbot, store, Settings(user_name="Cat Coord", role="cc"))
    window.activateWindow()
    window.caseload.search.setFocus()
    press(qtbot, Qt.Key.Key_4, ALT)  # Care homes: the most overdue is chosen
    view = window.care_homes
    assert focus_shows(view.table) and view.home_id == day["home"].id
    press(qtbot, Qt.Key.Key_Return)  # log a contact with it
    form = view.contact_form
    assert focus_shows(form.date)
    tab_to(qtbot, form.residents)
    press(qtbot, Qt.Key.Key_Space)  # Cora was discussed
    tab_to(qtbot, form.actions)
    write(qtbot, "Falls review booked")
    press(qtbot, Qt.Key.Key_Return, CTRL)  # save
    assert rows(db_path, "SELECT kind, actions FROM care_home_contacts WHERE date = ?",
                (TODAY.isoformat(),)) == [("weekly_check_in", "Falls review booked")]
    assert rows(db_path, "SELECT count(*) FROM care_home_contact_residents") == [(1,)]
    assert not view.model.home(view.model.row_of(day["home"].id)).overdue


def test_health_coach_records_progress_on_a_goal(qtbot, store, day, db_path):
    window = make_window(qtbot, store, Settings(user_name="Hana Coach", role="hwbc"))
    window.activateWindow()
    window.caseload.table.setFocus()
    press(qtbot, Qt.Key.Key_K, CTRL)  # find (Ctrl+K as well as Ctrl+F)
    write(qtbot, "dee")
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert window.person_view.person_id == day["coachee"].id
    press(qtbot, Qt.Key.Key_G, ALT)  # the Goals tab
    panel = window.goals_panel
    assert window.person_view.tabs.currentWidget() is panel
    assert focus_shows(panel.table)
    tab_to(qtbot, panel.progress_score)
    write(qtbot, "6")
    press(qtbot, Qt.Key.Key_Return)
    assert rows(db_path, "SELECT date, score FROM goal_progress") == [(TODAY.isoformat(), 6)]
