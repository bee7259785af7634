"""Table models of the community directory: assets, and referrals to them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.domain.models import CommunityAsset
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.rows_table_model import RowsTableModel

ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1

OUTCOME_COLOURS = {"attended": theme.DARK_GREEN, "did_not_attend": theme.RED,
                   "declined": theme.DARK_GREY}

ASSET_COLUMNS = (("name", "Name"), ("category", "Category"))


class AssetsModel(RowsTableModel):
    """Community assets matching a search, a category and the inactive toggle."""

    COLUMNS = ASSET_COLUMNS
    ID_ROLE = ASSET_ID_ROLE

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query: tuple[str, str | None, bool] = ("", None, True)
        self.refresh()

    def set_query(self, text: str = "", category: str | None = None,
                  active_only: bool = True) -> None:
        """Show the assets matching a search."""
        self._query = (text, category, active_only)
        self.refresh()

    def refresh(self) -> None:
        """Reload from the store."""
        text, category, active_only = self._query
        self.set_rows(self._store.community.search(text, category, active_only))

    def asset(self, row: int) -> CommunityAsset | None:
        """Return the asset on a row."""
        return self.row_object(row)

    def cell(self, asset: CommunityAsset, key: str, role: int):
        """Return what an asset's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if key == "name":
                return asset.name if asset.active else self.tr("{0} (not running)").format(
                    asset.name)
            return self.tr(ASSET_CATEGORIES.get(asset.category, asset.category))
        if role == Qt.ItemDataRole.ForegroundRole and not asset.active:
            return QBrush(QColor(theme.DARK_GREY))
        if role == Qt.ItemDataRole.ToolTipRole and key == "name" and asset.notes:
            return asset.notes
        return None
