"""Manage the accounts of a caseload (a manager, or signed in with the recovery key)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.audit import record_event
from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.security.errors import SecurityError
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog


class AccountsDialog(QDialog):
    """Every account with its role; Add…, Reset passphrase…, Remove…, each audited."""

    def __init__(self, session, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.setWindowTitle(self.tr("Accounts"))
        self.setMinimumSize(560, 380)
        self.session = session
        self.context = context
        self.list = QListWidget(self)
        self.list.setObjectName("accountsList")
        self.list.setAccessibleName(self.tr("Accounts"))
        self.add_button = QPushButton(self.tr("&Add…"), self)
        self.add_button.setObjectName("addAccountButton")
        self.reset_button = QPushButton(self.tr("&Reset passphrase…"), self)
        self.reset_button.setObjectName("resetPassphraseButton")
        self.remove_button = QPushButton(self.tr("Re&move…"), self)
        self.remove_button.setObjectName("removeAccountButton")
        self.error = FieldError(self)
        self.error.setObjectName("accountsError")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_passphrase)
        self.remove_button.clicked.connect(self.remove_account)
        row = QHBoxLayout()
        for button in (self.add_button, self.reset_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addWidget(muted(self.tr(
            "Everyone who works in this caseload on this computer has an account with a "
            "passphrase of their own. Removing an account takes its key out of the key file "
            "and the backups' copies of it; a copy taken elsewhere before now still opens "
            "with its old passphrase.")))
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.fill()

    def fill(self) -> None:
        """List the accounts as the key file holds them now."""
        self.session.key_file.reload()
        self.list.clear()
        for account in self.session.key_file.accounts:
            role = ROLES_BY_CODE.get(account.role)
            extras = [text for text, on in (
                (self.tr("may manage accounts"), account.may_manage_accounts),
                (self.tr("PIN set"), account.has_pin),
                (self.tr("you"), account.id == self.session.account_id)) if on]
            text = f"{account.name} — {role.name if role else account.role}"
            item = QListWidgetItem(text + (f" ({', '.join(extras)})" if extras else ""))
            item.setData(Qt.ItemDataRole.UserRole, account.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def _chosen(self):
        item = self.list.currentItem()
        return None if item is None else self.session.key_file.account(
            item.data(Qt.ItemDataRole.UserRole))

    def _audit(self, action: str, detail: dict) -> None:
        self.session.sync_backup_key_files()
        try:
            self.context.run(record_event, action, detail)
        except Exception as exc:  # noqa: BLE001 - the account change itself is made
            self.error.show_error(self.tr("Done, but not written to the audit trail: {0}")
                                  .format(exc))

    def add_account(self) -> bool:
        """Add an account with its own passphrase."""
        def add(name: str, role: str, passphrase: str, manager: bool):
            try:
                self._added = self.session.key_file.add_account(
                    self.session.unlocked, name=name, role=role, passphrase=passphrase,
                    may_manage_accounts=manager)
            except SecurityError as exc:
                return {"": str(exc)}
            return {}

        dialog = AccountSetupDialog(
            self.tr("Add an account"),
            self.tr("The new account's own passphrase: they type it to sign in (and can "
                    "change it afterwards in Account → Change my passphrase…)."),
            self.tr("&Add account"), show_manager=True, parent=self)
        dialog.setObjectName("addAccountDialog")
        dialog.action = add
        if not dialog.ask():
            return False
        self._audit("account_added", {"account": self._added.name, "role": self._added.role,
                                      "may_manage_accounts": self._added.may_manage_accounts})
        self.fill()
        return True

    def reset_passphrase(self) -> bool:
        """Give the chosen account a new passphrase (they forgot theirs)."""
        account = self._chosen()
        if account is None:
            return False

        def reset(_name: str, _role: str, passphrase: str, _manager: bool):
            try:
                if account.id == self.session.account_id:
                    return {"": self.tr("Change your own passphrase in Account → Change my "
                                        "passphrase… (it asks for the one you have now).")}
                self.session.key_file.reset_passphrase(self.session.unlocked, account.id,
                                                       passphrase)
            except SecurityError as exc:
                return {"": str(exc)}
            return {}

        dialog = AccountSetupDialog(
            self.tr("Reset a passphrase"),
            self.tr("Choose a new passphrase for {0} and tell it to them in person.").format(
                account.name), self.tr("&Reset passphrase"),
            accounts=((account.id, account.name),), parent=self)
        dialog.setObjectName("resetPassphraseDialog")
        dialog.action = reset
        if not dialog.ask():
            return False
        self._audit("passphrase_reset", {"account": account.name})
        self.fill()
        return True

    def remove_account(self) -> bool:
        """Remove the chosen account and its key slot, after asking."""
        account = self._chosen()
        if account is None:
            return False
        answer = QMessageBox.question(
            self, self.tr("Remove account"),
            self.tr("Remove {0}? Their passphrase and PIN will no longer open this caseload "
                    "or its backups here.").format(account.name))
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.session.key_file.remove_account(self.session.unlocked, account.id)
        except SecurityError as exc:
            self.error.show_error(str(exc))
            return False
        self._audit("account_removed", {"account": account.name})
        self.fill()
        return True
