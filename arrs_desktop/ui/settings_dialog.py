"""Who is using the app: name, role, practice, its phone and auto-lock, saved for this user."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.catalogue import ROLES
from arrs_desktop.settings import Settings, practice_phone_error, save_settings
from arrs_desktop.ui.forms import ErrorForm
from arrs_desktop.ui.widgets import heading, muted
from arrs_desktop.validation import clean_text


class SettingsDialog(QDialog):
    """Ask for the user's name, role, practice and auto-lock minutes, and save them."""

    def __init__(self, settings: Settings | None = None, first_run: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._original = settings or Settings()
        self.saved: Settings | None = None
        self.setWindowTitle(self.tr("Welcome — tell us who you are") if first_run
                            else self.tr("Settings"))
        self.setMinimumWidth(440)

        self.user_name = QLineEdit(self)
        self.user_name.setPlaceholderText(self.tr("e.g. Sam Kirby"))
        self.role = QComboBox(self)
        self.role.addItem(self.tr("Not one of these / several"), "")
        for r in ROLES:
            self.role.addItem(r.name, r.code)
        self.practice = QLineEdit(self)
        self.practice_phone = QLineEdit(self)
        self.practice_phone.setPlaceholderText(self.tr("optional, e.g. 0113 496 0000"))
        self.practice_phone.setToolTip(self.tr(
            "Printed on care and support plans under “Who to contact”."))
        self.lock_after = QSpinBox(self)
        self.lock_after.setRange(0, 240)
        self.lock_after.setSuffix(self.tr(" minutes"))
        self.lock_after.setSpecialValueText(self.tr("Never"))

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("user_name", self.tr("Your name *"), self.user_name)
        self.form.add_row("role", self.tr("Your role"), self.role)
        self.form.add_row("practice", self.tr("Practice or PCN"), self.practice)
        self.form.add_row("practice_phone", self.tr("Practice phone"), self.practice_phone)
        self.form.add_row("lock_after_minutes", self.tr("Lock after idle"), self.lock_after)
        self.general_error = QLabel(self)
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setProperty("primary", True)
        save.setObjectName("saveSettingsButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addWidget(muted(self.tr(
            "Your name goes on every change you make (the audit trail) and on the sessions you "
            "log. Your role and name pick out “My caseload” and your follow-ups. "
            "Saved for you on this computer; change them any time in Edit → Settings… "
            "(Ctrl+,).")))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        s = self._original
        self.user_name.setText(s.user_name)
        self.role.setCurrentIndex(max(0, self.role.findData(s.role)))
        self.practice.setText(s.practice)
        self.practice_phone.setText(s.practice_phone)
        self.lock_after.setValue(int(s.lock_after_minutes or 0))
        self.user_name.setFocus()

    def settings(self) -> Settings:
        """Return the settings as typed."""
        return replace(self._original, user_name=self.user_name.text().strip(),
                       role=self.role.currentData() or "", practice=self.practice.text().strip(),
                       practice_phone=self.practice_phone.text().strip(),
                       lock_after_minutes=self.lock_after.value())

    def save(self) -> None:
        """Check and save; a missing name or a bad phone number is shown by its field."""
        value = self.settings()
        errors = {}
        for key, text, required in (("user_name", value.user_name, True),
                                    ("practice", value.practice, False)):
            try:  # the name is recorded as the worker on every session: the store's rules
                clean_text(text, required=required, max_len=120)
            except ValueError as exc:
                errors[key] = str(exc)
        phone_error = practice_phone_error(value.practice_phone)
        if phone_error:
            errors["practice_phone"] = phone_error
        if errors:
            self.form.show_errors(errors, {"user_name": self.tr("Your name"),
                                           "practice": self.tr("Practice or PCN"),
                                           "practice_phone": self.tr("Practice phone")})
            return
        try:
            save_settings(value)
        except OSError as exc:
            self.general_error.setText(self.tr("Your settings could not be saved: {0}")
                                       .format(exc))
            self.general_error.show()
            return
        self.saved = value
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings | None = None,
            first_run: bool = False) -> tuple[Settings | None, bool]:
        """Show the dialog; return (saved settings, True) or (None, False) if cancelled."""
        dialog = cls(settings, first_run, parent)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.saved if ok else None), ok
