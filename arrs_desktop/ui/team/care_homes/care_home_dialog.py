"""Add or edit a care home's details, with errors shown by each field."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from arrs_desktop.app.operations.care_homes import save_care_home
from arrs_desktop.domain.models import CareHome
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog


class CareHomeDialog(StoreFormDialog):
    """Collect a care home's details and save them through the store."""

    def __init__(self, context, home: CareHome | None = None, parent: QWidget | None = None,
                 default_lead: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("careHomeDialog")
        self._context = context
        self._store = context.store
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

        self._finish_layout(form, "saveCareHomeButton")
        if home:
            self._fill(home)
        else:
            self.lead_worker.setText(default_lead)
        self.name.setFocus()

    def _fill(self, home: CareHome) -> None:
        self.name.setText(home.name)
        self.address.setPlainText(home.address)
        self.phone.setText(home.phone)
        self.practice.setText(home.practice)
        self.clinical_lead.setText(home.clinical_lead)
        self.lead_worker.setText(home.lead_worker)

    def reload(self) -> None:
        """Show the home as saved now, dropping what was typed."""
        if self._original and self._original.id:
            self._original = self._store.care_homes.get(self._original.id)
            self._fill(self._original)

    def home(self) -> CareHome:
        """Return the home as typed (not yet checked)."""
        return replace(self._original or CareHome(name=""), name=self.name.text(),
                       address=self.address.toPlainText(), phone=self.phone.text(),
                       practice=self.practice.text(), clinical_lead=self.clinical_lead.text(),
                       lead_worker=self.lead_worker.text())

    def write(self) -> CareHome:
        """Save the home through the store."""
        return self._context.run(save_care_home, self.home(), on_top=self.on_top,
                                 initiator=self.initiator())

    @classmethod
    def ask(cls, parent: QWidget | None, context, home: CareHome | None = None,
            default_lead: str = "") -> tuple[CareHome | None, bool]:
        """Show the dialog; return (saved home, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(context, home, parent, default_lead))
