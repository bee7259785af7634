"""Ask the day of a status move (close, first contact, decline) and, to close, why."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import (
    CLOSURE_REASONS,
)
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.widgets import heading

# The moves that record a day, with the dialog's title, date label and button.
_DATED_MOVES = {
    "closed": ("Close episode", "Closed on *", "Close episode"),
    "active": ("First contact", "First contact on *", "Start"),
    "declined": ("Referral declined", "Declined on *", "Record declined"),
}


class EpisodeDayDialog(QDialog):
    """Ask the day of a status move (close, first contact, decline) and, to close, why."""

    def __init__(self, referral_date: date | None, parent: QWidget | None = None,
                 target: str = "closed") -> None:
        super().__init__(parent)
        title, date_label, button = _DATED_MOVES[target]
        self.setObjectName("closeEpisodeDialog" if target == "closed" else "episodeDateDialog")
        self.setWindowTitle(self.tr(title))
        self._target = target
        self._referral_date = referral_date
        self.value: tuple[str, date] | None = None
        self.reason = QComboBox(self)
        self.reason.addItem(self.tr("Choose a reason…"), None)
        for code, label in CLOSURE_REASONS.items():
            self.reason.addItem(self.tr(label), code)
        self.day = DateLineEdit(self)
        self.day.set_value(date.today())
        form = QFormLayout()
        self.form = ErrorForm(form)
        if target == "closed":
            self.form.add_row("closure_reason", self.tr("Reason *"), self.reason)
        else:
            self.reason.hide()
        self.form.add_row("date", self.tr(date_label), self.day, check=date_check(
            self.day, required=True, not_future=True,
            earliest=lambda: (self._referral_date, self.tr("cannot be before the referral date"))
            if self._referral_date else None))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr(button))
        ok.setObjectName("confirmCloseButton" if target == "closed" else "confirmDateButton")
        ok.setProperty("primary", True)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle(), parent=self))
        lay.addLayout(form)
        lay.addWidget(buttons)

    def confirm(self) -> None:
        """Check the answers here (the store checks them again) and accept."""
        errors = {}
        reason = self.reason.currentData()
        if reason is None and self._target == "closed":
            errors["closure_reason"] = self.tr("is required")
        day = self.day.value()
        if not isinstance(day, date):
            errors["date"] = self.tr("must be a date written as DD/MM/YYYY")
        elif day > date.today():
            errors["date"] = self.tr("cannot be in the future")
        elif self._referral_date and day < self._referral_date:
            errors["date"] = self.tr("cannot be before the referral date")
        if errors:
            self.form.show_errors(errors)
            return
        self.value = (reason, day)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, referral_date: date | None = None,
            target: str = "closed") -> tuple[tuple[str | None, date] | None, bool]:
        """Show the dialog; return ((reason or None, date), True) or (None, False)."""
        dialog = cls(referral_date, parent, target)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.value if ok else None), ok
