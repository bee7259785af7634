"""A person's history: every audit line about them, newest first (read only)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from arrs_desktop.ui.table_model import RowsTableModel
from arrs_desktop.ui.widgets import muted

_TABLES = {
    "people": "Details", "needs": "Needs", "episodes": "Episode", "goals": "Goal",
    "goal_progress": "Goal score", "sessions": "Session", "outcome_measures": "Outcome scores",
    "asset_referrals": "Community referral", "care_home_contact_residents": "Care home contact",
}
_ACTIONS = {"create": "Added", "update": "Changed", "delete": "Deleted", "restore": "Restored",
            "erase": "Erased"}
_SKIP = {"id", "created_at", "updated_at", "device_id", "person_id", "search_name"}


def _when(stamp: str) -> str:
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d %b %Y %H:%M")
    except ValueError:
        return stamp


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "…"


def describe_change(entry) -> str:
    """Say in one line what an audit line changed (field: before → after)."""
    if entry.action == "erase":
        reason = (entry.after or {}).get("reason", "")
        return f"Erased for good. Reason: {reason}"
    before, after = entry.before or {}, entry.after or {}
    fields = [k for k in (after or before) if k not in _SKIP and not k.endswith("_id")]
    if entry.action == "create":
        parts = [f"{k}: {_value(after.get(k))}" for k in fields if after.get(k) not in (None, "")]
    else:
        parts = [f"{k}: {_value(before.get(k))} → {_value(after.get(k))}" for k in fields]
    return "; ".join(parts[:8]) + ("; …" if len(parts) > 8 else "")


class AuditModel(RowsTableModel):
    """The audit lines about one person, newest first."""

    COLUMNS = (("at", "When"), ("who", "Who"), ("device", "Device"), ("what", "What"),
               ("action", "Action"), ("change", "Change"))

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self._store = store

    def load(self, person_id: str | None) -> None:
        """Read the person's audit lines from the store."""
        self.set_rows(self._store.audit_for_person(person_id) if person_id else [])

    def entry(self, row: int):
        """Return the audit entry shown on a row."""
        return self.row_object(row)

    def cell(self, e, key: str, role: int):
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if key == "at":
            return _when(e.at)
        if key == "who":
            return e.who
        if key == "device":
            return e.device_id if role == Qt.ItemDataRole.ToolTipRole else e.device_id[:8]
        if key == "what":
            return self.tr(_TABLES.get(e.table_name, e.table_name))
        if key == "action":
            return self.tr(_ACTIONS.get(e.action, e.action))
        return describe_change(e)


class AuditHistoryPanel(QWidget):
    """The History tab of a person: who changed what, and when."""

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditHistoryPanel")
        self.model = AuditModel(store, self)
        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setAccessibleName(self.tr("Change history"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
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
