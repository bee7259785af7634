"""The "Needs & match" person tab: needs on the left, roles ranked and episodes on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from arrs_desktop.domain.episodes import died_on
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.person.needs_match.column_scroll_area import scrolling
from arrs_desktop.ui.person.needs_match.episodes_panel import EpisodesPanel
from arrs_desktop.ui.person.needs_match.needs_panel import NeedsPanel
from arrs_desktop.ui.person.needs_match.role_match_panel import RoleMatchPanel


class NeedsMatchPanel(QWidget):
    """Record needs, watch the roles rank live, allocate, and move episodes along.

    A tick saves the need and re-ranks the roles from the needs it saved (no read); the
    episodes redraw from the change bus, and with them the roles the person is already
    with and which column comes first.
    """

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("needsMatchPanel")
        self._context = context
        self._person_id: str | None = None
        self.needs_panel = NeedsPanel(context, self)
        self.match_panel = RoleMatchPanel(context.rules, self)
        self.episodes_panel = EpisodesPanel(context, self)

        right = QWidget(self)
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.setSpacing(14)
        right_lay.addWidget(self.match_panel)
        right_lay.addWidget(self.episodes_panel)
        self._right_lay = right_lay

        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.needs_scroll = scrolling(self.needs_panel, self)
        self.match_scroll = scrolling(right, self)
        divider = QFrame(self)
        divider.setFrameShape(QFrame.Shape.VLine)
        divider.setStyleSheet("color: #D8DDE0;")
        lay.addWidget(self.needs_scroll, 5)
        lay.addWidget(divider)
        lay.addWidget(self.match_scroll, 7)

        self.needs_panel.needs_changed.connect(self.match_panel.set_needs)
        self.match_panel.allocate_requested.connect(self.allocate)
        self.episodes_panel.episodes_shown.connect(self._on_episodes_shown)

    def focus_start(self) -> bool:
        """Where the keyboard starts on this tab: what matters to the person."""
        self.needs_panel.what_matters.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def set_person(self, person_id: str | None) -> None:
        """Show a person's needs, the roles ranked for them and their episodes."""
        self._person_id = person_id
        self.needs_panel.set_person(person_id)
        self.episodes_panel.set_person(person_id)
        self.match_panel.set_open_roles(self.episodes_panel.open_roles(),
                                        died_on(self.episodes_panel.episodes))
        self.match_panel.setEnabled(person_id is not None)
        self._order_columns()

    def _order_columns(self) -> None:
        """Someone being worked with has their episodes first (put on hold, close…); someone
        not yet allocated has the role match first."""
        first = self.episodes_panel if self.episodes_panel.open_roles() else self.match_panel
        if self._right_lay.indexOf(first) != 0:
            self._right_lay.removeWidget(first)
            self._right_lay.insertWidget(0, first)

    def default_worker(self) -> str:
        """Return the worker an allocation offers: the user, for their own role only."""
        return self._context.settings.user_name or ""

    def user_role(self) -> str:
        """Return the role the user works in ("" when not one of the three)."""
        return self._context.settings.role or ""

    def allocate(self, role: str) -> None:
        """Ask for the referral details and open an episode with a role."""
        if self._person_id is None:
            return
        self.needs_panel.flush()
        AllocateDialog.ask(self, self._context, self._person_id, role, self.default_worker(),
                           worker_role=self.user_role())

    def _on_episodes_shown(self) -> None:
        """The episodes were read again (after a change): follow them."""
        self.match_panel.set_open_roles(self.episodes_panel.open_roles(),
                                        died_on(self.episodes_panel.episodes))
        self._order_columns()
        if self.episodes_panel.gp_bar.isVisibleTo(self):
            self.match_scroll.ensureWidgetVisible(self.episodes_panel.gp_bar)
