"""Add or edit a care home's details, with errors shown by each field."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.models import CareHome
from arrs_desktop.store import StoreBusyError, ValidationError
from arrs_desktop.ui.forms import ErrorForm
from arrs_desktop.ui.widgets import heading


class CareHomeDialog(QDialog):
    """Collect a care home's details and save them through the store."""

    def __init__(self, store, home: CareHome | None = None, parent: QWidget | None = None,
                 default_lead: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("careHomeDialog")
        self._store = store
        self._original = home
        self.saved: CareHome | None = None
        self.setWindowTitle(self.tr("Edit care home") if home else self.tr("New care home"))
        self.setMinimumWidth(460)

        self.name = QLineEdit(self)
        self.address = QPlainTextEdit(self)
        self.address.setFixedHeight(56)
        self.address.setTabChangesFocus(True)
        self.phone = QLineEdit(self)
        self.practice = QLineEdit(self)
        self.practice.setPlaceholderText(self.tr("The GP practice aligned to the home"))
        self.clinical_lead = QLineEdit(self)
        self.clinical_lead.setPlaceholderText(self.tr("e.g. Dr Ahmed"))
        self.lead_worker = QLineEdit(self)
        self.lead_worker.setPlaceholderText(self.tr("The care coordinator who leads on it"))

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("name", self.tr("Name *"), self.name)
        self.form.add_row("address", self.tr("Address"), self.address)
        self.form.add_row("phone", self.tr("Phone"), self.phone)
        self.form.add_row("practice", self.tr("Aligned practice"), self.practice)
        self.form.add_row("clinical_lead", self.tr("Clinical lead"), self.clinical_lead)
        self.form.add_row("lead_worker", self.tr("Lead worker"), self.lead_worker)
        self.name.setObjectName("careHomeNameField")

        self.general_error = QLabel(self)
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setObjectName("saveCareHomeButton")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        if home:
            self.name.setText(home.name)
            self.address.setPlainText(home.address)
            self.phone.setText(home.phone)
            self.practice.setText(home.practice)
            self.clinical_lead.setText(home.clinical_lead)
            self.lead_worker.setText(home.lead_worker)
        else:
            self.lead_worker.setText(default_lead)
        self.name.setFocus()

    def home(self) -> CareHome:
        """Return the home as typed (not yet checked)."""
        return replace(self._original or CareHome(name=""), name=self.name.text(),
                       address=self.address.toPlainText(), phone=self.phone.text(),
                       practice=self.practice.text(), clinical_lead=self.clinical_lead.text(),
                       lead_worker=self.lead_worker.text())

    def save(self) -> None:
        """Save through the store; on a refusal show why by the field and stay open."""
        self.general_error.hide()
        try:
            if self._original and self._original.id:
                self.saved = self._store.update_care_home(self.home())
            else:
                self.saved = self._store.add_care_home(self.home())
        except ValidationError as exc:
            leftover = self.form.show_errors(exc.errors)
            if leftover:
                self.general_error.setText("\n".join(leftover))
                self.general_error.show()
            return
        except StoreBusyError as exc:
            self.general_error.setText(str(exc))
            self.general_error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, store, home: CareHome | None = None,
            default_lead: str = "") -> tuple[CareHome | None, bool]:
        """Show the dialog; return (saved home, True) or (None, False) if cancelled."""
        dialog = cls(store, home, parent, default_lead)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.saved if ok else None), ok
