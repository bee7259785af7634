"""From a caseload's path to a signed-in session, the way the window starts.

- an encrypted caseload: the sign-in window (or, for automation and screenshots, the
  passphrase from `--passphrase-file` or `ARRS_PASSPHRASE`: the account is the one whose
  key slot it opens);
- a new file: set up the first account, show the recovery key once;
- a plain caseload from an earlier version: set up its first account, then it is backed
  up, encrypted and checked, the recovery key shown once, and its plain backups offered to
  be encrypted or deleted;
- a file whose key file is missing: say so, and offer the recovery key.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from arrs_desktop.security.errors import SecurityError


class SignInFlow(QObject):
    """Sign in to (or set up) the caseload at `path`; `run()` returns the session or None.

    `failed` lists the passphrases refused on the way (account, time): the window writes
    them into the audit trail once the caseload is open, with the sign-in itself.
    """

    def __init__(self, path: Path, settings, *, passphrase: str | None = None,
                 signing_in=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.signing_in = signing_in  # a future of the sign-in started before Qt loaded
        self.path = Path(path)
        self.settings = settings
        self.passphrase = passphrase
        self.parent_widget = parent
        self.failed: list[dict[str, str]] = []
        self.method = "passphrase"
        self.converted = False
        self.created = False  # a new caseload was set up (offer the demo, as on a new file)

    # -- the ways in ------------------------------------------------------------------
    def run(self):
        """Return a signed-in session, or None when the user gave up (or automation failed)."""
        from arrs_desktop.access.session import state_of

        state = state_of(self.path)
        if self.passphrase is not None:
            return self._automatic(state)
        if state == "encrypted":
            return self._sign_in()
        if state == "new":
            return self._first_account()
        if state == "plain":
            return self._convert()
        return self._missing_key()

    def _say(self, message: str) -> None:
        print(f"arrs-desktop: {' '.join(message.split())}", file=sys.stderr)

    def _automatic(self, state: str):
        """Sign in with the passphrase given (automation, screenshots): no window asks."""
        from arrs_desktop.access.session import missing_key_message, sign_in

        if not self.passphrase and state in ("encrypted", "plain"):
            self._say(f"{self.path.name} is encrypted (or is to be): a screenshot needs the "
                      "passphrase from --passphrase-file FILE or ARRS_PASSPHRASE.")
            return None
        if state == "encrypted":
            try:
                if self.signing_in is not None:
                    return self.signing_in.result()
                return sign_in(self.path, self.passphrase or "",
                               try_first=self._last_account() or None)
            except SecurityError as exc:
                self._say(str(exc))
                return None
        if state == "missing-key":
            self._say(missing_key_message(self.path))
            return None
        if state == "new":
            self._say(f"there is no caseload at {self.path}; open it without a passphrase to "
                      "set one up (or make one with `arrs init`).")
            return None
        return self._convert_with(self._account_name(), self.settings.role or "splw",
                                  self.passphrase or "", show=False)

    def _last_account(self) -> str:
        extra = getattr(self.settings, "extra", None) or {}
        return str(extra.get("last_account", ""))

    def _account_name(self) -> str:
        import getpass

        return self.settings.user_name or getpass.getuser()

    def _sign_in(self):
        from arrs_desktop.access.session import load_key_file
        from arrs_desktop.ui.shell.sign_in_dialog import SignInDialog

        try:
            key_file = load_key_file(self.path)
        except SecurityError as exc:
            return self._key_file_unusable(str(exc))
        while True:
            dialog = SignInDialog(self.path, key_file, self._last_account(), self.parent_widget)
            result = dialog.exec()
            self.failed += dialog.failed
            if result == QDialog.DialogCode.Accepted:
                return dialog.session
            if result != SignInDialog.RECOVERY:
                return None
            session = self._recover(key_file)
            if session is not None:
                return session

    def _recover(self, key_file):
        from arrs_desktop.ui.shell.recovery_key_entry_dialog import RecoveryKeyEntryDialog

        dialog = RecoveryKeyEntryDialog(self.path, key_file, self.parent_widget)
        if not dialog.ask():
            return None
        self.method = "recovery key"
        return dialog.session

    def _key_file_unusable(self, message: str):
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("ARRS Desktop"), message,
                          QMessageBox.StandardButton.Cancel, self.parent_widget)
        box.setObjectName("keyFileProblem")
        use = box.addButton(self.tr("Use the &recovery key…"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(use)
        box.exec()
        if box.clickedButton() is not use:
            return None
        return self._recover(None)

    def _missing_key(self):
        from arrs_desktop.access.session import missing_key_message

        return self._key_file_unusable(missing_key_message(self.path))

    def _first_account(self):
        from arrs_desktop.access.session import create_caseload
        from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog

        made: dict = {}

        def make(name: str, role: str, passphrase: str, _manager: bool):
            try:
                with _busy():
                    made["session"], made["key"] = create_caseload(
                        self.path, name=name, role=role, passphrase=passphrase)
            except (SecurityError, OSError) as exc:
                return {"": str(exc)}
            return {}

        dialog = AccountSetupDialog(
            self.tr("Welcome to ARRS Desktop"),
            self.tr("Set up your account for this new caseload. The caseload is encrypted on "
                    "this computer: your passphrase opens it, so choose one only you know. You "
                    "can add accounts for colleagues who share this laptop afterwards "
                    "(Account → Manage accounts…)."),
            self.tr("&Create the caseload"), name=self.settings.user_name,
            role=self.settings.role, parent=self.parent_widget)
        dialog.setObjectName("firstAccountDialog")
        dialog.action = make
        if not dialog.ask():
            return None
        self.created = True
        self._show_recovery_key(made["key"])
        return made["session"]

    def _convert(self):
        from arrs_desktop.ui.shell.account_setup_dialog import AccountSetupDialog

        made: dict = {}

        def convert(name: str, role: str, passphrase: str, _manager: bool):
            session = self._convert_with(name, role, passphrase, show=True, errors=made)
            if session is None:
                return {"": made.get("error", self.tr("The caseload could not be encrypted."))}
            made["session"] = session
            return {}

        dialog = AccountSetupDialog(
            self.tr("Encrypt this caseload"),
            self.tr("{0} was made by an earlier version of ARRS Desktop and is not encrypted: "
                    "anyone who copies it can read it. Set up your account, and it will be "
                    "backed up as it is, encrypted, and checked row for row before it is "
                    "used. Your passphrase opens it from then on.").format(self.path.name),
            self.tr("&Encrypt and open"), name=self.settings.user_name,
            role=self.settings.role, parent=self.parent_widget)
        dialog.setObjectName("encryptCaseloadDialog")
        dialog.action = convert
        if not dialog.ask():
            return None
        session = made["session"]
        self._show_recovery_key(made["key"])
        self.offer_plain_backups(session, converted_now=True)
        return session

    def _convert_with(self, name: str, role: str, passphrase: str, *, show: bool,
                      errors: dict | None = None):
        from arrs_desktop.access.conversion import convert_plain_caseload

        try:
            with _busy():
                done = convert_plain_caseload(self.path, name=name, role=role,
                                              passphrase=passphrase)
        except Exception as exc:  # noqa: BLE001 - every refusal is said; nothing was changed
            message = f"{self.path.name} could not be encrypted: {exc}"
            if errors is not None:
                errors["error"] = message
            if not show:
                self._say(message)
            return None
        self.converted = True
        if errors is not None:
            errors["key"] = done.recovery_key
        elif not show:
            self._say(f"{self.path.name} was not encrypted: it was backed up as it was "
                      f"({done.backup.name}) and encrypted, with the account {name}. Recovery "
                      f"key (shown once): {done.recovery_key.formatted()}")
        return done.session

    def _show_recovery_key(self, recovery_key) -> None:
        from arrs_desktop.ui.shell.recovery_key_dialog import RecoveryKeyDialog

        RecoveryKeyDialog.show_once(self.parent_widget, recovery_key.formatted(),
                                    str(self.path))

    def offer_plain_backups(self, session, converted_now: bool = False) -> None:
        """Offer to encrypt or delete backups left plain from before (asked on each open)."""
        from arrs_desktop.access.conversion import (
            delete_plain_backups,
            encrypt_plain_backups,
            plain_backups,
        )
        from arrs_desktop.ui.shell.plain_backups_dialog import PlainBackupsDialog

        plain = plain_backups(session.db_path)
        if not plain:
            return
        choice = PlainBackupsDialog.ask(self.parent_widget, session.db_path, plain,
                                        converted_now)
        try:
            with _busy():
                if choice == PlainBackupsDialog.ENCRYPT:
                    encrypt_plain_backups(session)
                elif choice == PlainBackupsDialog.DELETE:
                    delete_plain_backups(session.db_path)
        except Exception as exc:  # noqa: BLE001 - said plainly; the backups are as they were
            QMessageBox.warning(self.parent_widget, self.tr("ARRS Desktop"), self.tr(
                "The plain backups could not all be changed: {0}").format(exc))

    def record(self, context, session) -> None:
        """Write the sign-in, and the passphrases refused before it, into the audit trail.

        Refused attempts happen before the caseload can be read, so they are kept in
        memory and written here, each with its own time, once someone has signed in.
        """
        from arrs_desktop.app.operations.audit import record_event

        try:
            for attempt in self.failed:
                context.run(record_event, "sign_in_failed", dict(attempt))
            context.run(record_event, "sign_in", {"account": session.account_name,
                                                  "with": self.method,
                                                  "encrypted_now": self.converted})
        except Exception as exc:  # noqa: BLE001 - a busy file must not stop the sign-in
            self._say(f"the sign-in could not be written to the audit trail ({exc})")
        self.failed = []

    def remember(self, session) -> None:
        """Remember who signed in last on this computer (their account comes first next time)."""
        from arrs_desktop.settings import save_settings

        extra = dict(getattr(self.settings, "extra", None) or {})
        if session.account_id and extra.get("last_account") != session.account_id:
            extra["last_account"] = session.account_id
            self.settings = replace(self.settings, extra=extra)
            with contextlib.suppress(OSError):
                save_settings(self.settings)


class _busy:
    """Show the wait cursor while a derivation or a conversion runs."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc) -> None:
        QGuiApplication.restoreOverrideCursor()
