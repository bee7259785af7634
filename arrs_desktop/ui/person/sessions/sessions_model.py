"""A person's past sessions, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import (
    DID_NOT_ATTEND,
    ROLES_BY_CODE,
    SESSION_KINDS,
    SESSION_MODES,
)
from arrs_desktop.domain.models import Session
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.rows_table_model import ALIGN_RIGHT, RowsTableModel

SESSION_COLUMNS = (
    ("date", "Date"),
    ("role", "Role"),
    ("kind", "Kind"),
    ("mode", "Mode"),
    ("minutes", "Minutes"),
    ("notes", "Notes"),
    ("next_follow_up", "Follow-up"),
)


class SessionsModel(RowsTableModel):
    """A person's past sessions, newest first."""

    COLUMNS = SESSION_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store

    def load(self, person_id: str | None) -> None:
        """Show a person's sessions (None shows none)."""
        self.set_rows(self._store.sessions.for_person(person_id) if person_id else [])

    def session(self, row: int) -> Session | None:
        """Return the session on a row."""
        return self.row_object(row)

    def cell(self, s: Session, key: str, role: int):
        """Return what a session's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(s, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "role":
            return QBrush(QColor(theme.role_colour(s.role)))
        if (role == Qt.ItemDataRole.ForegroundRole and key == "kind"
                and s.kind == DID_NOT_ATTEND):  # a missed contact, not a contact
            return QBrush(QColor(theme.DARK_GREY))
        if role == Qt.ItemDataRole.ToolTipRole and key == "notes" and s.notes:
            return s.notes
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "minutes":
            return ALIGN_RIGHT
        return None

    def _display(self, s: Session, key: str) -> str:
        if key == "date":
            return f"{s.date:%d %b %Y}"
        if key == "role":
            r = ROLES_BY_CODE.get(s.role)
            return r.short_name if r else s.role
        if key == "kind":
            return SESSION_KINDS.get(s.kind, s.kind)
        if key == "mode":
            return SESSION_MODES.get(s.mode, s.mode)
        if key == "minutes":
            return str(s.minutes)
        if key == "notes":
            return (s.notes.splitlines() or [""])[0]
        if key == "next_follow_up":
            return f"{s.next_follow_up:%d %b %Y}" if s.next_follow_up else ""
        return ""
