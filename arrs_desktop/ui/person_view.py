"""The person area in the centre: who they are, then a tab per kind of work."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import GENDERS
from arrs_desktop.domain.episodes import died_on
from arrs_desktop.domain.validation import format_nhs_number
from arrs_desktop.ui.lazy_view import LazyViewHost, ViewTabs
from arrs_desktop.ui.widgets import (
    PageScrollArea,
    empty_state,
    focus_start,
    heading,
    keep_focus_in_tabs,
    role_badge,
    set_role_badge,
)


def settle_layouts(rounds: int = 8) -> None:
    """Lay out now what the last changes asked for, so the next paint is the only one.

    A changed label posts a layout request to its parent widget, which posts one to its
    own parent once laid out, and so on up to the window: left to the event loop that
    takes a round per level, with a paint in between showing half-done sizes. Each
    round here delivers the requests posted so far; an empty round costs nothing.
    """
    for _ in range(rounds):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _unbroken(text: str) -> str:
    """Join a phrase's words with no-break spaces, so a line may only wrap between phrases."""
    return text.replace(" ", "\u00a0")


class PersonHeader(QFrame):
    """Name, NHS number, age and contact details of the open person."""

    edit_requested = Signal()
    care_plan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("personHeader")
        self.name_label = heading("")
        self.name_label.setObjectName("personName")
        self.details = QLabel(self)
        self.details.setObjectName("personDetails")
        self.details.setProperty("role", "muted")
        self.details.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setProperty("role", "muted")
        self.contact.setWordWrap(True)
        self.badges = QHBoxLayout()
        self.badges.setSpacing(6)
        self._badge_labels: list[QLabel] = []
        self.edit_button = QPushButton(self.tr("Edit details…"), self)
        self.edit_button.setObjectName("editPersonButton")
        self.edit_button.setAccessibleName(self.tr("Edit this person's details"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.plan_button = QPushButton(self.tr("Care plan (PDF)…"), self)
        self.plan_button.setObjectName("carePlanButton")
        self.plan_button.setAccessibleName(
            self.tr("Make a printable personalised care and support plan"))
        self.plan_button.setToolTip(self.tr("Personalised care and support plan (Ctrl+P)"))
        self.plan_button.clicked.connect(self.care_plan_requested)
        self.name_label.setWordWrap(True)  # a long name takes two lines, never cut
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.name_label, 0)
        top.addSpacing(8)
        top.addLayout(self.badges)
        top.addStretch(1)
        grid.addLayout(top, 0, 0)
        grid.addWidget(self.details, 1, 0)
        grid.addWidget(self.contact, 2, 0)
        # The buttons keep their own column on the right: the details wrap beside them
        # instead of squeezing them on a narrow window.
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 0, 1, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)

    def show_person(self, person, episodes, care_home_name: str | None) -> None:
        """Fill the header for a person."""
        self.name_label.setText(person.name)
        self.name_label.setAccessibleName(person.name)
        parts = []
        if person.nhs_number:
            parts.append(self.tr("NHS number {0}").format(format_nhs_number(person.nhs_number)))
        else:
            parts.append(self.tr("No NHS number recorded"))
        died = died_on(episodes)
        if person.date_of_birth:
            age = person.age_on(died or date.today())
            text = self.tr("Born {0} (age {1})") if died is None else self.tr(
                "Born {0} (aged {1} at death)")
            parts.append(text.format(f"{person.date_of_birth:%d %b %Y}", age))
        if died is not None:
            parts.insert(0, self.tr("Died {0}").format(f"{died:%d %b %Y}"))
        if person.gender:
            parts.append(GENDERS.get(person.gender, person.gender))
        if care_home_name:
            parts.append(self.tr("Lives at {0}").format(care_home_name))
        # Each part keeps its words on one line: a narrow header wraps between the parts.
        self.details.setText("  ·  ".join(_unbroken(p) for p in parts))
        contact = [p for p in (person.address.replace("\n", ", "), person.postcode,
                               person.phone, person.email, person.gp_practice) if p]
        self.contact.setText("  ·  ".join(_unbroken(p) for p in contact))
        self.contact.setVisible(bool(contact))
        open_roles = [e for e in episodes if e.status in ("referred", "active", "on_hold")]
        # The badges are reused from person to person; the spare ones are hidden.
        while len(self._badge_labels) < len(open_roles):
            badge = role_badge(None, parent=self)
            self._badge_labels.append(badge)
            self.badges.addWidget(badge)
        for index, badge in enumerate(self._badge_labels):
            if index < len(open_roles):
                set_role_badge(badge, open_roles[index].role)
            if badge.isHidden() == (index < len(open_roles)):
                badge.setVisible(index < len(open_roles))

    @property
    def badge_labels(self) -> list[QLabel]:
        """Return the role badges shown, in order."""
        return [b for b in self._badge_labels if not b.isHidden()]


class LazyPanel(LazyViewHost):
    """A person tab whose panel is made the first time it has someone to show.

    Until then the window has not paid for its widgets (nor imported its module): the
    person area shows its empty state until someone is opened. Once made, the panel is
    told about people exactly as a panel added with `PersonView.add_panel` is.
    """

    def __init__(self, factory, view: PersonView) -> None:
        super().__init__(factory, view.tabs, on_built=self._built, scroll=False)
        self._person_view = view
        self._wanted: str | None = None  # the person last asked for

    def set_person(self, person_id: str | None) -> None:
        """Show a person (making the panel first if there is someone to show)."""
        self._wanted = person_id
        if self.is_built:
            self.view().set_person(person_id)
        elif person_id is not None:
            self.view()  # made now; `_built` shows the person

    def _built(self, panel: QWidget) -> None:
        signal = getattr(panel, "person_changed", None)
        if signal is not None:
            signal.connect(self._person_view._on_panel_changed)
        if self._wanted is not None:
            panel.set_person(self._wanted)


class PersonView(QWidget):
    """Show one person; each tab is a panel with `set_person(person_id | None)`."""

    person_changed = Signal(str)
    edit_requested = Signal(str)
    care_plan_requested = Signal(str)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personView")
        self._store = store
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
        self.tabs.currentChanged.connect(self._catch_up)
        keep_focus_in_tabs(self.tabs)  # Alt+G, Alt+S… take the keyboard into the tab

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
        signal = getattr(panel, "person_changed", None)
        if signal is not None:
            signal.connect(self._on_panel_changed)
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
                                home.name if home else None)

    def _on_panel_changed(self, person_id: str) -> None:
        self.refresh_header()
        self.person_changed.emit(person_id)

    def _on_care_plan(self) -> None:
        if self._person_id:
            self.care_plan_requested.emit(self._person_id)

    def _on_edit(self) -> None:
        if self._person_id:
            self.edit_requested.emit(self._person_id)
