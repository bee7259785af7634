"""Set up an account: its name, role and passphrase (with a strength hint as it is typed).

Used for the first account of a new caseload, for the first account of a plain caseload
being encrypted, for a manager adding an account, and with the recovery key when a key
file is made again.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLES
from arrs_desktop.security.passphrase import check_passphrase
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.form_dialog import FormDialog
from arrs_desktop.ui.common.widgets import fit_window, muted


def show_field_errors(form: ErrorForm, errors: dict[str, str]) -> None:
    """Show each message (a whole sentence) under its field; the first field takes focus."""
    form.clear_errors()
    first = None
    for key, message in errors.items():
        if key in form.fields:
            widget, error = form.fields[key]
            error.show_error(message)
            first = first or widget
    if first is not None:
        first.setFocus()


def fit_primary(button) -> None:
    """Make a primary button wide enough for its text, which the style sheet sets bold."""
    bold = QFont(button.font())
    bold.setWeight(QFont.Weight.DemiBold)
    button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(
        button.text().replace("&", "")) + 32)


def passphrase_field(parent: QWidget | None, name: str) -> QLineEdit:
    """Return a field for a secret: shown as dots, never remembered by the system."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(field.inputMethodHints())
    field.setMaxLength(200)
    return field


class AccountSetupDialog(FormDialog):
    """Name, role and passphrase of an account; `accepted_values` holds them once saved.

    `check(name, role, passphrase)` may refuse what was typed by returning
    {field: message}; it does the work (makes the caseload, adds the account) otherwise.
    """

    def __init__(self, title: str, intro: str, save_text: str, *, name: str = "",
                 role: str = "", show_manager: bool = False, extra: tuple[QWidget, ...] = (),
                 first_rows: tuple[tuple[str, str, QWidget], ...] = (),
                 accounts: tuple[tuple[str, str], ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountSetupDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.values: tuple[str, str, str, bool] | None = None
        self.action = None  # set by the caller: (name, role, passphrase, manager) -> errors

        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Sam Kirby"))
        self.name.setText(name)
        self.role = QComboBox(self)
        for r in ROLES:
            self.role.addItem(r.name, r.code)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self.passphrase = passphrase_field(self, "newPassphraseField")
        self.confirm = passphrase_field(self, "confirmPassphraseField")
        self.hint = QLabel(self)
        self.hint.setObjectName("passphraseHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        self.manager = QCheckBox(self.tr("May &manage accounts (add and remove accounts, reset "
                                         "passphrases)"), self)
        self.manager.setObjectName("mayManageBox")
        self.manager.setVisible(show_manager)

        # Given `accounts` ((id, name) pairs), the account is chosen, not typed: its
        # passphrase is being reset.
        self.account_choice: QComboBox | None = None
        form = QFormLayout()
        self.form = ErrorForm(form)
        for key, label, widget in first_rows:
            widget.setParent(self)
            self.form.add_row(key, label, widget)
        if accounts:
            self.account_choice = QComboBox(self)
            self.account_choice.setObjectName("resetAccountField")
            for account_id, account_name in accounts:
                self.account_choice.addItem(account_name, account_id)
            self.form.add_row("account", self.tr("&Account *"), self.account_choice)
            self.name.setText(self.account_choice.currentText())
            self.account_choice.currentTextChanged.connect(self.name.setText)
            self.name.hide()
            self.role.hide()
        else:
            self.form.add_row("name", self.tr("&Name *"), self.name)
            self.form.add_row("role", self.tr("&Role *"), self.role)
        self.form.add_row("passphrase", self.tr("&Passphrase *"), self.passphrase,
                          below=(self.hint,))
        self.form.add_row("confirm", self.tr("Type it a&gain *"), self.confirm)
        self._finish_layout(form, "saveAccountButton", intro=muted(intro),
                            extra=(self.manager, *extra))
        self.save_button.setText(save_text)
        fit_primary(self.save_button)
        self.passphrase.textChanged.connect(self._show_hint)
        self.name.textChanged.connect(self._show_hint)
        self._show_hint()
        (self.passphrase if name else self.name).setFocus()

    def _show_hint(self, *_args) -> None:
        text = self.passphrase.text()
        if not text:
            self.hint.setText(self.tr(
                "At least 12 characters. Three or four random words you can picture are "
                "long and easy to remember; no symbols or capitals are needed."))
            return
        found = check_passphrase(text, context=[self.name.text().strip()])
        self.hint.setText(" ".join(found.problems) if found.problems else found.hint)
        fit_window(self.hint)  # a longer hint makes the dialog taller, never squeezed

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        fit_window(self.hint)  # once laid out at its real width, as tall as it needs

    def save(self) -> None:
        """Check what was typed, then let the caller's action do the work."""
        name, role = self.name.text().strip(), self.role.currentData()
        passphrase, manager = self.passphrase.text(), self.manager.isChecked()
        errors: dict[str, str] = {}
        if not name:
            errors["name"] = self.tr("Type the account's name.")
        found = check_passphrase(passphrase, context=[name])
        if not found.acceptable:
            errors["passphrase"] = " ".join(found.problems)
        elif self.confirm.text() != passphrase:
            errors["confirm"] = self.tr("The two passphrases are not the same.")
        if not errors and self.action is not None:
            errors = self.action(name, role, passphrase, manager) or {}
        if errors:
            general = errors.pop("", None)
            show_field_errors(self.form, errors)
            self.general_error.show_error(general)
            return
        self.values = (name, role, passphrase, manager)
        self.accept()

    def ask(self) -> bool:
        """Show the dialog; return True once its action succeeded."""
        return self.exec() == QDialog.DialogCode.Accepted
