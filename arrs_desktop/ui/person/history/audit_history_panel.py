"""A person's history: every audit line about them, newest first (read only)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

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
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
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

    def refresh(self) -> None:
        """Reload the history from the store."""
        self._stale = False
        self.model.load(self._person_id)

    def showEvent(self, event) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)
