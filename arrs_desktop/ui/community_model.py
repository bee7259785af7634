"""Table models of the community directory: assets, and referrals to them."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.catalogue import ASSET_CATEGORIES, REFERRAL_OUTCOMES
from arrs_desktop.models import CommunityAsset, ReferralRow
from arrs_desktop.ui import theme

ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
REFERRAL_ID_ROLE = Qt.ItemDataRole.UserRole + 2

OUTCOME_COLOURS = {"attended": theme.GREEN, "did_not_attend": theme.RED,
                   "declined": theme.DARK_GREY}

ASSET_COLUMNS = (("name", "Name"), ("category", "Category"))


class AssetsModel(QAbstractTableModel):
    """Community assets matching a search, a category and the inactive toggle."""

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[CommunityAsset] = []
        self._query: tuple[str, str | None, bool] = ("", None, True)
        self.refresh()

    def set_query(self, text: str = "", category: str | None = None,
                  active_only: bool = True) -> None:
        """Show the assets matching a search."""
        self._query = (text, category, active_only)
        self.refresh()

    def refresh(self) -> None:
        """Reload from the store."""
        self.beginResetModel()
        text, category, active_only = self._query
        self._rows = self._store.search_assets(text, category, active_only)
        self.endResetModel()

    def asset(self, row: int) -> CommunityAsset | None:
        """Return the asset on a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, asset_id: str) -> int:
        """Return the row of an asset, or -1."""
        return next((i for i, a in enumerate(self._rows) if a.id == asset_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(ASSET_COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(ASSET_COLUMNS)):
            return self.tr(ASSET_COLUMNS[section][1])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(ASSET_COLUMNS):
            return None
        asset = self._rows[index.row()]
        key = ASSET_COLUMNS[index.column()][0]
        if role == ASSET_ID_ROLE:
            return asset.id
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


REFERRAL_COLUMNS = {
    "person": "Person",
    "asset": "Group or service",
    "category": "Category",
    "referred_on": "Referred",
    "outcome": "Outcome",
}


class ReferralRowsModel(QAbstractTableModel):
    """Community referrals (of one person, or to one asset) with their outcomes."""

    def __init__(self, columns: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._rows: list[ReferralRow] = []

    def set_rows(self, rows: list[ReferralRow]) -> None:
        """Show these referrals."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def referral(self, row: int) -> ReferralRow | None:
        """Return the referral on a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, referral_id: str) -> int:
        """Return the row of a referral, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == referral_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self.tr(REFERRAL_COLUMNS[self._columns[section]])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        ref = self._rows[index.row()]
        key = self._columns[index.column()]
        if role == REFERRAL_ID_ROLE:
            return ref.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(ref, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "outcome":
            colour = OUTCOME_COLOURS.get(ref.outcome)
            return QBrush(QColor(colour)) if colour else None
        return None

    def _display(self, ref: ReferralRow, key: str) -> str:
        if key == "person":
            return ref.person_name
        if key == "asset":
            return ref.asset_name
        if key == "category":
            return self.tr(ASSET_CATEGORIES.get(ref.category, ref.category))
        if key == "referred_on":
            return f"{ref.referred_on:%d %b %Y}"
        if key == "outcome":
            text = self.tr(REFERRAL_OUTCOMES.get(ref.outcome, ref.outcome))
            if ref.outcome_date and ref.outcome != "pending":
                text += f" ({ref.outcome_date:%d %b})"
            return text
        return ""
