"""A plain-text box that says when the cursor leaves it; Tab moves on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QWidget,
)


class WhatMattersEdit(QPlainTextEdit):
    """A plain-text box that says when the cursor leaves it; Tab moves on."""

    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_left.emit()
