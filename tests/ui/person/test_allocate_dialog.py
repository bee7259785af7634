"""Allocate: the user is offered as worker only for their own role; consent is asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.person.needs_match.role_match_panel import RoleMatchPanel
from tests.ui_helpers import (
    answer_dialog,
    fill_referrer,
    make_context,
    make_window,
    rows,
    type_into,
)


def _dialog(qtbot, store, role, worker="Hana Coach", worker_role="hwbc"):
    person = store.people.add(Person(name="Ida Field"))
    panel = RoleMatchPanel(load_rules(None).rules)
    panel.set_needs({"loneliness", "frail_elderly"})
    dialog = AllocateDialog(make_context(store), person.id, role, worker, None, worker_role)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, person


def test_a_health_coach_is_not_offered_as_the_care_coordinator(qtbot, store):
    dialog, _ = _dialog(qtbot, store, "cc")
    assert dialog.worker.text() == ""
    dialog.role.setCurrentIndex(dialog.role.findData("hwbc"))  # her own role: her name
    assert dialog.worker.text() == "Hana Coach"
    dialog.role.setCurrentIndex(dialog.role.findData("splw"))
    assert dialog.worker.text() == ""
    type_into(qtbot, dialog.worker, "Lee Link")  # typed by hand: kept whatever the role
    dialog.role.setCurrentIndex(dialog.role.findData("hwbc"))
    assert dialog.worker.text() == "Lee Link"


def test_consent_starts_unanswered_and_must_be_answered(qtbot, store, db_path):
    dialog, person = _dialog(qtbot, store, "hwbc")
    assert dialog.consent() is None
    assert not any(b.isChecked() for b in (dialog.share_yes, dialog.share_no,
                                           dialog.share_unasked))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    error = dialog.form.fields["share_with_gp"][1]
    assert error.isVisible() and error.text().startswith("Share with GP needs an answer")
    assert rows(db_path, "SELECT count(*) FROM episodes") == [(0,)]
    qtbot.mouseClick(dialog.share_no, Qt.MouseButton.LeftButton)
    assert not error.isVisible()
    fill_referrer(dialog)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert rows(db_path, "SELECT role, worker, share_with_gp FROM episodes") == [
        ("hwbc", "Hana Coach", 0)]


def test_allocating_from_the_window_asks_consent_and_offers_only_my_role(qtbot, store,
                                                                        db_path):
    person = store.people.add(Person(name="Jo Window"))
    store.needs.set(person.id, {"loneliness"})
    window = make_window(qtbot, store, Settings(user_name="Hana Coach", role="hwbc"))
    window.open_person(person.id)
    seen: dict = {}
    failures: list = []

    def fill(dialog) -> None:
        seen["worker"] = dialog.worker.text()
        seen["consent"] = dialog.consent()
        dialog.share_yes.setChecked(True)
        fill_referrer(dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    qtbot.mouseClick(window.findChild(QPushButton, "allocateButton_cc"),
                     Qt.MouseButton.LeftButton)
    assert not failures
    assert seen == {"worker": "", "consent": None}
    assert rows(db_path, "SELECT role, worker, share_with_gp FROM episodes") == [
        ("cc", "", 1)]


def test_the_referral_is_taken_to_the_standards_model_with_errors_under_each_field(
        qtbot, store, db_path):
    dialog, person = _dialog(qtbot, store, "splw", "Lee Link", "splw")
    dialog.share_yes.setChecked(True)
    dialog.reason.clear()
    type_into(qtbot, dialog.referrer_name, "Dr Asha Patel")
    dialog.alert_kinds[0].setCurrentIndex(dialog.alert_kinds[0].findData("interpreter"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    shown = {key: error.text() for key, (_w, error) in dialog.form.fields.items()
             if error.isVisible()}
    assert set(shown) == {"referrer.role", "referrer.organisation", "referrer.phone",
                          "referral_reason", "alerts[1].detail"}
    assert "message back reaches the referrer" in shown["referrer.phone"]
    assert shown["alerts[1].detail"].startswith("Alert 1's detail is required")
    assert rows(db_path, "SELECT count(*) FROM episodes") == [(0,)]

    type_into(qtbot, dialog.referrer_role, "GP")
    type_into(qtbot, dialog.referrer_organisation, "Riverside Surgery")
    type_into(qtbot, dialog.referrer_email, "asha.patel@example.nhs.uk")
    type_into(qtbot, dialog.reason, "Lonely since moving")
    dialog.urgency.setCurrentIndex(dialog.urgency.findData("urgent"))
    type_into(qtbot, dialog.what_matters, "Getting back to the allotment")
    type_into(qtbot, dialog.alert_details[0], "Polish")
    dialog.alert_on_plan[0].setChecked(True)
    dialog.alert_kinds[1].setCurrentIndex(dialog.alert_kinds[1].findData("lone_worker"))
    assert not dialog.alert_on_plan[1].isEnabled()
    type_into(qtbot, dialog.alert_details[1], "Visit in pairs")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    assert rows(db_path, "SELECT r.referrer_name, r.referrer_role, r.referrer_organisation,"
                         " r.referrer_email, r.urgency, r.what_matters, r.consent_to_share,"
                         " e.referral_reason FROM referrals r JOIN episodes e"
                         " ON e.id = r.episode_id") == [
        ("Dr Asha Patel", "GP", "Riverside Surgery", "asha.patel@example.nhs.uk", "urgent",
         "Getting back to the allotment", 1, "Lonely since moving")]
    assert rows(db_path, "SELECT kind, detail, show_on_plan FROM safety_alerts"
                         " ORDER BY kind") == [("interpreter", "Polish", 1),
                                              ("lone_worker", "Visit in pairs", 0)]


def test_a_self_referral_needs_no_referrer(qtbot, store, db_path):
    dialog, _person = _dialog(qtbot, store, "hwbc")
    dialog.source.setCurrentIndex(dialog.source.findData("self"))
    assert not dialog.referrer_name.isEnabled()
    dialog.reason.setPlainText("Wants to get fitter")
    dialog.share_no.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert rows(db_path, "SELECT referrer_name, consent_to_share FROM referrals") == [("", 0)]
