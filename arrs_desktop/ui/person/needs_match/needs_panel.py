"""The patient-needs panel: tick the person's needs, and what matters to them, saved as they go."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.needs import tick_need
from arrs_desktop.app.operations.people import set_what_matters
from arrs_desktop.domain.catalogue import NEED_GROUPS, NEEDS
from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.refusal import refusal_text
from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.person.needs_match.what_matters_edit import WhatMattersEdit

WHAT_MATTERS_DELAY_MS = 600


class NeedsPanel(QWidget):
    """Show the needs catalogue as ticks grouped by kind; every change is saved at once.

    Needs or words changed elsewhere (another window, a restore) are read again from the
    change bus; this panel's own changes are not read back.
    """

    needs_changed = Signal(object)  # frozenset of need ids now shown

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("needsPanel")
        self.setAccessibleName(self.tr("Needs"))
        self._context = context
        self._store = context.store
        self._person_id: str | None = None
        self._needs: frozenset[str] = frozenset()
        self._saved_text = ""
        self._loading = False
        self.boxes: dict[str, QCheckBox] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        # What matters to the person comes first; the needs follow from it.
        layout.addWidget(heading(self.tr("What matters to me"), "subheading", self))
        self.what_matters = WhatMattersEdit(self)
        self.what_matters.setObjectName("whatMattersEdit")
        self.what_matters.setAccessibleName(self.tr("What matters to me"))
        self.what_matters.setPlaceholderText(self.tr(
            "In the person's own words: what matters to them, what they would like to change. "
            "Saved as you type."))
        self.what_matters.setMinimumHeight(70)
        self.what_matters.setMaximumHeight(110)
        layout.addWidget(self.what_matters)
        self.what_matters_error = FieldError(self)
        self.what_matters_error.setObjectName("whatMattersError")
        layout.addWidget(self.what_matters_error)
        self.clash = QWidget(self)  # someone else changed the words while these were typed
        self.clash.setObjectName("whatMattersClash")
        clash_row = QHBoxLayout(self.clash)
        clash_row.setContentsMargins(0, 0, 0, 0)
        self.keep_mine_button = QPushButton(self.tr("Keep my words"), self.clash)
        self.keep_mine_button.setObjectName("whatMattersKeepMine")
        self.keep_mine_button.clicked.connect(self.keep_my_words)
        self.use_theirs_button = QPushButton(self.tr("Use theirs"), self.clash)
        self.use_theirs_button.setObjectName("whatMattersUseTheirs")
        self.use_theirs_button.clicked.connect(self.use_their_words)
        clash_row.addWidget(self.keep_mine_button)
        clash_row.addWidget(self.use_theirs_button)
        clash_row.addStretch(1)
        self.clash.hide()
        self._their_text: str | None = None
        layout.addWidget(self.clash)
        self.save_note = QLabel(self)
        self.save_note.setObjectName("whatMattersSaved")
        self.save_note.setProperty("role", "muted")
        layout.addWidget(self.save_note)
        layout.addWidget(heading(self.tr("Needs"), "subheading", self))
        layout.addWidget(muted(self.tr("Tick what applies; each tick is saved straight away."),
                               self))
        self.error = FieldError(self)
        self.error.setObjectName("needsError")
        layout.addWidget(self.error)

        for group in NEED_GROUPS:
            box = QGroupBox(self.tr(group), self)
            box.setObjectName("needsGroup_" + group.split()[0].lower().replace("-", ""))
            box.setAccessibleName(self.tr(group))
            inner = QVBoxLayout(box)
            inner.setContentsMargins(8, 6, 8, 6)
            inner.setSpacing(4)
            for need in NEEDS:
                if need.group != group:
                    continue
                check = QCheckBox(self.tr(need.label), box)
                check.setObjectName(f"need_{need.id}")
                check.setToolTip(self.tr(need.meaning))
                check.setAccessibleName(self.tr(need.label))
                check.setAccessibleDescription(self.tr(need.meaning))
                check.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
                check.toggled.connect(self._on_toggled)
                inner.addWidget(check)
                self.boxes[need.id] = check
            layout.addWidget(box)

        layout.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(WHAT_MATTERS_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.what_matters.textChanged.connect(self._on_text_changed)
        self.what_matters.focus_left.connect(self.flush)
        self.setEnabled(False)
        context.bus.changed.connect(self._on_changed)

    # -- what is shown -------------------------------------------------------------------
    @property
    def needs(self) -> frozenset[str]:
        """Return the needs ticked now."""
        return self._needs

    @property
    def person_id(self) -> str | None:
        """Return the id of the person shown, or None."""
        return self._person_id

    def set_person(self, person_id: str | None) -> None:
        """Show a person's needs (saving any unsaved words for the previous person first)."""
        self.flush()
        same = person_id is not None and person_id == self._person_id
        person = self._store.people.get(person_id) if person_id else None
        self._person_id = person.id if person else None
        self.setEnabled(person is not None)
        self._loading = True
        try:
            needs = self._store.needs.current(person.id) if person else frozenset()
            self._show_needs(needs)
            if not same:
                text = person.what_matters if person else ""
                self.what_matters.setPlainText(text)
                self._saved_text = text
                self.save_note.clear()
                self.error.show_error(None)
                self.what_matters_error.show_error(None)
                self._end_clash()
        finally:
            self._loading = False
        self.needs_changed.emit(self._needs)

    def _show_needs(self, needs: frozenset[str]) -> None:
        self._needs = frozenset(needs)
        for need_id, check in self.boxes.items():
            check.blockSignals(True)
            check.setChecked(need_id in self._needs)
            check.blockSignals(False)

    # -- saving --------------------------------------------------------------------------
    def _on_toggled(self, checked: bool) -> None:
        check = self.sender()
        need_id = next((k for k, v in self.boxes.items() if v is check), None)
        if need_id is None or self._loading or self._person_id is None:
            return
        try:
            needs = self._context.run(tick_need, self._person_id, need_id, checked,
                                      initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            self._show_needs(self._needs)  # put the tick back as it was saved
            self.error.show_error(self.tr("Not saved: {0}").format(refusal_text(exc)))
            return
        self.error.show_error(None)
        self._show_needs(needs)
        self.needs_changed.emit(self._needs)  # the roles re-rank from these: no read

    def _on_text_changed(self) -> None:
        if self._loading or self._person_id is None:
            return
        self.save_note.setText(self.tr("Saving…"))
        self._timer.start()

    def flush(self) -> None:
        """Save "what matters to me" now if it has changed."""
        self._timer.stop()
        if self._person_id is None:
            return
        text = self.what_matters.toPlainText()
        if text == self._saved_text:
            if self.save_note.text() == self.tr("Saving…"):
                self.save_note.clear()
            return
        try:
            saved = self._context.run(set_what_matters, self._person_id, text,
                                      expected=self._saved_text, initiator=self)
        except StoreConflictError as exc:
            self._start_clash(exc)
            return
        except (ValidationError, StoreWriteError) as exc:
            self.what_matters_error.show_error(self.tr("Not saved: {0}").format(
                refusal_text(exc)))
            self.save_note.clear()
            return
        self._saved_text = text if saved.strip() == text.strip() else saved
        self.what_matters_error.show_error(None)
        self._end_clash()
        self.save_note.setText(self.tr("Saved"))

    # -- someone else changed the words meanwhile ---------------------------------------
    def _start_clash(self, error: StoreConflictError) -> None:
        current = error.current or {}
        self._their_text = str(current.get("what_matters", ""))
        who = error.theirs[-1].who if error.theirs else self.tr("Someone else")
        self.what_matters_error.show_error(self.tr(
            "Not saved: {0} changed these words while you were typing. They now read: "
            "“{1}”. Keep your words, or use theirs?").format(who, self._their_text))
        self.save_note.clear()
        self.clash.show()

    def _end_clash(self) -> None:
        self._their_text = None
        self.clash.hide()

    def keep_my_words(self) -> None:
        """Save the words typed here over the ones someone else saved."""
        if self._their_text is None:
            return
        self._saved_text = self._their_text
        self._end_clash()
        self.what_matters_error.show_error(None)
        self.flush()

    def use_their_words(self) -> None:
        """Show the words someone else saved, dropping the ones typed here."""
        if self._their_text is None:
            return
        text = self._their_text
        self._end_clash()
        self._loading = True
        try:
            self.what_matters.setPlainText(text)
        finally:
            self._loading = False
        self._saved_text = text
        self.what_matters_error.show_error(None)
        self.save_note.setText(self.tr("Showing the words saved by someone else"))

    def _on_changed(self, changes, initiator) -> None:
        if initiator is self or not changes.touches(self._person_id):
            return
        if changes.needs or changes.people:
            self.set_person(self._person_id)  # the same person: what is typed is kept

    def hideEvent(self, event) -> None:  # noqa: N802
        self.flush()  # leaving the tab or closing the window keeps what was typed
        super().hideEvent(event)

