"""The window's data-safety parts: lock (Ctrl+L and idle), restore from backup, History tab."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import CaseloadFilter, Person
from arrs_desktop.settings import Settings
from arrs_desktop.store import backup, open_store
from arrs_desktop.ui.person.history.audit_model import AuditModel, describe_entry
from arrs_desktop.ui.shell.app import create_window
from arrs_desktop.ui.shell.restore_backup_dialog import RestoreBackupDialog
from tests.db_helpers import sql_row, sql_rows, sql_scalar
from tests.ui_helpers import make_context


@pytest.fixture
def window(qtbot, demo_store):
    w = create_window(demo_store, Settings(user_name="Sam Worker", lock_after_minutes=5),
                      load_rules(None))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.caseload.select_first()
    return w


def visible_texts(window) -> str:
    """Return the text of every label a user could see in the window."""
    return "\n".join(label.text() for label in window.findChildren(QLabel)
                     if label.isVisible() and not label.visibleRegion().isEmpty())


def test_ctrl_l_locks_and_hides_personal_details(window, qtbot, demo_store):
    person = demo_store.people.get(window.person_view.person_id)
    window.lock_action.trigger()
    lock = window.window_lock
    assert lock.is_locked and lock.screen.isVisible()
    assert lock.screen.geometry() == window.rect()
    assert "Sam Worker" in lock.screen.who.text()
    assert not window.centralWidget().isEnabled()
    assert not window.new_person_action.isEnabled()
    assert not window.menuBar().isEnabled()
    # the cover is on top of everything: the person's name is not visible anywhere
    grab = window.grab()
    assert not grab.isNull()
    shown = [w for w in window.findChildren(QLabel) if person.name in w.text()]
    assert all(window.childAt(w.mapTo(window, w.rect().center())) is not w for w in shown
               if w.isVisible())
    assert window.childAt(window.rect().center()) in (lock.screen, *lock.screen.findChildren(
        object))


def test_enter_unlocks_and_both_are_audited(window, qtbot, demo_store):
    before = demo_store.audit.count()
    window.lock_action.trigger()
    qtbot.keyClick(window.window_lock.screen, Qt.Key.Key_Return)
    assert not window.window_lock.is_locked
    assert window.centralWidget().isEnabled() and window.new_person_action.isEnabled()
    assert not window.window_lock.screen.isVisible()
    rows = sql_rows(demo_store, "SELECT action, who, after_json FROM audit_log WHERE seq > ?"
                            " ORDER BY seq", [before])
    assert [r["action"] for r in rows[-2:]] == ["lock", "unlock"]
    assert '"keyboard"' in rows[-2]["after_json"]


def test_shortcut_ctrl_l_is_bound(window):
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    assert window.lock_action in window.actions()
    assert window.restore_action in window.file_menu.actions()


def test_idle_timer_follows_settings_and_locks(window, demo_store):
    lock = window.window_lock
    assert lock.idle_timer.interval() == 5 * 60_000 and lock.idle_timer.isActive()
    window.daily_work.apply_settings(replace(window.settings, lock_after_minutes=0))
    assert not lock.idle_timer.isActive()
    window.daily_work.apply_settings(replace(window.settings, lock_after_minutes=2))
    assert lock.idle_timer.interval() == 2 * 60_000 and lock.idle_timer.isActive()
    lock.idle_timer.timeout.emit()  # the idle time ran out
    assert lock.is_locked
    assert demo_store.audit.for_person is not None
    last = sql_row(demo_store, "SELECT action, after_json FROM audit_log ORDER BY seq DESC")
    assert last["action"] == "lock" and '"idle"' in last["after_json"]


def test_idle_count_restarts_on_input_only(window, qtbot, demo_store):
    lock = window.window_lock
    handle = window.windowHandle()
    inputs = [
        lambda: QTest.keyClick(handle, Qt.Key.Key_Down),
        lambda: QTest.mouseMove(handle, QPoint(200, 200)),
        lambda: QTest.mouseClick(handle, Qt.MouseButton.LeftButton,
                                 Qt.KeyboardModifier.NoModifier, QPoint(300, 300)),
    ]
    for give_input in inputs:
        lock.idle_timer.stop()
        give_input()
        assert lock.idle_timer.isActive() and not lock.is_locked
    # the window's own work (opening someone, repainting) is not the user being there
    lock.idle_timer.stop()
    other = demo_store.caseload.page(CaseloadFilter(), 0, 2)[1].id
    window.open_person(other)
    window.repaint()
    qtbot.wait(1)
    assert not lock.idle_timer.isActive()
    # a dialog is a window of its own: typing in it counts too
    dialog = QDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is dialog.windowHandle())
    lock.idle_timer.stop()
    QTest.keyClick(dialog.windowHandle(), Qt.Key.Key_A)
    assert lock.idle_timer.isActive()
    # while locked, input does not start the count again; the idle lock still fires
    lock.lock()
    QTest.keyClick(handle, Qt.Key.Key_Down)
    assert not lock.idle_timer.isActive()
    lock.unlock()
    assert lock.idle_timer.isActive()
    lock.idle_timer.timeout.emit()
    assert lock.is_locked


def test_lock_hides_open_dialogs_and_brings_them_back(window, qtbot):
    dialog = QDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    window.window_lock.lock()
    assert not dialog.isVisible()
    window.window_lock.unlock()
    assert dialog.isVisible()


def test_history_tab_lists_the_persons_audit(window, qtbot, demo_store, qtmodeltester):
    pid = window.person_view.person_id
    person = demo_store.people.get(pid)
    demo_store.people.update(replace(person, phone="0113 496 0000"))
    tabs = window.person_view.tabs
    tabs.setCurrentWidget(window.audit_panel)
    model = window.audit_panel.model
    qtmodeltester.check(model)
    assert model.rowCount() == len(demo_store.audit.for_person(pid)) > 0
    newest = [model.index(0, c).data() for c in range(model.columnCount())]
    assert newest[1] == "Test Worker" and newest[3] == "Changed"
    assert newest[4] == f"Phone: {person.phone} → 0113 496 0000"


def test_history_model_describes_erase(demo_store, qtmodeltester):
    pid = demo_store.caseload.page(CaseloadFilter(), 0, 1)[0].id
    demo_store.erasure.erase(pid, "Asked to be removed")
    model = AuditModel(demo_store)
    model.load(pid)
    qtmodeltester.check(model)
    assert model.index(0, 3).data() == "Erased"
    assert "Asked to be removed" in describe_entry(model.entry(0))


def test_restore_dialog_lists_backups_and_needs_confirmation(qtbot, demo_db):
    backup.make_backup(demo_db, "manual")
    dialog = RestoreBackupDialog(demo_db)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1 and dialog.restore_button.isEnabled()
    asked = []
    dialog.confirm = lambda text: asked.append(text) or False
    dialog.restore_button.click()
    assert asked and dialog.result() != QDialog.DialogCode.Accepted
    dialog.confirm = lambda text: True
    dialog.restore_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen() == backup.list_backups(demo_db)[0].path


def test_restore_dialog_backup_now(qtbot, store):
    store.people.add(Person(name="Someone"))
    dialog = RestoreBackupDialog(store.path)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 0 and not dialog.restore_button.isEnabled()
    dialog.backup_now.click()
    assert dialog.list.count() == 1


def test_restore_from_the_window_backs_up_then_replaces(qtbot, demo_db):
    first = backup.make_backup(demo_db, "manual")
    store = open_store(demo_db, user="Sam Worker", device_id="d")
    w = create_window(store, Settings(user_name="Sam Worker"), load_rules(None))
    qtbot.addWidget(w)
    w.show()
    store.people.add(Person(name="Added After Backup"))
    w.safety.quiet = True
    assert w.safety.restore(first)
    assert w.isVisible() and store.people.count() == 60  # the window carries on
    assert w.caseload.model.total == 60
    store.people.add(Person(name="Added After The Restore"))
    store.close()
    reopened = open_store(demo_db, user="x", device_id="x")
    try:
        assert reopened.people.count() == 61
        assert sql_scalar(reopened, "SELECT count(*) FROM audit_log WHERE action ="
                                " 'restored_from_backup'") == 1
    finally:
        reopened.close()
    kinds = [b.reason for b in backup.list_backups(demo_db)]
    assert "before-restore" in kinds


def test_a_failed_daily_backup_is_shown_in_the_status_bar(qtbot, demo_store):
    demo_store.daily_backup.problem = "Today's backup could not be made: disk full"
    w = create_window(demo_store, Settings(user_name="Sam Worker"), load_rules(None))
    qtbot.addWidget(w)
    assert "disk full" in w.statusBar().currentMessage()


def test_erase_dialog_needs_reason_and_confirmation(qtbot, demo_store):
    from arrs_desktop.ui.person.erase_person_dialog import ErasePersonDialog

    pid = demo_store.caseload.page(CaseloadFilter(), 0, 1)[0].id
    preview = demo_store.erasure.preview(pid)
    dialog = ErasePersonDialog(make_context(demo_store), pid)
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert dialog.confirm_error.isVisible() or dialog.confirm_error.text()
    assert demo_store.people.get(pid) is not None
    dialog.confirm.setChecked(True)
    dialog.save_button.click()
    reason_error = dialog.form.fields["reason"][1]
    assert "reason" in reason_error.text().lower() and demo_store.people.get(pid) is not None
    dialog.reason.setPlainText("Asked to be forgotten")
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert demo_store.people.get(pid) is None
    assert dialog.saved["sessions"] == preview["sessions"]


def test_erase_from_the_window_clears_the_person(window, demo_store, monkeypatch):
    from arrs_desktop.ui.person import erase_person_dialog as erase_dialog

    pid = window.person_view.person_id
    before = window.caseload.model.rowCount()

    def fake_ask(parent, context, person_id):
        from arrs_desktop.app.operations.people import erase_person

        return context.run(erase_person, person_id, "Added by mistake"), True

    monkeypatch.setattr(erase_dialog.ErasePersonDialog, "ask", staticmethod(fake_ask))
    assert window.erase_action in window.file_menu.actions()
    assert window.safety.erase_person()
    assert window.person_view.person_id is None
    assert window.caseload.model.rowCount() == before - 1
    assert demo_store.people.get(pid) is None


def test_restoring_in_a_team_names_the_unsent_changes_it_loses(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    db = tmp_path / "caseload.db"
    store = open_store(db, user="Sam Worker", device_id="d")
    server = "host=127.0.0.1 port=9 dbname=team user=sam connect_timeout=1"
    store.team.link(server, "pw")
    store.people.add(Person(name="In The Backup"))
    in_backup = store.team.waiting_count()
    backup.make_backup(db, "manual")
    store.people.add(Person(name="Never Sent"))
    store.people.add(Person(name="Never Sent Either"))
    lost = store.team.waiting_count() - in_backup
    assert lost >= 2
    w = create_window(store, Settings(user_name="Sam Worker"), load_rules(None))
    qtbot.addWidget(w)
    w.team_sync.stop()  # no background sync to the (absent) server
    w.show()
    w.safety.quiet = True
    asked: list[str] = []

    def answer() -> None:  # the real "Restore this backup?" question: read it, say Yes
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    def choose() -> None:  # the real dialog: the newest backup is chosen; press Restore
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreBackupDialog)
        QTimer.singleShot(0, answer)
        dialog.restore_button.click()

    QTimer.singleShot(0, choose)
    assert w.safety.restore_from_backup()
    assert len(asked) == 1
    assert f"{lost} changes made on this laptop have not reached the team" in asked[0]
    assert "pulled again at the next sync" in asked[0]
    assert "pulled again at the next sync" in w.statusBar().currentMessage()
    assert store.team.linked() and store.team.waiting_count() == in_backup
    qtbot.wait(20)  # the team line redraws after the reload, from the open file
    w.close()
    store.close()
    reopened = open_store(db, user="x", device_id="x")
    try:
        assert sorted(p.name for p in reopened.caseload.page(CaseloadFilter(), 0, 9)) == [
            "In The Backup"]
        assert reopened.team.server() == server and reopened.team.password() == "pw"
        assert reopened.team.waiting_count() == in_backup
        detail = sql_scalar(reopened, "SELECT after_json FROM audit_log WHERE action ="
                                      " 'restored_from_backup'")
        assert f'"team_changes_lost": {lost}' in detail
    finally:
        reopened.close()
