"""The base of the read-only table models: a list of row objects shown one column per key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont

ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def bold_font() -> QFont:
    """Return a bold copy of the default font."""
    font = QFont()
    font.setBold(True)
    return font


class RowsTableModel(QAbstractTableModel):
    """Rows of objects, one column per (key, title); subclasses say what each cell shows."""

    COLUMNS: tuple[tuple[str, str], ...] = ()
    # The item role that answers a row object's id (None: no such role).
    ID_ROLE: int | None = None
    # The item roles `data` answers (None: every role); others return None at once.
    ROLES_SHOWN: frozenset | None = None

    def __init__(self, parent: QObject | None = None,
                 columns: Sequence[tuple[str, str]] | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(self.COLUMNS if columns is None else columns)
        self._rows: list = []

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """Return the (key, title) of each column."""
        return self._columns

    def column_key(self, column: int) -> str | None:
        """Return the key of a column, or None when there is no such column."""
        return self._columns[column][0] if 0 <= column < len(self._columns) else None

    def row_object(self, row: int) -> Any | None:
        """Return the object shown on a row, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, wanted: Any | Callable[[Any], bool]) -> int:
        """Return the row of the object with this id (or passing this test), or -1."""
        test = wanted if callable(wanted) else (lambda obj: obj.id == wanted)
        return next((i for i, obj in enumerate(self._rows) if test(obj)), -1)

    def set_rows(self, rows: Iterable) -> None:
        """Show these row objects instead of the current ones."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def cell(self, obj: Any, key: str, role: int) -> Any:
        """Return what the cell of `obj` in column `key` shows for an item role."""
        return None

    # -- Qt overrides --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self.tr(self._columns[section][1])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if self.ROLES_SHOWN is not None and role not in self.ROLES_SHOWN:
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        obj = self._rows[index.row()]
        if self.ID_ROLE is not None and role == self.ID_ROLE:
            return obj.id
        return self.cell(obj, self._columns[index.column()][0], role)
