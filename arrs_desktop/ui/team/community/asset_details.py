"""One asset's category, contact, address, notes and whether it is running."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.widgets import (
    details_grid,
    heading,
)


class AssetDetails(QFrame):
    """One asset's category, contact, address, notes and whether it is running."""

    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assetDetails")
        self.setProperty("role", "card")
        self.name = heading("", "subheading", self)
        self.name.setObjectName("assetName")
        self.name.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.setObjectName("editAssetButton")
        self.edit_button.setAccessibleName(self.tr("Edit this group or service"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.status = QLabel(self)
        self.status.setObjectName("assetStatus")
        grid, self.values = details_grid(self, (("category", self.tr("Category")),
                                                ("contact", self.tr("Contact")),
                                                ("address", self.tr("Address")),
                                                ("notes", self.tr("Notes"))), "asset_")
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(grid)

    def show_asset(self, asset) -> None:
        """Fill the card for an asset."""
        self.name.setText(asset.name)
        self.name.setAccessibleName(asset.name)
        values = {"category": ASSET_CATEGORIES.get(asset.category, asset.category),
                  "contact": asset.contact, "address": asset.address.replace("\n", ", "),
                  "notes": asset.notes}
        for key, value in values.items():
            self.values[key].setText(value or "—")
            self.values[key].setAccessibleName(value or self.tr("not recorded"))
        if asset.active:
            self.status.setText(self.tr("✓ Running: offered when referring"))
            self.status.setStyleSheet(f"color: {theme.DARK_GREEN}; font-weight: 600;")
        else:
            self.status.setText(self.tr("Not running: hidden when referring"))
            self.status.setStyleSheet(f"color: {theme.DARK_GREY}; font-weight: 600;")
        self.status.setAccessibleName(self.status.text())
