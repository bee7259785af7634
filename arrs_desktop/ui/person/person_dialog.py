"""Add or edit a person, with errors shown by each field and the duplicate guard."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from arrs_desktop.app.operations.people import add_person, update_person
from arrs_desktop.domain.catalogue import ETHNIC_CATEGORIES, GENDERS, PREFERRED_CONTACT
from arrs_desktop.domain.models import Person
from arrs_desktop.domain.people import contact_gaps
from arrs_desktop.domain.validation import (
    NAME_MAX,
    clean_email,
    clean_nhs_number,
    clean_postcode,
    clean_text,
    format_nhs_number,
)
from arrs_desktop.store import DuplicatePersonError, ValidationError
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm, cleaner_check
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog


class PersonDialog(StoreFormDialog):
    """Collect a person's details and save them through the store."""

    def __init__(self, context, person: Person | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personDialog")
        self._context = context
        self._store = store = context.store
        self._original = person
        self.saved: Person | None = None
        self.setWindowTitle(self.tr("Edit person") if person else self.tr("New person"))
        self.setMinimumWidth(480)

        self.name = QLineEdit(self)
        self.dob = DateLineEdit(self)
        self.nhs = QLineEdit(self)
        self.nhs.setPlaceholderText("943 476 5919")
        self.address = QPlainTextEdit(self)
        self.address.setFixedHeight(56)
        self.address.setTabChangesFocus(True)
        self.postcode = QLineEdit(self)
        self.gender = QComboBox(self)
        self.gender.addItem(self.tr("Not recorded"), "")
        for code, label in GENDERS.items():
            self.gender.addItem(label, code)
        self.ethnicity = QComboBox(self)
        self.ethnicity.addItem(self.tr("Not recorded"), "")
        for label in ETHNIC_CATEGORIES:
            self.ethnicity.addItem(label, label)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("name@example.org")
        self.gp_practice = QLineEdit(self)
        self.care_home = QComboBox(self)
        self.care_home.addItem(self.tr("Not in a care home"), None)
        for home in store.care_homes.all():
            self.care_home.addItem(home.name, home.id)
        self.preferred = QComboBox(self)
        self.preferred.addItem(self.tr("No preference"), "")
        for code, label in PREFERRED_CONTACT.items():
            self.preferred.addItem(label, code)

        # Shown under the name when the name and birth date match someone already on the log.
        self.confirm_different = QCheckBox(self.tr("This is a different person: save anyway"),
                                           self)
        self.confirm_different.setObjectName("confirmDifferentPerson")
        self.confirm_different.hide()
        # …and so is the way to the record already on the log.
        self.open_existing = QPushButton(self)
        self.open_existing.setObjectName("openExistingPersonButton")
        self.open_existing.hide()
        self.open_existing.clicked.connect(self._open_existing)
        self.opened_existing = False  # closed to open the person already on the log
        self._existing: Person | None = None
        self.nhs_existing = QPushButton(self)
        self.nhs_existing.setObjectName("openNhsMatchButton")
        self.nhs_existing.hide()
        self.nhs_existing.clicked.connect(self._open_existing)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("name", self.tr("&Name *"), self.name, check=cleaner_check(
            clean_text, self.name.text, required=True, max_len=NAME_MAX),
            below=(self.open_existing, self.confirm_different))
        self.form.add_row("date_of_birth", self.tr("&Date of birth"), self.dob,
                          check=date_check(self.dob, not_future=True))
        self.form.add_row("nhs_number", self.tr("NHS n&umber"), self.nhs,
                          check=cleaner_check(clean_nhs_number, self.nhs.text),
                          below=(self.nhs_existing,))
        self.form.add_row("address", self.tr("&Address"), self.address)
        self.form.add_row("postcode", self.tr("Post&code"), self.postcode,
                          check=cleaner_check(clean_postcode, self.postcode.text))
        self.form.add_row("phone", self.tr("&Phone"), self.phone, check=self._phone_problem)
        self.form.add_row("email", self.tr("&Email"), self.email, check=self._email_problem)
        self.form.add_row("gender", self.tr("&Gender"), self.gender)
        self.form.add_row("ethnicity", self.tr("E&thnicity"), self.ethnicity)
        self.form.add_row("gp_practice", self.tr("GP p&ractice"), self.gp_practice)
        self.form.add_row("care_home_id", self.tr("Care &home"), self.care_home)
        self.form.add_row("preferred_contact", self.tr("Preferred c&ontact"), self.preferred)
        self._finish_layout(form, "savePersonButton")
        # The best way of contact needs its phone number or email address: choosing another
        # way may settle what was said under those fields.
        self.preferred.currentIndexChanged.connect(self._recheck_contact)
        for field in (self.name, self.dob):  # a new name or birth date: asked again on save
            field.textChanged.connect(self._forget_duplicate)
        if person:
            self._fill(person)
        self.name.setFocus()

    def _fill(self, p: Person) -> None:
        self.name.setText(p.name)
        self.dob.set_value(p.date_of_birth)
        self.nhs.setText(format_nhs_number(p.nhs_number))
        self.address.setPlainText(p.address)
        self.postcode.setText(p.postcode)
        self.phone.setText(p.phone)
        self.gender.setCurrentIndex(max(0, self.gender.findData(p.gender)))
        if p.ethnicity and self.ethnicity.findData(p.ethnicity) < 0:
            self.ethnicity.addItem(self.tr("{0} (as recorded)").format(p.ethnicity), p.ethnicity)
        self.ethnicity.setCurrentIndex(max(0, self.ethnicity.findData(p.ethnicity)))
        self.email.setText(p.email)
        self.gp_practice.setText(p.gp_practice)
        self.care_home.setCurrentIndex(max(0, self.care_home.findData(p.care_home_id)))
        self.preferred.setCurrentIndex(max(0, self.preferred.findData(p.preferred_contact)))

    def reload(self) -> None:
        """Show the person as saved now, dropping what was typed."""
        if self._original and self._original.id:
            self._original = self._store.people.get(self._original.id)
            self._fill(self._original)

    def person(self) -> Person:
        """Return the person as typed (not yet checked)."""
        base = self._original or Person(name="")
        return replace(
            base,
            name=self.name.text(),
            date_of_birth=self.dob.value(),
            nhs_number=self.nhs.text(),
            address=self.address.toPlainText(),
            postcode=self.postcode.text(),
            phone=self.phone.text(),
            gender=self.gender.currentData() or "",
            ethnicity=self.ethnicity.currentData() or "",
            email=self.email.text(),
            gp_practice=self.gp_practice.text(),
            care_home_id=self.care_home.currentData(),
            preferred_contact=self.preferred.currentData() or "",
        )

    def write(self) -> Person:
        """Save the person through the store (a confirmed look-alike is allowed)."""
        allow = self.confirm_different.isVisible() and self.confirm_different.isChecked()
        if self._original and self._original.id:
            return self._context.run(update_person, self.person(), allow_duplicate=allow,
                                     on_top=self.on_top, initiator=self.initiator())
        return self._context.run(add_person, self.person(), allow_duplicate=allow,
                                 initiator=self.initiator())

    def _phone_problem(self) -> str | None:
        phone = self.phone.text().strip()
        if phone and not all(ch.isdigit() or ch in " +()-" for ch in phone):
            return self.tr("may only contain digits, spaces and + ( ) -")
        return self._contact_gap("phone")

    def _email_problem(self) -> str | None:
        return cleaner_check(clean_email, self.email.text)() or self._contact_gap("email")

    def _contact_gap(self, key: str) -> str | None:
        return contact_gaps(self.preferred.currentData(), self.phone.text(),
                            self.email.text()).get(key)

    def _recheck_contact(self) -> None:
        for key in ("phone", "email"):
            error = self.form.fields[key][1]
            if error.showing:
                error.show_problem(error.check())

    def _forget_duplicate(self) -> None:
        self.confirm_different.setChecked(False)
        self.confirm_different.hide()
        self.open_existing.hide()
        self.nhs_existing.hide()

    def _offer_existing(self, button: QPushButton, person: Person) -> None:
        self._existing = person
        button.setText(self.tr("Open {0}'s record").format(person.name))
        button.setAccessibleName(self.tr("Close this form and open {0}, already on the "
                                         "log").format(person.name))
        button.show()

    def _open_existing(self) -> None:
        """Close the form and open the person already on the log instead."""
        if self._existing is None:
            return
        self.saved = self._existing
        self.opened_existing = True
        self.accept()

    def refused(self, error: ValidationError) -> bool:
        """Offer to open the person already on the log, or (same name and birth date only)
        to confirm this is a different person."""
        self._forget_duplicate()
        if not isinstance(error, DuplicatePersonError):
            return False
        live = [m for m in error.matches if not m.deleted_at]
        if error.field == "name":
            self.form.show_errors(error.errors, {"name": ""})
            if live:
                self._offer_existing(self.open_existing, live[0])
            self.confirm_different.show()
            (self.open_existing if live else self.confirm_different).setFocus()
            return True
        self.form.show_errors(error.errors, {"nhs_number": self.tr("NHS number")})
        if live:
            self._offer_existing(self.nhs_existing, live[0])
        return True

    @classmethod
    def ask(cls, parent: QWidget | None, context, person: Person | None = None) -> tuple[
        Person | None, bool
    ]:
        """Show the dialog; return (saved person, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(context, person, parent))
