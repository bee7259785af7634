"""Allocate: the user is offered as worker only for their own role; consent is asked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.person.needs_match.role_match_panel import RoleMatchPanel
from tests.ui_helpers import answer_dialog, make_context, make_window, rows, type_into


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
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(qtbot, fill, failures)
    qtbot.mouseClick(window.findChild(QPushButton, "allocateButton_cc"),
                     Qt.MouseButton.LeftButton)
    assert not failures
    assert seen == {"worker": "", "consent": None}
    assert rows(db_path, "SELECT role, worker, share_with_gp FROM episodes") == [
        ("cc", "", 1)]
