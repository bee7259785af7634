"""The Follow-ups view: what is due today or overdue, across my caseload or everyone's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.catalogue import ROLES_BY_CODE
from arrs_desktop.models import FollowUpItem
from arrs_desktop.ui import theme
from arrs_desktop.ui.table_model import RowsTableModel
from arrs_desktop.ui.widgets import OpenTableView, empty_state, heading, muted, rows_table

FOLLOW_UP_COLUMNS = (
    ("due", "Due"),
    ("kind", "What"),
    ("title", "Who and what"),
    ("role", "Role"),
    ("worker", "Worker"),
)
KIND_LABELS = {"session": "Follow-up", "care_home": "Care-home contact",
               "goal": "Goal target date"}


class FollowUpsModel(RowsTableModel):
    """Items due today or overdue, from one store query."""

    COLUMNS = FOLLOW_UP_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._today = date.today()

    def load(self, worker: str | None, kind: str | None = None) -> None:
        """Reload the items (only `worker`'s when given; only one kind when given)."""
        self.beginResetModel()
        self._today = date.today()
        self._rows = [i for i in self._store.follow_ups_due(self._today, worker)
                       if kind is None or i.kind == kind]
        self.endResetModel()

    def item(self, row: int) -> FollowUpItem | None:
        """Return the item on a row."""
        return self.row_object(row)

    def overdue_count(self) -> int:
        """Return how many items are past their date."""
        return sum(1 for i in self._rows if i.due < self._today)

    def cell(self, item: FollowUpItem, key: str, role: int):
        """Return what an item's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "due":
                return QBrush(QColor(theme.RED if item.due < self._today else theme.BLACK))
            if key == "role" and item.role:
                return QBrush(QColor(theme.role_colour(item.role)))
        if role == Qt.ItemDataRole.BackgroundRole and key == "due" and item.due == self._today:
            return QBrush(QColor("#FFF1CC"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join([self._display(item, key),
                              self.tr("Double-click or press Enter to open")])
        return None

    def _display(self, item: FollowUpItem, key: str) -> str:
        if key == "due":
            days = (self._today - item.due).days
            if days <= 0:
                return self.tr("Due today")
            return self.tr("⚠ {0} ({1} d late)").format(f"{item.due:%d %b %Y}", days)
        if key == "kind":
            return self.tr(KIND_LABELS.get(item.kind, item.kind))
        if key == "title":
            return f"{item.title} — {item.detail}" if item.detail else item.title
        if key == "role":
            r = ROLES_BY_CODE.get(item.role or "")
            return r.short_name if r else ""
        if key == "worker":
            return item.worker
        return ""


class FollowUpsView(QWidget):
    """List what is due today or overdue; open the person or the care home."""

    person_open_requested = Signal(str)
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
        self.kind_filter.addItem(self.tr("Care-home contacts"), "care_home")
        self.kind_filter.addItem(self.tr("Goal target dates"), "goal")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("followUpsRefresh")
        self.refresh_button.setAccessibleName(self.tr("Refresh the follow-ups list"))

        self.model = FollowUpsModel(store, self)
        self.table = rows_table(self, "followUpsTable",
                                self.tr("Follow-ups due today or overdue"), self.model,
                                view_class=OpenTableView)
        header = self.table.horizontalHeader()
        for col in range(len(FOLLOW_UP_COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("followUpsSummary")
        self.empty = empty_state("", self)
        self.empty.setObjectName("followUpsEmpty")

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Due today or overdue")))
        top.addStretch(1)
        top.addWidget(QLabel(self.tr("Show:"), self))
        top.addWidget(self.mine)
        top.addWidget(self.everyone)
        top.addWidget(self.kind_filter)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(top)
        layout.addWidget(muted(self.tr(
            "People's next follow-up dates, care-home contacts due and goal target dates that "
            "have come. Double-click or press Enter to open one."), self))
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

        self.mine.toggled.connect(self.refresh)
        self.kind_filter.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_requested.connect(self._open_current)
        self.set_user(getattr(settings, "user_name", "") or "")

    def set_user(self, user_name: str) -> None:
        """Say whose follow-ups "Mine" means; with no name, everyone's are shown."""
        self._user_name = (user_name or "").strip()
        self.mine.setEnabled(bool(self._user_name))
        self.mine.setToolTip("" if self._user_name else self.tr(
            "Give your name in Edit → Settings to see only your own"))
        self.mine.blockSignals(True)
        (self.mine if self._user_name else self.everyone).setChecked(True)
        self.mine.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store."""
        worker = self._user_name if self.mine.isChecked() and self._user_name else None
        self.model.load(worker, self.kind_filter.currentData())
        total = self.model.rowCount()
        overdue = self.model.overdue_count()
        self.summary.setText(self.tr("{0} due: {1} overdue (marked ⚠, in red), {2} due today")
                             .format(total, overdue, total - overdue))
        if total == 0:
            self.empty.setText(self.tr(
                "Nothing is due today or overdue{0}.\n\nNext follow-up dates come from the "
                "session form; care-home contacts from the Care homes view.").format(
                self.tr(" for you") if worker else ""))
        self.table.setVisible(total > 0)
        self.summary.setVisible(total > 0)
        self.empty.setVisible(total == 0)

    def showEvent(self, event) -> None:  # noqa: N802
        self.refresh()
        super().showEvent(event)

    def open_item(self, row: int) -> None:
        """Open the record behind a row: the person, or the care home."""
        item = self.model.item(row)
        if item is None:
            return
        if item.care_home_id:
            self.care_home_open_requested.emit(item.care_home_id)
        elif item.person_id:
            self.person_open_requested.emit(item.person_id)

    def _open_index(self, index) -> None:
        self.open_item(index.row())

    def _open_current(self) -> None:
        self.open_item(self.table.currentIndex().row())
