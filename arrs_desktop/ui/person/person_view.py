"""The person area in the centre: who they are, then a tab per kind of work."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtWidgets import (
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.reports.standards_records import alerts_in_force
from arrs_desktop.ui.common.page_scroll_area import PageScrollArea
from arrs_desktop.ui.common.view_tabs import ViewTabs
from arrs_desktop.ui.common.widgets import (
    empty_state,
    focus_start,
    keep_focus_in_tabs,
)
from arrs_desktop.ui.person.lazy_panel import LazyPanel
from arrs_desktop.ui.person.person_header import PersonHeader


def settle_layouts(rounds: int = 8) -> None:
    """Lay out now what the last changes asked for, so the next paint is the only one.

    A changed label posts a layout request to its parent widget, which posts one to its
    own parent once laid out, and so on up to the window: left to the event loop that
    takes a round per level, with a paint in between showing half-done sizes. Each
    round here delivers the requests posted so far; an empty round costs nothing.
    """
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


class PersonView(QWidget):
    """Show one person; each tab is a panel with `set_person(person_id | None)`.

    The header redraws from the change bus when the person's details, episodes (role
    badges, a death) or care homes change; each tab's panel listens for what it shows.
    """

    edit_requested = Signal(str)
    care_plan_requested = Signal(str)
    alerts_requested = Signal(str)
    person_shown = Signal(str)  # a person's record was opened (it is audited: who looked)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personView")
        self._store = context.store
        self._person_id: str | None = None
        self._panels: list[QWidget] = []
        self._behind: list[QWidget] = []  # panels on hidden tabs still showing someone else

        self.header = PersonHeader(self)
        self.tabs = ViewTabs(self)
        self.tabs.setObjectName("personTabs")
        self.tabs.setAccessibleName(self.tr("Person sections"))
        self.tabs.setDocumentMode(False)
        self.tabs.setUsesScrollButtons(False)

        person_page = QWidget(self)
        lay = QVBoxLayout(person_page)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.header)
        lay.addWidget(self.tabs, 1)

        self.empty = empty_state(self.tr(
            "Choose someone from the caseload on the left to see their needs, goals and "
            "sessions.\n\nOr add a new person with “New person…” (Ctrl+N)."), self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        # The header and tabs scroll together in a window too short for them.
        self.stack.addWidget(PageScrollArea(person_page, self))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 8, 8, 8)
        outer.addWidget(self.stack)
        self.header.edit_requested.connect(self._on_edit)
        self.header.care_plan_requested.connect(self._on_care_plan)
        self.header.alerts_requested.connect(self._on_alerts)
        self.tabs.currentChanged.connect(self._catch_up)
        keep_focus_in_tabs(self.tabs)  # Alt+G, Alt+S… take the keyboard into the tab
        context.bus.changed.connect(self._on_changed)

    def focus_start(self) -> bool:
        """Where the keyboard starts: the open tab of the person shown."""
        if self._person_id is None:
            return False
        return focus_start(self.tabs.widget(self.tabs.currentIndex()))

    @property
    def person_id(self) -> str | None:
        """Return the id of the person shown, or None."""
        return self._person_id

    def add_panel(self, panel: QWidget, title: str) -> None:
        """Add a tab; the panel is told which person to show via `set_person`."""
        self._panels.append(panel)
        self.tabs.addTab(panel, title)
        if self._person_id is not None:
            panel.set_person(self._person_id)

    def add_lazy_panel(self, factory, title: str) -> LazyPanel:
        """Add a tab whose panel `factory(parent)` makes when it first has someone to show."""
        host = LazyPanel(factory, self)
        self._panels.append(host)
        self.tabs.add_lazy(host, title)
        if self._person_id is not None:
            host.set_person(self._person_id)
        return host

    def _current_page(self) -> QWidget | None:
        return self.tabs.widget(self.tabs.currentIndex())  # a lazy tab's host, not made

    def show_person(self, person_id: str | None) -> None:
        """Show a person (None shows the empty state)."""
        person = self._store.people.get(person_id) if person_id else None
        self._person_id = person.id if person else None
        if person is None:
            self.stack.setCurrentWidget(self.empty)
        else:
            self._fill_header(person)
            self.stack.setCurrentIndex(1)
        # Only the tab in view is filled now; the others catch up when chosen, so opening
        # someone costs one panel's work, not every panel's.
        current = self._current_page()
        self._behind = [p for p in self._panels if p is not current]
        if current in self._panels:
            current.set_person(self._person_id)
        settle_layouts()
        if self._person_id is not None:
            self.person_shown.emit(self._person_id)

    def _catch_up(self, _index: int = -1) -> None:
        panel = self._current_page()
        if panel in self._behind:
            self._behind.remove(panel)
            panel.set_person(self._person_id)

    def refresh_header(self) -> None:
        """Redraw the header after a change (badges, details)."""
        if self._person_id:
            person = self._store.people.get(self._person_id)
            if person:
                self._fill_header(person)

    def _fill_header(self, person) -> None:
        home = self._store.care_homes.get(person.care_home_id) if person.care_home_id else None
        self.header.show_person(person, self._store.episodes.for_person(person.id),
                                home.name if home else None, alerts_in_force(self._store,
                                                                             person.id))

    def _on_changed(self, changes, _initiator) -> None:
        if not changes.touches(self._person_id):
            return
        if changes.people and self._store.people.get(self._person_id) is None:
            self.show_person(None)  # erased (or gone with a restore)
        elif changes.person or changes.episodes or changes.care_homes or changes.alerts:
            self.refresh_header()

    def _on_care_plan(self) -> None:
        if self._person_id:
            self.care_plan_requested.emit(self._person_id)

    def _on_alerts(self) -> None:
        if self._person_id:
            self.alerts_requested.emit(self._person_id)

    def _on_edit(self) -> None:
        if self._person_id:
            self.edit_requested.emit(self._person_id)
