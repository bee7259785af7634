"""Who is using the app: name, role, practice, its phone and auto-lock, saved for this user."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLES
from arrs_desktop.domain.validation import clean_text
from arrs_desktop.settings import Settings, practice_phone_error, save_settings
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.form_dialog import FormDialog
from arrs_desktop.ui.common.widgets import muted

# The idle times offered before the window locks (minutes; 0 = never).
LOCK_CHOICES = (0, 5, 10, 15, 20, 30, 60, 120, 240)


def lock_label(minutes: int) -> str:
    """Say an idle time in words: 'Never', '10 minutes', '1 hour', '2 hours'."""
    if minutes <= 0:
        return "Never"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class SettingsDialog(FormDialog):
    """Ask for the user's name, role, practice and auto-lock minutes, and save them."""

    def __init__(self, settings: Settings | None = None, first_run: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._original = settings or Settings()
        self.saved: Settings | None = None
        self.setWindowTitle(self.tr("Welcome — tell us who you are") if first_run
                            else self.tr("Settings"))
        self.setMinimumWidth(460)

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
        self.lock_after = QComboBox(self)
        self.lock_after.setObjectName("lockAfterField")
        minutes = max(0, int(self._original.lock_after_minutes or 0))
        for choice in sorted(set(LOCK_CHOICES) | {minutes}):
            self.lock_after.addItem(self.tr(lock_label(choice)), choice)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("user_name", self.tr("Your &name *"), self.user_name,
                          check=lambda: self._name_problem(self.user_name.text().strip()))
        self.form.add_row("role", self.tr("Your &role"), self.role)
        self.form.add_row("practice", self.tr("&Practice or PCN"), self.practice)
        self.form.add_row("practice_phone", self.tr("Practice p&hone"), self.practice_phone,
                          check=lambda: practice_phone_error(self.practice_phone.text()))
        self.form.add_row("lock_after_minutes", self.tr("&Lock after idle"), self.lock_after)
        self._finish_layout(form, "saveSettingsButton", intro=muted(self.tr(
            "Your name goes on every change you make (the audit trail) and on the sessions you "
            "log. Your role and name pick out “My caseload” and your follow-ups. "
            "Saved for you on this computer; change them any time in Edit → Settings… "
            "(Ctrl+,).")))

        s = self._original
        self.user_name.setText(s.user_name)
        self.role.setCurrentIndex(max(0, self.role.findData(s.role)))
        self.practice.setText(s.practice)
        self.practice_phone.setText(s.practice_phone)
        self.lock_after.setCurrentIndex(max(0, self.lock_after.findData(minutes)))
        self.user_name.setFocus()

    def _name_problem(self, name: str) -> str | None:
        try:  # the name is recorded as the worker on every session: the store's rules
            clean_text(name, required=True, max_len=120)
        except ValueError as exc:
            return str(exc)
        return None

    def settings(self) -> Settings:
        """Return the settings as typed."""
        return replace(self._original, user_name=self.user_name.text().strip(),
                       role=self.role.currentData() or "", practice=self.practice.text().strip(),
                       practice_phone=self.practice_phone.text().strip(),
                       lock_after_minutes=int(self.lock_after.currentData() or 0))

    def save(self) -> None:
        """Check and save; a missing name or a bad phone number is shown by its field."""
        value = self.settings()
        errors = {}
        name_problem = self._name_problem(value.user_name)
        if name_problem:
            errors["user_name"] = name_problem
        try:  # the practice is printed on care plans: the store's rules for text
            clean_text(value.practice, max_len=120)
        except ValueError as exc:
            errors["practice"] = str(exc)
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
            self.general_error.show_error(self.tr("Your settings could not be saved: {0}")
                                          .format(exc))
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
