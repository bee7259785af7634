"""The "Needs & match" person tab: needs on the left, roles ranked and episodes on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from arrs_desktop.domain.episodes import died_on
from arrs_desktop.domain.matching import Rules, load_shipped_rules
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.person.needs_match.column_scroll_area import scrolling
from arrs_desktop.ui.person.needs_match.episodes_panel import EpisodesPanel
from arrs_desktop.ui.person.needs_match.needs_panel import NeedsPanel
from arrs_desktop.ui.person.needs_match.role_match_panel import RoleMatchPanel


def rules_from(rules_load) -> Rules:
    """Return the rules to use: those loaded at start-up, or the shipped ones."""
    rules = getattr(rules_load, "rules", None)
    return rules if rules is not None else load_shipped_rules()


class NeedsMatchPanel(QWidget):
    """Record needs, watch the roles rank live, allocate, and move episodes along."""

    person_changed = Signal(str)

    def __init__(self, store, rules_load, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("needsMatchPanel")
        self._store = store
        self._settings = settings
        self._person_id: str | None = None
        self.needs_panel = NeedsPanel(store, self)
        self.match_panel = RoleMatchPanel(rules_from(rules_load), self)
        self.episodes_panel = EpisodesPanel(store, self)

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
        self.needs_panel.person_changed.connect(self.person_changed)
        self.match_panel.allocate_requested.connect(self.allocate)
        self.episodes_panel.person_changed.connect(self._on_episodes_changed)

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
        return getattr(self._settings, "user_name", "") or ""

    def user_role(self) -> str:
        """Return the role the user works in ("" when not one of the three)."""
        return getattr(self._settings, "role", "") or ""

    def allocate(self, role: str) -> None:
        """Ask for the referral details and open an episode with a role."""
        if self._person_id is None:
            return
        self.needs_panel.flush()
        episode, ok = AllocateDialog.ask(self, self._store, self._person_id, role,
                                         self.match_panel.result, self.default_worker(),
                                         worker_role=self.user_role())
        if ok and episode is not None:
            self._on_episodes_changed(episode.person_id)

    def _on_episodes_changed(self, person_id: str) -> None:
        self.episodes_panel.refresh()
        self.match_panel.set_open_roles(self.episodes_panel.open_roles(),
                                        died_on(self.episodes_panel.episodes))
        self._order_columns()
        if self.episodes_panel.gp_bar.isVisibleTo(self):
            self.match_scroll.ensureWidgetVisible(self.episodes_panel.gp_bar)
        self.person_changed.emit(person_id)
