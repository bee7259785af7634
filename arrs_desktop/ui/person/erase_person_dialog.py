"""Erase a person for good (File → Erase person for good…): reason, confirmation, audited."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from arrs_desktop.app.operations.people import erase_person
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.store_form_dialog import StoreFormDialog

_TABLE_NAMES = {
    "needs": "needs", "episodes": "episodes", "goals": "goals", "goal_progress": "goal scores",
    "sessions": "sessions", "outcome_measures": "outcome scores",
    "asset_referrals": "community referrals",
    "care_home_contact_residents": "care home contact mentions",
}


class ErasePersonDialog(StoreFormDialog):
    """Ask why, make the user confirm, then erase the person and all their records."""

    def __init__(self, context, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("erasePersonDialog")
        self._context = context
        self.store = store = context.store
        self.person_id = person_id
        person = store.people.get(person_id)
        self.setWindowTitle(self.tr("Erase {0} for good").format(person.name))
        counts = store.erasure.preview(person_id)
        listed = [f"{n} {_TABLE_NAMES[t]}" for t, n in counts.items()
                  if t in _TABLE_NAMES and n]
        self.summary = QLabel(self.tr(
            "This removes {0} and everything recorded about them{1} from this caseload. It "
            "cannot be undone: only backups made before now still hold them, until those "
            "backups are cleared out (within a year).\n\n"
            "Use it when the person asks to be forgotten or was added by mistake.").format(
                person.name, f" ({', '.join(listed)})" if listed else ""), self)
        self.summary.setWordWrap(True)
        layout = QFormLayout()
        self.form = ErrorForm(layout)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("For example: asked to be forgotten, letter of "
                                               "12 January"))
        self.reason.setFixedHeight(70)
        self.form.add_row("reason", self.tr("Why &erase *"), self.reason)
        self.confirm = QCheckBox(self.tr("I understand {0}'s record will be gone for "
                                         "good").format(person.name), self)
        self.confirm.setObjectName("eraseConfirm")
        self.confirm_error = FieldError(self)
        self.form.add_field("confirm", self.confirm, self.confirm_error)
        self._finish_layout(layout, "eraseButton", self.summary,
                            (self.confirm, self.confirm_error))
        self.save_button.setText(self.tr("Erase for good"))
        self.save_button.setProperty("primary", False)
        self.save_button.setProperty("role", "danger")
        self.resize(520, 360)

    def write(self):
        """Erase through the store (refused unless confirmed and a reason is given)."""
        from arrs_desktop.store import ValidationError

        errors = {}
        if not self.reason.toPlainText().strip():
            errors["reason"] = "is required"
        if not self.confirm.isChecked():
            errors["confirm"] = "must be ticked to erase"
        if errors:
            raise ValidationError(errors)
        return self._context.run(erase_person, self.person_id, self.reason.toPlainText(),
                                 initiator=self.initiator())

    def error_labels(self) -> dict[str, str]:
        """Name the fields in messages."""
        return {"reason": self.tr("The reason"), "confirm": self.tr("The confirmation box")}

    @classmethod
    def ask(cls, parent: QWidget | None, context, person_id: str) -> tuple[dict | None, bool]:
        """Show the dialog; return the rows removed per table and whether it was erased."""
        return cls.exec_for_value(cls(context, person_id, parent))
