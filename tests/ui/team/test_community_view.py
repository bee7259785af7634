"""The community directory and the person's Community tab, through the real widgets."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from arrs_desktop.domain.models import AssetReferral, CommunityAsset, Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common.date_line_edit import format_uk_date
from arrs_desktop.ui.person.referrals.person_referrals_panel import PersonReferralsPanel
from arrs_desktop.ui.person.referrals.refer_to_asset_dialog import ReferToAssetDialog
from arrs_desktop.ui.shell.main_window import MainWindow
from arrs_desktop.ui.team.community.asset_dialog import AssetDialog
from arrs_desktop.ui.team.community.assets_model import AssetsModel
from arrs_desktop.ui.team.community.community_view import CommunityView
from arrs_desktop.ui.team.community.referral_rows_model import ReferralRowsModel
from tests.ui_helpers import make_context

TODAY = date.today()


@pytest.fixture
def directory(store):
    """A few assets, one not running, and a person."""
    assets = {
        a.name: store.community.add_asset(a) for a in (
            CommunityAsset(name="Repair Café", category="volunteering",
                           address="Élan Hall, Brookfield", notes="Fix things together."),
            CommunityAsset(name="Walking Football", category="sport_activity"),
            CommunityAsset(name="Men's Shed", category="befriending", notes="Woodwork"),
            CommunityAsset(name="Old Choir", category="arts_culture", active=False),
        )
    }
    person = store.people.add(Person(name="Nora Quinn", date_of_birth=date(1950, 3, 2)))
    return {"assets": assets, "person": person}


def _names(view):
    return [view.model.asset(r).name for r in range(view.model.rowCount())]


def _search(qtbot, view, text):
    view.search.clear()
    qtbot.keyClicks(view.search, text)
    qtbot.waitUntil(lambda: view.model._query[0] == text)  # the debounced search has run


@pytest.mark.parametrize("text", ["cafe", "CAFÉ", "elan hall", "ÉLAN"])
def test_directory_search_ignores_case_and_accents(qtbot, store, directory, text):
    view = CommunityView(make_context(store))
    qtbot.addWidget(view)
    view.show()
    assert _names(view) == ["Men's Shed", "Repair Café", "Walking Football"]
    _search(qtbot, view, text)
    assert _names(view) == ["Repair Café"]
    assert view.details.name.text() == "Repair Café"


def test_directory_filters_by_category_and_shows_inactive_on_request(qtbot, store, directory):
    view = CommunityView(make_context(store))
    qtbot.addWidget(view)
    view.show()
    view.category.setCurrentIndex(view.category.findData("befriending"))
    assert _names(view) == ["Men's Shed"]
    view.category.setCurrentIndex(0)
    qtbot.mouseClick(view.show_inactive, Qt.MouseButton.LeftButton,
                     pos=view.show_inactive.rect().center())
    assert "Old Choir" in _names(view)
    row = _names(view).index("Old Choir")
    assert "not running" in view.model.index(row, 0).data()
    _search(qtbot, view, "zzz")
    assert view.no_match.isVisible() and not view.table.isVisible()


def test_add_asset_without_a_name_shows_the_error_and_saves_nothing(qtbot, store):
    dialog = AssetDialog(make_context(store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.notes, "Tuesdays at ten")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    name_error = dialog.findChild(type(dialog.general_error), "nameError")
    category_error = dialog.findChild(type(dialog.general_error), "categoryError")
    assert name_error.isVisible() and "required" in name_error.text()
    assert category_error.isVisible()
    assert store.community.search(active_only=False) == []
    assert store.db.execute("SELECT count(*) FROM audit_log WHERE table_name ="
                            " 'community_assets'").fetchone()[0] == 0
    qtbot.keyClicks(dialog.name, "Tai Chi in the Park")
    dialog.category.setCurrentIndex(dialog.category.findData("sport_activity"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = store.community.search("tai chi")
    assert (saved.category, saved.notes, saved.active) == ("sport_activity",
                                                           "Tuesdays at ten", True)


def test_add_asset_from_the_view_shows_it(qtbot, store, directory):
    view = CommunityView(make_context(store))
    qtbot.addWidget(view)
    view.show()
    _search(qtbot, view, "walking")

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        qtbot.keyClicks(dialog.name, "Chess Club")
        dialog.category.setCurrentIndex(dialog.category.findData("learning_skills"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_save)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert view.details.name.text() == "Chess Club"
    assert view.asset_id == store.community.search("chess")[0].id


def test_edit_asset_marks_it_not_running(qtbot, store, directory):
    asset = directory["assets"]["Men's Shed"]
    dialog = AssetDialog(make_context(store), asset)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.active, Qt.MouseButton.LeftButton,
                     pos=dialog.active.rect().center())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not store.community.get_asset(asset.id).active
    assert [a.name for a in store.community.search("shed")] == []


def test_refer_a_person_and_set_the_outcome(qtbot, store, directory):
    person = directory["person"]
    window = MainWindow(store, Settings(user_name="Lee Link", role="splw"), None)
    qtbot.addWidget(window)
    window.show()
    window.open_person(person.id)
    panel = window.referrals_panel  # a person's tab is made when first needed
    assert isinstance(panel, PersonReferralsPanel)
    assert window.findChild(PersonReferralsPanel, "personReferralsPanel") is panel
    window.person_view.tabs.setCurrentWidget(panel)
    assert panel.empty.isVisible()
    day = TODAY - timedelta(days=2)

    def pick_and_save():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReferToAssetDialog)
        qtbot.keyClicks(dialog.search, "cafe")
        qtbot.waitUntil(lambda: dialog.assets.count() == 1)
        dialog.referred_on.clear()
        qtbot.keyClicks(dialog.referred_on, format_uk_date(day))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, pick_and_save)
    qtbot.mouseClick(panel.refer_button, Qt.MouseButton.LeftButton)

    asset = directory["assets"]["Repair Café"]
    rows = store.db.execute("SELECT id, asset_id, referred_on, outcome FROM asset_referrals"
                            " WHERE person_id = ?", [person.id]).fetchall()
    assert len(rows) == 1
    ref_id, asset_id, referred_on, outcome = rows[0]
    assert (asset_id, referred_on, outcome) == (asset.id, day.isoformat(), "pending")
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == "Repair Café"
    assert panel.outcome.isVisible()

    # Later: they went. The outcome is saved the moment it is chosen.
    panel.outcome.setFocus()
    index = panel.outcome.findData("attended")
    while panel.outcome.currentIndex() != index:
        qtbot.keyClick(panel.outcome, Qt.Key.Key_Down)
    outcome, outcome_date = store.db.execute(
        "SELECT outcome, outcome_date FROM asset_referrals WHERE id = ?", [ref_id]).fetchone()
    assert (outcome, outcome_date) == ("attended", TODAY.isoformat())
    assert "Attended" in panel.model.index(0, 3).data()
    audit = store.db.execute(
        "SELECT action, person_id, before_json, after_json FROM audit_log"
        " WHERE table_name = 'asset_referrals' AND row_id = ? ORDER BY seq", [ref_id]).fetchall()
    assert [a[0] for a in audit] == ["create", "update"]
    assert all(a[1] == person.id for a in audit)
    assert json.loads(audit[1][2])["outcome"] == "pending"
    assert json.loads(audit[1][3])["outcome"] == "attended"

    # The directory shows the referral against the asset, and opens the person from it.
    window.views.setCurrentWidget(window.community)
    window.community.show_asset(asset.id)
    assert window.community.referrals_model.rowCount() == 1
    assert window.community.referrals_model.index(0, 0).data() == "Nora Quinn"
    assert "Attended" in window.community.referrals_model.index(0, 2).data()
    other = store.people.add(Person(name="Omar Reid"))
    window.caseload.refresh()
    window.open_person(other.id)
    window.views.setCurrentWidget(window.community)
    table = window.community.referrals
    rect = table.visualRect(window.community.referrals_model.index(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.views.currentWidget() is window.person_view
    assert window.person_view.person_id == person.id


def test_refer_dialog_refuses_a_future_date_and_an_empty_pick(qtbot, store, directory):
    person = directory["person"]
    dialog = ReferToAssetDialog(make_context(store), person.id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.assets.count() == 3  # running assets only
    dialog.referred_on.clear()
    qtbot.keyClicks(dialog.referred_on, format_uk_date(TODAY + timedelta(days=1)))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.findChild(type(dialog.general_error), "referred_onError")
    assert error.isVisible() and "future" in error.text()
    qtbot.keyClicks(dialog.search, "nothing like this")
    dialog.update_list()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.findChild(type(dialog.general_error), "asset_idError").isVisible()
    assert store.community.referrals_for(person.id) == []


def test_outcome_control_is_off_without_a_referral(qtbot, store, directory):
    panel = PersonReferralsPanel(make_context(store))
    qtbot.addWidget(panel)
    panel.show()
    panel.set_person(directory["person"].id)
    assert not panel.outcome.isEnabled()
    assert not panel.outcome.isVisible() and not panel.outcome_label.isVisible()
    assert not panel.set_outcome("attended")


def test_community_models_pass_the_model_tester(qtmodeltester, demo_store):
    assets = AssetsModel(demo_store)
    qtmodeltester.check(assets)
    assets.set_query("", None, False)
    qtmodeltester.check(assets)
    referrals = ReferralRowsModel(("asset", "category", "referred_on", "outcome", "person"))
    person_id = demo_store.db.execute("SELECT person_id FROM asset_referrals LIMIT 1").fetchone()
    referrals.set_rows(demo_store.community.referral_rows_for_person(person_id[0]))
    assert referrals.rowCount() > 0
    qtmodeltester.check(referrals)


def test_refer_to_asset_and_outcome_rows_in_store_are_audited(store, directory):
    ref = store.community.refer(AssetReferral(person_id=directory["person"].id,
                                             asset_id=directory["assets"]["Men's Shed"].id,
                                             referred_on=TODAY))
    store.community.set_outcome(ref.id, "did_not_attend")
    actions = [r[0] for r in store.db.execute(
        "SELECT action FROM audit_log WHERE row_id = ? ORDER BY seq", [ref.id])]
    assert actions == ["create", "update"]
