"""The Follow-ups view: what is due today or overdue, across my caseload or everyone's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.store.follow_ups import FIRST_CONTACT_DAYS
from arrs_desktop.ui.common.background_loader import BackgroundLoader
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.open_table_view import OpenTableView
from arrs_desktop.ui.common.widgets import (
    empty_state,
    fit_columns,
    heading,
    muted,
    rows_table,
    select_row,
)
from arrs_desktop.ui.team.follow_ups.follow_ups_model import KIND_LABELS, FollowUpsModel


class FollowUpsView(QWidget):
    """List what is due today or overdue; open the person or the care home."""

    person_open_requested = Signal(str)
    # a person, and the tab where the item is worked: "sessions" or "goals"
    person_section_requested = Signal(str, str)
    care_home_open_requested = Signal(str)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpsView")
        self.setAccessibleName(self.tr("Follow-ups due today or overdue"))
        self._context = context
        self._store = store = context.store
        self._user_name = ""

        self.mine = QRadioButton(self.tr("&Mine"), self)
        self.mine.setObjectName("followUpsMine")
        self.mine.setAccessibleName(self.tr("Show only my follow-ups"))
        self.everyone = QRadioButton(self.tr("Every&one"), self)
        self.everyone.setObjectName("followUpsEveryone")
        self.everyone.setAccessibleName(self.tr("Show everyone's follow-ups"))
        group = QButtonGroup(self)
        group.addButton(self.mine)
        group.addButton(self.everyone)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("followUpsKind")
        self.kind_filter.setAccessibleName(self.tr("Show which kind of item"))
        self.kind_filter.addItem(self.tr("Everything due"), None)
        self.kind_filter.addItem(self.tr("People's follow-ups"), "session")
        self.kind_filter.addItem(self.tr("Awaiting first contact"), "first_contact")
        self.kind_filter.addItem(self.tr("Care-home contacts"), "care_home")
        self.kind_filter.addItem(self.tr("Goal target dates"), "goal")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("followUpsRefresh")
        self.refresh_button.setAccessibleName(self.tr("Refresh the follow-ups list"))

        self.model = FollowUpsModel(store, self)
        self._loaded = False
        self._error = ""
        self._loader = BackgroundLoader(store, self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._loader.busy_changed.connect(self._show_state)
        self.table = rows_table(self, "followUpsTable",
                                self.tr("Follow-ups due today or overdue"), self.model,
                                view_class=OpenTableView)
        # Every column as wide as what it shows; the detail (a goal's words, say) takes the
        # room left and, when long, shortens with "…" (all of it in its tooltip).
        fit_columns(self.table, stretch=3, free_text=(3,), samples={
            0: "⚠ 000 days late",
            1: max((self.tr(t) for t in KIND_LABELS.values()), key=len),
        })
        self.summary = QLabel(self)
        self.summary.setObjectName("followUpsSummary")
        self.empty = empty_state("", self)
        self.empty.setObjectName("followUpsEmpty")

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Due today or overdue")))
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        shown = FlowLayout(spacing=8)
        shown.addWidget(QLabel(self.tr("Show:"), self))
        shown.addWidget(self.mine)
        shown.addWidget(self.everyone)
        shown.addWidget(self.kind_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addLayout(shown)
        layout.addWidget(muted(self.tr(
            "People's next follow-up dates, referrals awaiting a first contact, care-home "
            "contacts due and goal target dates that have come. Double-click or press Enter "
            "to open one."), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

        self.mine.toggled.connect(self._apply_filter)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_current)
        self.set_user(context.settings.user_name or "")
        context.bus.changed.connect(self._on_changed)
        self.refresh()

    @property
    def loading(self) -> bool:
        """Return whether the list is being read in the background."""
        return self._loader.busy

    def set_user(self, user_name: str) -> None:
        """Say whose follow-ups "Mine" means; with no name, everyone's are shown."""
        self._user_name = (user_name or "").strip()
        self.mine.setEnabled(bool(self._user_name))
        self.mine.setToolTip("" if self._user_name else self.tr(
            "Give your name in Edit → Settings to see only your own"))
        self.mine.blockSignals(True)
        (self.mine if self._user_name else self.everyone).setChecked(True)
        self.mine.blockSignals(False)
        self._apply_filter()

    def focus_start(self) -> bool:
        """Where the keyboard starts: the list, on the first (oldest) item."""
        if not self.table.isVisible() or self.model.rowCount() == 0:
            return False
        if self.table.currentIndex().row() < 0:
            select_row(self.table, 0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def refresh(self) -> None:
        """Read what is due again on a worker thread; the rows shown stay till then."""
        def work(store):
            today = date.today()
            return store.follow_ups.due_tuples(today), today

        self._loader.start(work)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Wait for background work to finish (for tests and closing)."""
        return self._loader.wait_for_idle(msecs)

    def _worker(self) -> str | None:
        return self._user_name if self.mine.isChecked() and self._user_name else None

    def _apply_filter(self, *_args) -> None:
        """Show mine or everyone's, of the kind chosen, from the items already read."""
        self.model.set_filter(self._worker(), self.kind_filter.currentData())
        self._show_state()

    def _on_loaded(self, result) -> None:
        items, today = result
        current = self.model.item(self.table.currentIndex().row())
        self._loaded = True
        self.model.set_items(items, today)
        if current is not None:
            for row in range(self.model.rowCount()):
                item = self.model.item(row)
                if (item.kind, item.person_id, item.care_home_id, item.goal_id,
                        item.episode_id) == (current.kind, current.person_id,
                                             current.care_home_id, current.goal_id,
                                             current.episode_id):
                    self.table.setCurrentIndex(self.model.index(row, 0))
                    break
        self._show_state()

    def _on_failed(self, message: str) -> None:
        self._error = self.tr("Could not read what is due: {0}").format(message)
        self._show_state()

    def _show_state(self, *_args) -> None:
        """Show the summary, or that the list is being read, or the empty state."""
        busy = self._loader.busy
        if busy:
            self._error = ""
        if not self._loaded:
            self.summary.setText(self.tr("Reading what is due…") if busy else self._error)
            self.summary.setVisible(busy or bool(self._error))
            self.empty.setText(self._error or self.tr("Loading what is due today or overdue…"))
            self.table.setVisible(False)
            self.empty.setVisible(True)
            return
        total = self.model.total
        overdue = self.model.overdue_count()
        text = self.tr("{0} due: {1} overdue (marked ⚠, in red), {2} due today").format(
            total, overdue, total - overdue)
        if busy:
            text = self.tr("{0} · updating…").format(text)
        self.summary.setText(f"{text} · {self._error}" if self._error else text)
        if total == 0:
            self.empty.setText(self.tr(
                "Nothing is due today or overdue{0}.\n\nNext follow-up dates come from the "
                "session form; referrals not contacted within {1} days are listed too; "
                "care-home contacts come from the Care homes view.").format(
                self.tr(" for you") if self._worker() else "", FIRST_CONTACT_DAYS))
        self.table.setVisible(total > 0)
        self.summary.setVisible(total > 0 or busy or bool(self._error))
        self.empty.setVisible(total == 0)

    def _on_changed(self, changes, _initiator) -> None:
        """Follow the user's name; read the list again when something it lists changed
        (while out of view it is read again when shown)."""
        if changes.settings:
            self.set_user(self._context.settings.user_name or "")
        elif self.isVisible() and (changes.sessions or changes.episodes or changes.goals
                                   or changes.care_homes or changes.people
                                   or changes.caseload or changes.alerts):
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        if not self._loader.busy:
            self.refresh()  # something may have become due, or been done, elsewhere
        super().showEvent(event)

    def open_item(self, row: int) -> None:
        """Open the record behind a row: the person, or the care home."""
        item = self.model.item(row)
        if item is None:
            return
        if item.care_home_id:
            self.care_home_open_requested.emit(item.care_home_id)
        elif item.person_id:
            # A follow-up or first contact is worked by logging a session; a goal's target
            # date on the goals tab.
            self.person_open_requested.emit(item.person_id)
            self.person_section_requested.emit(
                item.person_id, "goals" if item.kind == "goal" else "sessions")

    def _open_index(self, index) -> None:
        self.open_item(index.row())

    def _open_current(self) -> None:
        self.open_item(self.table.currentIndex().row())
