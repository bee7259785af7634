"""Rows loaded a page at a time as the view scrolls; knows how many match in all."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, Signal

from arrs_desktop.ui.common.rows_table_model import RowsTableModel


class PagedRowsTableModel(RowsTableModel):
    """Rows loaded a page at a time as the view scrolls; knows how many match in all."""

    count_changed = Signal(int)

    def __init__(self, parent: QObject | None = None,
                 columns: Sequence[tuple[str, str]] | None = None) -> None:
        super().__init__(parent, columns)
        self._total = 0

    @property
    def total(self) -> int:
        """Return how many rows match (not just the loaded pages)."""
        return self._total

    def count_rows(self) -> int:
        """Return how many rows match in all."""
        raise NotImplementedError

    def fetch_page(self, offset: int) -> list:
        """Return the page of rows starting at an offset."""
        raise NotImplementedError

    def load_first_page(self) -> None:
        """Recount the rows and show the first page."""
        self.beginResetModel()
        self._total = self.count_rows()
        self._rows = self.fetch_page(0)
        self.endResetModel()
        self.count_changed.emit(self._total)

    # -- Qt overrides --------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex) -> bool:  # noqa: N802
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex) -> None:  # noqa: N802
        if parent.isValid():
            return
        page = self.fetch_page(len(self._rows))
        if not page:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
