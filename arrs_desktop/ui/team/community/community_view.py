"""The community directory: find local groups and services, keep them up to date, and see
who was referred to each and what came of it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import ASSET_CATEGORIES
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.widgets import (
    empty_state,
    fit_columns,
    heading,
    muted,
    rows_table,
    select_row,
)
from arrs_desktop.ui.team.community.asset_details import AssetDetails
from arrs_desktop.ui.team.community.asset_dialog import AssetDialog
from arrs_desktop.ui.team.community.assets_model import AssetsModel
from arrs_desktop.ui.team.community.referral_rows_model import ReferralRowsModel


class CommunityView(QWidget):
    """Search the directory of community groups and services; add and edit them."""

    person_open_requested = Signal(str)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("communityView")
        self.setAccessibleName(self.tr("Community directory"))
        self._context = context
        self._store = store = context.store
        self._asset_id: str | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("assetSearch")
        self.search.setPlaceholderText(self.tr("Search name, place or notes"))
        self.search.setAccessibleName(self.tr("Search community groups and services"))
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox(self)
        self.category.setObjectName("assetCategoryFilter")
        self.category.setAccessibleName(self.tr("Filter by category"))
        self.category.addItem(self.tr("All categories"), None)
        for code, label in ASSET_CATEGORIES.items():
            self.category.addItem(self.tr(label), code)
        self.show_inactive = QCheckBox(self.tr("Show not running"), self)
        self.show_inactive.setObjectName("assetShowInactive")
        self.show_inactive.setAccessibleName(self.tr("Also show groups that are not running"))
        self.add_button = QPushButton(self.tr("Add group or service…"), self)
        self.add_button.setObjectName("addAssetButton")
        self.add_button.setAccessibleName(self.tr("Add a community group or service"))

        self.model = AssetsModel(store, self)
        self.table = rows_table(self, "assetsTable", self.tr("Community groups and services"),
                                self.model)
        fit_columns(self.table, stretch=0)
        self.count_label = muted("", self)
        self.count_label.setObjectName("assetCount")
        self.no_match = empty_state("", self)
        self.no_match.hide()

        self.details = AssetDetails(self)
        self.referrals_model = ReferralRowsModel(("person", "referred_on", "outcome"), self)
        self.referrals = rows_table(self, "assetReferralsTable",
                                    self.tr("People referred here (Enter opens the person)"),
                                    self.referrals_model)
        fit_columns(self.referrals, stretch=0)
        self.referrals_title = heading(self.tr("People referred here"), "subheading", self)
        self.referrals_empty = muted(self.tr(
            "No one has been referred here yet. Refer someone from their Community tab."), self)

        detail_page = QWidget(self)
        detail_layout = QVBoxLayout(detail_page)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.details)
        detail_layout.addWidget(self.referrals_title)
        detail_layout.addWidget(self.referrals_empty)
        detail_layout.addWidget(self.referrals, 1)
        self.empty = empty_state(self.tr("Choose a group or service on the left to see its "
                                         "details and the people referred to it."), self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(detail_page)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.no_match, 1)
        left_layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("communitySplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 360])

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Community directory"), parent=self))
        top.addStretch(1)
        top.addWidget(self.add_button)
        # The search has a row of its own; the filters share the next as the width allows.
        filters = FlowLayout(spacing=8)
        filters.addWidget(self.category)
        filters.addWidget(self.show_inactive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_search)
        self.category.currentIndexChanged.connect(self.apply_search)
        self.show_inactive.toggled.connect(self.apply_search)
        self.add_button.clicked.connect(self.add_asset)
        self.details.edit_requested.connect(self.edit_asset)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.referrals.doubleClicked.connect(self._on_referral_activated)
        self.referrals.activated.connect(self._on_referral_activated)
        context.bus.changed.connect(self._on_changed)
        self._after_reload()

    # -- public --------------------------------------------------------------------------
    @property
    def asset_id(self) -> str | None:
        """Return the id of the asset shown, or None."""
        return self._asset_id

    def apply_search(self) -> None:
        """Show the assets matching the search box, category and toggle now."""
        self._debounce.stop()
        self.model.set_query(self.search.text(), self.category.currentData(),
                             not self.show_inactive.isChecked())
        self._after_reload()

    def focus_start(self) -> bool:
        """Where the keyboard starts: the directory's search box."""
        self.search.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def refresh(self) -> None:
        """Reload the list and the details after a change."""
        self.model.refresh()
        self._after_reload()

    def show_asset(self, asset_id: str) -> bool:
        """Select an asset in the list; return False when it is not listed."""
        row = self.model.row_of(asset_id)
        if row < 0:
            return False
        select_row(self.table, row)
        self._show(asset_id)
        return True

    def add_asset(self) -> None:
        """Ask for a new asset's details and show it."""
        asset, ok = AssetDialog.ask(self, self._context)
        if ok and asset:
            self._after_change(asset.id)

    def edit_asset(self) -> None:
        """Edit the chosen asset."""
        asset = self._store.community.get_asset(self._asset_id) if self._asset_id else None
        if asset is None:
            return
        saved, ok = AssetDialog.ask(self, self._context, asset)
        if ok and saved:
            self._after_change(saved.id)

    # -- slots ---------------------------------------------------------------------------
    def _on_changed(self, changes, initiator) -> None:
        """While in view, read the groups again when they or referrals to them changed
        elsewhere (when shown, they are read anyway)."""
        if initiator is not self and self.isVisible() and (
                changes.community or changes.referrals or changes.people):
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def _on_current_changed(self, current, _previous) -> None:
        asset = self.model.asset(current.row())
        if asset and asset.id != self._asset_id:
            self._show(asset.id)

    def _on_referral_activated(self, index) -> None:
        ref = self.referrals_model.referral(index.row())
        if ref:
            self.person_open_requested.emit(ref.person_id)

    # -- helpers -------------------------------------------------------------------------
    def _after_change(self, asset_id: str) -> None:
        if self.model.row_of(asset_id) < 0:
            self.model.refresh()
        if self.model.row_of(asset_id) < 0:  # filtered out: clear the search to show it
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.category.setCurrentIndex(0)
            self.show_inactive.setChecked(True)
            self.apply_search()
        self.refresh()
        self.show_asset(asset_id)

    def _after_reload(self) -> None:
        total = self.model.rowCount()
        self.count_label.setText(self.tr("1 group or service") if total == 1
                                 else self.tr("{0} groups and services").format(total))
        if total == 0:
            self.no_match.setText(self.tr(
                "Nothing matches. Try fewer letters, another category, or tick “Show not "
                "running”.") if self.search.text() or self.category.currentData()
                else self.tr("The directory is empty. Choose “Add group or service…”."))
        self.no_match.setVisible(total == 0)
        self.table.setVisible(total > 0)
        keep = self._asset_id
        if keep and self.model.row_of(keep) >= 0:
            self.show_asset(keep)
        elif total:
            self.show_asset(self.model.asset(0).id)
        else:
            self._show(None)

    def _show(self, asset_id: str | None) -> None:
        asset = self._store.community.get_asset(asset_id) if asset_id else None
        self._asset_id = asset.id if asset else None
        if asset is None:
            self.referrals_model.set_rows([])
            self.stack.setCurrentWidget(self.empty)
            return
        self.details.show_asset(asset)
        rows = self._store.community.referral_rows_for_asset(asset.id)
        self.referrals_model.set_rows(rows)
        self.referrals_title.setText(self.tr("People referred here ({0})").format(len(rows)))
        self.referrals.setVisible(bool(rows))
        self.referrals_empty.setVisible(not rows)
        self.stack.setCurrentIndex(1)
