"""Small shared widgets: headings, empty-state messages, role badges, inline field errors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from arrs_desktop.catalogue import ROLES_BY_CODE
from arrs_desktop.ui import theme


def heading(text: str, level: str = "heading", parent: QWidget | None = None) -> QLabel:
    """Return a heading label."""
    label = QLabel(text, parent)
    label.setProperty("role", level)
    label.setAccessibleName(text)
    return label


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    """Return a grey, wrapped label for secondary text."""
    label = QLabel(text, parent)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def empty_state(text: str, parent: QWidget | None = None) -> QLabel:
    """Return a centred message telling the user what to do when there is nothing to show."""
    label = QLabel(text, parent)
    label.setProperty("role", "empty")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleName(text)
    return label


def role_badge(code: str | None, text: str | None = None, parent: QWidget | None = None) -> QLabel:
    """Return a small coloured badge naming a role (colour plus words, never colour alone)."""
    role = ROLES_BY_CODE.get(code or "")
    label = QLabel(text or (role.short_name if role else "No role yet"), parent)
    colour = theme.role_colour(code)
    label.setStyleSheet(
        f"QLabel {{ background: {colour}; color: white; border-radius: 8px;"
        " padding: 2px 8px; font-weight: 600; }"
    )
    label.setAccessibleName(label.text())
    return label


class FieldError(QLabel):
    """A red message shown right under the field it is about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.hide()

    def show_error(self, message: str | None) -> None:
        """Show a message, or hide when None/empty."""
        self.setText(message or "")
        self.setVisible(bool(message))
        self.setAccessibleName(message or "")


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Give a field the red error border (and drop it again)."""
    widget.setProperty("invalid", "true" if invalid else "false")
    widget.style().unpolish(widget)
    widget.style().polish(widget)
