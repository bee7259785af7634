"""Helpers for forms: UK date fields, and showing store validation errors by the field."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui.widgets import FieldError, heading, mark_invalid


def show_message(label: QLabel, text: str | None) -> None:
    """Show text in a message label, or hide the label when there is nothing to say."""
    label.setText(text or "")
    label.setVisible(bool(text))
    label.setAccessibleName(text or "")


def parse_uk_date(text: str) -> date | str | None:
    """Read DD/MM/YYYY (or YYYY-MM-DD); return a date, None when blank, or the raw text
    (so the store's validation names the problem) when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return "not-a-date"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return "not-a-date"
    return "not-a-date"


def format_uk_date(value: date | None) -> str:
    """Show a date as DD/MM/YYYY."""
    return f"{value:%d/%m/%Y}" if value else ""


class DateLineEdit(QLineEdit):
    """A text field for an optional date typed as DD/MM/YYYY."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")

    def value(self) -> date | str | None:
        """Return the date typed, None if blank, or text the store will reject."""
        return parse_uk_date(self.text())

    def set_value(self, value: date | None) -> None:
        """Show a date."""
        self.setText(format_uk_date(value))


class ErrorForm:
    """A QFormLayout whose rows each carry an inline error label under the field."""

    def __init__(self, form: QFormLayout) -> None:
        self.form = form
        self.fields: dict[str, tuple[QWidget, FieldError]] = {}

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        """Add a labelled field with room for its error message."""
        holder = QWidget()
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = FieldError(holder)
        error.setObjectName(f"{key}Error")
        lay.addWidget(error)
        self.form.addRow(label, holder)
        caption = self.form.labelForField(holder)
        if caption is not None:  # the label names the field itself, not its holder
            caption.setBuddy(widget)
        widget.setObjectName(widget.objectName() or f"{key}Field")
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(" *:"))
        self.fields[key] = (widget, error)
        return widget

    def add_field(self, key: str, widget: QWidget, error: FieldError) -> None:
        """Track a field laid out elsewhere (not a form row) so its errors show by it."""
        self.fields[key] = (widget, error)

    def clear_errors(self) -> None:
        """Hide every error message."""
        for widget, error in self.fields.values():
            error.show_error(None)
            mark_invalid(widget, False)

    def run(self, write, general: QLabel, labels: dict[str, str] | None = None, refused=None,
            conflicted=None):
        """Run a store write; on a refusal show why by each field (the rest in `general`).

        Return (True, what the write returned) when saved, (False, None) when refused.
        `refused(error)` may handle a ValidationError itself by returning True;
        `conflicted(error)` handles a StoreConflictError (someone else saved first) and
        returns what `run` returns.
        """
        show_message(general, None)
        try:
            result = write()
        except ValidationError as exc:
            if refused is not None and refused(exc):
                return False, None
            leftover = self.show_errors(exc.errors, labels)
            show_message(general, "\n".join(leftover))
            return False, None
        except StoreConflictError as exc:
            if conflicted is not None:
                return conflicted(exc)
            show_message(general, str(exc))
            return False, None
        except StoreWriteError as exc:
            show_message(general, str(exc))
            return False, None
        self.clear_errors()
        return True, result

    def show_errors(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> list[
        str
    ]:
        """Show each error under its field; return messages that match no field."""
        self.clear_errors()
        leftover = []
        first = None
        for key, message in errors.items():
            if key in self.fields:
                widget, error = self.fields[key]
                name = (labels or {}).get(key) or widget.accessibleName() or key
                if isinstance(widget, DateLineEdit) and "YYYY-MM-DD" in message:
                    message = "is not a real date (type it as DD/MM/YYYY)"
                error.show_error(f"{name} {message}")
                mark_invalid(widget, True)
                first = first or widget
            else:
                leftover.append(f"{key}: {message}")
        if first is not None:
            first.setFocus()
        return leftover


class ScoreLineEdit(QLineEdit):
    """A short field for a whole-number score (0-10 by default); Up/Down step it, blank = none.

    Out-of-range numbers can be typed so the store's check can name the problem by the field.
    """

    def __init__(self, parent: QWidget | None = None, low: int = 0, high: int = 10,
                 digits: int = 2) -> None:
        super().__init__(parent)
        self.low, self.high = low, high
        self.setMaxLength(digits)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{digits}}}"),
                                                      self))
        self.setPlaceholderText(f"{low}–{high}")
        self.setFixedWidth(40 + 10 * digits)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> int | None:
        """Return the number typed, or None when blank."""
        text = self.text().strip()
        return int(text) if text.isdigit() else None

    def set_value(self, value: int | None) -> None:
        """Show a number (None clears the field)."""
        self.setText("" if value is None else str(value))

    def keyPressEvent(self, event) -> None:  # noqa: N802
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(event.key())
        if step is None:
            super().keyPressEvent(event)
            return
        current = self.value()
        start = (self.low if step > 0 else self.high) if current is None else current + step
        self.set_value(max(self.low, min(self.high, start)))
        self.selectAll()


class StoreFormDialog(QDialog):
    """A dialog whose Save writes through the store and shows any refusal by the field.

    Subclasses build `self.form` (an ErrorForm) and implement `write()`, which calls the
    store and returns what it saved; `_finish_layout` adds the heading, a line for errors
    that belong to no field, and Save / Cancel.
    """

    saved = None
    on_top = False  # True while saving this form's changes over someone else's

    def _finish_layout(self, form: QFormLayout, save_name: str, intro: QWidget | None = None,
                       extra: tuple[QWidget, ...] = ()) -> QDialogButtonBox:
        self.general_error = QLabel(self)
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setProperty("primary", True)
        self.save_button.setObjectName(save_name)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.windowTitle()))
        if intro is not None:
            layout.addWidget(intro)
        layout.addLayout(form)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        return buttons

    def write(self):
        """Write what was typed through the store and return what was saved."""
        raise NotImplementedError

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
        from arrs_desktop.ui.conflict_dialog import ConflictDialog

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
