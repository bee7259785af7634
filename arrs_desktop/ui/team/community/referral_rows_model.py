"""Community referrals (of one person, or to one asset) with their outcomes."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import ASSET_CATEGORIES, REFERRAL_OUTCOMES
from arrs_desktop.domain.models import ReferralRow
from arrs_desktop.ui.common.rows_table_model import RowsTableModel
from arrs_desktop.ui.team.community.assets_model import OUTCOME_COLOURS

REFERRAL_ID_ROLE = Qt.ItemDataRole.UserRole + 2


REFERRAL_COLUMNS = {
    "person": "Person",
    "asset": "Group or service",
    "category": "Category",
    "referred_on": "Referred",
    "outcome": "Outcome",
}


class ReferralRowsModel(RowsTableModel):
    """Community referrals (of one person, or to one asset) with their outcomes."""

    ID_ROLE = REFERRAL_ID_ROLE

    def __init__(self, columns: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent, [(key, REFERRAL_COLUMNS[key]) for key in columns])

    def referral(self, row: int) -> ReferralRow | None:
        """Return the referral on a row."""
        return self.row_object(row)

    def cell(self, ref: ReferralRow, key: str, role: int):
        """Return what a referral's cell shows for an item role."""
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
                text += f" ({ref.outcome_date:%d %b %Y})"
            return text
        return ""
