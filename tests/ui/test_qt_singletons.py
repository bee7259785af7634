"""PySide6 calls that return nothing must not run None down to zero (Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel

import arrs_desktop.ui


def test_many_calls_returning_nothing_leave_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(60_000):  # more calls than None has references in a plain 3.11
        label.setText("a" if i % 2 else "b")
        label.setVisible(False)
    assert sys.getrefcount(None) > 1_000
    assert label.text() in ("a", "b")


def test_singletons_are_immortal_before_python_3_12():
    immortal = arrs_desktop.ui.SINGLETONS_IMMORTAL
    assert immortal is (sys.version_info < (3, 12))
