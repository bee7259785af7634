"""One role: rank and name in its colour, score bar, badge, reasons and Allocate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from arrs_desktop.domain.catalogue import ROLES_BY_CODE
from arrs_desktop.ui.common import theme


class RoleCard(QFrame):
    """One role: rank and name in its colour, score bar, badge, reasons and Allocate."""

    allocate_requested = Signal(str)

    def __init__(self, code: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        role = ROLES_BY_CODE[code]
        colour, accent = theme.role_colour(code), theme.role_accent(code)
        self.setObjectName(f"roleCard_{code}")
        self.setProperty("role", "card")
        self.setStyleSheet(
            f"QFrame#roleCard_{code} {{ border-left: 5px solid {accent}; }}")

        self.name = QLabel(role.name, self)
        self.name.setObjectName(f"roleName_{code}")
        self.name.setStyleSheet(f"color: {colour}; font-weight: 700; font-size: 11pt;")
        self.name.setWordWrap(True)
        self.badge = QLabel(self)
        self.badge.setObjectName(f"roleBadge_{code}")
        self.bar = QProgressBar(self)
        self.bar.setObjectName(f"roleScore_{code}")
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        self.bar.setMinimumWidth(60)
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: 1px solid {theme.GREY_4}; border-radius: 4px;"
            f" background: {theme.GREY_5}; }}"
            f" QProgressBar::chunk {{ background: {accent}; border-radius: 3px; }}")
        self.score = QLabel(self)
        self.score.setObjectName(f"roleScoreText_{code}")
        self.score.setStyleSheet(f"color: {theme.DARK_GREY}; font-weight: 600;")
        self.score.setToolTip(self.tr(
            "How strongly the ticked needs point to this role: each need adds its weight "
            "from the role rules. The reasons below say which needs count."))
        self.reasons = QLabel(self)
        self.reasons.setObjectName(f"roleReasons_{code}")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.PlainText)
        self.description = QLabel(description, self)
        self.description.setTextFormat(Qt.TextFormat.PlainText)  # a PCN's words, never markup
        self.description.setObjectName(f"roleDescription_{code}")
        self.description.setProperty("role", "muted")
        self.description.setStyleSheet("font-size: 9pt;")
        self.description.setWordWrap(True)
        self.allocate = QPushButton(self)
        self.allocate.setObjectName(f"allocateButton_{code}")
        self.allocate.clicked.connect(self._on_allocate)
        self.allocate.setStyleSheet(
            f"QPushButton:disabled {{ color: {theme.DARK_GREY}; background: {theme.GREY_5};"
            f" border: 1px solid {theme.GREY_4}; font-weight: 400; }}")
        self._open = False

        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.name, 1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        scores = QHBoxLayout()
        scores.setSpacing(8)
        scores.addWidget(self.bar, 1)
        scores.addWidget(self.score)
        # Allocate comes after the reasons it rests on, on its own line: the card stays
        # narrow enough for a small window, with the button's words whole.
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.allocate)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addLayout(scores)
        lay.addWidget(self.reasons)
        lay.addWidget(self.description)
        lay.addLayout(actions)
        self.set_open(False)

    def show_match(self, rank: int, score: float, scale: float, standing: str,
                   reasons: Iterable[str]) -> None:
        """Show the role's place in the ranking."""
        role = ROLES_BY_CODE[self.code]
        self.name.setText(f"{rank}. {role.name}")
        # QProgressBar.setValue repaints at once; let it paint with the rest of the window.
        self.bar.setUpdatesEnabled(False)
        self.bar.setValue(int(round(min(score, scale) / scale * 1000)) if scale else 0)
        self.bar.setUpdatesEnabled(True)
        self.score.setText(self.tr("Score {0}").format(f"{score:g}"))
        self.bar.setAccessibleName(self.tr("{0} score").format(role.short_name))
        self.bar.setAccessibleDescription(f"{score:g}")
        if standing == "lead":
            self._set_badge(self.tr("Lead"), theme.role_colour(self.code), theme.WHITE)
        elif standing == "supporting":
            self._set_badge(self.tr("Supporting"), theme.WHITE, theme.role_colour(self.code))
        else:
            self.badge.hide()
            self.badge.setText("")
        reasons = list(reasons)
        if reasons:
            self.reasons.setText("\n".join(f"• {r}" for r in reasons))
        else:
            self.reasons.setText(self.tr("No need ticked so far points to this role."))
        self.reasons.setProperty("role", "" if reasons else "muted")
        self.reasons.style().unpolish(self.reasons)
        self.reasons.style().polish(self.reasons)
        standing_word = {"lead": self.tr("suggested lead"),
                         "supporting": self.tr("supporting")}.get(standing, "")
        self.setAccessibleName(", ".join(p for p in (
            self.tr("Rank {0}: {1}").format(rank, role.name), standing_word,
            self.tr("score {0}").format(f"{score:g}")) if p))

    def _set_badge(self, text: str, background: str, foreground: str) -> None:
        self.badge.setText(text)
        self.badge.setAccessibleName(text)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {background}; color: {foreground};"
            f" border: 1px solid {theme.role_colour(self.code)}; border-radius: 8px;"
            " padding: 1px 8px; font-weight: 600; }")
        self.badge.show()

    def set_open(self, is_open: bool, died: date | None = None) -> None:
        """Show whether the person already has an open episode with this role (or died)."""
        self._open = is_open
        role = ROLES_BY_CODE[self.code]
        if died is not None:
            self.allocate.setText(self.tr("Died {0}").format(f"{died:%d %b %Y}"))
            self.allocate.setAccessibleName(self.tr(
                "The person died on {0}: no allocation").format(f"{died:%d %b %Y}"))
            self.allocate.setEnabled(False)
        elif is_open:
            self.allocate.setText(self.tr("Already with {0}").format(role.short_name.lower()))
            self.allocate.setAccessibleName(
                self.tr("Already with a {0}: allocation not needed").format(
                    role.short_name.lower()))
            self.allocate.setEnabled(False)
        else:
            self.allocate.setText(self.tr("Allocate…"))
            self.allocate.setAccessibleName(self.tr("Allocate to {0}").format(role.name))
            self.allocate.setToolTip(self.tr("Refer this person to a {0}").format(
                role.short_name.lower()))
            self.allocate.setEnabled(True)

    def _on_allocate(self) -> None:
        self.allocate_requested.emit(self.code)
