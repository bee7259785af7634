"""The Follow-ups view: what is due today or overdue, across my caseload or everyone's."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
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

from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.domain.models import FollowUpItem
from arrs_desktop.store.follow_ups import FIRST_CONTACT_DAYS
from arrs_desktop.ui import theme
from arrs_desktop.ui.background import BackgroundLoader
from arrs_desktop.ui.table_model import PagedRowsTableModel
from arrs_desktop.ui.widgets import (
    FlowLayout,
    OpenTableView,
    empty_state,
    fit_columns,
    heading,
    muted,
    rows_table,
    select_row,
)

FOLLOW_UP_COLUMNS = (
    ("due", "Due"),
    ("kind", "What"),
    ("title", "Person"),
    ("detail", "Detail"),
    ("worker", "Worker"),  # in the role's colour; the role is in its tooltip
)
PAGE_SIZE = 200
_KIND, _DUE, _WORKER = 0, 1, 5  # places in FollowUpItem's fields
KIND_LABELS = {"session": "Follow-up", "first_contact": "Awaiting first contact",
               "care_home": "Care-home contact", "goal": "Goal target date"}


def lateness(days: int) -> str:
    """Say how late something is: "due today", "1 day late", "109 days late"."""
    if days <= 0:
        return "due today"
    return "1 day late" if days == 1 else f"{days} days late"



class FollowUpsModel(PagedRowsTableModel):
    """Items due today or overdue, a page at a time, from one store query.

    Everyone's items are read at once (on a worker thread in the view: it is slow on a
    large caseload); "mine only" and the kind are filters on that list, so changing them
    reads nothing, and the table is handed only the pages scrolled to.
    """

    COLUMNS = FOLLOW_UP_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._today = date.today()
        self._items: list[tuple] = []  # FollowUpItem fields, made into items a page at a time
        self._shown: list[tuple] = []
        self._overdue = 0
        self._worker: str | None = None
        self._kind: str | None = None

    def load(self, worker: str | None, kind: str | None = None) -> None:
        """Reload the items on this thread (only `worker`'s when given; one kind if given)."""
        today = date.today()
        self._worker, self._kind = worker, kind
        self.set_items(self._store.follow_ups.due_tuples(today), today)

    def set_items(self, items: list[tuple], today: date) -> None:
        """Show everyone's items read elsewhere (e.g. on a worker thread), filtered.

        `items` are as `follow_ups_due_tuples` gives them, oldest first.
        """
        self._items = list(items)
        self._today = today
        self.load_first_page()

    def set_filter(self, worker: str | None, kind: str | None = None) -> None:
        """Show only `worker`'s items (None: everyone's), and only one kind (None: all)."""
        if (worker, kind) != (self._worker, self._kind):
            self._worker, self._kind = worker, kind
            self.load_first_page()

    def count_rows(self) -> int:
        """Return how many items pass the filter."""
        worker, kind = self._worker, self._kind
        if worker is None and kind is None:
            self._shown = self._items
        else:
            self._shown = [i for i in self._items
                           if (worker is None or i[_WORKER] == worker)
                           and (kind is None or i[_KIND] == kind)]
        # The items come oldest first, so the overdue ones are those before today's.
        self._overdue = bisect_left(self._shown, self._today, key=lambda i: i[_DUE])
        return len(self._shown)

    def fetch_page(self, offset: int) -> list[FollowUpItem]:
        """Return the page of items starting at an offset."""
        return [FollowUpItem(*i) for i in self._shown[offset:offset + PAGE_SIZE]]

    def item(self, row: int) -> FollowUpItem | None:
        """Return the item on a row."""
        return self.row_object(row)

    def overdue_count(self) -> int:
        """Return how many items passing the filter are past their date."""
        return self._overdue

    def cell(self, item: FollowUpItem, key: str, role: int):
        """Return what an item's cell shows for an item role."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._in_full(item, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "due":
                return QBrush(QColor(theme.RED if item.due < self._today else theme.BLACK))
            if key == "worker" and item.role:
                return QBrush(QColor(theme.role_colour(item.role)))
        if role == Qt.ItemDataRole.BackgroundRole and key == "due" and item.due == self._today:
            return QBrush(QColor("#FFF1CC"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([self._in_full(item, key),
                              self.tr("Double-click or press Enter to open")])
        return None

    def _in_full(self, item: FollowUpItem, key: str) -> str:
        """Return a cell's text with what the colours and the short form leave out."""
        if key == "due":
            return self.tr("Due {0}, {1}").format(
                f"{item.due:%d %b %Y}", self.tr(lateness((self._today - item.due).days)))
        if key == "worker":
            r = ROLES_BY_CODE.get(item.role or "")
            who = item.worker or self.tr("No worker named")
            return f"{who}, {r.name}" if r else who
        return self._display(item, key)

    def _display(self, item: FollowUpItem, key: str) -> str:
        if key == "due":
            days = (self._today - item.due).days
            if days <= 0:
                return self.tr("Due today")
            return self.tr("⚠ {0}").format(self.tr(lateness(days)))
        if key == "kind":
            return self.tr(KIND_LABELS.get(item.kind, item.kind))
        if key == "title":
            return item.title
        if key == "detail":
            return item.detail
        if key == "worker":
            return item.worker
        return ""


class FollowUpsView(QWidget):
    """List what is due today or overdue; open the person or the care home."""

    person_open_requested = Signal(str)
    # a person, and the tab where the item is worked: "sessions" or "goals"
    person_section_requested = Signal(str, str)
    care_home_open_requested = Signal(str)

    def __init__(self, store, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpsView")
        self.setAccessibleName(self.tr("Follow-ups due today or overdue"))
        self._store = store
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
        self.set_user(getattr(settings, "user_name", "") or "")
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
