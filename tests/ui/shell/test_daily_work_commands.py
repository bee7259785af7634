"""A day's work in the window: the Follow-ups view, settings as the default worker, My
caseload and Alt+number."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
)

from arrs_desktop.domain.models import (
    CareHome,
    CareHomeContact,
    Episode,
    Goal,
    Person,
    Session,
    SessionEntry,
)
from arrs_desktop.settings import Settings, load_settings
from arrs_desktop.ui.caseload.caseload_model import CaseloadModel
from arrs_desktop.ui.shell.settings_dialog import SettingsDialog
from arrs_desktop.ui.team.follow_ups.follow_ups_model import FollowUpsModel
from arrs_desktop.ui.team.follow_ups.follow_ups_view import FollowUpsView
from tests.ui_helpers import answer_dialog, loaded, make_context, make_window, rows, type_into

TODAY = date.today()


def _person(store, name: str, role: str, worker: str, follow_up: date | None = None):
    p = store.people.add(Person(name=name))
    store.episodes.open(Episode(person_id=p.id, role=role, referral_date=TODAY - timedelta(30),
                               referral_source="gp", worker=worker))
    if follow_up is not None:
        store.sessions.log(SessionEntry(Session(
            person_id=p.id, date=TODAY - timedelta(20), role=role, kind="assessment",
            mode="telephone", minutes=30, next_follow_up=follow_up)))
    return p


@pytest.fixture
def caseload(store):
    """Two link workers' people, one coach's, a care home with a contact overdue."""
    people = {
        "overdue": _person(store, "Olive Overdue", "splw", "Lee Link", TODAY - timedelta(3)),
        "today": _person(store, "Tara Today", "splw", "Lee Link", TODAY),
        "later": _person(store, "Lara Later", "splw", "Lee Link", TODAY + timedelta(9)),
        "other": _person(store, "Otto Other", "splw", "Kim Other", TODAY - timedelta(1)),
        "coach": _person(store, "Cora Coach", "hwbc", "Sam Coach"),
    }
    # seen, though no session is logged here: not awaiting a first contact
    store.episodes.change_status(store.episodes.for_person(people["coach"].id)[0].id, "active")
    store.goals.add(Goal(person_id=people["coach"].id, title="Walk daily", owner_role="hwbc",
                        baseline=2, target_date=TODAY - timedelta(2),
                        set_date=TODAY - timedelta(40)))
    store.goals.add(Goal(person_id=people["coach"].id, title="Future goal", owner_role="hwbc",
                        baseline=2, target_date=TODAY + timedelta(20)))
    home = store.care_homes.add(CareHome(name="Elm House", lead_worker="Lee Link"))
    store.care_homes.log_contact(CareHomeContact(
        care_home_id=home.id, date=TODAY - timedelta(10), kind="visit",
        next_due=TODAY - timedelta(3)))
    people["home"] = home
    return people


def test_follow_ups_list_shows_overdue_item_and_opening_it_shows_the_person(qtbot, store,
                                                                            caseload):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    window.daily_work.go_to_view(window.views.indexOf(window.follow_ups))
    view = window.follow_ups
    loaded(qtbot, view)
    assert view.mine.isChecked()
    model = view.model
    texts = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    assert any(t.startswith("Olive Overdue") for t in texts)
    assert not any(t.startswith("Otto Other") for t in texts)
    row = next(r for r, t in enumerate(texts) if t.startswith("Olive Overdue"))
    assert model.data(model.index(row, 0)) == "⚠ 3 days late"
    assert model.data(model.index(row, 3)) == f"Last session {TODAY - timedelta(20):%d %b %Y}"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Person"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Detail"
    qtbot.mouseClick(view.everyone, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 5

    texts = [model.data(model.index(r, 2)) for r in range(model.rowCount())]
    row = next(r for r, t in enumerate(texts) if t.startswith("Olive Overdue"))
    view.table.setFocus()
    view.table.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.views.currentWidget() is window.person_view
    assert window.person_view.person_id == caseload["overdue"].id
    assert window.person_view.header.name_label.text() == "Olive Overdue"


def test_opening_a_care_home_follow_up_asks_for_the_home(qtbot, store, caseload):
    view = FollowUpsView(make_context(store, Settings()))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    row = next(r for r in range(view.model.rowCount())
               if view.model.item(r).kind == "care_home")
    with qtbot.waitSignal(view.care_home_open_requested) as signal:
        view.open_item(row)
    assert signal.args == [caseload["home"].id]


def test_follow_ups_empty_state_says_what_to_do(qtbot, store):
    view = FollowUpsView(make_context(store, Settings(user_name="Lee Link")))
    qtbot.addWidget(view)
    assert "Loading" in view.empty.text() and view.table.isHidden()
    loaded(qtbot, view)
    assert view.table.isHidden() and not view.empty.isHidden()
    assert "Nothing is due" in view.empty.text()


def test_follow_ups_model_passes_qt_model_tester(qtmodeltester, store, caseload):
    model = FollowUpsModel(store)
    model.load(None)
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_settings_saved_from_the_dialog_become_the_default_worker(qtbot, store, caseload,
                                                                 db_path):
    window = make_window(qtbot, store, Settings())
    assert not window.caseload.my_caseload.isEnabled()
    failures: list = []

    def fill(dialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        type_into(qtbot, dialog.user_name, "Lee Link")
        dialog.role.setCurrentIndex(dialog.role.findData("splw"))
        type_into(qtbot, dialog.practice, "Riverside Surgery")
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    window.daily_work.settings_action.trigger()  # Edit → Settings… (Ctrl+,)
    assert not failures
    saved = load_settings()
    assert (saved.user_name, saved.role, saved.practice) == ("Lee Link", "splw",
                                                             "Riverside Surgery")
    assert store.user == "Lee Link"
    # My caseload is now on: the link worker's own people only.
    assert window.caseload.my_caseload.isChecked()
    assert window.caseload.model.total == 3
    # A session logged now carries the user as worker and audit name, and their role.
    window.open_person(caseload["other"].id)
    panel = window.sessions_panel
    window.person_view.tabs.setCurrentWidget(panel)  # a tab is filled when it is chosen
    assert panel.role.currentData() == "splw"
    type_into(qtbot, panel.minutes, "20")
    assert panel.save()
    assert rows(db_path, "SELECT worker FROM sessions ORDER BY created_at DESC LIMIT 1") == [
        ("Lee Link",)]
    assert rows(db_path, "SELECT who FROM audit_log WHERE table_name = 'sessions'"
                         " ORDER BY seq DESC LIMIT 1") == [("Lee Link",)]


def test_settings_dialog_needs_a_name(qtbot):
    dialog = SettingsDialog(Settings(), first_run=True)
    qtbot.addWidget(dialog)
    dialog.save()
    widget, error = dialog.form.fields["user_name"]
    assert not error.isHidden() and "required" in error.text()
    assert dialog.saved is None
    assert not load_settings().is_configured


def test_my_caseload_and_worker_filters(qtbot, store, caseload):
    window = make_window(qtbot, store, Settings(user_name="Kim Other", role="splw"))
    panel = window.caseload
    assert panel.my_caseload.isChecked()
    assert panel.model.total == 1
    assert panel.model.data(panel.model.index(0, 0)) == "Otto Other"
    qtbot.mouseClick(panel.my_caseload, Qt.MouseButton.LeftButton)
    assert not panel.my_caseload.isChecked()
    assert panel.model.total == 5
    panel.worker_filter.setCurrentIndex(panel.worker_filter.findData("Lee Link"))
    assert panel.model.total == 3
    assert not panel.my_caseload.isChecked()
    panel.worker_filter.setCurrentIndex(panel.worker_filter.findData("Kim Other"))
    panel.role_filter.setCurrentIndex(panel.role_filter.findData("splw"))
    panel.overdue_filter.setChecked(True)
    assert panel.model.total == 1
    qtbot.mouseClick(panel.my_caseload, Qt.MouseButton.LeftButton)  # ticked again
    assert panel.my_caseload.isChecked()
    assert panel.worker_filter.currentData() is None  # mine, whoever the lead worker
    assert panel.model.total == 1
    panel.worker_filter.setCurrentIndex(panel.worker_filter.findData("Lee Link"))
    assert not panel.my_caseload.isChecked()  # someone else's people are not mine


def test_caseload_model_with_worker_filter_passes_qt_model_tester(qtmodeltester,
                                                                  demo_store):
    model = CaseloadModel(demo_store)
    model.set_filter(replace(model.filter, worker=demo_store.caseload.workers()[0]))
    assert 0 < model.rowCount() < demo_store.people.count()
    qtmodeltester.check(model)


def test_alt_number_goes_to_each_view_and_every_control_has_a_name(qtbot, store,
                                                                   caseload):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="splw"))
    views = window.views
    for i in range(views.count()):
        window.daily_work.go_actions[i].trigger()
        assert views.currentIndex() == i
    assert [a.shortcut().toString() for a in window.daily_work.go_actions[:3]] == [
        "Alt+1", "Alt+2", "Alt+3"]
    assert window.daily_work.log_session_action.shortcut().toString() == "Ctrl+Shift+S"
    window.open_person(caseload["coach"].id)
    for area in (window.goals_panel, window.sessions_panel, window.follow_ups,
                 window.caseload):
        widgets = [w for kind in (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton,
                                  QTableView) for w in area.findChildren(kind)]
        for widget in widgets:
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or \
                    widget.parent().inherits("QAbstractSpinBox") or \
                    widget.objectName().startswith("qt_"):
                continue
            name = widget.accessibleName() or (
                widget.text() if isinstance(widget, QAbstractButton) else "")
            assert name.strip(), f"{area.objectName()}: {widget!r} has no accessible name"


def test_care_home_follow_up_opens_the_home_in_the_care_homes_view(qtbot, store, caseload):
    window = make_window(qtbot, store, Settings(user_name="Lee Link", role="cc"))
    view = window.follow_ups
    window.views.setCurrentWidget(view)
    loaded(qtbot, view)
    row = next(r for r in range(view.model.rowCount())
               if view.model.item(r).kind == "care_home")
    view.table.setCurrentIndex(view.model.index(row, 0))
    view.table.doubleClicked.emit(view.model.index(row, 0))
    assert window.views.currentWidget() is window.care_homes
    assert window.care_homes.home_id == caseload["home"].id


def test_first_run_asks_who_the_user_is_and_cancel_keeps_defaults(qtbot, store):
    window = make_window(qtbot, store, Settings())
    seen: list = []
    failures: list = []

    def cancel(dialog) -> None:
        seen.append(dialog.windowTitle())
        dialog.reject()

    answer_dialog(qtbot, cancel, failures)
    assert window.daily_work.open_settings(first_run=True) is False
    assert seen and seen[0].startswith("Welcome")
    assert not load_settings().is_configured
    assert window.settings == Settings()


def test_follow_ups_can_show_one_kind_only(qtbot, store, caseload):
    view = FollowUpsView(make_context(store, Settings()))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("goal"))
    assert [view.model.item(r).kind for r in range(view.model.rowCount())] == ["goal"]
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("session"))
    assert view.model.rowCount() == 3


# -- awaiting first contact, whose item it is, and how lateness reads ---------------------

def _referral(store, name, role, worker, days_ago):
    p = store.people.add(Person(name=name))
    ep = store.episodes.open(Episode(person_id=p.id, role=role, worker=worker,
                                    referral_date=TODAY - timedelta(days_ago),
                                    referral_source="gp"))
    return p, ep


def test_follow_ups_view_shows_first_contacts_mine_and_lateness_in_words(qtbot, store):
    from arrs_desktop.ui.team.follow_ups.follow_ups_model import lateness

    assert [lateness(d) for d in (0, 1, 109)] == ["due today", "1 day late", "109 days late"]
    _referral(store, "Lou Late", "cc", "Raj Mistry", 8)
    _referral(store, "Tia Today", "splw", "Lee Link", 7)
    olive = _person(store, "Olive Overdue", "splw", "Lee Link")
    store.sessions.log(SessionEntry(Session(
        person_id=olive.id, date=TODAY - timedelta(120), role="splw", kind="assessment",
        mode="telephone", minutes=30, next_follow_up=TODAY - timedelta(109))))
    view = FollowUpsView(make_context(store, Settings(user_name="Lee Link")))
    qtbot.addWidget(view)
    loaded(qtbot, view)
    model = view.model

    def shown():
        return [tuple(model.data(model.index(r, c)) for c in range(5))
                for r in range(model.rowCount())]

    assert shown() == [
        ("⚠ 109 days late", "Follow-up", "Olive Overdue",
         f"Last session {TODAY - timedelta(120):%d %b %Y}", "Lee Link"),
        ("Due today", "Awaiting first contact", "Tia Today",
         f"Referred {TODAY - timedelta(7):%d %b %Y}", "Lee Link")]
    due = model.index(0, 0)
    assert model.data(due, Qt.ItemDataRole.AccessibleTextRole) == (
        f"Due {TODAY - timedelta(109):%d %b %Y}, 109 days late")
    assert model.data(model.index(0, 4), Qt.ItemDataRole.ToolTipRole).startswith(
        "Lee Link, Social Prescribing Link Worker")
    qtbot.mouseClick(view.everyone, Qt.MouseButton.LeftButton)
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("first_contact"))
    assert [r[2] for r in shown()] == ["Lou Late", "Tia Today"]
    assert shown()[0][0] == "⚠ 1 day late"
    with qtbot.waitSignal(view.person_open_requested) as signal:
        view.open_item(0)
    assert signal.args == [store.follow_ups.due(TODAY, "Raj Mistry")[0].person_id]
