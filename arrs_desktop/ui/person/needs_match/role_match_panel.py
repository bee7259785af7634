"""The role-match panel: the three roles ranked live for the needs ticked, with the reasons."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLE_CODES
from arrs_desktop.domain.matching import MatchResult, Rules, match_roles
from arrs_desktop.ui.common.widgets import heading
from arrs_desktop.ui.person.needs_match.role_card import RoleCard

BAR_SCALE_MIN = 10.0  # a score of 10 fills the bar unless a role scores more


class RoleMatchPanel(QWidget):
    """Rank the three roles for the needs shown, and offer to allocate to any of them."""

    allocate_requested = Signal(str)  # role code

    def __init__(self, rules: Rules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roleMatchPanel")
        self.setAccessibleName(self.tr("Role match"))
        self._rules = rules
        self._result = match_roles((), rules)

        self.summary = QLabel(self)
        self.summary.setObjectName("matchSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.cards: dict[str, RoleCard] = {}
        self._cards_layout = QVBoxLayout()
        self._cards_layout.setSpacing(8)
        for code in ROLE_CODES:
            card = RoleCard(code, rules.role_descriptions.get(code, ""), self)
            card.allocate_requested.connect(self.allocate_requested)
            self.cards[code] = card
            self._cards_layout.addWidget(card)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(heading(self.tr("Role match"), "subheading", self))
        lay.addWidget(self.summary)
        lay.addLayout(self._cards_layout)
        self.set_needs(())

    @property
    def result(self) -> MatchResult:
        """Return the match shown."""
        return self._result

    def ranked_roles(self) -> list[str]:
        """Return the role codes in the order the cards are shown."""
        return [self._cards_layout.itemAt(i).widget().code
                for i in range(self._cards_layout.count())]

    def set_needs(self, needs: Iterable[str]) -> None:
        """Re-rank the roles for a set of needs."""
        self.show_result(match_roles(needs, self._rules))

    def show_result(self, result: MatchResult) -> None:
        """Show a match: cards in rank order, badges, bars and reasons."""
        self._result = result
        if result.lead is None:
            self.summary.setText(self.tr(result.message) + " " + self.tr(
                "Tick the needs that apply on the left."))
            self.summary.setProperty("role", "muted")
        else:
            self.summary.setText(self.tr(result.message))
            self.summary.setProperty("role", "")
        self.summary.setAccessibleName(self.summary.text())
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        top = max((m.score for m in result.roles), default=0.0)
        scale = max(BAR_SCALE_MIN, top)
        for index, match in enumerate(result.roles):
            card = self.cards[match.role]
            card.show_match(match.rank, match.score, scale, result.standing(match.role),
                            match.reasons)
            if self._cards_layout.indexOf(card) != index:
                self._cards_layout.removeWidget(card)
                self._cards_layout.insertWidget(index, card)
        previous = None
        for code in self.ranked_roles():
            button = self.cards[code].allocate
            if previous is not None:
                QWidget.setTabOrder(previous, button)
            previous = button

    def set_open_roles(self, roles: Iterable[str], died: date | None = None) -> None:
        """Mark the roles the person already has an open episode with (none if they died)."""
        open_roles = set(roles)
        for code, card in self.cards.items():
            card.set_open(code in open_roles, died)
