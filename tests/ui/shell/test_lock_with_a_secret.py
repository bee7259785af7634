"""Signed in to an encrypted caseload, the lock holds until the account's PIN or passphrase
is given; five wrong PINs need the passphrase; another account can sign in at the lock;
each refusal, the lock, the unlock and a switch of user are audited; who looked is audited."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.domain.models import Person
from arrs_desktop.settings import Settings
from arrs_desktop.ui.shell.app import create_window
from tests.db_helpers import sql_rows
from tests.security.conftest import CHEAP

JANE = "kettle orbit lantern"
ALEX = "heron waits by the weir"
PIN = "480915"


@pytest.fixture
def signed_in(tmp_path):
    from arrs_desktop.access.session import create_caseload
    from arrs_desktop.tools.demo import build_demo

    path = tmp_path / "caseload.db"
    session, _ = create_caseload(path, name="Amara Osei", role="splw", passphrase=JANE,
                                 kdf=CHEAP)
    session.key_file.add_account(session.unlocked, name="Alex Brown", role="hwbc",
                                 passphrase=ALEX, kdf=CHEAP)
    session.key_file.set_pin(session.unlocked, PIN, kdf=CHEAP)
    session.refresh_pins()
    store = session.open_store()
    build_demo(store, 20, seed=5, today=date.today())
    yield session, store
    store.close()
    session.end()


@pytest.fixture
def window(qtbot, signed_in):
    session, store = signed_in
    w = create_window(store, Settings(user_name="Amara Osei", role="splw"), load_rules(None),
                      session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.caseload.select_first()
    return w


def _events(store, since: int) -> list[tuple[str, str]]:
    return [(r["action"], r["after_json"]) for r in sql_rows(
        store, "SELECT action, after_json FROM audit_log WHERE seq > ? AND table_name = 'app'"
               " ORDER BY seq", [since])]


def _seq(store) -> int:
    return int(sql_rows(store, "SELECT coalesce(max(seq), 0) AS n FROM audit_log")[0]["n"])


def _type_secret(qtbot, window, text: str) -> None:
    field = window.window_lock.screen.secret
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_the_lock_cannot_be_dismissed_without_the_secret(window, qtbot, signed_in):
    _session, store = signed_in
    lock = window.window_lock
    window.lock_action.trigger()
    screen = lock.screen
    assert lock.is_locked and screen.secret.isVisible() and screen.mode == "pin"
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Escape):
        qtbot.keyClick(screen, key)
        qtbot.keyClick(screen.secret, key)
    qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)  # nothing typed
    assert lock.is_locked and screen.error.isVisible()
    screen.unlock_requested.emit()  # the old way in (Enter on a plain file) is gone
    assert lock.is_locked
    assert not window.centralWidget().isEnabled() and not window.menuBar().isEnabled()
    person = window.person_view.person_id
    name = store.people.get(person).name
    assert all(window.childAt(w.mapTo(window, w.rect().center())) is not w
               for w in window.findChildren(QLabel) if name in w.text() and w.isVisible())


def test_a_wrong_pin_is_refused_and_audited_and_the_right_one_unlocks(window, qtbot,
                                                                      signed_in):
    session, store = signed_in
    key_file = session.key_file.path
    keys_before = hashlib.sha256(key_file.read_bytes()).hexdigest()
    start = _seq(store)
    window.lock_action.trigger()
    _type_secret(qtbot, window, "111999")
    lock = window.window_lock
    assert lock.is_locked
    assert "4 more tries" in lock.screen.error.text()
    assert hashlib.sha256(key_file.read_bytes()).hexdigest() == keys_before
    _type_secret(qtbot, window, PIN)
    assert not lock.is_locked and window.centralWidget().isEnabled()
    assert not lock.screen.secret.text()
    actions = [a for a, _ in _events(store, start)]
    assert actions == ["lock", "unlock_failed", "unlock"]
    assert '"PIN"' in _events(store, start)[1][1]


def test_five_wrong_pins_need_the_passphrase(window, qtbot, signed_in):
    _session, store = signed_in
    lock = window.window_lock
    start = _seq(store)
    window.lock_action.trigger()
    for _ in range(5):
        _type_secret(qtbot, window, "111999")
    assert lock.is_locked and lock.screen.mode == "passphrase"
    assert "passphrase" in lock.screen.error.text()
    assert not lock.screen.other_way.isVisible()  # the PIN cannot be chosen again
    _type_secret(qtbot, window, PIN)  # the right PIN, typed as a passphrase: refused
    assert lock.is_locked
    _type_secret(qtbot, window, JANE)
    assert not lock.is_locked
    window.lock_action.trigger()  # the passphrase turned PINs back on
    assert lock.screen.mode == "pin"
    _type_secret(qtbot, window, PIN)
    assert not lock.is_locked
    actions = [a for a, _ in _events(store, start)]
    assert actions.count("unlock_failed") == 6 and actions.count("unlock") == 2


def test_another_account_signs_in_at_the_lock(window, qtbot, signed_in):
    session, store = signed_in
    start = _seq(store)
    window.lock_action.trigger()
    screen = window.window_lock.screen
    assert screen.switch_button.isVisible()
    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
    assert screen.account.isVisible() and screen.account.currentText() == "Alex Brown"
    _type_secret(qtbot, window, JANE)  # Jane's passphrase does not open Alex's account
    assert window.window_lock.is_locked
    _type_secret(qtbot, window, ALEX)
    assert not window.window_lock.is_locked
    assert session.account_name == "Alex Brown" and store.user == "Alex Brown"
    assert window.context.settings.user_name == "Alex Brown"
    store.people.add(Person(name="Added By Alex"))
    who = sql_rows(store, "SELECT who, action FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert who["who"] == "Alex Brown"
    actions = [a for a, _ in _events(store, start)]
    assert actions == ["lock", "unlock_failed", "switch_user", "unlock"]


def test_opening_a_record_is_audited_and_history_shows_who_viewed_it(window, qtbot,
                                                                     signed_in):
    _session, store = signed_in
    person = window.person_view.person_id
    qtbot.waitUntil(lambda: window.view_audit.pending == 0)
    views = sql_rows(store, "SELECT who, at FROM audit_log WHERE action = 'view' AND "
                            "person_id = ?", [person])
    assert len(views) == 1 and views[0]["who"] == "Amara Osei"
    window.person_view.show_person(person)  # the same look again at once: not a new line
    qtbot.wait(20)
    assert len(sql_rows(store, "SELECT 1 FROM audit_log WHERE action = 'view' AND "
                               "person_id = ?", [person])) == 1
    tabs = window.person_view.tabs
    tabs.setCurrentIndex([tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
                         .index("History"))
    panel = window.audit_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    texts = [panel.model.data(panel.model.index(r, 4)) for r in range(panel.model.rowCount())]
    assert "Viewed by Amara Osei (nothing changed)" in texts
    assert window.save_label.text() == "No changes yet this session"


def test_the_idle_lock_needs_the_secret_too(window, qtbot, signed_in):
    _session, store = signed_in
    start = _seq(store)
    lock = window.window_lock
    lock.set_idle_minutes(1)
    lock.idle_timer.timeout.emit()  # the idle minutes have passed
    assert lock.is_locked and lock.screen.secret.isVisible()
    qtbot.keyClick(lock.screen, Qt.Key.Key_Return)
    assert lock.is_locked
    _type_secret(qtbot, window, PIN)
    assert not lock.is_locked
    assert [a for a, _ in _events(store, start)] == ["lock", "unlock"]
    assert '"idle"' in _events(store, start)[0][1]


def test_the_account_menu_sets_a_pin_that_then_unlocks(window, qtbot, signed_in, monkeypatch):
    from arrs_desktop.ui.shell.pin_dialog import PinDialog

    session, store = signed_in
    session.key_file.remove_pin(session.unlocked, session.account_id)
    session.refresh_pins()
    start = _seq(store)

    def ask(cls, parent, session) -> bool:
        dialog = PinDialog(session, parent)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.pin, "123456")
        dialog.confirm.setText("123456")
        dialog.save()
        assert "first PINs tried" in dialog.form.fields["pin"][1].text()  # refused, said
        dialog.pin.setText("739164")
        dialog.confirm.setText("739164")
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(PinDialog, "ask", classmethod(ask))
    assert window.account_commands.set_pin()
    window.lock_action.trigger()
    assert window.window_lock.screen.mode == "pin"
    _type_secret(qtbot, window, "739164")
    assert not window.window_lock.is_locked
    assert [a for a, _ in _events(store, start)] == ["pin_set", "lock", "unlock"]
