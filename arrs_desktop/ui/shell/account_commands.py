"""The Account menu of a signed-in window: PIN, passphrase, accounts, switch user."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from arrs_desktop.app.operations.audit import record_event


class AccountCommands(QObject):
    """Make the Account menu's actions and do their work for the window's session."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.who_action = QAction(window)
        self.who_action.setObjectName("signedInAsAction")
        self.who_action.setEnabled(False)
        self.pin_action = QAction(window.tr("Set my &PIN…"), window)
        self.pin_action.setObjectName("setPinAction")
        self.pin_action.triggered.connect(self.set_pin)
        self.passphrase_action = QAction(window.tr("Change my &passphrase…"), window)
        self.passphrase_action.setObjectName("changePassphraseAction")
        self.passphrase_action.triggered.connect(self.change_passphrase)
        self.accounts_action = QAction(window.tr("&Manage accounts…"), window)
        self.accounts_action.setObjectName("manageAccountsAction")
        self.accounts_action.triggered.connect(self.manage_accounts)
        self.switch_action = QAction(window.tr("&Switch user…"), window)
        self.switch_action.setObjectName("switchUserAction")
        self.switch_action.triggered.connect(self.switch_user)

    @property
    def session(self):
        """Return the window's sign-in."""
        return self.window.session

    def fill_menu(self, menu) -> None:
        """Put the actions in the Account menu (who is signed in is said when it opens)."""
        menu.setObjectName("accountMenu")
        for action in (self.who_action, None, self.pin_action, self.passphrase_action,
                       self.accounts_action, None, self.switch_action):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Say who is signed in; offer Manage accounts only to those who may."""
        self.who_action.setText(self.window.tr("Signed in as {0}").format(
            self.session.account_name))
        self.accounts_action.setEnabled(self.session.may_manage_accounts)
        self.pin_action.setEnabled(self.session.unlocked.account is not None)
        self.passphrase_action.setEnabled(self.session.unlocked.account is not None)

    def _record(self, action: str, detail: dict) -> None:
        try:
            self.window.context.run(record_event, action, detail)
        except Exception as exc:  # noqa: BLE001 - the change to the key file is made
            self.window.statusBar().showMessage(str(exc), 8000)

    def set_pin(self) -> bool:
        """Set (or change) the signed-in account's PIN."""
        from arrs_desktop.ui.shell.pin_dialog import PinDialog

        if not PinDialog.ask(self.window, self.session):
            return False
        self.session.sync_backup_key_files()
        self._record("pin_set", {"account": self.session.account_name})
        self.window.statusBar().showMessage(self.window.tr(
            "Your PIN is set: it unlocks this window when it is locked."), 8000)
        return True

    def change_passphrase(self) -> bool:
        """Change the signed-in account's passphrase."""
        from arrs_desktop.ui.shell.change_passphrase_dialog import ChangePassphraseDialog

        if not ChangePassphraseDialog(self.session, self.window).ask():
            return False
        self._record("passphrase_changed", {"account": self.session.account_name})
        self.window.statusBar().showMessage(self.window.tr("Your passphrase is changed."),
                                            8000)
        return True

    def manage_accounts(self) -> None:
        """Show the accounts (a manager adds, resets and removes them)."""
        from arrs_desktop.ui.shell.accounts_dialog import AccountsDialog

        AccountsDialog(self.session, self.window.context, self.window).exec()
        self.session.refresh_pins()

    def switch_user(self) -> None:
        """Lock the window and let another account sign in at the lock."""
        lock = self.window.window_lock
        lock.lock("switch user")
        lock.screen.start_switch()
