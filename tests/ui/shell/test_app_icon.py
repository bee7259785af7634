"""The window and Help > About show the application's own icon."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel

from arrs_desktop import paths
from arrs_desktop.domain.matching import load_rules
from arrs_desktop.settings import Settings
from arrs_desktop.ui.common.app_icon import app_icon
from arrs_desktop.ui.shell import app


def test_the_icon_holds_every_shipped_size(qapp):
    sizes = app_icon().availableSizes()
    assert {(s.width(), s.height()) for s in sizes} == {(n, n) for n in paths.APP_ICON_SIZES}


def test_the_window_uses_the_icon(qtbot, demo_store):
    window = app.create_window(demo_store, Settings(user_name="Test Worker"), load_rules(None))
    qtbot.addWidget(window)
    icon = window.windowIcon()
    assert not icon.isNull()
    assert icon.pixmap(QSize(48, 48)).toImage() == app_icon().pixmap(QSize(48, 48)).toImage()


def test_starting_the_app_sets_its_icon_and_menu_entry_name(demo_db, tmp_path):
    # In its own process: starting the app styles the whole QApplication.
    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from arrs_desktop.ui.shell import app\n"
            "assert app.main(['--db', sys.argv[1], '--screenshot', sys.argv[2]]) == 0\n"
            "qapp = QApplication.instance()\n"
            "print(qapp.windowIcon().isNull(), qapp.desktopFileName(),\n"
            "      sorted(s.width() for s in qapp.windowIcon().availableSizes()))\n")
    done = subprocess.run([sys.executable, "-c", code, str(demo_db), str(tmp_path / "s.png")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last == f"False arrs-desktop {sorted(paths.APP_ICON_SIZES)}"


def test_about_shows_the_icon(qtbot, demo_store, demo_db):
    from arrs_desktop.ui.shell.about_dialog import AboutDialog

    window = app.create_window(demo_store, Settings(user_name="Test Worker"), load_rules(None))
    qtbot.addWidget(window)
    dialog = AboutDialog(window, str(demo_db), str(paths.backups_dir(demo_db)))
    qtbot.addWidget(dialog)
    shown = dialog.findChild(QLabel, "aboutIcon").pixmap()
    assert not shown.isNull() and shown.width() == 64
