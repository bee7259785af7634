"""Items due today or overdue, a page at a time, from one store query."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.domain.models import FollowUpItem
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.alert_marks import AlertMarks
from arrs_desktop.ui.common.paged_rows_table_model import PagedRowsTableModel

_KIND, _DUE, _WORKER = 0, 1, 5  # places in FollowUpItem's fields
FOLLOW_UP_COLUMNS = (
    ("due", "Due"),
    ("kind", "What"),
    ("title", "Person"),
    ("detail", "Detail"),
    ("worker", "Worker"),  # in the role's colour; the role is in its tooltip
)
PAGE_SIZE = 200
KIND_LABELS = {"session": "Follow-up", "first_contact": "Awaiting first contact",
               "care_home": "Care-home contact", "goal": "Goal target date"}


def lateness(days: int) -> str:
    """Say how late something is: "due today", "1 day late", "109 days late"."""
    if days <= 0:
        return "due today"
    return "1 day late" if days == 1 else f"{days} days late"


class FollowUpsModel(AlertMarks, PagedRowsTableModel):
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
        page = [FollowUpItem(*i) for i in self._shown[offset:offset + PAGE_SIZE]]
        self.note_alerts(self._store, [i.person_id for i in page])
        return page

    def item(self, row: int) -> FollowUpItem | None:
        """Return the item on a row."""
        return self.row_object(row)

    def overdue_count(self) -> int:
        """Return how many items passing the filter are past their date."""
        return self._overdue

    def cell(self, item: FollowUpItem, key: str, role: int):
        """Return what an item's cell shows for an item role."""
        if key == "title" and item.person_id:
            marked = self.alert_cell(item.person_id, item.title, role)
            if marked is not None:
                return marked
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
