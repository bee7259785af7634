"""The safety-alert marker every list of people shows by a person's name: a sign and words
as well as colour (the kinds in its tooltip and in what a screen reader says)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from arrs_desktop.standards.referral import ALERT_KINDS
from arrs_desktop.ui.common import theme

SIGN = "\u2691"  # a flag: the warning sign already means "overdue" in the lists


def alert_words(kinds: Iterable[str]) -> str:
    """Return the kinds of alert in words: 'Risk to a lone worker, Hearing loss'."""
    return ", ".join(ALERT_KINDS.get(k, k) for k in kinds)


def marked_name(name: str, kinds: Iterable[str]) -> str:
    """Return a name with the alert sign in front when there are alerts."""
    return f"{SIGN} {name}" if list(kinds) else name


class AlertMarks:
    """Mixed into a table model of people: remembers which of the people loaded have
    safety alerts in force, and gives their name cell its sign, colour and words."""

    _alert_kinds: dict[str, list[str]]

    def note_alerts(self, store, person_ids: Iterable[str | None]) -> None:
        """Read the alerts in force of people just loaded (one query a page)."""
        if not hasattr(self, "_alert_kinds"):
            self._alert_kinds = {}
        ids = [p for p in person_ids if p]
        if not ids:
            return
        for person_id in ids:
            self._alert_kinds.pop(person_id, None)
        self._alert_kinds.update(store.alerts.kinds_in_force(ids, date.today()))

    def forget_alerts(self) -> None:
        """Forget what was read (a new list is coming)."""
        self._alert_kinds = {}

    def alert_kinds(self, person_id: str | None) -> list[str]:
        """Return the kinds of alert in force for a person loaded ([] for none)."""
        if not person_id:
            return []
        return getattr(self, "_alert_kinds", {}).get(person_id, [])

    def alert_cell(self, person_id: str | None, name: str, role: int):
        """Return what a name cell shows for an item role when the person has alerts
        (None: no alerts, or a role the marker does not change)."""
        kinds = self.alert_kinds(person_id)
        if not kinds:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return marked_name(name, kinds)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, safety alerts: {alert_words(kinds)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{name}\nSafety alerts: {alert_words(kinds)}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(theme.RED))
        return None
