"""The audit lines about one person, newest first: this laptop's, or the whole team's."""

from __future__ import annotations

from PySide6.QtCore import Qt

from arrs_desktop.domain.audit_text import describe_change, describe_change_in_full, show_stamp
from arrs_desktop.ui.common.rows_table_model import RowsTableModel

_TABLES = {
    "people": "Details", "needs": "Needs", "episodes": "Episode", "goals": "Goal",
    "goal_progress": "Goal score", "sessions": "Session", "outcome_measures": "Outcome scores",
    "asset_referrals": "Community referral", "care_home_contact_residents": "Care home contact",
    "referrals": "Referral", "safety_alerts": "Safety alert", "measure_scores": "Measure score",
    "gp_messages": "Letter to the GP", "app": "Record",
}
_ACTIONS = {"create": "Added", "update": "Changed", "delete": "Deleted", "restore": "Restored",
            "erase": "Erased", "view": "Viewed", "end": "Ended"}


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
        self.team = False  # the whole team's lines (this laptop's and the pulled ones)

    def load(self, person_id: str | None, *, team: bool | None = None) -> None:
        """Read the person's audit lines from the store: this laptop's, or the team's."""
        if team is not None:
            self.team = team
        self.set_rows(self._store.audit.for_person(person_id, team=self.team)
                      if person_id else [])

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
            if tip:
                return self.tr("{0}, on device {1}").format(e.who, e.device_id)
            if self.team:  # whose laptop the line came from
                return self.tr("{0} ({1})").format(e.who, e.device_id)
            return e.who
        if key == "what":
            return self.tr(_TABLES.get(e.table_name, e.table_name))
        if key == "action":
            return self.tr(_ACTIONS.get(e.action, e.action))
        if e.action == "view":  # who looked: a line of its own beside the changes
            return self.tr("Viewed by {0} (nothing changed)").format(e.who)
        if tip:
            return describe_change_in_full(e.table_name, e.action, e.before, e.after)
        return describe_entry(e)
