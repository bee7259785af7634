"""Triage: people with needs and no open episode, strongest role match first, to allocate.

People who died or moved away are never listed; people whose last episode was closed or
declined in the last `RECENTLY_SEEN_DAYS` days are listed only with "Include people seen
before" ticked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.episodes import suggested_match
from arrs_desktop.domain.catalogue import ROLES, ROLES_BY_CODE
from arrs_desktop.domain.triage import RECENTLY_SEEN_DAYS, TriageRow
from arrs_desktop.ui.common.background_loader import BackgroundLoader
from arrs_desktop.ui.common.widgets import empty_state, fit_columns, heading, muted, rows_table
from arrs_desktop.ui.person.needs_match.allocate_dialog import AllocateDialog
from arrs_desktop.ui.team.triage.triage_model import TriageModel


class TriageView(QWidget):
    """List people to allocate; allocate the selected one to the suggested role."""

    person_open_requested = Signal(str)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("triageView")
        self.setAccessibleName(self.tr("Triage"))
        self._context = context
        self._store = store = context.store
        self._rules = context.rules
        self.model = TriageModel(store, self._rules, self, load=False)
        self._loaded = False
        self._anyone_has_needs = False
        self._error = ""
        self._loader = BackgroundLoader(store, self)
        self._loader.loaded.connect(self._on_ranked)
        self._loader.failed.connect(self._on_failed)
        self._loader.busy_changed.connect(self._show_state)

        self.role_filter = QComboBox(self)
        self.role_filter.setObjectName("triageRoleFilter")
        self.role_filter.setAccessibleName(self.tr("Filter by suggested role"))
        self.role_filter.addItem(self.tr("All suggested roles"), None)
        for r in ROLES:
            self.role_filter.addItem(self.tr("Suggested: {0}").format(r.short_name), r.code)
        self.table = rows_table(self, "triageTable", self.tr("People waiting for allocation"),
                                self.model)
        short = max((r.short_name for r in ROLES), key=len)
        # Every column as wide as what it shows; "Also consider" (often empty) takes what is
        # left over.
        fit_columns(self.table, stretch=6, samples={1: "000 000 0000", 2: short, 3: "00.00"})
        self.include_recent = QCheckBox(self.tr("Include people seen &before"), self)
        self.include_recent.setObjectName("triageIncludeRecent")
        self.include_recent.setAccessibleName(self.tr(
            "Include people whose last episode was closed or declined recently"))
        self.include_recent.setToolTip(self.tr(
            "Also list people whose last episode was closed or declined in the last {0} days. "
            "People who died or moved away are never listed.").format(RECENTLY_SEEN_DAYS))

        self.allocate_button = QPushButton(self.tr("Allocate…"), self)
        self.allocate_button.setObjectName("triageAllocateButton")
        self.allocate_button.setProperty("primary", True)
        self.open_button = QPushButton(self.tr("Open person"), self)
        self.open_button.setObjectName("triageOpenButton")
        self.open_button.setAccessibleName(self.tr("Open the selected person"))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("triageCount")
        self.count_label.setProperty("role", "muted")
        self.count_label.setWordWrap(True)
        self.empty = empty_state("", self)
        self.empty.setObjectName("triageEmpty")

        top = QHBoxLayout()
        top.addWidget(heading(self.tr("Triage"), parent=self))
        top.addStretch(1)
        top.addWidget(self.include_recent)
        top.addWidget(self.role_filter)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        actions.addWidget(self.open_button)
        actions.addWidget(self.allocate_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.addLayout(top)
        lay.addWidget(muted(self.tr(
            "People with needs recorded but no open episode, strongest role match first "
            "(not those who died or moved away). Select someone, then allocate them to the "
            "suggested role (or double-click)."),
            self))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty, 1)
        lay.addLayout(actions)

        self.role_filter.currentIndexChanged.connect(self._on_filter)
        self.include_recent.toggled.connect(self.model.set_include_recent)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.allocate_selected)
        self.allocate_button.clicked.connect(self.allocate_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.model.count_changed.connect(self._on_count)
        self.model.modelReset.connect(self._update_buttons)
        self._show_state()
        self._update_buttons()
        self.refresh()
        context.bus.changed.connect(self._on_changed)

    # -- what is shown -------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        """Return whether the list is being worked out in the background."""
        return self._loader.busy

    def focus_start(self) -> bool:
        """Where the keyboard starts: the people waiting, on the first."""
        if not self.table.isVisible() or self.model.rowCount() == 0:
            return False
        if self.table.currentIndex().row() < 0:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def refresh(self) -> None:
        """Rank everyone waiting again on a worker thread; the rows shown stay till then."""
        rules = self._rules

        def work(store):
            ranking = store.triage.ranking(rules)
            return ranking, bool(ranking) or store.triage.anyone_has_needs()

        self._loader.start(work)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Wait for background work to finish (for tests and closing)."""
        return self._loader.wait_for_idle(msecs)

    def _on_ranked(self, result) -> None:
        ranking, self._anyone_has_needs = result
        current = self.selected()
        self._loaded = True
        self.model.set_ranking(ranking)
        if not (current is not None and self.select_person(current.id)) and self.model.total:
            self.table.selectRow(0)
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _on_failed(self, message: str) -> None:
        self._error = self.tr("Could not work out who is waiting: {0}").format(message)
        self._show_state()

    def _show_state(self, *_args) -> None:
        """Show the count, or that the list is being worked out, or the empty state."""
        total = self.model.total
        busy = self._loader.busy
        if busy:
            self._error = ""
        if not self._loaded:
            self.count_label.setText(self.tr("Working out who is waiting…") if busy
                                     else self._error)
            self.empty.setText(self._error or self.tr(
                "Loading the people waiting for allocation…"))
            self.empty.setVisible(True)
            self.table.setVisible(False)
            return
        text = self._count_text(total)
        if busy:
            text = self.tr("{0} · updating…").format(text)
        self.count_label.setText(f"{text} · {self._error}" if self._error else text)
        if total == 0:
            self.empty.setText(self._empty_text())
        self.empty.setVisible(total == 0)
        self.table.setVisible(total > 0)

    def _count_text(self, total: int) -> str:
        """Say who is counted: people with needs and no open episode, and who is hidden."""
        people = self.tr("1 person") if total == 1 else self.tr("{0} people").format(total)
        role = ROLES_BY_CODE.get(self.model.role or "")
        if role:
            text = self.tr("{0} with needs, no open episode and {1} suggested").format(
                people, role.short_name.lower())
        else:
            text = self.tr("{0} with needs and no open episode").format(people)
        hidden = self.model.hidden_recent
        if hidden:
            text = self.tr("{0} · {1} more seen in the last {2} days not shown").format(
                text, hidden, RECENTLY_SEEN_DAYS)
        elif self.model.include_recent and total:
            text = self.tr("{0} · {1} of them seen before").format(
                text, self.model.seen_before())
        return text

    def _empty_text(self) -> str:
        """Say why no one is listed: no needs yet, everyone allocated, or the filters."""
        if not self._anyone_has_needs:
            return self.tr(
                "No one has needs recorded yet.\n\nTick a person's needs under Person › "
                "Needs & match, or import a cohort from a GP system search with "
                "`arrs import-people`.")
        if self.model.hidden_recent:
            hint = self.tr("Tick “Include people seen before” to list them")
            if self.model.role is not None:
                hint = self.tr("{0}, or choose “All suggested roles”").format(hint)
            return self.tr(
                "No one is waiting who has not been seen in the last {0} days: {1} with needs "
                "and no open episode had an episode closed or declined recently.\n\n{2}."
            ).format(RECENTLY_SEEN_DAYS, self.model.hidden_recent, hint)
        if self.model.role is not None and self.model.ranked:
            return self.tr(
                "No one waiting has this suggested role. Choose “All suggested roles”.")
        return self.tr(
            "No one is waiting: everyone with needs recorded has an open episode (or has "
            "died or moved away).")

    def selected(self) -> TriageRow | None:
        """Return the selected person's row."""
        index = self.table.currentIndex()
        return self.model.row_data(index.row()) if index.isValid() else None

    def select_person(self, person_id: str) -> bool:
        """Select a person's row if loaded."""
        row = self.model.row_of(person_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    def showEvent(self, event) -> None:  # noqa: N802
        if not self._loader.busy:
            self.refresh()  # needs and episodes may have changed elsewhere
        super().showEvent(event)

    def _on_filter(self) -> None:
        self.model.set_role(self.role_filter.currentData())

    def _on_count(self, _total: int) -> None:
        self._show_state()

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        self.allocate_button.setEnabled(row is not None)
        self.open_button.setEnabled(row is not None)
        if row is None:
            self.allocate_button.setText(self.tr("Allocate…"))
            self.allocate_button.setAccessibleName(self.tr("Allocate the selected person"))
        else:
            name = ROLES_BY_CODE[row.lead_role].short_name.lower()
            self.allocate_button.setText(self.tr("Allocate to {0}…").format(name))
            self.allocate_button.setAccessibleName(
                self.tr("Allocate {0} to {1}").format(row.name, name))

    # -- actions ---------------------------------------------------------------------------
    def allocate_selected(self, *_args) -> None:
        """Open the allocation dialog for the selected person, set to the suggested role."""
        row = self.selected()
        if row is None:
            return
        result = suggested_match(self._store, self._rules, row.id)
        settings = self._context.settings
        episode, ok = AllocateDialog.ask(self, self._context, row.id,
                                         result.lead or row.lead_role, settings.user_name or "",
                                         worker_role=settings.role or "")
        if ok and episode is not None:
            at = max(self.model.row_of(row.id), 0)
            self.model.drop_person(row.id)  # off the list now; re-ranked in the background
            if self.model.rowCount():
                at = min(at, self.model.rowCount() - 1)  # the next person down
                self.table.selectRow(at)
                self.table.setCurrentIndex(self.model.index(at, 0))
            self.refresh()

    def _on_changed(self, changes, initiator) -> None:
        """Rank again when someone's needs or episodes changed (while in view: when shown
        next, it ranks again anyway)."""
        if initiator is self or not self.isVisible():
            return
        if changes.needs or changes.episodes or changes.people or changes.alerts:
            self.refresh()

    def _open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.person_open_requested.emit(row.id)
