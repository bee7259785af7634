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
               ("other", "Other value"), ("by", "Other value by"), ("kind", "What happened"))

    def cell(self, obj, key: str, role: int):
        c = obj.conflict
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.reason
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if key == "record":
            return obj.record
        if key == "field":
            return c.column.replace("_", " ")
        if key == "shown":
            return conflict_text(c.winner_value)
        if key == "other":
            return conflict_text(c.value)
        if key == "by":
            when = datetime.fromtimestamp(c.hlc.ms / 1000).strftime("%d %b %H:%M")
            return f"{c.author or 'someone'}, {when}"
        if key == "kind":
            return self.tr(KIND_WORDS.get(c.kind, c.kind))
        return None
