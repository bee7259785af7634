"""A person's history: every audit line about them, newest first (read only)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from arrs_desktop.ui.common.widgets import fit_columns, muted, rows_table
from arrs_desktop.ui.person.history.audit_model import AuditModel


class AuditHistoryPanel(QWidget):
    """The History tab of a person: who changed what, and when.

    Every saved change writes an audit line: the history is read again when the change
    bus says one was written for the person shown, now if the tab is in view, else when
    it is next shown.
    """

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditHistoryPanel")
        self.model = AuditModel(context.store, self)
        self.table = rows_table(self, "auditTable", self.tr("Change history"), self.model)
        # What changed can be long: it shortens with "…", all of it in its tooltip.
        last = self.model.columnCount() - 1
        fit_columns(self.table, stretch=last, free_text=(last,), free_width=480)
        self.note: QLabel = muted(self.tr(
            "Every change to this person's record, and everyone who viewed it, newest first. "
            "The history cannot be edited."), self)
        # This laptop's own lines, or the whole team's (pulled at each sync), device shown.
        self.scope = QComboBox(self)
        self.scope.setObjectName("auditScope")
        self.scope.setAccessibleName(self.tr("Whose history"))
        self.scope.addItem(self.tr("This laptop"), False)
        self.scope.addItem(self.tr("Whole team"), True)
        self.scope.setToolTip(self.tr(
            "Whole team: the lines of every laptop of the team, as of the last sync, each "
            "with the worker and the device it was written on."))
        self.scope.currentIndexChanged.connect(self._on_scope)
        scope_label = QLabel(self.tr("&Show:"), self)
        scope_label.setBuddy(self.scope)
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(scope_label)
        top.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._person_id: str | None = None
        self._stale = False
        context.bus.changed.connect(self._on_changed)

    def _on_changed(self, changes, _initiator) -> None:
        if not changes.saved or not changes.touches(self._person_id):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def set_person(self, person_id: str | None) -> None:
        """Show a person's history (loaded when the tab is visible)."""
        self._person_id = person_id
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _on_scope(self, _index: int) -> None:
        self.refresh()

    def whole_team(self) -> bool:
        """Return whether the whole team's lines are shown (else this laptop's)."""
        return bool(self.scope.currentData())

    def refresh(self) -> None:
        """Reload the history from the store."""
        self._stale = False
        self.model.load(self._person_id, team=self.whole_team())

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)
