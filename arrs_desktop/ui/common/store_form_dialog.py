"""A dialog whose Save writes through the store and shows any refusal by the field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
)

from arrs_desktop.store import StoreConflictError, ValidationError
from arrs_desktop.ui.common.error_form import show_message
from arrs_desktop.ui.common.form_dialog import FormDialog


class StoreFormDialog(FormDialog):
    """A dialog whose Save writes through the store and shows any refusal by the field.

    Subclasses build `self.form` (an ErrorForm) and implement `write()`, which calls the
    store and returns what it saved.
    """

    saved = None

    def write(self):
        """Write what was typed through the store and return what was saved."""
        raise NotImplementedError

    def initiator(self) -> object:
        """Return who a change saved here is made for: the view that opened the dialog
        (which may show the change itself), else the dialog."""
        return self.parentWidget() or self

    def error_labels(self) -> dict[str, str] | None:
        """Return names to use for fields in error messages, when not the field's own."""
        return None

    def refused(self, error: ValidationError) -> bool:
        """Handle a refusal specially (return True), or let it show by the fields."""
        return False

    def reload(self) -> None:
        """Show the record as it is saved now (after someone else changed it)."""
        raise NotImplementedError

    def conflicted(self, error: StoreConflictError):
        """Someone saved the record first: let the worker choose, keeping what they typed."""
        from arrs_desktop.ui.common.conflict_dialog import ConflictDialog

        choice, _ok = ConflictDialog.ask(self, error)
        if choice == ConflictDialog.MINE:
            self.on_top = True
            try:
                return self.form.run(self.write, self.general_error, self.error_labels(),
                                     self.refused)
            finally:
                self.on_top = False
        if choice == ConflictDialog.THEIRS:
            self.reload()
            show_message(self.general_error, self.tr(
                "The form now shows what was saved by {0}; your changes were dropped.").format(
                    error.theirs[-1].who if error.theirs else self.tr("someone else")))
            return False, None
        show_message(self.general_error, str(error))
        return False, None

    def save(self) -> None:
        """Save through the store; on a refusal show why by the field and stay open."""
        ok, saved = self.form.run(self.write, self.general_error, self.error_labels(),
                                  self.refused, self.conflicted)
        if ok:
            self.saved = saved
            self.accept()

    @classmethod
    def exec_for_value(cls, dialog: StoreFormDialog):
        """Show a dialog; return (what it saved, True), or (None, False) if cancelled."""
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.saved if ok else None), ok
