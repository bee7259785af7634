"""The window side of `arrs bench`: time what a care worker waits for, offscreen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace

from arrs_desktop.domain.models import CaseloadFilter


class WindowProbe:
    """Open the real main window on a caseload file and time its work."""

    def __init__(self) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from arrs_desktop.ui.common import theme

        self.app = QApplication.instance() or QApplication(["arrs-bench"])
        self.app.setStyleSheet(theme.STYLE_SHEET)
        self.window = None
        self.store = None

    def settle(self) -> None:
        """Let Qt finish pending work (layout, painting, queued signals)."""
        for _ in range(3):
            self.app.processEvents()

    def open_window(self, path, user: str = "bench") -> float:
        """Open the file and show the window with the caseload's first page; return seconds."""
        from arrs_desktop.domain.matching import load_rules
        from arrs_desktop.settings import load_settings
        from arrs_desktop.store import open_store
        from arrs_desktop.ui.shell.app import create_window

        self.close_window()
        start = time.perf_counter()
        self.store = open_store(path, user=user)
        self.window = create_window(self.store, load_settings(), load_rules(None))
        self.window.resize(1366, 768)
        self.window.show()
        self.settle()
        if self.window.caseload.model.rowCount() == 0 and self.store.people.count() > 0:
            raise RuntimeError("the caseload table showed no rows")
        return time.perf_counter() - start

    def close_window(self) -> None:
        """Close the window and its store."""
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.settle()
            self.window = None
        if self.store is not None:
            self.store.close()
            self.store = None

    @property
    def model(self):
        """Return the caseload table model."""
        return self.window.caseload.model

    def leave_filter(self, flt: CaseloadFilter) -> None:
        """Show another view of the caseload, so that showing `flt` really reloads."""
        other = CaseloadFilter(status="none") if flt == CaseloadFilter() else CaseloadFilter()
        self.model.set_filter(other)
        self.settle()

    def show_filter(self, flt: CaseloadFilter) -> None:
        """Show the caseload for a filter (count and first page)."""
        self.model.set_filter(replace(flt))
        self.settle()

    def time_filter(self, flt: CaseloadFilter) -> float:
        """Show the caseload for a filter, from another view; return seconds."""
        self.leave_filter(flt)
        start = time.perf_counter()
        self.show_filter(flt)
        return time.perf_counter() - start

    def close_person(self) -> None:
        """Show no one."""
        self.window.person_view.show_person(None)
        self.settle()

    def show_person(self, person_id: str) -> None:
        """Open a person as a double-click on the caseload does."""
        self.window.open_person(person_id)
        self.settle()
        if self.window.person_view.person_id != person_id:
            raise RuntimeError("the person did not open")

    def time_open_person(self, person_id: str, from_person: str | None = None) -> float:
        """Open a person from another one shown (or from no one); return seconds."""
        if from_person:
            self.show_person(from_person)
        else:
            self.close_person()
        start = time.perf_counter()
        self.show_person(person_id)
        return time.perf_counter() - start

    def time_call(self, func: Callable[[], object]) -> float:
        """Run a store call through the window's own store; return seconds."""
        start = time.perf_counter()
        func()
        self.settle()
        return time.perf_counter() - start
