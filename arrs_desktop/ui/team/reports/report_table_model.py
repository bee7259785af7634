"""Show one report table (a small, already computed list of rows)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
)

from arrs_desktop.reports.tables import ALL_ROLES, ReportTable

_ROOT = QModelIndex()


class ReportTableModel(QAbstractTableModel):
    """Show one report table (a small, already computed list of rows)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table: ReportTable | None = None

    def set_table(self, table: ReportTable | None) -> None:
        """Show another table."""
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._table is None else len(self._table.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() or self._table is None else len(self._table.columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._table is None:
            return None
        value = self._table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return "—"
            if isinstance(value, date):
                return f"{value:%d %b %Y}"
            if isinstance(value, float):
                return f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(value, (int, float)):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            row = self._table.rows[index.row()]
            if any(v in (ALL_ROLES, "All workers") for v in row[:2] if isinstance(v, str)):
                from PySide6.QtGui import QFont

                font = QFont()
                font.setBold(True)
                return font
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or self._table is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._table.columns[section]
        return str(section + 1)
