"""Every new screen of signing in reads in full: nothing cut off, elided or overlapping
(tests/layout_audit.py), at the window's size and with messages shown."""

from __future__ import annotations

import pytest

from tests import layout_audit
from tests.security.conftest import CHEAP

JANE = "kettle orbit lantern"


@pytest.fixture
def session(tmp_path):
    from arrs_desktop.access.session import create_caseload

    made, _ = create_caseload(tmp_path / "caseload.db", name="Amara Osei", role="splw",
                              passphrase=JANE, kdf=CHEAP)
    made.key_file.add_account(made.unlocked, name="Alex Brown", role="hwbc",
                              passphrase="heron waits by the weir", kdf=CHEAP)
    yield made
    made.end()


def _settle(qtbot, widget) -> None:
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(20)


def _dialogs(session):
    from arrs_desktop.access.session import load_key_file
    from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog
    from arrs_desktop.ui.shell.accounts_dialog import AccountsDialog
    from arrs_desktop.ui.shell.change_passphrase_dialog import ChangePassphraseDialog
    from arrs_desktop.ui.shell.pin_dialog import PinDialog
    from arrs_desktop.ui.shell.plain_backups_dialog import PlainBackupsDialog
    from arrs_desktop.ui.shell.recovery_key_dialog import RecoveryKeyDialog
    from arrs_desktop.ui.shell.recovery_key_entry_dialog import RecoveryKeyEntryDialog
    from arrs_desktop.ui.shell.sign_in_dialog import SignInDialog

    db = session.db_path
    backups = [db.parent / "backups" / "caseload.20261201-101010.daily.db"]
    return {
        "sign in": SignInDialog(db, load_key_file(db)),
        "first account": AccountSetupDialog("Welcome to ARRS Desktop", "Set up your account.",
                                            "&Create the caseload"),
        "recovery key": RecoveryKeyDialog("KY0S-GX11-FJJ8-7JJ3-G93R-4NWT-1NBW-89E7", str(db)),
        "recovery key, lost key file": RecoveryKeyEntryDialog(db, None),
        "recovery key, reset": RecoveryKeyEntryDialog(db, load_key_file(db)),
        "plain backups": PlainBackupsDialog(db, backups, True),
        "accounts": AccountsDialog(session, context=None),
        "PIN": PinDialog(session),
        "change passphrase": ChangePassphraseDialog(session),
    }


def test_every_sign_in_screen_reads_in_full(qtbot, session):
    for name, dialog in _dialogs(session).items():
        qtbot.addWidget(dialog)
        _settle(qtbot, dialog)
        assert layout_audit.problems(dialog) == [], name


def test_messages_under_the_fields_read_in_full(qtbot, session):
    dialogs = _dialogs(session)
    sign_in = dialogs["sign in"]
    setup = dialogs["first account"]
    pin = dialogs["PIN"]
    for dialog in (sign_in, setup, pin):
        qtbot.addWidget(dialog)
        _settle(qtbot, dialog)
    sign_in.passphrase.setText("not it")
    sign_in.try_sign_in()
    setup.passphrase.setText("short")
    setup.save()
    pin.pin.setText("123456")
    pin.save()
    for dialog in (sign_in, setup, pin):
        qtbot.wait(20)
        assert layout_audit.problems(dialog) == [], dialog.objectName()
    assert sign_in.form.fields["passphrase"][1].isVisible()
    assert "12 characters" in setup.form.fields["passphrase"][1].text()


def test_the_lock_screen_reads_in_full_with_a_message(qtbot, session):
    from datetime import date

    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.settings import Settings
    from arrs_desktop.tools.demo import build_demo
    from arrs_desktop.ui.shell.app import create_window

    store = session.open_store()
    try:
        build_demo(store, 5, seed=1, today=date.today())
        window = create_window(store, Settings(user_name="Amara Osei"), load_rules(None),
                               session)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        _settle(qtbot, window)
        window.lock_action.trigger()
        lock = window.window_lock
        lock.try_secret(session.account_id, "passphrase", "not the passphrase")
        qtbot.wait(20)
        assert lock.screen.error.isVisible()
        assert layout_audit.problems(lock.screen) == []
        lock.screen.start_switch()
        qtbot.wait(20)
        assert layout_audit.problems(lock.screen) == []
        window.close()
    finally:
        store.close()
