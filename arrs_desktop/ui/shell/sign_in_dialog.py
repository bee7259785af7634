"""Sign in to an encrypted caseload: choose the account, type its passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.security.errors import SecurityError, WrongPassphraseError
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.shell.account_setup_dialog import passphrase_field


class SignInDialog(QDialog):
    """The accounts of a caseload and a passphrase; `session` is set once signed in.

    Each refused passphrase is counted in `failed` (account name, time) so that the
    attempts can be written into the audit trail once the caseload is open.
    """

    RECOVERY = 2  # the dialog's result when the recovery key was asked for

    def __init__(self, db_path: Path, key_file, last_account: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in to ARRS Desktop"))
        self.setMinimumWidth(480)
        self.db_path = Path(db_path)
        self.key_file = key_file
        self.session = None
        self.failed: list[dict[str, str]] = []
        self.account = QComboBox(self)
        self.account.setObjectName("accountField")
        for account in key_file.accounts:
            role = ROLES_BY_CODE.get(account.role)
            self.account.addItem(f"{account.name} ({role.short_name if role else account.role})",
                                 account.id)
        self.account.setCurrentIndex(max(0, self.account.findData(last_account)))
        self.passphrase = passphrase_field(self, "passphraseField")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form = ErrorForm(form)
        self.form.add_row("account", self.tr("&Account"), self.account)
        self.form.add_row("passphrase", self.tr("&Passphrase"), self.passphrase)
        self.general_error = FieldError(self)
        self.general_error.setObjectName("signInError")
        buttons = QDialogButtonBox(self)
        self.sign_in_button = buttons.addButton(self.tr("&Sign in"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setProperty("primary", True)
        self.sign_in_button.setDefault(True)
        self.recovery_button = QPushButton(self.tr("Forgotten it? Use the &recovery key…"),
                                           self)
        self.recovery_button.setObjectName("useRecoveryKeyButton")
        buttons.addButton(self.recovery_button, QDialogButtonBox.ButtonRole.ResetRole)
        quit_button = buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setObjectName("quitButton")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        self.recovery_button.clicked.connect(lambda: self.done(self.RECOVERY))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Sign in")))
        layout.addWidget(muted(self.tr(
            "{0} is encrypted. Choose your account and type your passphrase to open it."
        ).format(self.db_path.name)))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        self.passphrase.setFocus()

    def try_sign_in(self) -> None:
        """Open the account's key slot with the passphrase typed; say plainly if it is wrong."""
        from datetime import UTC, datetime

        from arrs_desktop.access.session import sign_in

        typed = self.passphrase.text()
        error = self.form.fields["passphrase"][1]
        if not typed:
            error.show_error(self.tr("Type your passphrase."))
            return
        account_id = self.account.currentData()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.session = sign_in(self.db_path, typed, account=account_id)
        except WrongPassphraseError as exc:
            self.failed.append({"account": self.key_file.account(account_id).name,
                                "at": datetime.now(UTC).isoformat(timespec="seconds")})
            error.show_error(str(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        except SecurityError as exc:
            self.general_error.show_error(str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()
