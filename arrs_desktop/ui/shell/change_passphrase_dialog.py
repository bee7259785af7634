"""Change the signed-in account's passphrase: only its key slot is rewrapped."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from arrs_desktop.security.errors import SecurityError, WrongPassphraseError
from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog, passphrase_field


class ChangePassphraseDialog(AccountSetupDialog):
    """The current passphrase, then the new one twice (with the strength hint)."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        current = passphrase_field(None, "currentPassphraseField")
        super().__init__(
            "Change your passphrase",
            "Type your passphrase as it is now, then the new one. Only your key in the key "
            "file changes: the caseload file itself is not rewritten.",
            "&Change passphrase", first_rows=(("current", "&Current passphrase *", current),),
            accounts=((session.account_id, session.account_name),), parent=parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(self.tr("Change your passphrase"))
        self.current = current
        self.session = session
        self.action = self._change
        self.current.setFocus()

    def _change(self, _name: str, _role: str, passphrase: str, _manager: bool):
        try:
            self.session.key_file.change_passphrase(self.session.account_id,
                                                    self.current.text(), passphrase)
            self.session.sync_backup_key_files()
        except WrongPassphraseError as exc:
            return {"current": str(exc)}
        except SecurityError as exc:
            return {"": str(exc)}
        return {}
