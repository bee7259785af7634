"""Use the printed recovery key: reset a forgotten passphrase, or make a lost key file again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from arrs_desktop.security.errors import SecurityError
from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecoveryKeyEntryDialog", text)


class RecoveryKeyEntryDialog(AccountSetupDialog):
    """The recovery key, then the account and its new passphrase; `session` once done.

    With a key file (`key_file`), the chosen account gets a new passphrase; without one
    (it was lost), a new key file is made whose first account is the one typed here.
    """

    def __init__(self, db_path: Path, key_file=None, parent: QWidget | None = None) -> None:
        self.db_path = Path(db_path)
        self.key_file = key_file
        self.session = None
        recovery = QLineEdit()
        recovery.setObjectName("recoveryKeyField")
        recovery.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        recovery.setMinimumWidth(340)
        lost = key_file is None
        intro = _tr("Type the recovery key printed when the caseload was set up (capitals, "
                    "spaces and dashes do not matter). ")
        if lost:
            intro += _tr("The key file beside {0} is missing, so a new one is made, with the "
                         "account below as its first account (it may manage accounts; add "
                         "the others again afterwards).").format(self.db_path.name)
        else:
            intro += _tr("Then choose a new passphrase for the account.")
        accounts = () if lost else tuple((a.id, a.name) for a in key_file.accounts)
        super().__init__(_tr("Use the recovery key"), intro, _tr("&Open the caseload"),
                         first_rows=(("recovery", _tr("Recovery &key *"), recovery),),
                         accounts=accounts, parent=parent)
        self.setObjectName("recoveryKeyEntryDialog")
        self.recovery = recovery
        self.action = self._recover
        self.recovery.setFocus()

    def _recover(self, name: str, role: str, passphrase: str, _manager: bool):
        from arrs_desktop.access.session import (
            restore_key_file,
            sign_in,
            sign_in_with_recovery_key,
        )

        typed = self.recovery.text()
        if not typed.strip():
            return {"recovery": self.tr("Type the recovery key.")}
        try:
            if self.key_file is None:
                self.session = restore_key_file(self.db_path, typed, name=name, role=role,
                                                passphrase=passphrase)
                return {}
            assert self.account_choice is not None
            account_id = self.account_choice.currentData()
            by_key = sign_in_with_recovery_key(self.db_path, typed)
            try:
                by_key.key_file.reset_passphrase(by_key.unlocked, account_id, passphrase)
                by_key.sync_backup_key_files()
            finally:
                by_key.end()
            self.session = sign_in(self.db_path, passphrase, account=account_id)
        except SecurityError as exc:
            return {"recovery": str(exc)}
        return {}
