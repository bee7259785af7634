"""One episode: role, worker, dates, status and the moves it can make."""

from __future__ import annotations

import contextlib
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import (
    CLOSURE_REASONS,
    EPISODE_STATUSES,
    REFERRAL_SOURCES,
)
from arrs_desktop.domain.episodes import allowed_moves
from arrs_desktop.domain.gp_codes import EpisodeCode
from arrs_desktop.domain.models import Episode
from arrs_desktop.standards.gp_message import OCCASIONS
from arrs_desktop.ui.common.flow_layout import FlowLayout
from arrs_desktop.ui.common.widgets import muted, role_badge, set_role_badge

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


class EpisodeRow(QFrame):
    """One episode: role, worker, dates, status and the moves it can make.

    A row is made once and then shows one episode after another (`show_episode`), so
    opening the next person changes texts instead of making and destroying widgets.
    """

    status_requested = Signal(str, str)  # episode id, new status
    consent_requested = Signal(str, bool)
    gp_message_requested = Signal(str)  # episode id

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
        self.letters_label = muted("", self)
        self.letters_label.setObjectName("episodeLetters")
        self.letters_label.setWordWrap(True)
        self.letters_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.letters_label)

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
        self.gp_message_button = QPushButton(self.tr("Message to &GP…"), self)
        self.gp_message_button.setObjectName("episodeGpMessage")
        self.gp_message_button.setToolTip(self.tr(
            "The message back to the GP and referrer: a PDF letter and text for the GP "
            "record"))
        self.gp_message_button.clicked.connect(
            lambda: self.gp_message_requested.emit(self.episode.id))
        actions.addWidget(self.gp_message_button)
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

        allowed = allowed_moves(episode.status)
        self.buttons = {}
        for target, button in self._all_buttons.items():
            if target in allowed:
                button.setText(self.tr(status_action_label(episode.status, target)))
                button.setAccessibleName(self.tr("{0}: {1} episode").format(
                    button.text().rstrip("…"), status.lower()))
                self.buttons[target] = button
            _set_shown(button, target in allowed)

    def show_letters(self, letters) -> None:
        """List the letters sent to the GP about this episode (rows of gp_messages)."""
        parts = []
        for row in letters:
            day = row["written_on"]
            with contextlib.suppress(ValueError):
                day = f"{date.fromisoformat(day):%d %b %Y}"
            occasion = OCCASIONS.get(row["occasion"], row["occasion"]).lower()
            consent = "" if row["consent"] else self.tr(" (codes and dates only)")
            parts.append(f"{occasion} {day} by {row['written_by'] or '—'}{consent}")
        self.letters_label.setText(self.tr("Letters to the GP: {0}").format("; ".join(parts)))
        self.letters_label.setAccessibleName(self.letters_label.text())
        _set_shown(self.letters_label, bool(letters))

    def _on_action(self) -> None:
        self.status_requested.emit(self.episode.id, self.sender().property("target"))

    def _on_consent(self, checked: bool) -> None:
        self.consent_requested.emit(self.episode.id, checked)


def _set_shown(widget: QWidget, shown: bool) -> None:
    """Show or hide a widget inside its parent, calling Qt only when that changes it."""
    if (widget.isHidden() == shown
            or not widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)):
        widget.setHidden(not shown)
