"""Helpers for widget tests: open the real window, answer modal dialogs, read the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from arrs_desktop.settings import Settings


def make_context(store, settings: Settings | None = None, rules_load=None):
    """Return what a view is given in the window (the store, a change bus of its own, the
    settings and the rules), for a view or dialog tested on its own."""
    from arrs_desktop.ui.common.app_context import AppContext
    from arrs_desktop.ui.common.change_bus import ChangeBus

    return AppContext(store, ChangeBus(), settings or Settings(), rules_load)


def make_window(qtbot, store, settings: Settings | None = None):
    """Build and show the main window around a store."""
    from arrs_desktop.ui.shell.main_window import MainWindow

    window = MainWindow(store, settings or Settings(), None)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def loaded(qtbot, view) -> None:
    """Wait for a view's background load (Triage, Follow-ups) to arrive."""
    qtbot.waitUntil(lambda: not view.loading, timeout=30000)


def answer_dialog(qtbot, fill, failures: list) -> None:
    """Run `fill(dialog)` on the next modal dialog, as soon as it opens."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, run)
            return
        try:
            fill(dialog)
        except Exception as exc:  # reported by the test after the dialog closes
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, run)


def type_into(qtbot, widget, text: str, clear: bool = True) -> None:
    """Give a field the focus and type into it as a user would."""
    widget.setFocus()
    if clear:
        if hasattr(widget, "selectAll"):
            widget.selectAll()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    """Read the database with plain sqlite3 (not the store)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count(db_path: Path, table: str) -> int:
    """Return how many rows a table holds."""
    return rows(db_path, f"SELECT count(*) FROM {table}")[0][0]


def fill_referrer(dialog) -> None:
    """Fill in who referred (and a reason, if blank) on the allocate dialog, as the
    standard's referral model asks of a referral that is not a self-referral."""
    dialog.referrer_name.setText("Dr Asha Patel")
    dialog.referrer_role.setText("GP")
    dialog.referrer_organisation.setText("Riverside Surgery")
    dialog.referrer_phone.setText("0113 496 0000")
    if not dialog.reason.toPlainText().strip():
        dialog.reason.setPlainText("Feeling lonely")
