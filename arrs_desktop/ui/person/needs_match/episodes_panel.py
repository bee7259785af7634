"""A person's episodes: which roles took them on, status moves, consent and GP codes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.app.operations.episodes import move_episode, set_consent
from arrs_desktop.domain.audit_text import show_stamp
from arrs_desktop.domain.catalogue import EPISODE_STATUSES
from arrs_desktop.domain.episodes import allowed_moves, open_roles
from arrs_desktop.domain.gp_codes import EpisodeCode, codes_that_apply
from arrs_desktop.domain.models import Episode
from arrs_desktop.reports.standards_records import code_list
from arrs_desktop.standards.codes import EVENTS, codes_due, episode_milestones
from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui.common.field_error import FieldError
from arrs_desktop.ui.common.refusal import refusal_reasons
from arrs_desktop.ui.common.widgets import heading, muted
from arrs_desktop.ui.person.needs_match.episode_day_dialog import EpisodeDayDialog
from arrs_desktop.ui.person.needs_match.episode_row import EpisodeRow, _set_shown
from arrs_desktop.ui.person.needs_match.gp_code_bar import GpCodeBar


class EpisodesPanel(QWidget):
    """List a person's episodes and move them through their statuses.

    The list is read again (once) when the change bus says the person's episodes changed,
    whoever changed them; `episodes_shown` follows each reading.
    """

    episodes_shown = Signal()

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("episodesPanel")
        self.setAccessibleName(self.tr("Episodes"))
        self._context = context
        self._store = context.store
        self._person_id: str | None = None
        self.episodes: list[Episode] = []
        self.rows: list[EpisodeRow] = []  # the rows showing `episodes`, in order
        self._row_pool: list[EpisodeRow] = []
        self.gp_bar = GpCodeBar(self)
        self.error = FieldError(self)
        self.error.setObjectName("episodesError")
        self.empty = muted(self.tr(
            "Not allocated yet. Use “Allocate…” on a role above to refer this person."), self)
        self.empty.setObjectName("episodesEmpty")
        self._list = QVBoxLayout()
        self._list.setSpacing(6)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(heading(self.tr("Episodes"), "subheading", self))
        lay.addWidget(self.gp_bar)
        lay.addWidget(self.error)
        lay.addWidget(self.empty)
        lay.addLayout(self._list)
        context.bus.changed.connect(self._on_changed)

    def open_roles(self) -> set[str]:
        """Return the roles with an open episode for the person shown."""
        return open_roles(self.episodes)

    def _on_changed(self, changes, _initiator) -> None:
        if ((changes.episodes or changes.people or changes.gp_messages)
                and changes.touches(self._person_id)):
            self.refresh()

    def set_person(self, person_id: str | None) -> None:
        """Show a person's episodes."""
        if person_id != self._person_id:
            self.gp_bar.hide()
            self.error.show_error(None)
        self._person_id = person_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the episodes from the store."""
        self.episodes = (self._store.episodes.for_person(self._person_id)
                         if self._person_id else [])
        table = self._store.gp_codes.all() if self.episodes else []
        self._code_list = code_list(self._store) if self.episodes else ()
        # Rows are reused from one person to the next; spare rows are hidden, not deleted.
        # Showing a row lays its parent out at once; with the layout off while rows come
        # and go, the panel is laid out once afterwards instead of once per row.
        layout = self.layout()
        layout.setEnabled(False)
        try:
            self._fill_rows(table)
        finally:
            layout.setEnabled(True)
            layout.invalidate()
        _set_shown(self.empty, self._person_id is not None and not self.episodes)
        self.episodes_shown.emit()

    def _fill_rows(self, table) -> None:
        for index, episode in enumerate(self.episodes):
            codes = codes_that_apply(episode, table)
            # and those the PCN's code list (imported) calls for on the episode's own dates
            shown = {c.code for c in codes}
            for due in codes_due(episode_milestones(episode), self._code_list):
                if due.sctid not in shown:
                    shown.add(due.sctid)
                    codes.append(EpisodeCode(code=due.sctid, term=due.term,
                                             applies_to=f"{due.role}_{due.event}",
                                             why=EVENTS.get(due.event, due.event),
                                             on=due.on, shipped=due.shipped))
            if index < len(self._row_pool):
                row = self._row_pool[index]
                row.show_episode(episode, codes)
            else:
                row = EpisodeRow(episode, codes, self)
                row.status_requested.connect(self.change_status)
                row.consent_requested.connect(self.set_consent)
                row.gp_message_requested.connect(self.message_to_gp)
                self._list.addWidget(row)
                self._row_pool.append(row)
            row.show_letters(self._store.gp_messages.for_episode(episode.id))
            _set_shown(row, True)
        for row in self._row_pool[len(self.episodes):]:
            _set_shown(row, False)
        self.rows = self._row_pool[:len(self.episodes)]

    def change_status(self, episode_id: str, status: str) -> bool:
        """Move an episode to a new status (asking for a reason to close); return success."""
        shown = next((e for e in self.episodes if e.id == episode_id), None)
        before = self._store.episodes.get(episode_id)
        kwargs = {}
        referral = before.referral_date if before else None
        allowed = before is not None and status in allowed_moves(before.status)
        if not allowed:
            pass  # the store refuses it and says why, below
        elif status == "closed":
            answer, ok = EpisodeDayDialog.ask(self, referral)
            if not ok or answer is None:
                return False
            kwargs = {"closure_reason": answer[0], "on": answer[1]}
        elif status == "declined" or (status == "active" and before is not None
                                      and before.first_contact_date is None):
            # These moves record a day (declined, first contact): ask which, today by default.
            answer, ok = EpisodeDayDialog.ask(self, referral, target=status)
            if not ok or answer is None:
                return False
            kwargs = {"on": answer[1]}
        try:
            moved = move_episode(self._store, episode_id, status, **kwargs,
                                 expected_status=shown.status if shown is not None else None)
        except StoreConflictError as exc:
            now = self._store.episodes.get(episode_id)
            change = exc.theirs[-1] if exc.theirs else None
            self.error.show_error(self.tr(
                "Not changed: {0} moved this episode to {1} at {2}, after this list was "
                "shown. It now shows the episode as it is.").format(
                    change.who if change else self.tr("someone else"),
                    EPISODE_STATUSES.get(now.status, now.status) if now else "",
                    show_stamp(change.at) if change else ""))
            self.refresh()
            return False
        except (ValidationError, StoreWriteError) as exc:
            text = refusal_reasons(exc)
            self.error.show_error(self.tr("Not changed: this episode {0}.").format(text)
                                  if getattr(exc, "errors", None) else text)
            self.refresh()
            return False
        self.error.show_error(None)
        if moved.value.new_codes:  # said before the list redraws, so it is scrolled to
            self.gp_bar.show_code(moved.value.new_codes[0])
        self._context.publish(moved.changes, self)
        return True

    def message_to_gp(self, episode_id: str) -> None:
        """Write the message back to the GP about an episode."""
        from arrs_desktop.ui.person.needs_match.gp_message_dialog import GpMessageDialog

        GpMessageDialog.ask(self, self._context, episode_id)

    def set_consent(self, episode_id: str, share: bool) -> None:
        """Record the share-with-GP consent of an episode."""
        try:
            self._context.run(set_consent, episode_id, share, initiator=self)
        except (ValidationError, StoreWriteError) as exc:
            self.error.show_error(str(exc))
            self.refresh()
            return
        self.error.show_error(None)
