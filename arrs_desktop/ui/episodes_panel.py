"""A person's episodes: which roles took them on, status moves, consent and GP codes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.audit_text import show_stamp
from arrs_desktop.domain.catalogue import (
    CLOSURE_REASONS,
    EPISODE_STATUSES,
    EPISODE_TRANSITIONS,
    OPEN_STATUSES,
    REFERRAL_SOURCES,
)
from arrs_desktop.domain.gp_codes import EpisodeCode, codes_that_apply
from arrs_desktop.domain.models import Episode
from arrs_desktop.store import StoreConflictError, StoreWriteError, ValidationError
from arrs_desktop.ui import theme
from arrs_desktop.ui.forms import DateLineEdit, ErrorForm, date_check
from arrs_desktop.ui.widgets import (
    FieldError,
    FlowLayout,
    heading,
    muted,
    role_badge,
    set_role_badge,
)

# Status moves offered as buttons, in the order shown.
STATUS_ACTIONS: tuple[tuple[str, str], ...] = (
    ("active", "Start"),
    ("on_hold", "Put on hold"),
    ("closed", "Close…"),
    ("declined", "Declined"),
)


def status_action_label(current: str, target: str) -> str:
    """Return the button text for a status move."""
    if target == "active" and current == "on_hold":
        return "Resume"
    if target == "active":
        return "Start (first contact)"
    return dict(STATUS_ACTIONS)[target]


# The moves that record a day, with the dialog's title, date label and button.
_DATED_MOVES = {
    "closed": ("Close episode", "Closed on *", "Close episode"),
    "active": ("First contact", "First contact on *", "Start"),
    "declined": ("Referral declined", "Declined on *", "Record declined"),
}


class EpisodeDayDialog(QDialog):
    """Ask the day of a status move (close, first contact, decline) and, to close, why."""

    def __init__(self, referral_date: date | None, parent: QWidget | None = None,
                 target: str = "closed") -> None:
        super().__init__(parent)
        title, date_label, button = _DATED_MOVES[target]
        self.setObjectName("closeEpisodeDialog" if target == "closed" else "episodeDateDialog")
        self.setWindowTitle(self.tr(title))
        self._target = target
        self._referral_date = referral_date
        self.value: tuple[str, date] | None = None
        self.reason = QComboBox(self)
        self.reason.addItem(self.tr("Choose a reason…"), None)
        for code, label in CLOSURE_REASONS.items():
            self.reason.addItem(self.tr(label), code)
        self.day = DateLineEdit(self)
        self.day.set_value(date.today())
        form = QFormLayout()
        self.form = ErrorForm(form)
        if target == "closed":
            self.form.add_row("closure_reason", self.tr("Reason *"), self.reason)
        else:
            self.reason.hide()
        self.form.add_row("date", self.tr(date_label), self.day, check=date_check(
            self.day, required=True, not_future=True,
            earliest=lambda: (self._referral_date, self.tr("cannot be before the referral date"))
            if self._referral_date else None))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr(button))
        ok.setObjectName("confirmCloseButton" if target == "closed" else "confirmDateButton")
        ok.setProperty("primary", True)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(heading(self.windowTitle(), parent=self))
        lay.addLayout(form)
        lay.addWidget(buttons)

    def confirm(self) -> None:
        """Check the answers here (the store checks them again) and accept."""
        errors = {}
        reason = self.reason.currentData()
        if reason is None and self._target == "closed":
            errors["closure_reason"] = self.tr("is required")
        day = self.day.value()
        if not isinstance(day, date):
            errors["date"] = self.tr("must be a date written as DD/MM/YYYY")
        elif day > date.today():
            errors["date"] = self.tr("cannot be in the future")
        elif self._referral_date and day < self._referral_date:
            errors["date"] = self.tr("cannot be before the referral date")
        if errors:
            self.form.show_errors(errors)
            return
        self.value = (reason, day)
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, referral_date: date | None = None,
            target: str = "closed") -> tuple[tuple[str | None, date] | None, bool]:
        """Show the dialog; return ((reason or None, date), True) or (None, False)."""
        dialog = cls(referral_date, parent, target)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        return (dialog.value if ok else None), ok


class GpCodeBar(QFrame):
    """A notice naming a GP code to record, with a Copy button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gpCodeBar")
        self.setStyleSheet(
            f"QFrame#gpCodeBar {{ background: #E8F1FA; border: 1px solid {theme.BLUE};"
            " border-radius: 4px; }")
        self.code = ""
        self.text = QLabel(self)
        self.text.setObjectName("gpCodeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton(self.tr("Copy code"), self)
        self.copy_button.setObjectName("copyGpCodeButton")
        self.copy_button.clicked.connect(self.copy)
        self.dismiss_button = QPushButton(self.tr("Done"), self)
        self.dismiss_button.setObjectName("dismissGpCodeButton")
        self.dismiss_button.setAccessibleName(self.tr("Hide the GP code notice"))
        self.dismiss_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.copy_button)
        lay.addWidget(self.dismiss_button)
        self.hide()

    def show_code(self, code: EpisodeCode) -> None:
        """Tell the worker which code to enter in the GP system."""
        self.code = code.code
        self.text.setText(self.tr("ℹ Record in the GP system: “{0}” — SNOMED CT {1}").format(
            code.term, code.code))
        self.copy_button.setAccessibleName(self.tr("Copy the code {0}").format(code.code))
        self.setAccessibleName(self.text.text())
        self.show()

    def copy(self) -> None:
        """Put the code on the clipboard."""
        QGuiApplication.clipboard().setText(self.code)
        self.copy_button.setText(self.tr("Copied"))


class EpisodeRow(QFrame):
    """One episode: role, worker, dates, status and the moves it can make.

    A row is made once and then shows one episode after another (`show_episode`), so
    opening the next person changes texts instead of making and destroying widgets.
    """

    status_requested = Signal(str, str)  # episode id, new status
    consent_requested = Signal(str, bool)

    def __init__(self, episode: Episode, codes: list[EpisodeCode],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        top = FlowLayout(spacing=8)  # on a narrow window the consent tick goes underneath
        self.badge = role_badge(episode.role, parent=self)
        top.addWidget(self.badge)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("episodeStatus")
        self.status_label.setStyleSheet("font-weight: 600;")
        top.addWidget(self.status_label)
        self.consent = QCheckBox(self.tr("Share with GP"), self)
        self.consent.setObjectName("episodeConsent")
        self.consent.toggled.connect(self._on_consent)
        top.addWidget(self.consent)

        self.details = muted("", self)
        self.details.setObjectName("episodeDetails")
        self.code_label = muted("", self)
        self.code_label.setObjectName("episodeGpCodes")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.details)
        lay.addWidget(self.code_label)

        # Every move has its button; those the episode's status does not allow are hidden.
        actions = FlowLayout(spacing=6)
        self._all_buttons: dict[str, QPushButton] = {}
        for target, _ in STATUS_ACTIONS:
            button = QPushButton(self)
            button.setObjectName(f"episodeAction_{target}")
            button.setProperty("target", target)
            button.clicked.connect(self._on_action)
            actions.addWidget(button)
            self._all_buttons[target] = button
        lay.addLayout(actions)
        self.buttons: dict[str, QPushButton] = {}
        self.show_episode(episode, codes)

    def show_episode(self, episode: Episode, codes: list[EpisodeCode]) -> None:
        """Show an episode (the same one after a change, or another person's)."""
        self.episode = episode
        self.codes = codes
        name = f"episodeRow_{episode.role}"
        if self.objectName() != name:
            self.setObjectName(name)
        set_role_badge(self.badge, episode.role)
        status = EPISODE_STATUSES.get(episode.status, episode.status)
        self.status_label.setText(status)
        self.consent.blockSignals(True)  # showing the saved consent is not a change
        self.consent.setChecked(episode.share_with_gp)
        self.consent.blockSignals(False)
        self.consent.setAccessibleName(self.tr("Share this {0} episode with the GP").format(
            status.lower()))

        parts = [self.tr("Worker: {0}").format(episode.worker or self.tr("not named"))]
        if episode.referral_date:
            parts.append(self.tr("referred {0} by {1}").format(
                f"{episode.referral_date:%d %b %Y}",
                REFERRAL_SOURCES.get(episode.referral_source, episode.referral_source)))
        if episode.first_contact_date:
            parts.append(self.tr("first contact {0}").format(
                f"{episode.first_contact_date:%d %b %Y}"))
        if episode.closure_date:
            word = self.tr("declined") if episode.status == "declined" else self.tr("closed")
            reason = CLOSURE_REASONS.get(episode.closure_reason or "", "")
            parts.append(f"{word} {episode.closure_date:%d %b %Y}"
                         + (f" ({reason})" if reason else ""))
        if episode.followed_suggestion is False and episode.suggested_role:
            parts.append(self.tr("not the suggested role"))
        self.details.setText(" · ".join(parts))

        if codes:
            text = "; ".join(f"“{c.term}” {c.code}" for c in codes)
            self.code_label.setText(self.tr("GP codes: {0}").format(text))
        _set_shown(self.code_label, bool(codes))

        allowed = EPISODE_TRANSITIONS.get(episode.status, frozenset())
        self.buttons = {}
        for target, button in self._all_buttons.items():
            if target in allowed:
                button.setText(self.tr(status_action_label(episode.status, target)))
                button.setAccessibleName(self.tr("{0}: {1} episode").format(
                    button.text().rstrip("…"), status.lower()))
                self.buttons[target] = button
            _set_shown(button, target in allowed)

    def _on_action(self) -> None:
        self.status_requested.emit(self.episode.id, self.sender().property("target"))

    def _on_consent(self, checked: bool) -> None:
        self.consent_requested.emit(self.episode.id, checked)


def _set_shown(widget: QWidget, shown: bool) -> None:
    """Show or hide a widget inside its parent, calling Qt only when that changes it."""
    if (widget.isHidden() == shown
            or not widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)):
        widget.setHidden(not shown)


class EpisodesPanel(QWidget):
    """List a person's episodes and move them through their statuses."""

    person_changed = Signal(str)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("episodesPanel")
        self.setAccessibleName(self.tr("Episodes"))
        self._store = store
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

    def open_roles(self) -> set[str]:
        """Return the roles with an open episode for the person shown."""
        return {e.role for e in self.episodes if e.status in OPEN_STATUSES}

    def set_person(self, person_id: str | None) -> None:
        """Show a person's episodes."""
        if person_id != self._person_id:
            self.gp_bar.hide()
            self.error.show_error(None)
        self._person_id = person_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the episodes from the store."""
        self.episodes = self._store.episodes.for_person(self._person_id) if self._person_id else []
        table = self._store.gp_codes.all() if self.episodes else []
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

    def _fill_rows(self, table) -> None:
        for index, episode in enumerate(self.episodes):
            codes = codes_that_apply(episode, table)
            if index < len(self._row_pool):
                row = self._row_pool[index]
                row.show_episode(episode, codes)
            else:
                row = EpisodeRow(episode, codes, self)
                row.status_requested.connect(self.change_status)
                row.consent_requested.connect(self.set_consent)
                self._list.addWidget(row)
                self._row_pool.append(row)
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
        allowed = before is not None and status in EPISODE_TRANSITIONS.get(before.status, ())
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
            after = self._store.episodes.change_status(
                episode_id, status, **kwargs,
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
            errors = getattr(exc, "errors", None)
            text = "; ".join(errors.values()) if errors else str(exc)
            self.error.show_error(self.tr("Not changed: this episode {0}.").format(text)
                                  if errors else text)
            self.refresh()
            return False
        self.error.show_error(None)
        table = self._store.gp_codes.all()
        had = {c.code for c in codes_that_apply(before, table)} if before else set()
        new = [c for c in codes_that_apply(after, table) if c.code not in had]
        if new:
            self.gp_bar.show_code(new[0])
        self.refresh()
        self.person_changed.emit(after.person_id)
        return True

    def set_consent(self, episode_id: str, share: bool) -> None:
        """Record the share-with-GP consent of an episode."""
        try:
            self._store.episodes.set_consent(episode_id, share)
        except (ValidationError, StoreWriteError) as exc:
            self.error.show_error(str(exc))
            self.refresh()
            return
        self.error.show_error(None)
        self.episodes = self._store.episodes.for_person(self._person_id) if self._person_id else []
