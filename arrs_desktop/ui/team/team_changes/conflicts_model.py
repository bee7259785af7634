"""The conflicts list: a field changed on two laptops at once, a move no longer possible."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from arrs_desktop.store.team_link import conflict_text
from arrs_desktop.ui.common.rows_table_model import RowsTableModel

KIND_WORDS = {"edit": "Changed on two laptops", "status": "Move not possible",
              "merge": "Merge not possible"}


class ConflictsModel(RowsTableModel):
    """One row per open conflict (a `ConflictRow`): whose record, the field, both values."""

    COLUMNS = (("record", "Record"), ("field", "Field"), ("shown", "Shown now"),
               ("other", "Other value"))

    def cell(self, obj, key: str, role: int):
        c = obj.conflict
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.reason
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if key == "record":
            return obj.record
        if key == "field":
            field = c.column.replace("_", " ")
            return field if c.kind == "edit" else f"{field} ({self.tr(KIND_WORDS[c.kind])})"
        if key == "shown":
            return conflict_text(c.winner_value)
        if key == "other":
            when = datetime.fromtimestamp(c.hlc.ms / 1000).strftime("%d %b %H:%M")
            return self.tr("{0}\n(by {1}, {2})").format(conflict_text(c.value),
                                                       c.author or "someone", when)
        return None
