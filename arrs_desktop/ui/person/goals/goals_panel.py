"""The person's Goals tab: their own goals, progress scores and a chart of each goal."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.goals import add_progress
from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.domain.goals import before_agreed
from arrs_desktop.domain.models import Goal, GoalProgress
from arrs_desktop.domain.validation import clean_score
from arrs_desktop.ui.common.date_line_edit import DateLineEdit, date_check
from arrs_desktop.ui.common.error_form import ErrorForm, cleaner_check
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.score_line_edit import ScoreLineEdit
from arrs_desktop.ui.common.widgets import empty_state, fit_columns, heading, muted, rows_table
from arrs_desktop.ui.person.goals.default_role import default_role
from arrs_desktop.ui.person.goals.goal_chart_view import GoalChartView
from arrs_desktop.ui.person.goals.goal_dialog import GoalDialog
from arrs_desktop.ui.person.goals.goals_model import GoalsModel


class GoalsPanel(QWidget):
    """A person's goals: add and edit them, record progress, see it charted."""

    @property
    def settings(self):
        """Return the settings in use (whose name and role a new entry offers)."""
        return self._context.settings

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goalsPanel")
        self.setAccessibleName(self.tr("Goals"))
        self._context = context
        self._store = store = context.store
        self._person_id: str | None = None
        self._stale = False  # changed while hidden: read again when shown

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
        context.bus.changed.connect(self._on_changed)

    # -- the panel protocol ----------------------------------------------------------------
    def set_person(self, person_id: str | None, keep_goal: str | None = None) -> None:
        """Show a person's goals (None clears); the same person keeps the goal chosen."""
        self._stale = False
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
        goal, ok = GoalDialog.ask(self, self._context, self._person_id,
                                  role=default_role(self._store, self._context.settings,
                                                    self._person_id))
        if ok and goal:
            self._after_write(goal.id)

    def edit_goal(self) -> None:
        """Edit the selected goal."""
        goal = self.selected_goal()
        if goal is None:
            return
        saved, ok = GoalDialog.ask(self, self._context, goal.person_id, goal)
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
            lambda: self._context.run(add_progress, progress, initiator=self),
            self.progress_error,
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
        """Choose the goal just saved (the list was read again from the change bus)."""
        row = self.model.row_of(goal_id) if goal_id else -1
        if row >= 0 and row != self.table.currentIndex().row():
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._clear_progress_form()

    def _on_changed(self, changes, _initiator) -> None:
        if not (changes.goals or changes.people) or not changes.touches(self._person_id):
            return
        if self.isVisible():
            self.set_person(self._person_id)  # the same person: the goal chosen is kept
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.set_person(self._person_id)
        super().showEvent(event)

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
