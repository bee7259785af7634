"""A window process for the file-ownership tests: open the real window, load every list view.

Usage: python tests/window_holder.py DB
Opens the window offscreen on DB, shows Triage, Follow-ups and Reports until each has loaded
in the background, then prints "loaded". When a line arrives on stdin it saves a person named
"Marker" through the window's store and prints "written" once the write has returned; then it
waits to be killed.
"""

from __future__ import annotations

import os
import sys
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def main(argv: list[str]) -> int:
    """Open the window, load the lists, write the marker on request."""
    from PySide6.QtWidgets import QApplication

    from arrs_desktop.domain.matching import load_rules
    from arrs_desktop.domain.models import Person
    from arrs_desktop.settings import Settings
    from arrs_desktop.store import open_store
    from arrs_desktop.ui.shell.main_window import MainWindow

    app = QApplication([])
    store = open_store(argv[0], user="Window", device_id="window")
    window = MainWindow(store, Settings(), load_rules(None))
    window.resize(1366, 768)
    window.show()
    for view in (window.triage, window.follow_ups, window.reports):
        window.views.setCurrentWidget(view.parentWidget() or view)
        view.refresh()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            app.processEvents()
            if not getattr(view, "loading", False) and view.wait_for_idle(50):
                break
        for _ in range(20):
            app.processEvents()
    print("loaded", flush=True)
    sys.stdin.readline()
    store.people.add(Person(name="Marker"))
    print("written", flush=True)
    time.sleep(600)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
