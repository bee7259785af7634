"""The person's Community tab: their referrals to groups and services, and what came of them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.community import set_referral_outcome
from arrs_desktop.domain.catalogue import REFERRAL_OUTCOMES
from arrs_desktop.store import StoreWriteError, ValidationError
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.widgets import fit_columns, muted, rows_table, select_row
from arrs_desktop.ui.person.referrals.refer_to_asset_dialog import ReferToAssetDialog
from arrs_desktop.ui.team.community.referral_rows_model import ReferralRowsModel


class PersonReferralsPanel(QWidget):
    """List a person's community referrals; refer them on; record each outcome.

    Referrals made elsewhere (a session's, another window's) and renamed groups are read
    again from the change bus, now if the tab is in view, else when it is shown.
    """

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personReferralsPanel")
        self._context = context
        self._store = context.store
        self._stale = False
        self._person_id: str | None = None

        self.refer_button = QPushButton(self.tr("Refer to…"), self)
        self.refer_button.setObjectName("referToAssetButton")
        self.refer_button.setProperty("primary", True)
        self.refer_button.setAccessibleName(self.tr("Refer this person to a community group"))
        self.intro = muted(self.tr("Groups and services this person was referred to."), self)
        self.model = ReferralRowsModel(("asset", "category", "referred_on", "outcome"), self)
        self.table = rows_table(self, "personReferralsTable", self.tr("Community referrals"),
                                self.model)
        fit_columns(self.table, stretch=0)
        self.empty = muted(self.tr(
            "No community referrals yet. Choose “Refer to…” to connect this person with a "
            "local group or service."), self)

        self.outcome = QComboBox(self)
        self.outcome.setObjectName("referralOutcomeField")
        self.outcome.setAccessibleName(self.tr("Outcome of the chosen referral"))
        for code, label in REFERRAL_OUTCOMES.items():
            self.outcome.addItem(self.tr(label), code)
        self.outcome_label = QLabel(self.tr("Outcome of the chosen referral:"), self)
        self.outcome_label.setBuddy(self.outcome)
        self.saved_label = QLabel(self)
        self.saved_label.setObjectName("referralSavedLabel")
        self.saved_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setProperty("role", "error")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.refer_button)
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self.outcome_label)
        outcome_row.addWidget(self.outcome)
        outcome_row.addWidget(self.saved_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(outcome_row)
        layout.addWidget(self.error_label)
        layout.addStretch(0)

        self.refer_button.clicked.connect(self.refer)
        self.outcome.activated.connect(self._on_outcome_chosen)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.set_person(None)
        context.bus.changed.connect(self._on_changed)

    def set_person(self, person_id: str | None) -> None:
        """Show a person's referrals (None empties the panel)."""
        if person_id != self._person_id:
            self.saved_label.clear()
            self.error_label.hide()
        self._person_id = person_id
        self.reload()

    def reload(self, keep_referral: str | None = None) -> None:
        """Read the referrals again, keeping one selected."""
        self._stale = False
        rows = (self._store.community.referral_rows_for_person(self._person_id)
                if self._person_id else [])
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.refer_button.setEnabled(self._person_id is not None)
        if rows:
            row = max(0, self.model.row_of(keep_referral)) if keep_referral else 0
            select_row(self.table, row, scroll=False)
        self._sync_outcome()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            current = self.current_referral()
            self.reload(keep_referral=current.id if current else None)

    def _on_changed(self, changes, initiator) -> None:
        if initiator is self:
            return  # shown already, with the referral just saved chosen
        if changes.community or ((changes.referrals or changes.people)
                                 and changes.touches(self._person_id)):
            if self.isVisible():
                current = self.current_referral()
                self.reload(keep_referral=current.id if current else None)
            else:
                self._stale = True

    def refer(self) -> None:
        """Ask which asset to refer the person to, then show the new referral."""
        if not self._person_id:
            return
        referral, ok = ReferToAssetDialog.ask(self, self._context, self._person_id)
        if ok and referral:
            self.reload(keep_referral=referral.id)
            self.saved_label.setText(self.tr("Referral saved."))

    def current_referral(self):
        """Return the referral chosen in the table, or None."""
        return self.model.referral(self.table.currentIndex().row())

    def set_outcome(self, outcome: str) -> bool:
        """Record the outcome of the chosen referral now; return True when saved."""
        ref = self.current_referral()
        if ref is None or ref.outcome == outcome:
            return False
        self.error_label.hide()
        try:
            saved = self._context.run(set_referral_outcome, ref.id, outcome,
                                      expected_outcome=ref.outcome, initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self._sync_outcome()
            return False
        self.reload(keep_referral=saved.id)
        self.saved_label.setText(self.tr("✓ Saved: {0} is now “{1}”.").format(
            ref.asset_name, REFERRAL_OUTCOMES.get(outcome, outcome)))
        self.saved_label.setStyleSheet(f"color: {theme.DARK_GREEN}; font-weight: 600;")
        return True

    def _on_outcome_chosen(self, index: int) -> None:
        self.set_outcome(self.outcome.itemData(index))

    def _on_current_changed(self, _current, _previous) -> None:
        self._sync_outcome()

    def _sync_outcome(self) -> None:
        ref = self.current_referral()
        self.outcome.setEnabled(ref is not None)
        self.outcome_label.setEnabled(ref is not None)
        # With no referral there is no outcome to record: show nothing, not a stale value.
        self.outcome.setVisible(self.model.rowCount() > 0)
        self.outcome_label.setVisible(self.model.rowCount() > 0)
        if ref is not None:
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(ref.outcome)))
