"""A care coordinator's day in the Care homes view, through the real widgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from arrs_desktop.domain.models import CareHome, CareHomeContact, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common.date_line_edit import format_uk_date
from arrs_desktop.ui.shell.main_window import MainWindow
from arrs_desktop.ui.team.care_homes.care_home_contacts_model import CareHomeContactsModel
from arrs_desktop.ui.team.care_homes.care_home_dialog import CareHomeDialog
from arrs_desktop.ui.team.care_homes.care_homes_model import CareHomesModel
from tests.ui_helpers import make_context

TODAY = date.today()


@pytest.fixture
def homes(store):
    """Priya's overdue home with three residents and her home due in four days; Tom's home
    due soon."""
    overdue = store.care_homes.add(CareHome(name="Willow Court", lead_worker="Priya Shah",
                                           practice="Castle Surgery", clinical_lead="Dr Ahmed"))
    soon = store.care_homes.add(CareHome(name="Beech House", lead_worker="Tom Reed"))
    later = store.care_homes.add(CareHome(name="Ash Lodge", lead_worker="Priya Shah"))
    for name in ("Ada Byrne", "Ben Cole", "Cora Dunn"):
        store.people.add(Person(name=name, care_home_id=overdue.id))
    store.people.add(Person(name="Dan Evans", care_home_id=later.id))
    for home, last in ((overdue, 12), (soon, 6), (later, 3)):
        day = TODAY - timedelta(days=last)
        store.care_homes.log_contact(CareHomeContact(
            care_home_id=home.id, date=day, kind="weekly_check_in",
            next_due=day + timedelta(days=7)))
    return {"overdue": overdue, "soon": soon, "later": later}


@pytest.fixture
def window(qtbot, store, homes):
    win = MainWindow(store, Settings(user_name="Priya Shah", role="cc"), None)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def _open_care_homes(qtbot, window):
    bar = window.views.tabBar()
    index = next(i for i in range(window.views.count())
                 if window.views.tabText(i) == "Care homes")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    view = window.findChild(type(window.care_homes), "careHomesView")
    assert window.views.currentWidget() is view
    return view


def _row_names(view):
    return [view.model.home(r).name for r in range(view.model.rowCount())]


def _click_home(qtbot, view, name):
    row = _row_names(view).index(name)
    rect = view.table.visualRect(view.model.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.home_id == view.model.home(row).id


def _tick(qtbot, form, name):
    items = form.residents.findItems(name, Qt.MatchFlag.MatchExactly)
    assert len(items) == 1
    form.residents.setFocus()
    form.residents.setCurrentItem(items[0])
    qtbot.keyClick(form.residents, Qt.Key.Key_Space)
    assert items[0].checkState() == Qt.CheckState.Checked


def test_coordinator_logs_a_contact_and_the_overdue_mark_moves(qtbot, window, store, homes):
    view = _open_care_homes(qtbot, window)
    # Priya's own homes come first (overdue first), then Tom's home although it is due sooner.
    assert _row_names(view) == ["Willow Court", "Ash Lodge", "Beech House"]
    assert [view.model.home(r).overdue for r in range(3)] == [True, False, False]
    assert "Overdue" in view.model.index(0, 1).data()
    assert "Due soon" in view.model.index(2, 1).data()

    _click_home(qtbot, view, "Willow Court")
    assert "Overdue since" in view.details.next_due.text()
    form = view.contact_form
    assert view.tabs.currentWidget() is form
    assert form.residents.count() == 3  # only this home's residents
    assert form.next_due.text() == format_uk_date(TODAY + timedelta(days=7))
    contact_day = TODAY - timedelta(days=1)
    form.date.clear()
    qtbot.keyClicks(form.date, format_uk_date(contact_day))
    assert form.next_due.text() == format_uk_date(contact_day + timedelta(days=7))
    form.kind.setCurrentIndex(form.kind.findData("home_round"))
    _tick(qtbot, form, "Ada Byrne")
    _tick(qtbot, form, "Cora Dunn")
    qtbot.keyClicks(form.actions, "Falls review booked with the GP.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    contacts = store.db.execute(
        "SELECT id, date, kind, actions, next_due, worker FROM care_home_contacts"
        " WHERE care_home_id = ? ORDER BY date DESC, created_at DESC",
        [homes["overdue"].id]).fetchall()
    assert len(contacts) == 2
    new_id, day, kind, actions, next_due, worker = contacts[0]
    assert (day, kind, actions, next_due, worker) == (
        contact_day.isoformat(), "home_round", "Falls review booked with the GP.",
        (contact_day + timedelta(days=7)).isoformat(), "Priya Shah")
    discussed = {r[0] for r in store.db.execute(
        "SELECT p.name FROM care_home_contact_residents r JOIN people p ON p.id = r.person_id"
        " WHERE r.contact_id = ?", [new_id]).fetchall()}
    assert discussed == {"Ada Byrne", "Cora Dunn"}
    audited = store.db.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'care_home_contact_residents'"
        " AND row_id = ?", [new_id]).fetchone()[0]
    assert audited == 2

    # The next due date and the overdue mark move at once; the home moves down the list.
    due = contact_day + timedelta(days=7)
    assert view.home_id == homes["overdue"].id
    assert "Overdue" not in view.details.next_due.text()
    assert f"{due.day} {due:%b}" in view.details.next_due.text()
    row = view.model.row_of(homes["overdue"].id)
    assert _row_names(view) == ["Ash Lodge", "Willow Court", "Beech House"]
    assert row == 1 and not view.model.home(row).overdue
    assert view.model.home(row).next_due == due
    assert "Overdue" not in view.model.index(row, 1).data()
    assert view.contacts_model.rowCount() == 2
    assert view.contacts_model.index(0, 1).data() == (
        "Ada Byrne, Cora Dunn\nFalls review booked with the GP.")
    assert view.table.currentIndex().row() == row  # still the chosen home
    assert form.ticked_residents() == [] and form.date.text() == format_uk_date(TODAY)


def test_contact_in_the_future_is_refused_by_the_field_and_nothing_saved(
        qtbot, window, store, homes):
    view = _open_care_homes(qtbot, window)
    _click_home(qtbot, view, "Willow Court")
    before = store.table_counts()
    form = view.contact_form
    form.date.clear()
    qtbot.keyClicks(form.date, format_uk_date(TODAY + timedelta(days=3)))
    _tick(qtbot, form, "Ben Cole")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    error = form.findChild(type(form.saved_label), "dateError")
    assert error.isVisible() and "future" in error.text()
    assert store.table_counts() == before
    assert form.ticked_residents()  # what was typed is kept


def test_next_due_keeps_a_date_the_user_typed(qtbot, window, homes):
    view = _open_care_homes(qtbot, window)
    _click_home(qtbot, view, "Willow Court")
    form = view.contact_form
    form.next_due.clear()
    qtbot.keyClicks(form.next_due, format_uk_date(TODAY + timedelta(days=14)))
    form.date.clear()
    qtbot.keyClicks(form.date, format_uk_date(TODAY - timedelta(days=2)))
    assert form.next_due.text() == format_uk_date(TODAY + timedelta(days=14))


def test_double_clicking_a_resident_opens_their_record(qtbot, window, store, homes):
    view = _open_care_homes(qtbot, window)
    _click_home(qtbot, view, "Willow Court")
    view.tabs.setCurrentIndex(2)
    item = view.residents.findItems("Ben Cole", Qt.MatchFlag.MatchExactly)[0]
    rect = view.residents.visualItemRect(item)
    qtbot.mouseClick(view.residents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.residents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.views.currentWidget() is window.person_view
    assert store.people.get(window.person_view.person_id).name == "Ben Cole"


def test_show_home_selects_it(qtbot, window, homes):
    view = window.care_homes
    assert view.show_home(homes["later"].id)
    assert view.details.name.text() == "Ash Lodge"
    assert not view.show_home("no-such-home")


def test_add_care_home_without_a_name_shows_the_error_and_saves_nothing(qtbot, store):
    dialog = CareHomeDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.practice, "Castle Surgery")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.findChild(type(dialog.general_error), "nameError")
    assert error.isVisible() and "required" in error.text()
    assert store.care_homes.all() == []
    qtbot.keyClicks(dialog.name, "Rowan House")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [h.name for h in store.care_homes.all()] == ["Rowan House"]
    assert dialog.saved.practice == "Castle Surgery"


def test_edit_care_home_details_through_the_dialog(qtbot, store, homes):
    dialog = CareHomeDialog(make_context(store), homes["soon"])
    qtbot.addWidget(dialog)
    dialog.clinical_lead.clear()
    qtbot.keyClicks(dialog.clinical_lead, "Dr Okafor")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert store.care_homes.get(homes["soon"].id).clinical_lead == "Dr Okafor"


def test_care_home_models_pass_the_model_tester(qtmodeltester, demo_store):
    homes = CareHomesModel(demo_store, "Helen Brooks")
    qtmodeltester.check(homes)
    contacts = CareHomeContactsModel(demo_store)
    contacts.set_home(homes.home(0).id)
    assert contacts.rowCount() > 0
    qtmodeltester.check(contacts)


def test_demo_homes_led_by_the_user_come_first(demo_store):
    model = CareHomesModel(demo_store, "Helen Brooks")
    owns = [model.home(r).own for r in range(model.rowCount())]
    assert any(owns) and owns == sorted(owns, reverse=True)


def test_a_date_that_does_not_exist_is_named_in_the_users_format(qtbot, window, store, homes):
    view = _open_care_homes(qtbot, window)
    _click_home(qtbot, view, "Willow Court")
    before = store.table_counts()
    form = view.contact_form
    form.next_due.clear()
    qtbot.keyClicks(form.next_due, "31/02/2026")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    error = form.findChild(type(form.saved_label), "next_dueError")
    assert error.isVisible() and "DD/MM/YYYY" in error.text()
    assert store.table_counts() == before


def test_a_new_user_name_puts_their_homes_first_after_the_overdue(qtbot, window, homes):
    view = _open_care_homes(qtbot, window)
    view.set_user_name("Tom Reed")
    # Overdue first whoever leads it; then the user's own before the rest.
    assert _row_names(view)[:2] == ["Willow Court", "Beech House"]
    assert view.model.home(0).overdue and not view.model.home(0).own
    assert view.model.home(1).own and not view.model.home(2).own
    assert view.contact_form.contact().worker == "Tom Reed"


def test_tab_goes_through_the_contact_form_top_to_bottom_then_save(qtbot, window, homes):
    view = _open_care_homes(qtbot, window)
    _click_home(qtbot, view, "Willow Court")
    form = view.contact_form
    order, widget = [], form.date
    for _ in range(300):
        widget = widget.nextInFocusChain()
        if widget is form.date:
            break
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
    expected = [form.kind, form.residents, form.actions, form.next_due, form.save_button]
    assert [w for w in order if w in expected] [:5] == expected
    assert order.index(form.save_button) == order.index(form.next_due) + 1
    label = form.form.form.labelForField(form.actions.parentWidget())
    assert label.buddy() is form.actions  # the label names the field itself
