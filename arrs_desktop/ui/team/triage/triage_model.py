"""People waiting for allocation, a page at a time, in the store's ranking."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.domain.catalogue import CLOSURE_REASONS, NEEDS_BY_ID, ROLES_BY_CODE
from arrs_desktop.domain.triage import TriageRank, TriageRow
from arrs_desktop.domain.validation import format_nhs_number
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.alert_marks import AlertMarks
from arrs_desktop.ui.common.paged_rows_table_model import PagedRowsTableModel
from arrs_desktop.ui.common.rows_table_model import ALIGN_RIGHT

PAGE_SIZE = 200
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = (
    ("name", "Name"),
    ("nhs_number", "NHS number"),
    ("lead_role", "Suggested role"),
    ("score", "Score"),
    ("needs", "Needs"),
    ("last", "Last episode"),
    ("supporting", "Also consider"),
)


class TriageModel(AlertMarks, PagedRowsTableModel):
    """People waiting for allocation, a page at a time, in the store's ranking.

    The ranking of everyone waiting (slow on a large caseload: it needs every candidate's
    role match) is made once per refresh; the role filter and the pages are worked out
    from it, so changing the filter or scrolling reads only the rows shown. `refresh`
    ranks on the calling thread; the Triage view ranks on a worker thread instead and
    hands the result to `set_ranking`.
    """

    COLUMNS = COLUMNS
    ID_ROLE = PERSON_ID_ROLE

    def __init__(self, store, rules, parent: QObject | None = None, *,
                 load: bool = True) -> None:
        super().__init__(parent)
        self._store = store
        self._rules = rules
        self._role: str | None = None
        self._include_recent = False
        self._ranking: list[TriageRank] = []
        self._shown: list[TriageRank] = []
        self._hidden_recent = 0
        if load:
            self.refresh()

    @property
    def rules(self):
        """Return the role-match rules the ranking uses."""
        return self._rules

    @property
    def role(self) -> str | None:
        """Return the suggested role filtered on, or None for all."""
        return self._role

    @property
    def include_recent(self) -> bool:
        """Return whether people seen in the last RECENTLY_SEEN_DAYS days are listed."""
        return self._include_recent

    @property
    def ranked(self) -> int:
        """Return how many people the whole ranking holds, whatever the filters."""
        return len(self._ranking)

    @property
    def hidden_recent(self) -> int:
        """Return how many people the suggested-role filter lets through but, seen
        recently, are hidden (0 when they are included)."""
        return self._hidden_recent

    def seen_before(self) -> int:
        """Return how many of the people listed have had an episode before."""
        return sum(1 for r in self._shown if r.last_status)

    def set_role(self, role: str | None) -> None:
        """Show only people whose suggested lead is a role (None: everyone)."""
        if role != self._role:
            self._role = role
            self.load_first_page()

    def set_include_recent(self, include: bool) -> None:
        """List people whose last episode was closed or declined recently, or not."""
        if bool(include) != self._include_recent:
            self._include_recent = bool(include)
            self.load_first_page()

    def refresh(self) -> None:
        """Rank everyone waiting again (on this thread) and reload the first page."""
        self.set_ranking(self._store.triage.ranking(self._rules))

    def set_ranking(self, ranking: list[TriageRank]) -> None:
        """Show a ranking made elsewhere (e.g. on a worker thread), from its first page."""
        self._ranking = list(ranking)
        self.load_first_page()

    def drop_person(self, person_id: str) -> None:
        """Take someone off the list at once (they have just been allocated)."""
        self._ranking = [r for r in self._ranking if r.id != person_id]
        row = self.row_of(person_id)
        self._shown = [r for r in self._shown if r.id != person_id]
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        self._total = len(self._shown)
        self.count_changed.emit(self._total)

    def count_rows(self) -> int:
        """Return how many people are listed, with the filters applied."""
        role = self._role
        matching = [r for r in self._ranking if role is None or r.lead_role == role]
        if self._include_recent:
            self._shown = matching
        else:
            self._shown = [r for r in matching if not r.recent]
        self._hidden_recent = len(matching) - len(self._shown)
        return len(self._shown)

    def fetch_page(self, offset: int) -> list[TriageRow]:
        """Return the page of people waiting, starting at an offset."""
        page = self._shown[offset:offset + PAGE_SIZE]
        rows = self._store.triage.rows(page, rules=self._rules)
        if len(rows) < len(page):  # someone was erased since the ranking was made
            gone = {r.id for r in page} - {r.id for r in rows}
            self._ranking = [r for r in self._ranking if r.id not in gone]
            self._shown = [r for r in self._shown if r.id not in gone]
            self._total = len(self._shown)
        self.note_alerts(self._store, [r.id for r in rows])
        return rows

    def row_data(self, row: int) -> TriageRow | None:
        """Return the person on a row."""
        return self.row_object(row)

    def cell(self, row: TriageRow, key: str, role: int):
        """Return what a person's cell shows for an item role."""
        if key == "name":
            marked = self.alert_cell(row.id, row.name, role)
            if marked is not None:
                return marked
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if key == "needs":
                return ", ".join(NEEDS_BY_ID[n].label for n in row.needs)
            return self._display(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and key == "lead_role":
            return QBrush(QColor(theme.role_colour(row.lead_role)))
        if role == Qt.ItemDataRole.ToolTipRole and key in ("needs", "supporting", "last"):
            if key in ("supporting", "last"):
                return self._display(row, key) or None
            return "\n".join(NEEDS_BY_ID[n].label for n in row.needs)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("score", "needs"):
            return ALIGN_RIGHT
        return None

    def _display(self, row: TriageRow, key: str) -> str:
        if key == "name":
            return row.name
        if key == "nhs_number":
            return format_nhs_number(row.nhs_number)
        if key == "lead_role":
            return ROLES_BY_CODE[row.lead_role].short_name
        if key == "score":
            return f"{row.lead_score:g}"
        if key == "needs":
            return str(len(row.needs))
        if key == "supporting":
            return ", ".join(ROLES_BY_CODE[c].short_name for c in row.supporting)
        if key == "last":
            return self.last_episode(row)
        return ""

    def last_episode(self, row: TriageRow) -> str:
        """Return how a person's last episode ended, e.g. "Closed 07 Oct 2026 · Goals met"."""
        if not row.last_status:
            return ""
        when = f" {row.last_date:%d %b %Y}" if row.last_date else ""
        if row.last_status == "declined":
            return self.tr("Declined{0}").format(when)
        text = self.tr("Closed{0}").format(when)
        reason = CLOSURE_REASONS.get(row.last_reason or "")
        return f"{text} · {self.tr(reason)}" if reason else text
