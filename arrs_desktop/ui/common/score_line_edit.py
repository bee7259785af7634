"""A short field for a whole-number score (0-10 by default); Up/Down step it, blank = none."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)


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
