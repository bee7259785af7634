"""The person's Sessions tab: log a contact by keyboard in one go, and see past sessions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.standards import log_session_with_measures
from arrs_desktop.domain.catalogue import (
    ASSET_CATEGORIES,
    DID_NOT_ATTEND,
    ONS4_ITEMS,
    ROLES,
    SESSION_KINDS,
    SESSION_MODES,
)
from arrs_desktop.domain.episodes import episode_for_session
from arrs_desktop.domain.models import Ons4, Session, SessionEntry
from arrs_desktop.reports.standards_records import pcn_measures
from arrs_desktop.store import StoreWriteError, ValidationError
from arrs_desktop.ui.common import theme
from arrs_desktop.ui.common.date_line_edit import DateLineEdit
from arrs_desktop.ui.common.error_form import ErrorForm
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.score_line_edit import ScoreLineEdit
from arrs_desktop.ui.common.widgets import (
    empty_state,
    fit_columns,
    heading,
    muted,
    rows_table,
    show_focus,
)
from arrs_desktop.ui.person.goals.default_role import default_role
from arrs_desktop.ui.person.sessions.goal_review_row import GoalReviewRow
from arrs_desktop.ui.person.sessions.measure_box import MeasureBox
from arrs_desktop.ui.person.sessions.sessions_model import SessionsModel

ASSET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ASSET_ROWS = 4  # community groups shown at once in the session form
FIELD_LABELS = {
    "date": "Date", "role": "Role", "kind": "Kind", "mode": "Mode", "minutes": "Minutes",
    "notes": "Notes", "next_follow_up": "Next follow-up",
    **{f"ons4_{k}": "Score" for k in ONS4_ITEMS},
}


class SessionsPanel(QWidget):
    """Log a session (with ONS4, goal scores and community referrals) and list past ones."""

    session_logged = Signal(str)

    @property
    def settings(self):
        """Return the settings in use (whose name and role a new entry offers)."""
        return self._context.settings

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionsPanel")
        self.setAccessibleName(self.tr("Sessions"))
        self._context = context
        self._store = store = context.store
        self._stale = False  # changed while hidden: read again when shown
        self._person_id: str | None = None
        self._goal_rows: list[GoalReviewRow] = []
        self._chosen_assets: dict[str, str] = {}
        self.errors = ErrorForm(None)
        self._captions: dict[str, QLabel] = {}

        form_box = QWidget(self)
        form_box.setObjectName("sessionForm")
        self.form_layout = QVBoxLayout(form_box)
        self.form_layout.setContentsMargins(0, 0, 6, 0)
        self.form_layout.setSpacing(6)

        # -- the session itself ----------------------------------------------------------
        self.date = DateLineEdit(form_box)
        self.role = QComboBox(form_box)
        for r in ROLES:
            self.role.addItem(r.short_name, r.code)
        self.kind = QComboBox(form_box)
        for code, label in SESSION_KINDS.items():
            self.kind.addItem(label, code)
        self.mode = QComboBox(form_box)
        for code, label in SESSION_MODES.items():
            self.mode.addItem(label, code)
        self.minutes = ScoreLineEdit(form_box, low=0, high=600, digits=3)
        self.minutes.setPlaceholderText(self.tr("mins"))
        self.follow_up = DateLineEdit(form_box)
        for edit in (self.date, self.follow_up):
            edit.setMaximumWidth(150)
        self.notes = QPlainTextEdit(form_box)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(58)
        self.notes.setPlaceholderText(self.tr("What was talked about, what was agreed"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        fields = (
            ("date", self.tr("&Date *"), self.date, 0, 0),
            ("role", self.tr("Ro&le"), self.role, 0, 1),
            ("kind", self.tr("&Kind"), self.kind, 0, 2),
            ("mode", self.tr("M&ode"), self.mode, 3, 0),
            ("minutes", self.tr("M&inutes *"), self.minutes, 3, 1),
            ("next_follow_up", self.tr("Ne&xt follow-up"), self.follow_up, 3, 2),
        )
        for key, label, widget, row, col in fields:
            self._add_field(grid, key, label, widget, row, col)
        notes_label = QLabel(self.tr("No&tes"), form_box)
        notes_label.setBuddy(self.notes)
        self.notes.setObjectName("notesField")
        self.notes.setAccessibleName(self.tr("Notes"))
        notes_error = FieldError(form_box)
        notes_error.setObjectName("notesError")
        self.errors.add_field("notes", self.notes, notes_error)
        grid.addWidget(notes_label, 6, 0, 1, 3)
        grid.addWidget(self.notes, 7, 0, 1, 3)
        grid.addWidget(notes_error, 8, 0, 1, 3)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        self.form_layout.addLayout(grid)

        # -- ONS4: optional, four separate scores, never totalled -----------------------
        self.ons4_box = QGroupBox(self.tr("ONS4 well-being scores (optional)"), form_box)
        self.ons4_box.setObjectName("ons4Box")
        self.ons4_box.setCheckable(True)
        self.ons4_box.setChecked(False)
        self.ons4_box.setAccessibleName(self.tr("Record ONS4 well-being scores"))
        # The four scores show only when the box is ticked: room for the rest of the form.
        self.ons4_fields = QWidget(self.ons4_box)
        self.ons4_fields.setObjectName("ons4Fields")
        QVBoxLayout(self.ons4_box).addWidget(self.ons4_fields)
        self.ons4_box.layout().setContentsMargins(0, 0, 0, 0)
        self.ons4_fields.setVisible(False)
        self.ons4_box.toggled.connect(self.ons4_fields.setVisible)
        ons_grid = QGridLayout(self.ons4_fields)
        ons_grid.setContentsMargins(8, 2, 8, 4)
        ons_grid.setVerticalSpacing(1)
        self.ons4: dict[str, ScoreLineEdit] = {}
        captions = {
            "life_satisfaction": self.tr("Life satisfaction"),
            "worthwhile": self.tr("Worthwhile"),
            "happy": self.tr("Happy yesterday"),
            "anxious": self.tr("Anxious yesterday\n(higher is worse)"),
        }
        for col, item in enumerate(ONS4_ITEMS):
            edit = ScoreLineEdit(self.ons4_fields)
            edit.setObjectName(f"ons4_{item}")
            edit.setAccessibleName(self.tr("{0}, 0 to 10").format(ONS4_ITEMS[item]))
            caption = QLabel(captions[item], self.ons4_fields)
            caption.setBuddy(edit)
            if item == "anxious":  # a reminder, not an error: no red
                caption.setStyleSheet(f"color: {theme.DARK_GREY}; font-style: italic;")
            error = FieldError(self.ons4_fields)
            error.setObjectName(f"ons4_{item}Error")
            ons_grid.addWidget(caption, 0, col, Qt.AlignmentFlag.AlignBottom)
            ons_grid.addWidget(edit, 1, col)
            ons_grid.addWidget(error, 2, col)
            self.errors.add_field(f"ons4_{item}", edit, error)
            self.ons4[item] = edit
        ons_grid.addWidget(muted(self.tr(
            "Each 0–10 score is kept on its own; the four are never added up."),
            self.ons4_fields), 3, 0, 1, 4)
        self.form_layout.addWidget(self.ons4_box)

        # -- the measures the PCN brings (definition files in its folder) -----------------
        self.measure_boxes: list[MeasureBox] = []
        definitions, self.measure_problems = pcn_measures()
        for definition in definitions[1:]:  # ONS4 is above
            box = MeasureBox(definition, self.errors, form_box)
            self.measure_boxes.append(box)
            self.form_layout.addWidget(box)

        # -- goals reviewed --------------------------------------------------------------
        self.goals_box = QGroupBox(self.tr("Goals reviewed (tick and give a new 0–10 score)"),
                                   form_box)
        self.goals_box.setObjectName("goalsReviewedBox")
        self.goals_grid = QGridLayout(self.goals_box)
        self.goals_grid.setContentsMargins(8, 2, 8, 4)
        self.goals_grid.setVerticalSpacing(1)
        self.form_layout.addWidget(self.goals_box)

        # -- community referrals --------------------------------------------------------
        self.assets_box = QGroupBox(self.tr("Community referrals made"), form_box)
        self.assets_box.setObjectName("referralsBox")
        self.asset_search = QLineEdit(self.assets_box)
        self.asset_search.setObjectName("assetSearch")
        self.asset_search.setAccessibleName(self.tr("Search community groups and services"))
        self.asset_search.setPlaceholderText(self.tr("Search groups and services…"))
        self.asset_search.setAccessibleDescription(self.tr(
            "Down arrow goes to the list; Enter ticks the first match"))
        self.asset_search.setClearButtonEnabled(True)
        self.asset_list = QListWidget(self.assets_box)
        self.asset_list.setObjectName("assetList")
        self.asset_list.setAccessibleName(self.tr(
            "Community groups and services: Space ticks one to refer the person"))
        self.asset_list.setUniformItemSizes(True)
        show_focus(self.asset_list)
        self.asset_list.setVerticalScrollMode(
            QListWidget.ScrollMode.ScrollPerItem)  # whole rows, never half of one
        self.assets_hint = muted(self.tr(
            "Type to search · ↓ goes to the list · Space or Enter ticks"), self.assets_box)
        self.chosen_label = muted(self.tr("None chosen"), self.assets_box)
        self.chosen_label.setObjectName("chosenAssets")
        al = QVBoxLayout(self.assets_box)
        al.setContentsMargins(8, 2, 8, 4)
        al.setSpacing(3)
        al.addWidget(self.asset_search)
        al.addWidget(self.assets_hint)
        al.addWidget(self.asset_list)
        al.addWidget(self.chosen_label)
        self.form_layout.addWidget(self.assets_box)

        # -- save ------------------------------------------------------------------------
        self.general_error = FieldError(form_box)
        self.general_error.setObjectName("sessionGeneralError")
        self.saved_label = QLabel(form_box)
        self.saved_label.setObjectName("sessionSavedLabel")
        self.saved_label.setStyleSheet(f"color: {theme.DARK_GREEN}; font-weight: 600;")
        self.clear_button = QPushButton(self.tr("Clear"), form_box)
        self.clear_button.setObjectName("clearSessionButton")
        self.clear_button.setAccessibleName(self.tr("Clear the session form"))
        self.save_button = QPushButton(self.tr("Save session"), form_box)
        self.save_button.setObjectName("saveSessionButton")
        self.save_button.setProperty("primary", True)
        self.save_button.setAccessibleName(self.tr("Save the session"))
        self.save_button.setToolTip(self.tr("Save the session (Ctrl+Enter)"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.save_button)
        self.form_layout.addWidget(self.general_error)
        self.form_layout.addLayout(buttons)
        self.form_layout.addStretch(1)

        scroll = self.scroll = QScrollArea(self)
        scroll.setObjectName("sessionFormScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form_box)
        # White behind the form, by name: a rule with no selector would reach every child
        # and paint the Save button white on white.
        form_box.setStyleSheet("QWidget#sessionForm { background: white; }")
        scroll.viewport().setObjectName("sessionFormViewport")
        scroll.viewport().setStyleSheet("QWidget#sessionFormViewport { background: white; }")
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # -- history ---------------------------------------------------------------------
        self.model = SessionsModel(store, self)
        self.history = rows_table(self, "sessionHistory", self.tr("Past sessions"), self.model,
                                  single=False)
        # The notes' first line shortens with "…" (all of the notes in the tooltip).
        fit_columns(self.history, stretch=5, free_text=(5,))
        self.history_empty = empty_state(self.tr(
            "No sessions yet. Fill in the form above and press Ctrl+Enter to log the first."),
            self)
        history_box = QWidget(self)
        hl = QVBoxLayout(history_box)
        hl.setContentsMargins(0, 4, 0, 0)
        history_top = QHBoxLayout()
        history_top.addWidget(heading(self.tr("Past sessions"), "subheading"))
        history_top.addStretch(1)
        self.measures_button = QPushButton(self.tr("&Measures, first to latest…"), self)
        self.measures_button.setObjectName("measuresChartButton")
        self.measures_button.setAccessibleName(self.tr(
            "Chart this person's outcome measures, first to latest"))
        self.measures_button.clicked.connect(self.show_measures)
        history_top.addWidget(self.measures_button)
        hl.addLayout(history_top)
        hl.addWidget(self.history, 1)
        hl.addWidget(self.history_empty, 1)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("sessionsSplitter")
        split.addWidget(scroll)
        split.addWidget(history_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        history_box.setMinimumHeight(160)  # the heading and about four past sessions

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        top = FlowLayout(spacing=12)
        top.addWidget(heading(self.tr("Log a session"), "subheading"))
        # "Session saved" sits by the heading, in sight whatever the form is scrolled to.
        top.addWidget(self.saved_label)
        hint = muted(self.tr("Tab between fields · Ctrl+Enter saves"), self)
        hint.setWordWrap(False)
        top.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        for child in form_box.findChildren(QWidget):
            if child.focusPolicy() != Qt.FocusPolicy.NoFocus:
                child.installEventFilter(self)
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.reset_form)
        self.asset_search.textChanged.connect(self._fill_assets)
        self.asset_list.itemChanged.connect(self._on_asset_ticked)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.set_person(None)
        context.bus.changed.connect(self._on_changed)

    def _missed(self) -> bool:
        """Is the chosen kind a missed contact (did not attend / no answer)?"""
        return self.kind.currentData() == DID_NOT_ATTEND

    def _on_kind_changed(self) -> None:
        """A missed contact takes no scores or referrals, and its minutes may be blank."""
        missed = self._missed()
        self._captions["minutes"].setText(self.tr("M&inutes") if missed
                                          else self.tr("M&inutes *"))
        self.minutes.setPlaceholderText("0" if missed else self.tr("mins"))
        self.minutes.setAccessibleDescription(
            self.tr("Optional for a missed contact; blank counts as 0") if missed else "")
        if missed:
            self.ons4_box.setChecked(False)
            for measure in self.measure_boxes:
                measure.clear()
            for gr in self._goal_rows:
                gr.check.setChecked(False)
            self._chosen_assets.clear()
            self._fill_assets()
        for box in (self.ons4_box, *self.measure_boxes, self.goals_box, self.assets_box):
            box.setVisible(not missed)
            box.setEnabled(not missed)
        self.notes.setPlaceholderText(
            self.tr("Who tried to make contact and how; when it is rebooked") if missed
            else self.tr("What was talked about, what was agreed"))

    def _add_field(self, grid: QGridLayout, key: str, label: str, widget: QWidget, row: int,
                   col: int) -> None:
        caption = QLabel(label, widget.parentWidget())
        caption.setBuddy(widget)
        self._captions[key] = caption
        widget.setObjectName(f"{key}Field")
        widget.setAccessibleName(FIELD_LABELS[key])
        error = FieldError(widget.parentWidget())
        error.setObjectName(f"{key}Error")
        grid.addWidget(caption, row, col)
        if isinstance(widget, QComboBox):
            grid.addWidget(widget, row + 1, col)
        else:
            grid.addWidget(widget, row + 1, col, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(error, row + 2, col)
        self.errors.add_field(key, widget, error)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        """Save on Ctrl+Enter from any field of the form; move between the referrals'
        search box and its list with the arrow keys."""
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        key, mods = event.key(), event.modifiers()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and mods & Qt.KeyboardModifier.ControlModifier:
            self.save()
            return True
        if watched is self.asset_search and key == Qt.Key.Key_Down:
            self._to_asset_list()
            return True
        if watched is self.asset_search and enter:
            self._tick_asset(self.asset_list.currentRow() if self.asset_list.currentRow() >= 0
                             else 0)
            return True
        if watched is self.asset_list:
            if key == Qt.Key.Key_Up and self.asset_list.currentRow() <= 0:
                self.asset_search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.asset_search.end(False)  # carry on typing where the search left off
                return True
            if enter:
                self._tick_asset(self.asset_list.currentRow())
                return True
            text = event.text()
            if text and text.isprintable() and not text.isspace() and not (
                    mods & (Qt.KeyboardModifier.ControlModifier
                            | Qt.KeyboardModifier.AltModifier)):
                # Typing in the list goes on with the search; Space still ticks.
                self.asset_search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.asset_search.insert(text)
                return True
        return super().eventFilter(watched, event)

    def _to_asset_list(self) -> None:
        if not self.asset_list.count() or not (self.asset_list.item(0).flags()
                                               & Qt.ItemFlag.ItemIsEnabled):
            return
        if self.asset_list.currentRow() < 0:
            self.asset_list.setCurrentRow(0)
        self.asset_list.setFocus(Qt.FocusReason.TabFocusReason)

    def _tick_asset(self, row: int) -> None:
        item = self.asset_list.item(row)
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        self.asset_list.setCurrentRow(row)
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    # -- the panel protocol ----------------------------------------------------------------
    def set_person(self, person_id: str | None) -> None:
        """Show a person's sessions and a fresh form (None clears).

        Shown again (after a save anywhere), the same person keeps what is typed."""
        self._stale = False
        if person_id is not None and person_id == self._person_id:
            self._load_history()
            active = [g.id for g in self._store.goals.for_person(person_id) if g.status == "active"]
            if active != [gr.goal.id for gr in self._goal_rows]:
                self._build_goal_rows()
            return
        self._person_id = person_id
        self.setEnabled(person_id is not None)
        self.saved_label.clear()
        self._load_history()
        self.reset_form()
        self.scroll.verticalScrollBar().setValue(0)  # a new person's form from its top

    def reset_form(self) -> None:
        """Empty the form, with today's date and the default role."""
        self.errors.clear_errors()
        self.general_error.show_error(None)
        self.date.set_value(date.today())
        role = default_role(self._store, self._context.settings, self._person_id)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        # An assessment until the person has been seen (a missed contact is not seen).
        seen = self._person_id and self.model.row_of(lambda s: s.kind != DID_NOT_ATTEND) >= 0
        self.kind.setCurrentIndex(max(0, self.kind.findData(
            "follow_up" if seen else "assessment")))
        self.mode.setCurrentIndex(0)
        self.minutes.clear()
        self.follow_up.clear()
        self.notes.clear()
        self.ons4_box.setChecked(False)
        for edit in self.ons4.values():
            edit.clear()
        for measure in self.measure_boxes:
            measure.clear()
        self._build_goal_rows()
        self._chosen_assets.clear()
        self.asset_search.clear()
        self._fill_assets()

    def focus_start(self) -> bool:
        """Where the keyboard starts on this tab: the session form's first field."""
        if not self.isEnabled():
            return False
        self.focus_form()
        return True

    def focus_form(self) -> None:
        """Put the cursor in the first field, ready to type a session (form at its top)."""
        self.scroll.verticalScrollBar().setValue(0)
        self.date.setFocus()
        self.date.selectAll()

    # -- building ----------------------------------------------------------------------------
    def _build_goal_rows(self) -> None:
        for gr in self._goal_rows:
            for key in (f"goal_score_{gr.goal.id}", f"goal_note_{gr.goal.id}"):
                self.errors.fields.pop(key, None)
        while self.goals_grid.count():
            item = self.goals_grid.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self._goal_rows = []
        goals = [g for g in self._store.goals.for_person(self._person_id)
                 if g.status == "active"] if self._person_id else []
        if not goals:
            self.goals_grid.addWidget(muted(self.tr(
                "No active goals. Add goals on the Goals tab to review them here."),
                self.goals_box), 0, 0, 1, 3)
            return
        for i, goal in enumerate(goals):
            gr = GoalReviewRow(goal, self.goals_box)
            self.goals_grid.addWidget(gr.check, 2 * i, 0)
            self.goals_grid.addWidget(gr.score, 2 * i, 1)
            self.goals_grid.addWidget(gr.note, 2 * i, 2)
            self.goals_grid.addWidget(gr.score_error, 2 * i + 1, 0, 1, 2)
            self.goals_grid.addWidget(gr.note_error, 2 * i + 1, 2)
            self.errors.add_field(f"goal_score_{goal.id}", gr.score, gr.score_error)
            self.errors.add_field(f"goal_note_{goal.id}", gr.note, gr.note_error)
            for widget in (gr.check, gr.score, gr.note):
                widget.installEventFilter(self)
            self._goal_rows.append(gr)
        previous = self.ons4["anxious"]
        for gr in self._goal_rows:
            for widget in (gr.check, gr.score, gr.note):
                QWidget.setTabOrder(previous, widget)
                previous = widget
        QWidget.setTabOrder(previous, self.asset_search)
        self.goals_grid.setColumnStretch(0, 2)
        self.goals_grid.setColumnStretch(2, 3)

    def _fill_assets(self) -> None:
        self.asset_list.blockSignals(True)
        self.asset_list.clear()
        for asset in self._store.community.search(self.asset_search.text()):
            item = QListWidgetItem(
                f"{asset.name} — {ASSET_CATEGORIES.get(asset.category, asset.category)}")
            item.setData(ASSET_ID_ROLE, asset.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if asset.id in self._chosen_assets
                               else Qt.CheckState.Unchecked)
            self.asset_list.addItem(item)
        if self.asset_list.count() == 0:
            item = QListWidgetItem(self.tr("No groups or services match"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.asset_list.addItem(item)
        self.asset_list.blockSignals(False)
        row = self.asset_list.sizeHintForRow(0)
        if row > 0:  # room for whole rows, never two and a half
            self.asset_list.setFixedHeight(row * ASSET_ROWS + 2 * self.asset_list.frameWidth())
        self._show_chosen()

    def _on_asset_ticked(self, item: QListWidgetItem) -> None:
        asset_id = item.data(ASSET_ID_ROLE)
        if not asset_id:
            return
        if item.checkState() == Qt.CheckState.Checked:
            self._chosen_assets[asset_id] = item.text().split(" — ")[0]
        else:
            self._chosen_assets.pop(asset_id, None)
        self._show_chosen()

    def _show_chosen(self) -> None:
        names = list(self._chosen_assets.values())
        self.chosen_label.setText(self.tr("Referring to: {0}").format(", ".join(names))
                                  if names else self.tr("None chosen"))

    def choose_asset(self, asset_id: str) -> None:
        """Tick a community asset (as if the user had ticked it in the list)."""
        asset = self._store.community.get_asset(asset_id)
        if asset:
            self._chosen_assets[asset_id] = asset.name
            self._fill_assets()

    def _load_history(self) -> None:
        self.model.load(self._person_id)
        has = self.model.rowCount() > 0
        self.history.setVisible(has)
        self.history_empty.setVisible(not has)

    def show_measures(self) -> None:
        """Chart the person's outcome measures, first to latest."""
        from arrs_desktop.ui.person.sessions.measures_chart_dialog import MeasuresChartDialog

        if self._person_id:
            MeasuresChartDialog.ask(self, self._store, self._person_id)

    # -- saving ------------------------------------------------------------------------------
    def entry(self) -> SessionEntry:
        """Return everything typed in the form as one entry (not yet checked)."""
        role = self.role.currentData()
        episode_id = episode_for_session(self._store.episodes.for_person(self._person_id), role)
        worker = (self._context.settings.user_name or self._store.user or "").strip()
        session = Session(
            person_id=self._person_id, date=self.date.value(), role=role,
            kind=self.kind.currentData(), mode=self.mode.currentData(),
            minutes=self.minutes.value(), notes=self.notes.toPlainText(), worker=worker,
            episode_id=episode_id, next_follow_up=self.follow_up.value(),
        )
        if self._missed():  # no scores or referrals for a missed contact
            return SessionEntry(session=session)
        ons4 = None
        if self.ons4_box.isChecked():
            ons4 = Ons4(**{item: edit.value() for item, edit in self.ons4.items()})
        scores = tuple((gr.goal.id, gr.score.value(), gr.note.text())
                       for gr in self._goal_rows if gr.check.isChecked())
        return SessionEntry(session=session, ons4=ons4, goal_scores=scores,
                            asset_referrals=tuple(self._chosen_assets))

    def save(self) -> bool:
        """Save the whole form as one session, or show what is wrong by each field."""
        if not self._person_id:
            return False
        self.general_error.show_error(None)
        self.saved_label.clear()
        labels = dict(FIELD_LABELS)
        for gr in self._goal_rows:
            labels[f"goal_score_{gr.goal.id}"] = self.tr("Score")
            labels[f"goal_note_{gr.goal.id}"] = self.tr("Note")
        for box in self.measure_boxes:
            for item in box.definition.items:
                labels[f"{box.definition.code}.{item.id}"] = item.label
        measures = [] if self._missed() else [
            (box.definition, box.answers()) for box in self.measure_boxes if box.isChecked()]
        try:
            session = self._context.run(log_session_with_measures, self.entry(), measures,
                                        initiator=self)
        except ValidationError as exc:
            leftover = self.errors.show_errors(exc.errors, labels)
            first = next((k for k in exc.errors if k in self.errors.fields), None)
            if first is not None:
                self.scroll.ensureWidgetVisible(self.errors.fields[first][0])
            self.general_error.show_error(
                "\n".join([self.tr("Nothing was saved: please correct the fields marked in "
                                   "red."), *leftover]))
            return False
        except StoreWriteError as exc:
            self.general_error.show_error(str(exc))
            return False
        self._load_history()
        self.reset_form()
        self.saved_label.setText(
            (self.tr("✔ Missed contact of {0} saved") if session.kind == DID_NOT_ATTEND
             else self.tr("✔ Session of {0} saved")).format(f"{session.date:%d %b %Y}"))
        self.session_logged.emit(session.id)
        self.focus_form()
        return True

    def _on_changed(self, changes, initiator) -> None:
        """Follow changes made elsewhere: the sessions so far, the goals to review, the
        groups to refer to (this form's own save has been shown already)."""
        if initiator is self:
            return
        if changes.community:
            self._fill_assets()
        if not (changes.sessions or changes.goals or changes.people) or \
                not changes.touches(self._person_id):
            return
        if self.isVisible():
            self.set_person(self._person_id)  # the same person: what is typed is kept
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self._stale = False
            self.set_person(self._person_id)
        super().showEvent(event)
