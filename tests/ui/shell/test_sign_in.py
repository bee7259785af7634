"""The sign-in window, the first account of a new caseload, a plain caseload encrypted on
its first open, a lost key file and the recovery key, driven as a user would."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from arrs_desktop import paths
from arrs_desktop.settings import Settings
from tests.security.conftest import CHEAP

JANE = "kettle orbit lantern"


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def caseload(tmp_path):
    from arrs_desktop.access.session import create_caseload
    from arrs_desktop.tools.demo import build_demo

    path = tmp_path / "caseload.db"
    session, recovery = create_caseload(path, name="Amara Osei", role="splw",
                                        passphrase=JANE, kdf=CHEAP)
    session.key_file.add_account(session.unlocked, name="Alex Brown", role="hwbc",
                                 passphrase="heron waits by the weir", kdf=CHEAP)
    store = session.open_store()
    build_demo(store, 10, seed=2, today=date.today())
    store.close()
    session.end()
    return path, recovery


def _when_shown(qtbot, name: str, act, *then: tuple[str, object]) -> list:
    """Act on the modal dialog called `name` as soon as it is shown (then on each of the
    (name, act) pairs in `then`, in turn, as each is shown)."""
    steps = [(name, act), *then]
    seen: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        wanted, acting = steps[len(seen)]
        if dialog is not None and dialog.objectName() == wanted and dialog not in seen:
            seen.append(dialog)
            QTimer.singleShot(0, lambda: acting(dialog))
        if len(seen) < len(steps):
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_a_wrong_passphrase_is_refused_under_the_field_and_changes_nothing(qtbot, caseload):
    from arrs_desktop.access.session import load_key_file
    from arrs_desktop.ui.shell.sign_in_dialog import SignInDialog

    path, _ = caseload
    before = (_sha(path), _sha(paths.key_file_path(path)))
    dialog = SignInDialog(path, load_key_file(path))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.account.currentText() == "Amara Osei (Link worker)"
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    error = dialog.form.fields["passphrase"][1]
    assert error.isVisible() and "not right" in error.text()
    assert dialog.session is None and dialog.isVisible()
    assert [f["account"] for f in dialog.failed] == ["Amara Osei"]
    assert (_sha(path), _sha(paths.key_file_path(path))) == before
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, JANE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session.account_name == "Amara Osei"
    dialog.session.end()


def test_the_sign_in_and_the_attempts_before_it_are_audited(qtbot, caseload):
    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.ui.shell.app import create_window
    from arrs_desktop.ui.shell.sign_in_flow import SignInFlow
    from tests.db_helpers import sql_rows

    path, _ = caseload

    def sign_in(dialog) -> None:
        qtbot.keyClicks(dialog.passphrase, "wrong guess here")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        dialog.passphrase.clear()
        qtbot.keyClicks(dialog.passphrase, JANE)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(qtbot, "signInDialog", sign_in)
    flow = SignInFlow(path, Settings())
    session = flow.run()
    assert seen and session is not None and session.account_name == "Amara Osei"
    store = session.open_store()
    window = create_window(store, Settings(user_name=session.account_name), load_rules(None),
                           session)
    qtbot.addWidget(window)
    flow.record(window.context, session)
    rows = sql_rows(store, "SELECT action, who, after_json FROM audit_log WHERE "
                           "table_name = 'app' ORDER BY seq DESC LIMIT 2")
    assert [r["action"] for r in reversed(rows)] == ["sign_in_failed", "sign_in"]
    assert all(r["who"] == "Amara Osei" for r in rows)
    store.close()
    session.end()


def test_first_run_sets_up_the_first_account_and_shows_the_recovery_key_once(qtbot, tmp_path,
                                                                             monkeypatch):
    from arrs_desktop.ui.shell.recovery_key_dialog import RecoveryKeyDialog
    from arrs_desktop.ui.shell.sign_in_flow import SignInFlow

    shown: list[str] = []
    monkeypatch.setattr(RecoveryKeyDialog, "show_once",
                        classmethod(lambda cls, parent, key, where: shown.append(key)))
    path = tmp_path / "new.db"

    def set_up(dialog) -> None:
        qtbot.keyClicks(dialog.name, "Sam Kirby")
        qtbot.keyClicks(dialog.passphrase, "password123")
        assert "12 characters" in dialog.hint.text()
        dialog.passphrase.clear()
        qtbot.keyClicks(dialog.passphrase, "marble otter sings quietly")
        assert dialog.hint.text().startswith(("Good", "Strong", "Fair"))
        qtbot.keyClicks(dialog.confirm, "marble otter sings quietly")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(qtbot, "firstAccountDialog", set_up)
    session = SignInFlow(path, Settings()).run()
    assert seen and session is not None
    assert session.account_name == "Sam Kirby" and session.may_manage_accounts
    assert len(shown) == 1 and len(shown[0]) == 39
    assert path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert paths.key_file_path(path).stat().st_mode & 0o777 == 0o600
    session.end()


def test_the_recovery_key_dialog_is_not_closed_until_the_key_is_kept(qtbot):
    from arrs_desktop.ui.shell.recovery_key_dialog import RecoveryKeyDialog

    dialog = RecoveryKeyDialog("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789", "/tmp/c.db")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.done_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert "ABCD-EFGH" in dialog.page_html()
    dialog.kept.setChecked(True)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_plain_caseload_is_encrypted_on_first_open_and_its_backups_offered(qtbot, tmp_path,
                                                                             monkeypatch):
    from arrs_desktop.access.conversion import plain_backups
    from arrs_desktop.store import backup, open_store
    from arrs_desktop.tools.demo import build_demo
    from arrs_desktop.ui.shell.plain_backups_dialog import PlainBackupsDialog
    from arrs_desktop.ui.shell.recovery_key_dialog import RecoveryKeyDialog
    from arrs_desktop.ui.shell.sign_in_flow import SignInFlow

    path = tmp_path / "old.db"
    store = open_store(path, user="Old Version")
    build_demo(store, 15, seed=9, today=date.today())
    rows = {t: sorted(store.db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in store.table_counts()}
    store.close()
    backup.make_backup(path)
    monkeypatch.setattr(RecoveryKeyDialog, "show_once", classmethod(lambda *a: None))
    offered: list[str] = []

    def choose(cls, parent, db_path, backups, converted_now=False):
        offered.append(PlainBackupsDialog(db_path, backups, converted_now).message.text())
        return PlainBackupsDialog.ENCRYPT

    monkeypatch.setattr(PlainBackupsDialog, "ask", classmethod(choose))

    def set_up(dialog) -> None:
        qtbot.keyClicks(dialog.name, "Sam Kirby")
        qtbot.keyClicks(dialog.passphrase, "marble otter sings quietly")
        qtbot.keyClicks(dialog.confirm, "marble otter sings quietly")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(qtbot, "encryptCaseloadDialog", set_up)
    flow = SignInFlow(path, Settings())
    session = flow.run()
    assert seen and session is not None and flow.converted
    assert offered and "still plain" in offered[0] and "can read" in offered[0]
    assert plain_backups(path) == []
    store = session.open_store()
    try:
        for table, before in rows.items():  # every row, every column, as it was
            assert sorted(store.db.execute(f'SELECT * FROM "{table}"').fetchall(),
                          key=repr) == before, table
    finally:
        store.close()
    for made in [path, *paths.backups_dir(path).glob("*.db")]:
        assert made.read_bytes()[:16] != b"SQLite format 3\x00"
    session.end()


def test_a_lost_key_file_is_said_and_the_recovery_key_makes_a_new_one(qtbot, caseload):
    from arrs_desktop.access.session import state_of
    from arrs_desktop.ui.shell.sign_in_flow import SignInFlow

    path, recovery = caseload
    paths.key_file_path(path).unlink()
    assert state_of(path) == "missing-key"
    before = _sha(path)

    def use_recovery(box) -> None:
        assert "no key file" in box.text() and "recovery key" in box.text()
        [b for b in box.buttons() if "recovery" in b.text()][0].click()

    def enter_key(dialog) -> None:
        qtbot.keyClicks(dialog.recovery, recovery.formatted())
        qtbot.keyClicks(dialog.name, "Amara Osei")
        qtbot.keyClicks(dialog.passphrase, "a new long passphrase")
        qtbot.keyClicks(dialog.confirm, "a new long passphrase")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(qtbot, "keyFileProblem", use_recovery,
                       ("recoveryKeyEntryDialog", enter_key))
    session = SignInFlow(path, Settings()).run()
    assert len(seen) == 2
    assert session is not None and session.account_name == "Amara Osei"
    assert _sha(path) == before  # only a new key file was written
    store = session.open_store()
    assert store.people.count() == 10
    store.close()
    session.end()


def test_opening_another_encrypted_caseload_signs_in_to_it_first(qtbot, caseload, tmp_path):
    from arrs_desktop.access.session import create_caseload
    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.ui.shell.app import create_window

    path, _ = caseload
    other = tmp_path / "other" / "second.db"
    second, _ = create_caseload(other, name="Raj Mistry", role="cc",
                                passphrase="second caseload phrase", kdf=CHEAP)
    second.end()
    from arrs_desktop.access.session import sign_in

    session = sign_in(path, JANE)
    store = session.open_store()
    window = create_window(store, Settings(user_name="Amara Osei"), load_rules(None), session)
    qtbot.addWidget(window)
    window.show()

    def sign_in_there(dialog) -> None:
        assert dialog.db_path == other
        qtbot.keyClicks(dialog.passphrase, "second caseload phrase")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    seen = _when_shown(qtbot, "signInDialog", sign_in_there)
    successor = window.file_actions.open_caseload(other)
    assert seen and successor is not None
    qtbot.addWidget(successor)
    assert successor.session.account_name == "Raj Mistry"
    assert successor.store.user == "Raj Mistry"
    from arrs_desktop.store import StoreLockedError, open_store

    with pytest.raises(StoreLockedError):  # the first caseload's key is no longer lent
        open_store(path)
    successor.store.close()
    successor.session.end()
