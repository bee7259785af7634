"""The Triage view: its model, two-click allocation, the role filter and opening a person."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Episode, Person
from arrs_desktop.settings import Settings
from arrs_desktop.store import open_store
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.shell.app import create_window
from arrs_desktop.ui.team.triage.triage_model import TriageModel
from arrs_desktop.ui.team.triage.triage_view import TriageView
from tests.ui_helpers import fill_referrer, loaded

RULES = load_rules(None).rules


def add(store, name, needs, episode_role=None, status="referred", *, on=None, reason=None,
        referred=None):
    person = store.people.add(Person(name=name))
    if needs:
        store.needs.set(person.id, needs)
    if episode_role:
        ep = store.episodes.open(Episode(person_id=person.id, role=episode_role,
                                        referral_date=referred or on or date.today(),
                                        referral_source="gp"))
        if status != "referred":
            store.episodes.change_status(ep.id, status, on=on, closure_reason=reason)
    return person


def test_triage_model_passes_the_model_tester(qtmodeltester, demo_store):
    model = TriageModel(demo_store, RULES)
    assert model.total > 0
    qtmodeltester.check(model)
    keys = [(-model.row_data(i).lead_score, -len(model.row_data(i).needs))
            for i in range(model.rowCount())]
    assert keys == sorted(keys)
    assert float(model.data(model.index(0, 3))) == model.row_data(0).lead_score
    model.set_role("cc")
    qtmodeltester.check(model)


def test_model_fetches_more_pages(qtbot, store, monkeypatch):
    import arrs_desktop.ui.team.triage.triage_model as tv

    monkeypatch.setattr(tv, "PAGE_SIZE", 3)
    for i in range(8):
        add(store, f"P {i}", {"copd"})
    model = TriageModel(store, RULES)
    assert model.rowCount() == 3 and model.total == 8
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 8


@pytest.fixture
def window(qtbot, demo_db):
    store = open_store(demo_db, user="Test Worker", device_id="test-device")
    win = create_window(store, Settings(user_name="Tess Triage"), load_rules(None))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
    store.close()


def test_triage_tab_and_two_click_allocation(qtbot, window, monkeypatch):
    store = window.store
    view = window.triage  # made when first shown or asked for
    assert view is window.findChild(TriageView, "triageView") is not None
    titles = [window.views.tabText(i) for i in range(window.views.count())]
    assert "Triage" in titles
    window.views.setCurrentWidget(view)
    loaded(qtbot, view)
    total = view.model.total
    assert total > 0
    top = view.model.row_data(0)

    def drive(cls, parent, context, person_id, role, default_worker="", worker_role=None):
        dialog = cls(context, person_id, role, default_worker, parent, worker_role)
        dialog.show()
        dialog.share_yes.setChecked(True)
        fill_referrer(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # second click
        return dialog.saved, dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(AllocateDialog, "ask", classmethod(drive))
    # first click: select the row; it is selected already, so click the button
    view.table.selectRow(0)
    assert view.allocate_button.text().startswith("Allocate to ")
    qtbot.mouseClick(view.allocate_button, Qt.MouseButton.LeftButton)
    episodes = [e for e in store.episodes.for_person(top.id) if e.status == "referred"]
    assert len(episodes) == 1
    ep = episodes[0]
    assert (ep.role, ep.suggested_role, ep.followed_suggestion) == (
        top.lead_role, top.lead_role, True)
    assert ep.worker == "Tess Triage"
    assert view.model.total == total - 1
    assert view.model.row_of(top.id) == -1


def test_double_click_opens_the_allocation_and_filter_works(qtbot, window, monkeypatch):
    view = window.triage
    window.views.setCurrentWidget(view)
    loaded(qtbot, view)
    role = view.model.row_data(0).lead_role
    view.role_filter.setCurrentIndex(view.role_filter.findData(role))
    assert view.model.total == window.store.triage.count(RULES, role)
    assert view.model.rowCount() > 0
    assert all(view.model.row_data(i).lead_role == role
               for i in range(view.model.rowCount()))
    asked = []
    monkeypatch.setattr(AllocateDialog, "ask", classmethod(
        lambda cls, parent, context, pid, role_, worker="", worker_role=None: (
            asked.append((pid, role_)) or (None, False))))
    rect = view.table.visualRect(view.model.index(0, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked == [(view.model.row_data(0).id, role)]


def test_open_person_from_triage(qtbot, window):
    view = window.triage
    window.views.setCurrentWidget(view)
    loaded(qtbot, view)
    view.table.selectRow(1)
    person = view.selected()
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert window.views.currentWidget() is window.person_view
    assert window.person_view.person_id == person.id
