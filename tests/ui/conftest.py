"""Fixtures of the window's tests: the real window on the small demo caseload."""

from __future__ import annotations

import pytest

from arrs_desktop.domain.matching import load_rules
from arrs_desktop.settings import Settings


@pytest.fixture
def demo_window(qtbot, demo_store):
    """The real window at 1366×768 on a private copy of the demo caseload (60 people)."""
    from arrs_desktop.ui.shell.app import create_window

    w = create_window(demo_store, Settings(user_name="Test Worker"), load_rules(None))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    return w
