"""Set the PIN that unlocks the window for the signed-in account (6 to 12 digits)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QWidget

from arrs_desktop.security.errors import SecurityError
from arrs_desktop.security.passphrase import pin_problem
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.form_dialog import FormDialog
from arrs_desktop.ui.common.widgets import muted
from arrs_desktop.ui.shell.account_setup_dialog import passphrase_field, show_field_errors


class PinDialog(FormDialog):
    """A PIN and the same again; saved into the key file (as a verifier, never the PIN)."""

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinDialog")
        self.setWindowTitle(self.tr("Set your PIN"))
        self.setMinimumWidth(460)
        self.session = session
        self.pin = passphrase_field(self, "pinField")
        self.pin.setMaxLength(12)
        self.confirm = passphrase_field(self, "confirmPinField")
        self.confirm.setMaxLength(12)
        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("pin", self.tr("&PIN *"), self.pin)
        self.form.add_row("confirm", self.tr("Type it a&gain *"), self.confirm)
        self._finish_layout(form, "savePinButton", intro=muted(self.tr(
            "The PIN unlocks this window when it is locked (Ctrl+L, or after the idle time), "
            "so you need not type your passphrase each time. 6 to 12 digits, not an easy one "
            "like 123456 or a birthday. After 5 wrong PINs only your passphrase unlocks. A "
            "PIN never opens the caseload file itself.")))
        self.pin.setFocus()

    def save(self) -> None:
        """Check the PIN and write its verifier into the key file."""
        pin = self.pin.text()
        problem = pin_problem(pin)
        if problem:
            show_field_errors(self.form, {"pin": problem})
            return
        if self.confirm.text() != pin:
            show_field_errors(self.form, {"confirm": self.tr("The two PINs are not the same.")})
            return
        try:
            self.session.key_file.set_pin(self.session.unlocked, pin)
            self.session.refresh_pins()
        except SecurityError as exc:
            self.general_error.show_error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, session) -> bool:
        """Show the dialog; return True once the PIN is set."""
        return cls(session, parent).exec() == QDialog.DialogCode.Accepted
