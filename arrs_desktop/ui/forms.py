"""Helpers for forms: UK date fields, and showing store validation errors by the field."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from arrs_desktop.ui.widgets import FieldError, mark_invalid


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
