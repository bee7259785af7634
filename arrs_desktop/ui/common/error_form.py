"""Helpers for forms: UK date fields, and showing store validation errors by the field."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui.common.date_line_edit import DateLineEdit
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.widgets import mark_invalid


def show_message(label: QLabel, text: str | None) -> None:
    """Show text in a message label, or hide the label when there is nothing to say."""
    if isinstance(label, FieldError):
        label.show_error(text)
        return
    label.setText(text or "")
    label.setVisible(bool(text))
    label.setAccessibleName(text or "")


def cleaner_check(clean, value: Callable[[], object], **options) -> Callable[[], str | None]:
    """Return a field check built from one of the store's cleaners (`validation.clean_*`):
    what the cleaner says is wrong with the field's value, or None when it accepts it."""
    def check() -> str | None:
        try:
            clean(value(), **options)
        except ValueError as exc:
            return str(exc)
        return None

    return check


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area holding a widget so that the widget is in view."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 10, 30)
        parent = parent.parentWidget()


class ErrorForm:
    """Fields that each carry an error message in a layout row of its own under the field.

    Rows added with `add_row` go into a QFormLayout; fields laid out elsewhere join with
    `add_field`. A message names the field, shows until the field is fixed (see
    FieldError) and never covers anything: it takes its own room in the layout.
    """

    def __init__(self, form: QFormLayout | None) -> None:
        self.form = form
        self.fields: dict[str, tuple[QWidget, FieldError]] = {}

    def add_row(self, key: str, label: str, widget: QWidget,
                check: Callable[[], str | None] | None = None,
                below: tuple[QWidget, ...] = ()) -> QWidget:
        """Add a labelled field with room under it for its error (and `below` widgets)."""
        holder = QWidget()
        holder.setObjectName(f"{key}Row")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        error = FieldError(holder)
        error.setObjectName(f"{key}Error")
        lay.addWidget(error)
        for extra in below:
            lay.addWidget(extra)
        self.form.addRow(label, holder)
        caption = self.form.labelForField(holder)
        if caption is not None:  # the label names the field itself, not its holder
            caption.setBuddy(widget)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            # As tall as a one-line field, so the caption's words sit level with the field's.
            caption.setMinimumHeight(min(widget.sizeHint().height(), widget.maximumHeight(),
                                         widget.fontMetrics().height() * 2 + 4))
        widget.setObjectName(widget.objectName() or f"{key}Field")
        if not widget.accessibleName():
            widget.setAccessibleName(label.replace("&", "").rstrip(" *:"))
        self.add_field(key, widget, error, check)
        return widget

    def add_field(self, key: str, widget: QWidget, error: FieldError,
                  check: Callable[[], str | None] | None = None) -> None:
        """Track a field laid out elsewhere (not a form row) so its errors show by it."""
        if error.field is None:
            error.watch(widget, check)
        elif check is not None:
            error.check = check
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
                error.name = (labels[key] if labels and key in labels
                              else widget.accessibleName() or key)
                if isinstance(widget, DateLineEdit) and "YYYY-MM-DD" in message:
                    message = "is not a real date (type it as DD/MM/YYYY)"
                error.show_problem(message)
                first = first or widget
            else:
                leftover.append(f"{key}: {message}")
        if first is not None:
            first.setFocus()
            scroll_to(first)
        return leftover
