"""A red message in its own layout row right under the field it is about."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from arrs_desktop.ui.common.widgets import change_signal, fit_window, mark_invalid


class FieldError(QLabel):
    """A red message in its own layout row right under the field it is about.

    Bound to its field (`watch`), it marks the field red while shown, tells screen readers
    through the field's description, and goes away as soon as the field is fixed: each
    change re-runs the field's `check` (which returns what is still wrong, or None); a
    field with no check clears its message on the first change, and the store checks it
    again on save. Showing a message makes the dialog it is in tall enough to show it.
    """

    def __init__(self, parent: QWidget | None = None, field: QWidget | None = None,
                 check: Callable[[], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote what was typed
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.field: QWidget | None = None
        self.check = check
        self.name = ""  # how messages name the field ("NHS number must have 10 digits")
        self.hide()
        if field is not None:
            self.watch(field, check)

    def watch(self, field: QWidget, check: Callable[[], str | None] | None = None) -> None:
        """Tie the message to a field: shown by it, cleared once the field is fixed."""
        self.field = field
        if check is not None:
            self.check = check
        signal = change_signal(field)
        if signal is not None:
            signal.connect(self._on_field_changed)

    @property
    def showing(self) -> bool:
        """Return whether a message is up."""
        return bool(self.text()) and not self.isHidden()

    def show_error(self, message: str | None) -> None:
        """Show a message, or hide when None/empty."""
        message = message or ""
        if message == self.text() and bool(message) != self.isHidden():
            return
        self.setText(message)
        self.setVisible(bool(message))
        self.setAccessibleName(message)
        if self.field is not None:
            mark_invalid(self.field, bool(message))
            self.field.setAccessibleDescription(message)
        if message:
            fit_window(self)

    def show_problem(self, problem: str | None) -> None:
        """Show what is wrong with the field, named as the form names it."""
        self.show_error(f"{self.name} {problem}".strip() if problem else None)

    def _on_field_changed(self, *_args) -> None:
        if not self.showing:
            return
        self.show_problem(self.check() if self.check is not None else None)
