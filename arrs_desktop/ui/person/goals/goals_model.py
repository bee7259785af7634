"""A person's goals with their latest progress score."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QObject,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import GOAL_STATUSES, ROLES_BY_CODE
from arrs_desktop.domain.models import Goal
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.rows_table_model import RowsTableModel, bold_font

GOAL_COLUMNS = (
    ("title", "Goal"),
    ("owner_role", "Owner"),
    ("baseline", "Baseline"),
    ("latest", "Latest"),
    ("target_date", "Target date"),
    ("status", "Status"),
)
STATUS_COLOURS = {"active": theme.BLUE, "achieved": theme.DARK_GREEN, "stopped": theme.DARK_GREY}


class GoalsModel(RowsTableModel):
    """A person's goals with their latest progress score."""

    COLUMNS = GOAL_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._latest: dict[str, int | None] = {}
        self._today = date.today()

    def load(self, person_id: str | None) -> None:
        """Show a person's goals (None shows none)."""
        self.beginResetModel()
        self._today = date.today()
        self._rows = self._store.goals.for_person(person_id) if person_id else []
        self._latest = {}
        for goal in self._rows:
            progress = self._store.goals.progress_for(goal.id)
            self._latest[goal.id] = progress[-1].score if progress else None
        self.endResetModel()

    def goal(self, row: int) -> Goal | None:
        """Return the goal on a row."""
        return self.row_object(row)

    def cell(self, goal: Goal, key: str, role: int):
        """Return what a goal's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(goal, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "owner_role":
                return QBrush(QColor(theme.role_colour(goal.owner_role)))
            if key == "status":
                return QBrush(QColor(STATUS_COLOURS.get(goal.status, theme.BLACK)))
            if key == "target_date" and self._passed(goal):
                return QBrush(QColor(theme.RED))
        if role == Qt.ItemDataRole.FontRole and key in ("owner_role", "status"):
            return bold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("baseline", "latest"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title" and goal.what_matters:
                return goal.what_matters
            if key == "target_date" and self._passed(goal):
                return self.tr("The target date has passed")
        return None

    def _passed(self, goal: Goal) -> bool:
        return (goal.status == "active" and goal.target_date is not None
                and goal.target_date < self._today)

    def _display(self, goal: Goal, key: str) -> str:
        if key == "title":
            return goal.title
        if key == "owner_role":
            role = ROLES_BY_CODE.get(goal.owner_role)
            return role.short_name if role else goal.owner_role
        if key == "baseline":
            return str(goal.baseline)
        if key == "latest":
            latest = self._latest.get(goal.id)
            return "–" if latest is None else str(latest)
        if key == "target_date":
            if goal.target_date is None:
                return ""
            text = f"{goal.target_date:%d %b %Y}"
            return f"⚠ {text}" if self._passed(goal) else text
        if key == "status":
            return GOAL_STATUSES.get(goal.status, goal.status)
        return ""
