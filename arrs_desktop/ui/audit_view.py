"""A person's history: every audit line about them, newest first (read only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from arrs_desktop.domain.audit_text import describe_change, describe_change_in_full, show_stamp
from arrs_desktop.ui.table_model import RowsTableModel
from arrs_desktop.ui.widgets import fit_columns, muted, rows_table

_TABLES = {
    "people": "Details", "needs": "Needs", "episodes": "Episode", "goals": "Goal",
    "goal_progress": "Goal score", "sessions": "Session", "outcome_measures": "Outcome scores",
    "asset_referrals": "Community referral", "care_home_contact_residents": "Care home contact",
}
_ACTIONS = {"create": "Added", "update": "Changed", "delete": "Deleted", "restore": "Restored",
            "erase": "Erased"}


def describe_entry(entry) -> str:
    """Say in one line what an audit line changed (field: before → after)."""
    return describe_change(entry.table_name, entry.action, entry.before, entry.after)


class AuditModel(RowsTableModel):
    """The audit lines about one person, newest first."""

    COLUMNS = (("at", "When"), ("who", "Who"), ("what", "What"), ("action", "Action"),
               ("change", "Change"))

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self._store = store

    def load(self, person_id: str | None) -> None:
        """Read the person's audit lines from the store."""
        self.set_rows(self._store.audit.for_person(person_id) if person_id else [])

    def entry(self, row: int):
        """Return the audit entry shown on a row."""
        return self.row_object(row)

    def cell(self, e, key: str, role: int):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        tip = role == Qt.ItemDataRole.ToolTipRole
        if key == "at":
            return show_stamp(e.at)
        if key == "who":
            return self.tr("{0}, on device {1}").format(e.who, e.device_id) if tip else e.who
        if key == "what":
            return self.tr(_TABLES.get(e.table_name, e.table_name))
        if key == "action":
            return self.tr(_ACTIONS.get(e.action, e.action))
        if tip:
            return describe_change_in_full(e.table_name, e.action, e.before, e.after)
        return describe_entry(e)


class AuditHistoryPanel(QWidget):
    """The History tab of a person: who changed what, and when."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditHistoryPanel")
        self.model = AuditModel(store, self)
        self.table = rows_table(self, "auditTable", self.tr("Change history"), self.model)
        # What changed can be long: it shortens with "…", all of it in its tooltip.
        last = self.model.columnCount() - 1
        fit_columns(self.table, stretch=last, free_text=(last,), free_width=480)
        self.note: QLabel = muted(self.tr(
            "Every change to this person's record, newest first. The history cannot be "
            "edited."), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._person_id: str | None = None
        self._stale = False

    def set_person(self, person_id: str | None) -> None:
        """Show a person's history (loaded when the tab is visible)."""
        self._person_id = person_id
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload the history from the store."""
        self._stale = False
        self.model.load(self._person_id)

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)
