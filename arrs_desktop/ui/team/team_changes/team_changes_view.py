"""The Team changes view: how the team sync stands, conflicts to settle, records to merge."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations import team as team_ops
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store.errors import StoreWriteError
from arrs_desktop.ui.common.background_loader import BackgroundLoader
from arrs_desktop.ui.common.widgets import empty_state, fit_columns, heading, muted, rows_table
from arrs_desktop.ui.team.team_changes.conflicts_model import ConflictsModel
from arrs_desktop.ui.team.team_changes.duplicates_model import DuplicatesModel


class TeamChangesView(QWidget):
    """List conflicts (keep or swap a value) and possible duplicates (merge or keep apart)."""

    sync_requested = Signal()
    join_requested = Signal()
    person_open_requested = Signal(str)

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamChangesView")
        self.setAccessibleName(self.tr("Team changes"))
        self._context = context
        self._store = context.store
        self.listing = None
        self._stale = True

        self.summary = muted("", self)
        self.summary.setObjectName("teamSummary")
        self.sync_button = QPushButton(self.tr("S&ync now"), self)
        self.sync_button.setObjectName("teamSyncNow")
        self.sync_button.clicked.connect(self.sync_requested)
        self.join_button = QPushButton(self.tr("&Join a team…"), self)
        self.join_button.setObjectName("teamJoin")
        self.join_button.clicked.connect(self.join_requested)
        self.not_in_team = empty_state(self.tr(
            "This caseload is not in a team: it is kept on this laptop only. Join a team to"
            " share one caseload with your colleagues through your PCN's server; you keep"
            " working here when there is no network."), self)
        self.not_in_team.setObjectName("teamNotInTeam")

        self.conflicts = ConflictsModel(self)
        self.conflicts_table = rows_table(self, "teamConflictsTable",
                                          self.tr("Changes made on two laptops at once"),
                                          self.conflicts, wrap=True)
        fit_columns(self.conflicts_table, 3, free_text=(0, 2, 3))
        self.conflicts_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.keep_button = QPushButton(self.tr("&Keep the shown value"), self)
        self.keep_button.setObjectName("teamKeepShown")
        self.swap_button = QPushButton(self.tr("Use the &other value"), self)
        self.swap_button.setObjectName("teamUseOther")
        self.dismiss_button = QPushButton(self.tr("&Take off the list"), self)
        self.dismiss_button.setObjectName("teamDismiss")
        self.no_conflicts = empty_state(self.tr(
            "Nothing to settle: no field was changed on two laptops at once."), self)
        self.no_conflicts.setObjectName("teamNoConflicts")

        self.duplicates = DuplicatesModel(self)
        self.duplicates_table = rows_table(self, "teamDuplicatesTable",
                                           self.tr("Records that may be one person"),
                                           self.duplicates, wrap=True)
        fit_columns(self.duplicates_table, 1, free_text=(0, 1))
        self.duplicates_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.merge_first = QPushButton(self.tr("&Merge, keeping the first"), self)
        self.merge_first.setObjectName("teamMergeFirst")
        self.merge_second = QPushButton(self.tr("Merge, keeping the &second"), self)
        self.merge_second.setObjectName("teamMergeSecond")
        self.apart_button = QPushButton(self.tr("T&wo different people"), self)
        self.apart_button.setObjectName("teamApart")
        self.no_duplicates = empty_state(self.tr(
            "No possible duplicates: no two records share an NHS number, or a name and"
            " date of birth."), self)
        self.no_duplicates.setObjectName("teamNoDuplicates")
        self.message = QLabel(self)
        self.message.setObjectName("teamMessage")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.join_button)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.tr("Team changes"), parent=self))
        lay.addLayout(top)
        lay.addWidget(self.not_in_team, 1)
        self.conflicts_heading = heading(self.tr("Changed on two laptops at once"),
                                         "subheading", self)
        lay.addWidget(self.conflicts_heading)
        lay.addWidget(self.no_conflicts)
        lay.addWidget(self.conflicts_table, 1)
        row = QHBoxLayout()
        for button in (self.keep_button, self.swap_button, self.dismiss_button):
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        self.duplicates_heading = heading(self.tr("Possible duplicates"), "subheading", self)
        lay.addWidget(self.duplicates_heading)
        lay.addWidget(self.no_duplicates)
        lay.addWidget(self.duplicates_table, 1)
        row = QHBoxLayout()
        for button in (self.merge_first, self.merge_second, self.apart_button):
            row.addWidget(button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.message)

        self.keep_button.clicked.connect(lambda: self._settle(swap=False))
        self.swap_button.clicked.connect(lambda: self._settle(swap=True))
        self.dismiss_button.clicked.connect(self._dismiss)
        self.merge_first.clicked.connect(lambda: self._merge(keep_first=True))
        self.merge_second.clicked.connect(lambda: self._merge(keep_first=False))
        self.apart_button.clicked.connect(self._apart)
        self.conflicts_table.selectionModel().selectionChanged.connect(self._enable)
        self.duplicates_table.selectionModel().selectionChanged.connect(self._enable)
        self.conflicts_table.doubleClicked.connect(self._open_conflict_person)
        self._loader = BackgroundLoader(self._store, self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        context.bus.changed.connect(self._on_changed)
        self._enable()
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the status, the conflicts and the duplicates again (in the background)."""
        self._stale = False
        self._loader.start(lambda store: store.team.listing())

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        return self._loader.wait_for_idle(msecs)

    def _on_changed(self, changes, _initiator) -> None:
        if changes.records_changed() or changes.saved:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _on_failed(self, message: str) -> None:
        self.summary.setText(self.tr("Could not read the team's lists: {0}").format(message))

    def _on_loaded(self, listing) -> None:
        self.listing = listing
        status = listing.status
        linked = status.linked
        self.not_in_team.setVisible(not linked)
        self.join_button.setVisible(not linked)
        self.sync_button.setVisible(linked)
        for widget in (self.conflicts_heading, self.duplicates_heading):
            widget.setVisible(linked)
        if linked:
            last = _when(status.last_sync_at)
            text = self.tr("Team server: {0}. Last sync: {1}. Changes waiting to be sent:"
                           " {2}.").format(_host(status.server), last or self.tr("never"),
                                           status.waiting)
            if status.last_error:
                text += " " + self.tr("Last attempt: {0}").format(status.last_error)
            self.summary.setText(text)
        else:
            self.summary.setText("")
        self.conflicts.set_rows(listing.conflicts)
        self.duplicates.set_rows(listing.duplicates)
        self.no_conflicts.setVisible(linked and not listing.conflicts)
        self.conflicts_table.setVisible(linked and bool(listing.conflicts))
        self.no_duplicates.setVisible(linked and not listing.duplicates)
        self.duplicates_table.setVisible(linked and bool(listing.duplicates))
        self._enable()

    # -- acting ----------------------------------------------------------------------------
    def _selected(self, table, model):
        rows = table.selectionModel().selectedRows()
        return model.row_object(rows[0].row()) if rows else None

    def _enable(self, *_args) -> None:
        conflict = self._selected(self.conflicts_table, self.conflicts)
        edit = conflict is not None and conflict.conflict.kind == "edit"
        self.keep_button.setEnabled(edit)
        self.swap_button.setEnabled(edit)
        self.dismiss_button.setEnabled(conflict is not None and not edit)
        pair = self._selected(self.duplicates_table, self.duplicates)
        for button in (self.merge_first, self.merge_second, self.apart_button):
            button.setEnabled(pair is not None)
        for button in (self.keep_button, self.swap_button, self.dismiss_button):
            button.setVisible(bool(self.listing and self.listing.conflicts))
        for button in (self.merge_first, self.merge_second, self.apart_button):
            button.setVisible(bool(self.listing and self.listing.duplicates))

    def _run(self, operation, *args) -> bool:
        try:
            self._context.run(operation, *args, initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            self.message.setText(str(exc))
            return False
        self.refresh()
        return True

    def _settle(self, swap: bool) -> None:
        row = self._selected(self.conflicts_table, self.conflicts)
        if row is None:
            return
        c = row.conflict
        value = c.value if swap else c.winner_value
        if self._run(team_ops.keep_conflict_value, c, value):
            self.message.setText(self.tr("Kept. Every laptop shows it after its next sync."))

    def _dismiss(self) -> None:
        row = self._selected(self.conflicts_table, self.conflicts)
        if row is not None and self._run(team_ops.dismiss_conflict, row.conflict):
            self.message.setText(self.tr("Taken off the list on this laptop."))

    def _merge(self, keep_first: bool) -> None:
        pair = self._selected(self.duplicates_table, self.duplicates)
        if pair is None:
            return
        keep, other = (pair.first, pair.second) if keep_first else (pair.second, pair.first)
        answer = QMessageBox.question(
            self, self.tr("Merge two records"),
            self.tr("Merge the record of {0} into the one of {1}? Every episode, session and"
                    " goal of both is kept, under one record, on every laptop.").format(
                other.name, keep.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._run(team_ops.merge_people, keep.id, other.id):
            self.message.setText(self.tr("Merged into one record."))

    def _apart(self) -> None:
        pair = self._selected(self.duplicates_table, self.duplicates)
        if pair is not None and self._run(team_ops.mark_distinct, pair.first.id,
                                          pair.second.id):
            self.message.setText(self.tr("Kept as two people; no longer listed."))

    def _open_conflict_person(self, index) -> None:
        row = self.conflicts.row_object(index.row())
        if row is not None and row.person_id:
            self.person_open_requested.emit(row.person_id)


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return ""
    return when.strftime("%H:%M today") if when.date() == date.today() else when.strftime(
        "%d %b %Y %H:%M")


def _host(server: str) -> str:
    """Return the server's host and database, as a person reads them (no login details)."""
    parts = dict(p.split("=", 1) for p in server.split() if "=" in p)
    if parts:
        where = parts.get("host", "this computer")
        return f"{where}, database {parts['dbname']}" if "dbname" in parts else where
    return server.split("@")[-1]
