"""Table models of the care homes view: the homes list and one home's contact log."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from arrs_desktop.domain.models import CareHomeOverview
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.rows_table_model import ALIGN_RIGHT, RowsTableModel, bold_font

HOME_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # a resident's id in a list
DUE_SOON_DAYS = 2
DUE_SOON_TEXT = "#7A5200"  # warm yellow is too pale for text on white; its dark shade passes AA


def short_date(day: date | None, today: date | None = None) -> str:
    """Show a date as '12 Nov' (adding the year when it is not this year)."""
    if day is None:
        return ""
    today = today or date.today()
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def status_dot(colour: str, size: int = 12) -> QIcon:
    """Return a small filled circle icon (shown beside words, never on its own)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(130))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def due_words(home: CareHomeOverview, today: date) -> tuple[str, str]:
    """Say in words when the next contact with a home is due: (headline, detail)."""
    if home.last_contact is None:
        return "Overdue", "no contact yet"
    if home.overdue:
        return "Overdue", f"since {short_date(home.next_due, today)}"
    if home.next_due == today:
        return "Due today", ""
    if home.due_soon(today, DUE_SOON_DAYS):
        return "Due soon", short_date(home.next_due, today)
    return "On track", f"due {short_date(home.next_due, today)}"


def due_text(home: CareHomeOverview, today: date) -> str:
    """Say in one line when the next contact with a home is due."""
    headline, detail = due_words(home, today)
    if home.last_contact is None:
        return "Overdue: no contact yet"
    if home.due_soon(today, DUE_SOON_DAYS) and home.next_due != today:
        return f"Due soon: {detail}"
    return f"{headline} {detail}".strip()


HOME_COLUMNS = (
    ("name", "Care home"),
    ("due", "Next contact"),
    ("lead", "Lead"),
    ("residents", "Residents"),
)


class CareHomesModel(RowsTableModel):
    """Every care home, overdue first (the user's own homes before the rest)."""

    COLUMNS = HOME_COLUMNS
    ID_ROLE = HOME_ID_ROLE

    def __init__(self, store, user_name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._user_name = user_name
        self._today = date.today()
        self._red = status_dot(theme.RED)
        self._yellow = status_dot(theme.WARM_YELLOW)
        self._green = status_dot(theme.GREEN)
        self.refresh()

    def set_user_name(self, user_name: str) -> None:
        """Put the homes this user leads first."""
        self._user_name = user_name
        self.refresh()

    def refresh(self, today: date | None = None) -> None:
        """Reload the homes from the store."""
        self.beginResetModel()
        self._today = today or date.today()
        # Overdue homes first, whoever leads them; the user's own come first within each.
        homes = self._store.care_homes.overview(today=self._today, lead_worker=self._user_name)
        self._rows = sorted(homes, key=lambda home: not home.overdue)
        self.endResetModel()

    @property
    def today(self) -> date:
        """Return the day the overdue marks were worked out for."""
        return self._today

    def home(self, row: int) -> CareHomeOverview | None:
        """Return the home on a row."""
        return self.row_object(row)

    def cell(self, home: CareHomeOverview, key: str, role: int):
        """Return what a home's cell shows for an item role."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(home, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return " ".join(self._display(home, key).split())
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "due":
                last = (self.tr("Last contact {0}").format(short_date(home.last_contact,
                                                                      self._today))
                        if home.last_contact else self.tr("Never contacted"))
                return f"{self._display(home, key)} · {last}"
            if key in ("name", "lead") and home.own:
                return self.tr("You lead on this home")
            return None
        if role == Qt.ItemDataRole.ForegroundRole and key == "due":
            if home.overdue:
                return QBrush(QColor(theme.RED))
            if home.due_soon(self._today, DUE_SOON_DAYS):
                return QBrush(QColor(DUE_SOON_TEXT))
        if role == Qt.ItemDataRole.DecorationRole and key == "due":
            if home.overdue:
                return self._red
            if home.due_soon(self._today, DUE_SOON_DAYS):
                return self._yellow
            return self._green
        if role == Qt.ItemDataRole.FontRole and (
                (key == "due" and home.overdue) or (key == "lead" and home.own)):
            return bold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "residents":
            return ALIGN_RIGHT
        return None

    def _display(self, home: CareHomeOverview, key: str) -> str:
        if key == "name":
            lead = (self.tr("you lead") if home.own
                    else home.lead_worker or self.tr("no lead"))
            residents = (self.tr("1 resident") if home.residents == 1
                         else self.tr("{0} residents").format(home.residents))
            return f"{home.name}\n{lead} · {residents}"
        if key == "due":
            headline, detail = due_words(home, self._today)
            return "\n".join(self.tr(t) for t in (headline, detail) if t)
        if key == "lead":
            if home.own:
                return self.tr("{0} (you)").format(home.lead_worker)
            return home.lead_worker or self.tr("No lead")
        if key == "residents":
            return str(home.residents)
        return ""
