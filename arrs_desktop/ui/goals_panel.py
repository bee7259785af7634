"""The person's Goals tab: their own goals, progress scores and a chart of each goal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import (
    QDate,
    QDateTime,
    QObject,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import GOAL_STATUSES, ROLES, ROLES_BY_CODE
from arrs_desktop.domain.goals import before_agreed
from arrs_desktop.domain.models import Goal, GoalProgress
from arrs_desktop.domain.validation import clean_score, clean_text
from arrs_desktop.ui import theme
from arrs_desktop.ui.forms import (
    DateLineEdit,
    ErrorForm,
    ScoreLineEdit,
    StoreFormDialog,
    cleaner_check,
    date_check,
)
from arrs_desktop.ui.table_model import RowsTableModel, bold_font
from arrs_desktop.ui.widgets import FieldError, empty_state, fit_columns, heading, muted, rows_table

GOAL_COLUMNS = (
    ("title", "Goal"),
    ("owner_role", "Owner"),
    ("baseline", "Baseline"),
    ("latest", "Latest"),
    ("target_date", "Target date"),
    ("status", "Status"),
)
STATUS_COLOURS = {"active": theme.BLUE, "achieved": theme.DARK_GREEN, "stopped": theme.DARK_GREY}


def default_role(store, settings, person_id: str | None) -> str:
    """Return the role to preselect: the user's own, else the person's lead role, else splw."""
    role = getattr(settings, "role", "") if settings is not None else ""
    if role in ROLES_BY_CODE:
        return role
    if person_id:
        for episode in store.episodes.for_person(person_id):
            if episode.status in ("referred", "active", "on_hold"):
                return episode.role
    return ROLES[0].code


def to_msecs(day: date) -> float:
    """Return a date as chart x (milliseconds since the epoch, local midnight)."""
    return float(QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))
                 .toMSecsSinceEpoch())


class GoalsModel(RowsTableModel):
    """A person's goals with their latest progress score."""

    COLUMNS = GOAL_COLUMNS

    def __init__(self, store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._latest: dict[str, int | None] = {}
        self._today = date.today()

    def load(self, person_id: str | None) -> None:
        """Show a person's goals (None shows none)."""
        self.beginResetModel()
        self._today = date.today()
        self._rows = self._store.goals.for_person(person_id) if person_id else []
        self._latest = {}
        for goal in self._rows:
            progress = self._store.goals.progress_for(goal.id)
            self._latest[goal.id] = progress[-1].score if progress else None
        self.endResetModel()

    def goal(self, row: int) -> Goal | None:
        """Return the goal on a row."""
        return self.row_object(row)

    def cell(self, goal: Goal, key: str, role: int):
        """Return what a goal's cell shows for an item role."""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(goal, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "owner_role":
                return QBrush(QColor(theme.role_colour(goal.owner_role)))
            if key == "status":
                return QBrush(QColor(STATUS_COLOURS.get(goal.status, theme.BLACK)))
            if key == "target_date" and self._passed(goal):
                return QBrush(QColor(theme.RED))
        if role == Qt.ItemDataRole.FontRole and key in ("owner_role", "status"):
            return bold_font()
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("baseline", "latest"):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title" and goal.what_matters:
                return goal.what_matters
            if key == "target_date" and self._passed(goal):
                return self.tr("The target date has passed")
        return None

    def _passed(self, goal: Goal) -> bool:
        return (goal.status == "active" and goal.target_date is not None
                and goal.target_date < self._today)

    def _display(self, goal: Goal, key: str) -> str:
        if key == "title":
            return goal.title
        if key == "owner_role":
            role = ROLES_BY_CODE.get(goal.owner_role)
            return role.short_name if role else goal.owner_role
        if key == "baseline":
            return str(goal.baseline)
        if key == "latest":
            latest = self._latest.get(goal.id)
            return "–" if latest is None else str(latest)
        if key == "target_date":
            if goal.target_date is None:
                return ""
            text = f"{goal.target_date:%d %b %Y}"
            return f"⚠ {text}" if self._passed(goal) else text
        if key == "status":
            return GOAL_STATUSES.get(goal.status, goal.status)
        return ""


class GoalDialog(StoreFormDialog):
    """Add or edit a goal in the person's own words, with errors shown by each field."""

    def __init__(self, store, person_id: str, goal: Goal | None = None,
                 role: str = "splw", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalDialog")
        self._store = store
        self._person_id = person_id
        self._original = goal
        self.saved: Goal | None = None
        self.setWindowTitle(self.tr("Edit goal") if goal else self.tr("New goal"))
        self.setMinimumWidth(460)

        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("e.g. Walk to the shops without stopping"))
        self.what_matters = QPlainTextEdit(self)
        self.what_matters.setTabChangesFocus(True)
        self.what_matters.setFixedHeight(64)
        self.what_matters.setPlaceholderText(self.tr("Why this matters to them, in their words"))
        self.owner_role = QComboBox(self)
        for r in ROLES:
            self.owner_role.addItem(r.name, r.code)
        self.owner_role.setCurrentIndex(max(0, self.owner_role.findData(role)))
        self.baseline = ScoreLineEdit(self)
        self.set_date = DateLineEdit(self)
        self.set_date.set_value(date.today())
        self.set_date.setToolTip(self.tr("The day the person agreed this goal"))
        self.target_date = DateLineEdit(self)
        self.status = QComboBox(self)
        for code, label in GOAL_STATUSES.items():
            self.status.addItem(label, code)

        form = QFormLayout()
        self.form = ErrorForm(form)
        self.form.add_row("title", self.tr("Goal *"), self.title,
                          check=cleaner_check(clean_text, self.title.text, required=True))
        self.form.add_row("what_matters", self.tr("What matters"), self.what_matters)
        self.form.add_row("owner_role", self.tr("Owner role"), self.owner_role)
        self.form.add_row("baseline", self.tr("Baseline score (0–10) *"), self.baseline,
                          check=cleaner_check(clean_score, self.baseline.value))
        self.form.add_row("set_date", self.tr("Agreed on *"), self.set_date,
                          check=date_check(self.set_date, required=True, not_future=True))
        self.form.add_row("target_date", self.tr("Target date"), self.target_date,
                          check=date_check(self.target_date))
        self.form.add_row("status", self.tr("Status"), self.status)
        self._finish_layout(form, "saveGoalButton", intro=muted(self.tr(
            "A goal the person chose for themselves. Score where they are now from 0 (not at "
            "all) to 10 (fully there).")))
        if goal:
            self._fill(goal)
        self.title.setFocus()

    def _fill(self, goal: Goal) -> None:
        self.title.setText(goal.title)
        self.what_matters.setPlainText(goal.what_matters)
        self.owner_role.setCurrentIndex(max(0, self.owner_role.findData(goal.owner_role)))
        self.baseline.set_value(goal.baseline)
        self.set_date.set_value(goal.set_date)
        self.target_date.set_value(goal.target_date)
        self.status.setCurrentIndex(max(0, self.status.findData(goal.status)))

    def reload(self) -> None:
        """Show the goal as saved now, dropping what was typed."""
        if self._original and self._original.id:
            self._original = self._store.goals.get(self._original.id)
            self._fill(self._original)

    def goal(self) -> Goal:
        """Return the goal as typed (not yet checked)."""
        base = self._original or Goal(person_id=self._person_id, title="", owner_role="",
                                      baseline=0)
        return replace(
            base,
            title=self.title.text(),
            what_matters=self.what_matters.toPlainText(),
            owner_role=self.owner_role.currentData(),
            baseline=self.baseline.value(),
            set_date=self.set_date.value(),
            target_date=self.target_date.value(),
            status=self.status.currentData(),
        )

    def write(self) -> Goal:
        """Save the goal through the store."""
        if self._original and self._original.id:
            return self._store.goals.update(self.goal(), on_top=self.on_top)
        return self._store.goals.add(self.goal())

    def error_labels(self) -> dict[str, str]:
        """Name the baseline and title fields as the form shows them."""
        return {"baseline": self.tr("Baseline score"), "title": self.tr("Goal")}

    @classmethod
    def ask(cls, parent: QWidget | None, store, person_id: str, goal: Goal | None = None,
            role: str = "splw") -> tuple[Goal | None, bool]:
        """Show the dialog; return (saved goal, True) or (None, False) if cancelled."""
        return cls.exec_for_value(cls(store, person_id, goal, role, parent))


class GoalChartView(QChartView):
    """A line chart of one goal's progress, its baseline and target date, y from 0 to 10."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalChart")
        self.setAccessibleName(self.tr("Chart of progress on the selected goal"))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)  # title, legend and axes leave the plot room to read
        self.progress_series = QLineSeries()
        self.baseline_series = QLineSeries()
        self.target_series = QLineSeries()
        chart = QChart()
        chart.setMargins(chart.margins() * 0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setBackgroundRoundness(0)
        chart.setBackgroundBrush(QColor(theme.WHITE))
        self.setBackgroundBrush(QColor(theme.WHITE))
        self.setFrameShape(QChartView.Shape.NoFrame)
        for series in (self.baseline_series, self.target_series, self.progress_series):
            chart.addSeries(series)
        self.x_axis = QDateTimeAxis()
        self.x_axis.setFormat("dd MMM yy")
        self.x_axis.setTitleText(self.tr("Date"))
        self.x_axis.setTickCount(5)
        self.y_axis = QValueAxis()
        self.y_axis.setRange(0, 10)
        self.y_axis.setTickCount(6)
        self.y_axis.setLabelFormat("%d")
        self.y_axis.setTitleText(self.tr("Score (0–10)"))
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (self.baseline_series, self.target_series, self.progress_series):
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
        self.setChart(chart)

    def show_goal(self, goal: Goal | None, progress: list[GoalProgress]) -> None:
        """Draw a goal's progress (None clears the chart)."""
        chart = self.chart()
        for series in (self.progress_series, self.baseline_series, self.target_series):
            series.clear()
        if goal is None:
            chart.setTitle("")
            return
        colour = QColor(theme.role_accent(goal.owner_role))
        pen = QPen(colour, 3)
        self.progress_series.setPen(pen)
        self.progress_series.setPointsVisible(True)
        self.progress_series.setMarkerSize(9)
        self.progress_series.setColor(colour)
        self.progress_series.setName(self.tr("Progress score"))
        start = getattr(goal, "set_date", None) or _created_on(goal)
        days = [start, date.today()] + [p.date for p in progress]
        if goal.target_date:
            days.append(goal.target_date)
        first, last = min(days), max(days)
        if last - first < timedelta(days=14):
            last = first + timedelta(days=14)
        first -= timedelta(days=2)
        last += timedelta(days=2)
        for p in progress:
            self.progress_series.append(to_msecs(p.date), p.score)
        base_pen = QPen(QColor(theme.DARK_GREY), 2, Qt.PenStyle.DashLine)
        self.baseline_series.setPen(base_pen)
        self.baseline_series.setName(self.tr("Baseline ({0})").format(goal.baseline))
        self.baseline_series.append(to_msecs(first), goal.baseline)
        self.baseline_series.append(to_msecs(last), goal.baseline)
        if goal.target_date:
            self.target_series.setPen(QPen(QColor(theme.DARK_BLUE), 2, Qt.PenStyle.DotLine))
            self.target_series.setName(self.tr("Target date {0}").format(
                f"{goal.target_date:%d %b %Y}"))
            self.target_series.append(to_msecs(goal.target_date), 0)
            self.target_series.append(to_msecs(goal.target_date), 10)
        self.target_series.setVisible(goal.target_date is not None)
        for marker in chart.legend().markers(self.target_series):
            marker.setVisible(goal.target_date is not None)
        self.x_axis.setRange(QDateTime(QDate(first.year, first.month, first.day), QTime(0, 0)),
                             QDateTime(QDate(last.year, last.month, last.day), QTime(0, 0)))
        chart.setTitle(goal.title)
        self.setAccessibleDescription(self.tr(
            "{0}: baseline {1}; {2} progress scores; latest {3}").format(
            goal.title, goal.baseline, len(progress),
            progress[-1].score if progress else self.tr("none yet")))


def _created_on(goal: Goal) -> date:
    try:
        return datetime.fromisoformat(goal.created_at).date()
    except (TypeError, ValueError):
        return date.today()


class GoalsPanel(QWidget):
    """A person's goals: add and edit them, record progress, see it charted."""

    person_changed = Signal(str)

    def __init__(self, store, settings=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalsPanel")
        self.setAccessibleName(self.tr("Goals"))
        self._store = store
        self.settings = settings
        self._person_id: str | None = None

        self.add_button = QPushButton(self.tr("Add goal…"), self)
        self.add_button.setObjectName("addGoalButton")
        self.add_button.setProperty("primary", True)
        self.add_button.setAccessibleName(self.tr("Add a goal"))
        self.edit_button = QPushButton(self.tr("Edit goal…"), self)
        self.edit_button.setObjectName("editGoalButton")
        self.edit_button.setAccessibleName(self.tr("Edit the selected goal"))

        self.model = GoalsModel(store, self)
        self.table = rows_table(self, "goalsTable", self.tr("Goals"), self.model,
                                alternate=False)
        fit_columns(self.table, stretch=0)

        self.chart = GoalChartView(self)
        self.chart.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the list to progress
        self.chart_note = muted("", self)
        self.chart_note.setObjectName("goalChartNote")

        # Record progress on the selected goal, inline, by keyboard.
        self.progress_date = DateLineEdit(self)
        self.progress_date.setAccessibleName(self.tr("Progress date"))
        self.progress_score = ScoreLineEdit(self)
        self.progress_score.setObjectName("progressScore")
        self.progress_score.setAccessibleName(self.tr("Progress score from 0 to 10"))
        self.progress_note = QLineEdit(self)
        self.progress_note.setObjectName("progressNote")
        self.progress_note.setAccessibleName(self.tr("Progress note"))
        self.progress_note.setPlaceholderText(self.tr("Note (optional)"))
        self.progress_button = QPushButton(self.tr("Add progress"), self)
        self.progress_button.setObjectName("addProgressButton")
        self.progress_button.setAccessibleName(self.tr("Add this progress score"))
        self.progress_form = ErrorForm(QFormLayout())
        self.progress_box = QGroupBox(self.tr("Record progress on the selected goal"), self)
        self.progress_box.setObjectName("progressBox")
        grid = QGridLayout(self.progress_box)
        grid.setContentsMargins(8, 4, 8, 6)
        for col, (key, label, widget) in enumerate((
            ("date", self.tr("Date"), self.progress_date),
            ("score", self.tr("Score (0–10)"), self.progress_score),
            ("note", self.tr("Note"), self.progress_note),
        )):
            caption = QLabel(label, self.progress_box)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, col)
            grid.addWidget(widget, 1, col)
            error = FieldError(self.progress_box)
            error.setObjectName(f"progress_{key}Error")
            # Each message has a line of its own across the box: one line, not a narrow
            # column of several that would squash the chart above.
            grid.addWidget(error, 2 + col, 0, 1, 4)
            self.progress_form.add_field(key, widget, error, self._progress_check(key))
        self.progress_date.setFixedWidth(110)
        grid.addWidget(self.progress_button, 1, 3)
        grid.setColumnStretch(2, 1)
        self.progress_error = FieldError(self.progress_box)
        grid.addWidget(self.progress_error, 5, 0, 1, 4)

        self.progress_list = QLabel(self)
        self.progress_list.setObjectName("progressHistory")
        self.progress_list.setProperty("role", "muted")
        self.progress_list.setWordWrap(True)
        self.progress_list.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.progress_list.setTextFormat(Qt.TextFormat.PlainText)

        buttons = QHBoxLayout()
        buttons.addWidget(heading(self.tr("Goals"), "subheading"))
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.add_button)

        detail = QWidget(self)
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        chart_row = QHBoxLayout()
        chart_row.addWidget(self.chart, 3)
        history = QVBoxLayout()
        history.addWidget(heading(self.tr("Scores so far"), "subheading"))
        history.addWidget(self.progress_list, 1)
        chart_row.addLayout(history, 1)
        dl.addWidget(self.chart_note)
        dl.addLayout(chart_row, 1)
        dl.addWidget(self.progress_box)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        self.table.setMinimumHeight(100)  # the header and two goals; the splitter gives more

        self.empty = empty_state(self.tr(
            "No goals yet.\n\nAsk what the person wants to work towards, then choose "
            "“Add goal…” to record it in their words with a 0–10 starting score."), self)
        self.empty.setObjectName("goalsEmpty")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(split)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(buttons)
        layout.addWidget(self.stack, 1)

        self.add_button.clicked.connect(self.add_goal)
        self.edit_button.clicked.connect(self.edit_goal)
        self.table.doubleClicked.connect(self.edit_goal)
        self.progress_button.clicked.connect(self.add_progress)
        self.progress_score.returnPressed.connect(self.add_progress)
        self.progress_note.returnPressed.connect(self.add_progress)
        self.table.selectionModel().currentRowChanged.connect(self._on_goal_changed)
        self.set_person(None)

    # -- the panel protocol ----------------------------------------------------------------
    def set_person(self, person_id: str | None, keep_goal: str | None = None) -> None:
        """Show a person's goals (None clears); the same person keeps the goal chosen."""
        same = person_id is not None and person_id == self._person_id
        if keep_goal is None and same:
            chosen = self.selected_goal()
            keep_goal = chosen.id if chosen is not None else None
        self._person_id = person_id
        self.model.load(person_id)
        self.add_button.setEnabled(person_id is not None)
        has_goals = self.model.rowCount() > 0
        self.stack.setCurrentIndex(1 if has_goals else 0)
        if not same:  # a refresh of the same person keeps what is being typed
            self._clear_progress_form()
        row = max(0, self.model.row_of(keep_goal)) if has_goals else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._show_goal(self.model.goal(row))

    def _progress_check(self, key: str):
        """What is still wrong with a progress field (so a fixed one loses its message)."""
        if key == "date":
            def agreed():
                goal = self.selected_goal()
                if goal is None or goal.set_date is None:
                    return None
                return goal.set_date, before_agreed(goal.set_date)

            return date_check(self.progress_date, required=True, not_future=True,
                              earliest=agreed)
        if key == "score":
            return cleaner_check(clean_score, self.progress_score.value)
        return None

    def focus_start(self) -> bool:
        """Where the keyboard starts on this tab: the goals list (or Add goal with none)."""
        target = self.table if self.model.rowCount() else self.add_button
        if not target.isEnabled():
            return False
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def selected_goal(self) -> Goal | None:
        """Return the goal selected in the list."""
        return self.model.goal(self.table.currentIndex().row())

    # -- actions ---------------------------------------------------------------------------
    def add_goal(self) -> None:
        """Ask for a new goal and show it."""
        if not self._person_id:
            return
        goal, ok = GoalDialog.ask(self, self._store, self._person_id,
                                  role=default_role(self._store, self.settings, self._person_id))
        if ok and goal:
            self._after_write(goal.id)

    def edit_goal(self) -> None:
        """Edit the selected goal."""
        goal = self.selected_goal()
        if goal is None:
            return
        saved, ok = GoalDialog.ask(self, self._store, goal.person_id, goal)
        if ok and saved:
            self._after_write(saved.id)

    def add_progress(self) -> None:
        """Record the score typed for the selected goal."""
        goal = self.selected_goal()
        if goal is None:
            return
        self.progress_error.show_error(None)
        progress = GoalProgress(goal_id=goal.id, date=self.progress_date.value(),
                                score=self.progress_score.value(),
                                note=self.progress_note.text())
        ok, _saved = self.progress_form.run(
            lambda: self._store.goals.add_progress(progress), self.progress_error,
            {"date": self.tr("Date"), "score": self.tr("Score"), "note": self.tr("Note")})
        if not ok:
            return
        self._after_write(goal.id)
        self.progress_score.setFocus()

    # -- helpers ---------------------------------------------------------------------------
    def _clear_progress_form(self) -> None:
        self.progress_form.clear_errors()
        self.progress_error.show_error(None)
        self.progress_date.set_value(date.today())
        self.progress_score.clear()
        self.progress_note.clear()

    def _after_write(self, goal_id: str | None) -> None:
        self.set_person(self._person_id, keep_goal=goal_id)
        self._clear_progress_form()
        if self._person_id:
            self.person_changed.emit(self._person_id)

    def _on_goal_changed(self, current, _previous) -> None:
        self._show_goal(self.model.goal(current.row()))

    def _show_goal(self, goal: Goal | None) -> None:
        progress = self._store.goals.progress_for(goal.id) if goal else []
        self.chart.show_goal(goal, progress)
        self.edit_button.setEnabled(goal is not None)
        self.progress_box.setEnabled(goal is not None)
        if goal is None:
            self.chart_note.setText("")
            self.progress_list.setText("")
            return
        role = ROLES_BY_CODE.get(goal.owner_role)
        parts = [self.tr("Owner: {0}").format(role.name if role else goal.owner_role)]
        if goal.what_matters:
            parts.append(self.tr("What matters: {0}").format(goal.what_matters.splitlines()[0]))
        self.chart_note.setText("  ·  ".join(parts))
        if progress:
            lines = [f"{p.date:%d %b %Y}: {p.score}" + (f" — {p.note}" if p.note else "")
                     for p in reversed(progress)]
            self.progress_list.setText("\n".join(lines[:12]))
        else:
            self.progress_list.setText(self.tr(
                "No scores yet. Type today's 0–10 score below and press Enter."))
